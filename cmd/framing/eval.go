package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/eval"
)

// minResamples is the fewest bootstrap resamples whose 2.5th and 97.5th
// percentiles are stable to about a thousandth of F1.
const minResamples = 1000

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "score model versions against labelled data, side by side",
		Description: `Scores every --model on --data (corpus JSONL: id, article, text, labels), at sentence
level (the corpus sentences as given) and at article level (max-pooled, per-label
thresholds, as classify does): per-frame precision, recall, F1 and support; micro-,
macro- and samples-F1, exact match, Hamming loss; calibration (ECE, reliability table);
threshold sweeps with precision-recall curves; speed in the same run; the worst errors.
With two or more models, each is compared with the first by a paired bootstrap over
articles (95% intervals) and given a verdict.

--format picks what goes to standard output; --out DIR also writes every format
(report.txt, report.json, report.md, report.html) there, from the same run.

A model is an embedded name, a bundle directory, or fasttext:PATH for a fastText .bin
model run through Debian's fasttext (thresholds from PATH.thresholds.json, else 0.5;
` + "`make bench-peers`" + ` trains one).

Examples:
   framing eval --model default --data testdata/corpus/test.jsonl
   framing eval --model default --model cnn --data testdata/corpus/test.jsonl --format md
   framing eval --model default --model ./bundles/new --data test.jsonl --format html > report.html
   framing eval --model default --model fasttext:.cache/peers/fasttext.bin --data testdata/corpus/test.jsonl --out report/`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "model", Aliases: []string{"m"}, Usage: "model to evaluate: embedded name, bundle dir, or fasttext:PATH (repeat to compare; the first is the baseline)", Value: cli.NewStringSlice("default")},
			&cli.StringFlag{Name: "data", Required: true, Usage: "labelled corpus JSONL (`FILE`)"},
			formatFlag("text", "text", "json", "md", "html"),
			&cli.StringFlag{Name: "out", Usage: "also write report.{txt,json,md,html} to `DIR`"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "bootstrap seed"},
			&cli.IntFlag{Name: "resamples", Value: minResamples, Usage: fmt.Sprintf("bootstrap resamples (at least %d)", minResamples)},
		},
		Action: runEval,
	}
}

var reportFormats = []struct {
	name, file string
	write      func(*eval.Report, io.Writer) error
}{
	{"text", "report.txt", (*eval.Report).WriteText},
	{"json", "report.json", (*eval.Report).WriteJSON},
	{"md", "report.md", (*eval.Report).WriteMarkdown},
	{"html", "report.html", (*eval.Report).WriteHTML},
}

func runEval(c *cli.Context) (err error) {
	if n := c.Int("resamples"); n < minResamples {
		return usageErr("--resamples %d: want at least %d", n, minResamples)
	}
	path := c.String("data")
	exs, err := corpus.ReadFile(path)
	if err != nil {
		return usageErr("%v", err)
	}
	var cands []eval.Candidate
	defer func() {
		for _, cand := range cands {
			if cl, ok := cand.Scorer.(io.Closer); ok {
				err = errors.Join(err, cl.Close())
			}
		}
	}()
	for _, ref := range c.StringSlice("model") {
		if model, ok := strings.CutPrefix(ref, "fasttext:"); ok {
			cand, err := eval.FastTextCandidate(model)
			if err != nil {
				return usageErr("%v", err)
			}
			cands = append(cands, cand)
			continue
		}
		// One thread, as one article is classified: latencies are per core.
		clf, err := openClassifier(ref, classify.WithORTLibrary(c.String("ort-lib")), classify.WithIntraOpThreads(1))
		if err != nil {
			return err
		}
		m := clf.Model()
		cands = append(cands, eval.Candidate{Name: m.Name, Version: m.Version, Source: m.Source,
			Labels: clf.Labels(), Thresholds: clf.Thresholds(), Scorer: clf})
	}
	rep, err := eval.Run(c.Context, path, exs, cands, eval.Options{Seed: c.Uint64("seed"), Resamples: c.Int("resamples")})
	if err != nil {
		return err
	}
	if dir := c.String("out"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for _, f := range reportFormats {
			if err := writeReportFile(filepath.Join(dir, f.file), rep, f.write); err != nil {
				return err
			}
		}
		fmt.Fprintf(c.App.ErrWriter, "wrote report.{txt,json,md,html} to %s\n", dir)
	}
	for _, f := range reportFormats {
		if f.name == c.String("format") {
			w := bufio.NewWriter(c.App.Writer)
			if err := f.write(rep, w); err != nil {
				return err
			}
			return w.Flush()
		}
	}
	return nil
}

func writeReportFile(path string, rep *eval.Report, write func(*eval.Report, io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = write(rep, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
