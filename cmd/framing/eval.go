package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/eval"
)

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "score model versions against labelled data, side by side",
		Description: `Scores every --model on --data (corpus JSONL: id, article, text, labels), at sentence
level (the corpus sentences as given) and at article level (max-pooled, per-label
thresholds, as classify does). With two or more models, each is compared with the first
by a paired bootstrap over articles (95% intervals) and given a verdict.

Examples:
   framing eval --model default --data testdata/corpus/test.jsonl
   framing eval --model default --model cnn --data testdata/corpus/test.jsonl --format md
   framing eval --model default --model ./bundles/new --data test.jsonl --format json --out report/
   framing eval --model default --model fasttext:.cache/peers/fasttext.bin --data testdata/corpus/test.jsonl`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "model", Aliases: []string{"m"}, Usage: "model to evaluate: embedded name, bundle dir, or fasttext:PATH (repeat to compare; the first is the baseline)", Value: cli.NewStringSlice("default")},
			&cli.StringFlag{Name: "data", Required: true, Usage: "labelled JSONL"},
			formatFlag("text", "text", "json", "md"),
			&cli.StringFlag{Name: "out", Usage: "write the report to `DIR`/report.{txt,json,md} instead of standard output"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "bootstrap seed"},
			&cli.IntFlag{Name: "resamples", Value: 1000, Usage: "bootstrap resamples"},
		},
		Action: runEval,
	}
}

func runEval(c *cli.Context) error {
	path := c.String("data")
	exs, err := corpus.ReadFile(path)
	if err != nil {
		return usageErr("%v", err)
	}
	var cands []eval.Candidate
	for _, ref := range c.StringSlice("model") {
		if path, ok := strings.CutPrefix(ref, "fasttext:"); ok {
			cand, err := eval.FastTextCandidate(path)
			if err != nil {
				return usageErr("%v", err)
			}
			cands = append(cands, cand)
			continue
		}
		clf, err := openClassifier(ref, classify.WithORTLibrary(c.String("ort-lib")), classify.WithIntraOpThreads(1))
		if err != nil {
			return err
		}
		defer clf.Close()
		m := clf.Model()
		cands = append(cands, eval.Candidate{Name: m.Name, Version: m.Version, Source: m.Source,
			Labels: clf.Labels(), Thresholds: clf.Thresholds(), Scorer: clf})
	}
	rep, err := eval.Run(c.Context, path, exs, cands, eval.Options{Seed: c.Uint64("seed"), Resamples: c.Int("resamples")})
	if err != nil {
		return err
	}
	w := c.App.Writer
	format := c.String("format")
	if dir := c.String("out"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		ext := map[string]string{"text": "txt", "json": "json", "md": "md"}[format]
		f, err := os.Create(filepath.Join(dir, "report."+ext))
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		defer fmt.Fprintf(c.App.ErrWriter, "wrote %s\n", f.Name())
	}
	switch format {
	case "json":
		return rep.WriteJSON(w)
	case "md":
		return rep.WriteMarkdown(w)
	default:
		return rep.WriteText(w)
	}
}
