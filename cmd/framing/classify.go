package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/internal/ortrt"
	"github.com/framing-project/framing/models"
	"github.com/framing-project/framing/textcheck"
)

// maxInput bounds one article read by `classify`; archives go through batch.
const maxInput = 64 << 20

func modelFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "model", Aliases: []string{"m"}, Value: models.Default,
		Usage: "embedded model name, bundle directory, or bundle name in $FRAMING_MODELS_DIR (see `framing models`)"}
}

func formatFlag(def string, allowed ...string) *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: def, Usage: "output format: " + fmt.Sprint(allowed),
		Action: func(_ *cli.Context, v string) error {
			for _, a := range allowed {
				if v == a {
					return nil
				}
			}
			return usageErr("--format %q: want one of %v", v, allowed)
		}}
}

func classifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "classify",
		Usage:     "classify one article: every sentence with its frames, then the article's frames",
		ArgsUsage: "[FILE|-]",
		Description: `Reads one article (a file, or standard input with - or no argument), splits it into
sentences and prints each with its byte offsets, frames and scores, then the article's
frames (max-pooled over sentences) and its dominant frame.

Invalid UTF-8 is replaced with U+FFFD (with a warning); offsets refer to the cleaned text.

Examples:
   framing classify testdata/articles/showcase.txt
   framing classify --format json article.txt | jq '.sentences[] | select(.labels | length > 0)'
   pbpaste | framing classify --threshold 0.3 -
   framing classify --model ./my-bundle --format jsonl a.txt b.txt`,
		Flags: []cli.Flag{
			modelFlag(),
			formatFlag("text", "text", "json", "jsonl"),
			&cli.Float64Flag{Name: "threshold", Usage: "one decision threshold for every frame, instead of the model's tuned per-frame thresholds"},
		},
		Action: runClassify,
	}
}

func runClassify(c *cli.Context) error {
	paths := c.Args().Slice()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	type input struct {
		name string
		text textcheck.Text
	}
	// ONNX Runtime's environment takes some 45 ms to create, the largest
	// share of a one-article run: start it now, while the input is read and
	// the bundle loads. classify.New takes its own reference on it. This
	// reference is never released: the process ends right after, and
	// destroying the environment would only add to the run's time.
	warm := make(chan error, 1)
	go func() {
		lib, err := ortrt.FindLibrary(c.String("ort-lib"))
		if err == nil {
			err = ortrt.Acquire(lib)
		}
		warm <- err
	}()
	defer func() { <-warm }()
	// A one-article run allocates a few MB while loading the tokenizer;
	// garbage collection during start-up costs more time than the memory.
	debug.SetGCPercent(400)
	var inputs []input
	for _, p := range paths {
		data, name, err := readInput(c.App.Reader, p)
		if err != nil {
			return usageErr("%v", err)
		}
		t, err := textcheck.Check(name, data)
		if err != nil {
			return usageErr("%v", err)
		}
		for _, w := range t.Warnings {
			fmt.Fprintf(c.App.ErrWriter, "framing: warning: %s\n", w)
		}
		inputs = append(inputs, input{name, t})
	}
	// One article: a single ONNX Runtime thread starts faster and is enough.
	opts := []classify.Option{classify.WithORTLibrary(c.String("ort-lib")), classify.WithIntraOpThreads(1)}
	if c.IsSet("threshold") {
		opts = append(opts, classify.WithThreshold(c.Float64("threshold")))
	}
	clf, err := openClassifier(c.String("model"), opts...)
	if err != nil {
		return err
	}
	defer clf.Close()

	out := bufio.NewWriter(c.App.Writer)
	defer out.Flush()
	format := c.String("format")
	for i, in := range inputs {
		res, err := clf.Classify(c.Context, in.text.String)
		if err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
		switch format {
		case "json":
			b := res.AppendJSON(nil, true)
			if len(inputs) > 1 {
				b = append([]byte(fmt.Sprintf(`{"input":%q,"result":`, in.name)), append(b, '}')...)
			}
			out.Write(indentJSON(b))
			out.WriteByte('\n')
		case "jsonl":
			out.Write(res.AppendJSON(nil, true))
			out.WriteByte('\n')
		default:
			if len(inputs) > 1 {
				if i > 0 {
					out.WriteByte('\n')
				}
				fmt.Fprintf(out, "==> %s <==\n", in.name)
			}
			if err := res.WriteText(out, classify.TextStyle{Color: useColor(c.App.Writer)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// openClassifier resolves a --model reference and loads it.
func openClassifier(ref string, opts ...classify.Option) (*classify.Classifier, error) {
	b, err := models.Open(ref)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return classify.New(b, opts...)
}

// readInput reads a file or standard input ("-"), bounded by maxInput.
func readInput(stdin io.Reader, path string) ([]byte, string, error) {
	var r io.Reader
	name := path
	if path == "-" {
		r, name = stdin, "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, path, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, path, fmt.Errorf("%s is a directory (use `framing batch --input %s` for many files)", path, path)
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, name, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxInput {
		return nil, name, fmt.Errorf("%s: larger than %d MiB; one article is expected (use `framing batch` for archives)", name, maxInput>>20)
	}
	return data, name, nil
}

// useColor is true on a terminal unless NO_COLOR is set (no-color.org).
func useColor(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
