// Package batch scores archives: it streams records from directories,
// JSONL, CSV/TSV (plain, .gz or .zst), HTML pages, WARC and Parquet files,
// classifies them on every core, and writes one JSONL line, CSV row or
// Parquet row per article, in input order, with every failure accounted
// for in an errors file. Runs resume after a crash.
package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/frames"
	"github.com/framing-project/framing/textcheck"
)

// Options tune a run.
type Options struct {
	Workers int // parallel ClassifyBatch calls (default: 2)
	// A chunk of articles goes to one ClassifyBatch call when it holds
	// ChunkBytes of text (default 512 KiB) or Chunk articles (default
	// 4096). Bytes, not articles, set the size because the model is
	// fastest on a few hundred windows sorted by length (little padding),
	// whether they come from 300 one-line records or 20 long articles.
	Chunk      int
	ChunkBytes int
	Unordered  bool         // write chunks as they finish instead of in input order
	Sentences  bool         // include sentences in the output
	Resume     bool         // continue an interrupted run
	Format     OutputFormat // output format (default jsonl)
	Source     SourceOptions
	// Progress receives a log line every ProgressEvery (default 5s), or a
	// progress bar when Bar is set (Progress is a terminal), and the final
	// summary; nil is silent.
	Progress      io.Writer
	ProgressEvery time.Duration
	Bar           bool
}

// Summary accounts for every record.
type Summary struct {
	Read      int           `json:"read"`
	Scored    int           `json:"scored"`
	Failed    int           `json:"failed"`
	Skipped   int           `json:"skipped_by_resume"`
	Ignored   int64         `json:"ignored"` // not articles: WARC requests, metadata, non-HTML responses; other files in directories
	Sentences int           `json:"sentences"`
	Bytes     int64         `json:"bytes"` // read from the inputs, compressed as stored
	Elapsed   time.Duration `json:"elapsed_ns"`
}

func (s Summary) String() string {
	secs := max(s.Elapsed.Seconds(), 1e-9)
	return fmt.Sprintf("read %d, scored %d, failed %d, skipped by resume %d, not articles %d; %d sentences; %.1fs (%.0f articles/s, %.0f sentences/s, %.2f MB/s)",
		s.Read, s.Scored, s.Failed, s.Skipped, s.Ignored, s.Sentences, s.Elapsed.Seconds(),
		float64(s.Scored)/secs, float64(s.Sentences)/secs, float64(s.Bytes)/1e6/secs)
}

type chunk struct {
	seq  int
	recs []Record
}

type done struct {
	seq                       int
	items                     []Item
	scored, failed, sentences int
}

// counters are shared between the reader, the writer and the progress
// report.
type counters struct {
	read, skipped, scored, failed, sentences atomic.Int64
}

