package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/train"
)

func trainCommand() *cli.Command {
	d := train.Defaults(train.ArchBag)
	return &cli.Command{
		Name:  "train",
		Usage: "train a model bundle on labelled JSONL data",
		Description: `Trains a WordPiece vocabulary and a model on --train, stops early on --dev macro-F1,
tunes one threshold per frame on --dev and writes a bundle directory (model.onnx,
tokenizer.json, config.json, manifest.json) that --model accepts everywhere.
Training is deterministic for a seed and data. Architectures: bag (fast, fastText-like,
the default model) and cnn (a convolution over word order, BERT-style inputs and logits).
Flags left unset take the architecture's defaults.

Examples:
   framing train --train testdata/corpus/train.jsonl --dev testdata/corpus/dev.jsonl --arch bag --out ./bundles/bag
   framing train --train my.jsonl --dev my-dev.jsonl --arch cnn --epochs 15 --seed 7 --out ./bundles/cnn --force`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "train", Required: true, Usage: "training data (corpus JSONL)"},
			&cli.StringFlag{Name: "dev", Required: true, Usage: "development data for early stopping and thresholds"},
			&cli.StringFlag{Name: "arch", Value: train.ArchBag, Usage: "architecture: bag or cnn"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "bundle directory to write"},
			&cli.BoolFlag{Name: "force", Usage: "replace a non-empty --out directory"},
			&cli.Uint64Flag{Name: "seed", Value: d.Seed, Usage: "random seed"},
			&cli.IntFlag{Name: "epochs", Usage: "maximum epochs"},
			&cli.IntFlag{Name: "patience", Usage: "epochs without dev improvement before stopping"},
			&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate at the first epoch (falls linearly to 0 over --epochs)"},
			&cli.IntFlag{Name: "dim", Usage: "embedding width"},
			&cli.IntFlag{Name: "buckets", Usage: "bag: hashed bigram buckets"},
			&cli.IntFlag{Name: "filters", Usage: "cnn: convolution filters"},
			&cli.IntFlag{Name: "kernel", Usage: "cnn: convolution width"},
			&cli.IntFlag{Name: "max-tokens", Usage: "window length in tokens"},
			&cli.IntFlag{Name: "vocab-size", Usage: "WordPiece vocabulary size"},
			&cli.StringFlag{Name: "vocab", Usage: "use this WordPiece vocab.txt instead of training one on --train"},
			&cli.StringFlag{Name: "name", Usage: "model name (default framing-ARCH)"},
			&cli.StringFlag{Name: "version", Value: "1", Usage: "model version"},
		},
		Action: runTrain,
	}
}

func runTrain(c *cli.Context) error {
	o := train.Defaults(c.String("arch"))
	o.Seed, o.Name, o.Version, o.VocabFile = c.Uint64("seed"), c.String("name"), c.String("version"), c.String("vocab")
	for flag, dst := range map[string]*int{"epochs": &o.Epochs, "patience": &o.Patience, "dim": &o.Dim, "buckets": &o.Buckets,
		"filters": &o.Filters, "kernel": &o.Kernel, "max-tokens": &o.MaxTokens, "vocab-size": &o.VocabSize} {
		if c.IsSet(flag) {
			*dst = c.Int(flag)
		}
	}
	if c.IsSet("lr") {
		o.LR = c.Float64("lr")
	}
	out := c.String("out")
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 && !c.Bool("force") {
		return usageErr("output directory %s exists and is not empty (use --force to replace it)", out)
	}
	load := func(path string) (train.Data, error) {
		raw, err := os.ReadFile(path)
		if err != nil {
			return train.Data{}, usageErr("%v", err)
		}
		exs, err := corpus.ReadFile(path)
		if err != nil {
			return train.Data{}, usageErr("%v", err)
		}
		return train.Data{Examples: exs, Raw: raw}, nil
	}
	tr, err := load(c.String("train"))
	if err != nil {
		return err
	}
	dv, err := load(c.String("dev"))
	if err != nil {
		return err
	}
	w := c.App.ErrWriter
	fmt.Fprintf(w, "training %s on %d sentences (dev %d), seed %d\n", o.Arch, len(tr.Examples), len(dv.Examples), o.Seed)
	o.Progress = func(e train.Epoch) {
		mark := ""
		if e.Best {
			mark = " *"
		}
		fmt.Fprintf(w, "epoch %3d  loss %.4f  dev macro-F1 %.4f  %6.1fs%s\n", e.Epoch, e.Loss, e.DevMacroF1, e.Elapsed.Seconds(), mark)
	}
	m, err := train.Train(c.Context, tr, dv, o)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := m.Write(out, c.Bool("force")); err != nil {
		return err
	}
	fmt.Fprintf(w, "best epoch %d: dev macro-F1 %.4f, micro-F1 %.4f; wrote %s (%.1f MB)\n",
		m.Manifest.BestEpoch, m.Manifest.DevMacroF1, m.Manifest.DevMicroF1, out, float64(len(m.ONNX)+len(m.Tokenizer))/1e6)
	return nil
}
