package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/framing-project/framing/batch"
	"github.com/framing-project/framing/classify"
)

func batchCommand() *cli.Command {
	return &cli.Command{
		Name:  "batch",
		Usage: "score archives of articles: streaming, parallel, resumable, nothing lost",
		Description: `Reads every --input, classifies each article, and writes one record per article to
--output, in input order: id, source, dominant, labels, one score per frame, model (and
with --sentences the sentences). Inputs, recognised by extension (--input-format overrides):

   directory                 walked in sorted order for .txt, .md, .html and .htm files,
                             one article per file (HTML: the page's main text, by readability)
   .jsonl .ndjson .json      one JSON object per line (--id-field, --text-field)
   .csv .tsv                 a header row naming the id and text columns
   .txt .md .html .htm       one article
   .warc                     WARC (Common Crawl style): HTTP responses with status 2xx and an
                             HTML body, one article each; other records are counted as not
                             articles; the id is the target URI
   .parquet                  the --text-field and --id-field columns
   -                         JSONL on standard input

Any input but Parquet may be compressed: .gz or .zst. A record's source says where it is:
file:line (JSONL, CSV), file:row (Parquet, from 1), file:offset (WARC, the record's byte
offset, of its gzip member in .warc.gz), file:0 (a whole file).

--format picks the output: jsonl (default), csv (columns id, source, dominant, labels joined
by ';', one column per frame, model), or parquet (the same columns, labels as a list).
Records that cannot be scored (bad JSON, missing text, binary or empty text, too large, a
corrupt file) go to --errors (JSONL) with the reason; every record read ends in exactly one
of the two files, and a broken input does not stop the others. On a terminal a progress bar
shows articles/s, MB/s and the ETA; elsewhere a progress line goes to standard error every
few seconds. The exit status is 3 when any record failed.

After a crash or Ctrl-C, run the same command with --resume: records already in the output
or errors file are skipped, a torn last line or row is repaired. A Parquet output is written
as complete parts in OUTPUT.parts/ and merged into OUTPUT at the end; a resume keeps the
complete parts.

Examples:
   framing batch --input archive.jsonl.gz --output scores.jsonl
   framing batch --input articles/ --input more.csv --output scores.jsonl --errors failed.jsonl --sentences
   framing batch --input dump.jsonl.zst --id-field url --text-field body --output out.csv --format csv --resume
   framing batch --input CC-MAIN-20240101-00000.warc.gz --output cc.parquet --format parquet
   framing batch --input pages.parquet --text-field content --output out.jsonl
   framing batch --input export.dat --input-format tsv --output out.jsonl`,
		Flags: []cli.Flag{
			modelFlag(),
			&cli.StringSliceFlag{Name: "input", Aliases: []string{"i"}, Required: true, Usage: "input file, directory, or - (repeatable)"},
			&cli.StringFlag{Name: "input-format", Value: string(batch.Auto), Usage: fmt.Sprintf("read every input as one of %v (auto: by extension)", batch.InputFormats())},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true, Usage: "output file"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: string(batch.OutJSONL), Usage: fmt.Sprintf("output format: one of %v", batch.OutputFormats())},
			&cli.StringFlag{Name: "errors", Usage: "JSONL file for records that failed (default OUTPUT.errors.jsonl)"},
			&cli.IntFlag{Name: "workers", Value: runtime.NumCPU(), Usage: "parallel workers"},
			&cli.IntFlag{Name: "chunk", Value: 4096, Usage: "most articles per model call"},
			&cli.IntFlag{Name: "chunk-bytes", Value: 512 << 10, Usage: "text bytes per model call: a chunk is sent when it reaches either limit"},
			&cli.BoolFlag{Name: "resume", Usage: "continue an interrupted run"},
			&cli.BoolFlag{Name: "unordered", Usage: "write results as they finish, not in input order"},
			&cli.BoolFlag{Name: "sentences", Usage: "include every sentence with offsets, labels and scores"},
			&cli.StringFlag{Name: "id-field", Value: "id", Usage: "JSONL/CSV/Parquet field holding the record id"},
			&cli.StringFlag{Name: "text-field", Value: "text", Usage: "JSONL/CSV/Parquet field holding the text"},
			&cli.IntFlag{Name: "max-bytes", Value: batch.DefaultMaxBytes, Usage: "largest record accepted"},
		},
		Action: func(c *cli.Context) error {
			if c.Int("workers") < 1 {
				return usageErr("--workers %d: want at least 1", c.Int("workers"))
			}
			format := batch.OutputFormat(c.String("format"))
			if !slices.Contains(batch.OutputFormats(), format) {
				return usageErr("--format %q: want one of %v", format, batch.OutputFormats())
			}
			inFormat := batch.InputFormat(c.String("input-format"))
			if !slices.Contains(batch.InputFormats(), inFormat) {
				return usageErr("--input-format %q: want one of %v", inFormat, batch.InputFormats())
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
			f, isFile := c.App.ErrWriter.(*os.File)
			sum, err := batch.Run(c.Context, clf, c.StringSlice("input"), c.App.Reader, c.String("output"), errPath, batch.Options{
				Workers: c.Int("workers"), Chunk: c.Int("chunk"), ChunkBytes: c.Int("chunk-bytes"), Unordered: c.Bool("unordered"), Sentences: c.Bool("sentences"),
				Resume: c.Bool("resume"), Format: format, Progress: c.App.ErrWriter,
				Bar:    isFile && term.IsTerminal(int(f.Fd())),
				Source: batch.SourceOptions{Format: inFormat, IDField: c.String("id-field"), TextField: c.String("text-field"), MaxBytes: c.Int("max-bytes")},
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