// Run scores every record of inputs with clf, writing results to outPath in
// o.Format and failures to errPath (JSONL). Every record read ends in
// exactly one of them.
func Run(ctx context.Context, clf *classify.Classifier, inputs []string, stdin io.Reader, outPath, errPath string, o Options) (Summary, error) {
	start := time.Now()
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Chunk <= 0 {
		o.Chunk = 4096
	}
	if o.ChunkBytes <= 0 {
		o.ChunkBytes = 512 << 10
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 5 * time.Second
	}
	if o.Format == "" {
		o.Format = OutJSONL
	}
	if !slices.Contains(OutputFormats(), o.Format) {
		return Summary{}, fmt.Errorf("output format %q: want one of %v", o.Format, OutputFormats())
	}
	o.Source = o.Source.withDefaults()
	if err := o.Source.validate(); err != nil {
		return Summary{}, err
	}
	l := layout{labels: frames.All(), model: clf.Model(), sentences: o.Sentences}
	seen := newDoneSet()
	errs, err := openErrors(errPath, o.Resume, seen)
	if err != nil {
		return Summary{}, err
	}
	out, err := openOutput(o.Format, outPath, o.Resume, l, seen)
	if err != nil {
		errs.Close(false)
		return Summary{}, err
	}
	seen.seal()

	in := NewInputs(inputs, stdin, o.Source)
	var c counters
	jobs := make(chan chunk, o.Workers*2)
	results := make(chan done, o.Workers*2)
	var readErr error // written by the reader before it closes jobs

	// Reader: stops at cancellation; the records it has not sent are simply
	// not in the output, and a resume reads them again.
	go func() {
		defer close(jobs)
		defer func() { readErr = in.Close() }()
		seq := 0
		var cur []Record
		curBytes := 0
		send := func() bool {
			if len(cur) == 0 {
				return true
			}
			select {
			case jobs <- chunk{seq, cur}:
				seq++
				cur, curBytes = nil, 0
				return true
			case <-ctx.Done():
				return false
			}
		}
		resuming := seen.len() > 0
		for ctx.Err() == nil {
			rec, err := in.Next()
			if err == io.EOF {
				break
			}
			if err != nil { // Inputs turns file errors into records; this is a bug guard
				rec = Record{File: "?", Err: err}
			}
			// Keys are written as valid UTF-8, so a file name that is not
			// compares by its written form.
			if resuming && seen.has(strings.ToValidUTF8(rec.Key(), "\uFFFD")) {
				c.skipped.Add(1)
				continue
			}
			c.read.Add(1)
			cur = append(cur, rec)
			curBytes += len(rec.Body)
			if (len(cur) >= o.Chunk || curBytes >= o.ChunkBytes) && !send() {
				return
			}
		}
		send()
	}()

	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range jobs {
				d, err := score(ctx, clf, ch, o.Source)
				if err != nil { // cancelled mid-chunk: discard it, resume redoes it
					continue
				}
				results <- d
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	prog := newProgress(o, inputs, start)
	defer prog.stop()

	var writeErr error
	write := func(d done) {
		if writeErr != nil {
			return
		}
		for i := range d.items {
			it := &d.items[i]
			var err error
			if it.Err != nil {
				err = errs.Write(it)
			} else {
				err = out.Write(it)
			}
			if err != nil {
				writeErr = err
				return
			}
		}
		// A chunk goes out together and is flushed before the next, so a
		// crash tears at most the last line, which resume repairs.
		if err := errors.Join(out.Flush(), errs.Flush()); err != nil {
			writeErr = err
			return
		}
		c.scored.Add(int64(d.scored))
		c.failed.Add(int64(d.failed))
		c.sentences.Add(int64(d.sentences))
	}
	pending := map[int]done{}
	next := 0
	for {
		select {
		case d, ok := <-results:
			if ok {
				if o.Unordered {
					write(d)
					continue
				}
				pending[d.seq] = d
				for {
					p, ok := pending[next]
					if !ok {
						break
					}
					write(p)
					delete(pending, next)
					next++
				}
				continue
			}
			// Ordered mode: a chunk discarded at cancellation leaves a gap;
			// later chunks still go out so no finished work is lost.
			for _, s := range slices.Sorted(mapKeys(pending)) {
				write(pending[s])
			}
			complete := ctx.Err() == nil && readErr == nil && writeErr == nil
			closeErr := errors.Join(out.Close(complete), errs.Close(complete))
			sum := c.summary(in, start)
			prog.finish(sum)
			err := errors.Join(readErr, writeErr, closeErr)
			if err == nil && ctx.Err() != nil {
				err = fmt.Errorf("interrupted; run again with --resume to continue: %w", ctx.Err())
			}
			return sum, err
		case <-prog.tick():
			prog.report(c.summary(in, start))
		}
	}
}

func mapKeys(m map[int]done) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (c *counters) summary(in *Inputs, start time.Time) Summary {
	return Summary{
		Read: int(c.read.Load()), Skipped: int(c.skipped.Load()), Scored: int(c.scored.Load()),
		Failed: int(c.failed.Load()), Sentences: int(c.sentences.Load()),
		Ignored: in.Ignored(), Bytes: in.BytesRead(), Elapsed: time.Since(start),
	}
}

// openOutput opens the writer for format; on resume it collects the keys
// already written into seen.
func openOutput(format OutputFormat, path string, resume bool, l layout, seen *doneSet) (output, error) {
	switch format {
	case OutCSV:
		return openCSV(path, resume, l, seen)
	case OutParquet:
		return openParquet(path, resume, l, seen)
	}
	return openJSONL(path, resume, l, seen)
}

// score decodes (JSON, HTML extraction), checks and classifies one chunk on
// a worker.
func score(ctx context.Context, clf *classify.Classifier, c chunk, so SourceOptions) (done, error) {
	d := done{seq: c.seq, items: make([]Item, len(c.recs))}
	texts := make([]string, 0, len(c.recs))
	idx := make([]int, 0, len(c.recs))
	for i := range c.recs {
		r := &c.recs[i]
		it := &d.items[i]
		it.File, it.Pos, it.Unit, it.Key, it.ID = r.File, r.Pos, r.Unit, r.Key(), r.ID
		if r.Err != nil {
			it.Err = r.Err
			continue
		}
		id, text, err := decode(r, so)
		it.ID = id
		if err != nil {
			it.Err = err
			continue
		}
		t, err := textcheck.Check("text", text)
		if err != nil {
			it.Err = err
			continue
		}
		it.Warnings = t.Warnings
		texts = append(texts, t.String)
		idx = append(idx, i)
	}
	res, err := clf.ClassifyBatch(ctx, texts)
	var be *classify.BatchError
	if err != nil && !errors.As(err, &be) {
		return d, err
	}
	for j, i := range idx {
		it := &d.items[i]
		switch {
		case be != nil && be.Errs[j] != nil:
			it.Err = be.Errs[j]
		case j >= len(res) || res[j] == nil:
			it.Err = errors.New("not classified")
		default:
			it.Result = res[j]
		}
	}
	for i := range d.items {
		if d.items[i].Err != nil {
			d.failed++
			continue
		}
		d.scored++
		d.sentences += len(d.items[i].Result.Sentences)
	}
	return d, nil
}
