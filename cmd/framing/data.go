package main

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/corpus"
)

func dataCommand() *cli.Command {
	return &cli.Command{
		Name:  "data",
		Usage: "work with labelled corpus files",
		Subcommands: []*cli.Command{{
			Name:      "check",
			Usage:     "validate corpus JSONL files and print per-label counts",
			ArgsUsage: "FILE.jsonl...",
			Description: `Checks every line (JSON, id, article, non-empty text, known frame ids), then the
files against each other: no article or id in two files, no exact or near duplicate
(Jaccard >= 0.8 of word 3-grams after normalising) across files. Prints the counts per
file and label. Exit status 2 when anything is wrong.

Examples:
   framing data check testdata/corpus/train.jsonl testdata/corpus/dev.jsonl testdata/corpus/test.jsonl`,
			Action: func(c *cli.Context) error {
				if c.NArg() == 0 {
					return usageErr("data check: name at least one corpus file")
				}
				var splits []corpus.Split
				var errs []error
				for _, path := range c.Args().Slice() {
					exs, err := corpus.ReadFile(path)
					if err != nil {
						errs = append(errs, err)
						continue
					}
					splits = append(splits, corpus.Split{Name: strings.TrimSuffix(filepath.Base(path), ".jsonl"), Examples: exs})
				}
				if len(errs) > 0 {
					return &codedError{exitUsage, errors.Join(errs...)}
				}
				rep := corpus.Check(splits)
				if err := rep.WriteTable(c.App.Writer); err != nil {
					return err
				}
				if !rep.OK() {
					return usageErr("data check: %d problems", len(rep.Findings))
				}
				return nil
			},
		}},
	}
}
