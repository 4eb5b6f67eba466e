package main

import (
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/batch"
	"github.com/framing-project/framing/classify"
)

func batchCommand() *cli.Command {
	return &cli.Command{
		Name:  "batch",
		Usage: "score archives of articles: streaming, parallel, resumable, nothing lost",
		Description: `Reads every --input (a directory of .txt/.md files, JSONL/NDJSON, CSV/TSV with a header,
any of them .gz, or - for JSONL on standard input), classifies each article, and writes one
JSONL line per article to --output, in input order: id, source (file:line), labels,
dominant, scores, model, and with --sentences the sentences. Records that cannot be scored
(bad JSON, missing text, binary or empty text, too large) go to --errors with the reason;
every record read ends in exactly one of the two files. A progress line goes to standard
error every few seconds; the exit status is 3 when any record failed.

After a crash or Ctrl-C, run the same command with --resume: records already in the output
or errors file are skipped, a torn last line is repaired.

Examples:
   framing batch --input archive.jsonl.gz --output scores.jsonl
   framing batch --input articles/ --input more.csv --output scores.jsonl --errors failed.jsonl --sentences
   framing batch --input dump.jsonl --id-field url --text-field body --output out.jsonl --resume`,
		Flags: []cli.Flag{
			modelFlag(),
			&cli.StringSliceFlag{Name: "input", Aliases: []string{"i"}, Required: true, Usage: "input file, directory, or - (repeatable)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true, Usage: "JSONL output file"},
			&cli.StringFlag{Name: "errors", Usage: "JSONL file for records that failed (default OUTPUT.errors.jsonl)"},
			&cli.IntFlag{Name: "workers", Value: runtime.NumCPU(), Usage: "parallel workers"},
			&cli.IntFlag{Name: "chunk", Value: 64, Usage: "articles per model call"},
			&cli.BoolFlag{Name: "resume", Usage: "continue an interrupted run"},
			&cli.BoolFlag{Name: "unordered", Usage: "write results as they finish, not in input order"},
			&cli.BoolFlag{Name: "sentences", Usage: "include every sentence with offsets, labels and scores"},
			&cli.StringFlag{Name: "id-field", Value: "id", Usage: "JSONL/CSV field holding the record id"},
			&cli.StringFlag{Name: "text-field", Value: "text", Usage: "JSONL/CSV field holding the text"},
			&cli.IntFlag{Name: "max-bytes", Value: 10 << 20, Usage: "largest record accepted"},
		},
		Action: func(c *cli.Context) error {
			if c.Int("workers") < 1 {
				return usageErr("--workers %d: want at least 1", c.Int("workers"))
			}
			clf, err := openClassifier(c.String("model"), classify.WithORTLibrary(c.String("ort-lib")), classify.WithIntraOpThreads(1))
			if err != nil {
				return err
			}
			defer clf.Close()
			errPath := c.String("errors")
			if errPath == "" {
				errPath = c.String("output") + ".errors.jsonl"
			}
			sum, err := batch.Run(c.Context, clf, c.StringSlice("input"), c.App.Reader, c.String("output"), errPath, batch.Options{
				Workers: c.Int("workers"), Chunk: c.Int("chunk"), Unordered: c.Bool("unordered"), Sentences: c.Bool("sentences"),
				Resume: c.Bool("resume"), Progress: c.App.ErrWriter,
				Source: batch.SourceOptions{IDField: c.String("id-field"), TextField: c.String("text-field"), MaxBytes: c.Int("max-bytes")},
			})
			if err != nil {
				return err
			}
			if sum.Failed > 0 {
				return &codedError{exitPartial, fmt.Errorf("%d of %d records failed; see %s", sum.Failed, sum.Read, errPath)}
			}
			return nil
		},
	}
}
