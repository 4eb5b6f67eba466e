package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/textcheck"
)

// Options tune a run.
type Options struct {
	Workers   int  // parallel ClassifyBatch calls (default: 2)
	Chunk     int  // articles per ClassifyBatch call (default 64)
	Unordered bool // write chunks as they finish instead of in input order
	Sentences bool // include sentences in the output
	Resume    bool // continue an interrupted run
	Source    SourceOptions
	// Progress receives a log line every ProgressEvery (default 5s) and the
	// final summary; nil is silent.
	Progress      io.Writer
	ProgressEvery time.Duration
}

// Summary accounts for every record.
type Summary struct {
	Read      int           `json:"read"`
	Scored    int           `json:"scored"`
	Failed    int           `json:"failed"`
	Skipped   int           `json:"skipped_by_resume"`
	Sentences int           `json:"sentences"`
	Bytes     int64         `json:"bytes"`
	Elapsed   time.Duration `json:"elapsed_ns"`
}

func (s Summary) String() string {
	secs := max(s.Elapsed.Seconds(), 1e-9)
	return fmt.Sprintf("read %d, scored %d, failed %d, skipped by resume %d; %d sentences; %.1fs (%.0f articles/s, %.0f sentences/s, %.2f MB/s)",
		s.Read, s.Scored, s.Failed, s.Skipped, s.Sentences, s.Elapsed.Seconds(),
		float64(s.Scored)/secs, float64(s.Sentences)/secs, float64(s.Bytes)/1e6/secs)
}

type chunk struct {
	seq  int
	recs []Record
}

type done struct {
	seq                       int
	out, errs                 []byte
	scored, failed, sentences int
	bytes                     int64
}

// Run scores every record of inputs with clf, appending results to outPath
// and failures to errPath. Every record read ends in exactly one of them.
func Run(ctx context.Context, clf *classify.Classifier, inputs []string, stdin io.Reader, outPath, errPath string, o Options) (Summary, error) {
	start := time.Now()
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Chunk <= 0 {
		o.Chunk = 64
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 5 * time.Second
	}
	seen := map[string]bool{}
	if o.Resume {
		for _, p := range []string{outPath, errPath} {
			if err := loadDone(p, seen); err != nil {
				return Summary{}, err
			}
		}
	} else if st, err := os.Stat(outPath); err == nil && st.Size() > 0 {
		return Summary{}, fmt.Errorf("output %s exists; use --resume to continue that run, or remove it", outPath)
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if !o.Resume {
		flags |= os.O_TRUNC
	}
	out, err := os.OpenFile(outPath, flags, 0o644)
	if err != nil {
		return Summary{}, err
	}
	defer out.Close()
	errf, err := os.OpenFile(errPath, flags, 0o644)
	if err != nil {
		return Summary{}, err
	}
	defer errf.Close()

	var sum Summary
	var mu sync.Mutex // guards sum.Read/Skipped, written by the reader
	jobs := make(chan chunk, o.Workers*2)
	results := make(chan done, o.Workers*2)
	var readErr error

	// Reader: stops at cancellation; the records it has not sent are simply
	// not in the output, and a resume reads them again.
	go func() {
		defer close(jobs)
		seq := 0
		var cur []Record
		send := func() bool {
			if len(cur) == 0 {
				return true
			}
			select {
			case jobs <- chunk{seq, cur}:
				seq++
				cur = nil
				return true
			case <-ctx.Done():
				return false
			}
		}
		for _, in := range inputs {
			src, closer, err := Open(in, stdin, o.Source)
			if err != nil {
				rec := Record{Source: in, Pos: 0, ID: in, Err: err}
				mu.Lock()
				if seen[rec.Key()] {
					sum.Skipped++
				} else {
					sum.Read++
					cur = append(cur, rec)
				}
				mu.Unlock()
				continue
			}
			for {
				rec, err := src.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					readErr = errors.Join(readErr, err)
					break
				}
				mu.Lock()
				if seen[rec.Key()] {
					sum.Skipped++
					mu.Unlock()
					continue
				}
				sum.Read++
				mu.Unlock()
				cur = append(cur, rec)
				if len(cur) >= o.Chunk && !send() {
					closer.Close()
					return
				}
			}
			closer.Close()
		}
		send()
	}()

	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				d, err := score(ctx, clf, c, o.Sentences)
				if err != nil { // cancelled mid-chunk: discard it, resume redoes it
					continue
				}
				results <- d
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	ow, ew := bufio.NewWriterSize(out, 1<<20), bufio.NewWriterSize(errf, 1<<16)
	pending := map[int]done{}
	next := 0
	tick := time.NewTicker(o.ProgressEvery)
	defer tick.Stop()
	var writeErr error
	write := func(d done) {
		if writeErr != nil {
			return
		}
		// A chunk's lines go out together and are flushed before the next, so
		// a crash tears at most the last line, which resume repairs.
		if _, err := ow.Write(d.out); err != nil {
			writeErr = err
		}
		if _, err := ew.Write(d.errs); err != nil {
			writeErr = err
		}
		if err := errors.Join(ow.Flush(), ew.Flush()); err != nil {
			writeErr = err
		}
		sum.Scored += d.scored
		sum.Failed += d.failed
		sum.Sentences += d.sentences
		sum.Bytes += d.bytes
	}
	for {
		select {
		case d, ok := <-results:
			if !ok {
				// Ordered mode: a chunk discarded at cancellation leaves a gap;
				// later chunks still go out so no finished work is lost.
				for len(pending) > 0 {
					lowest := -1
					for s := range pending {
						if lowest < 0 || s < lowest {
							lowest = s
						}
					}
					write(pending[lowest])
					delete(pending, lowest)
				}
				sum.Elapsed = time.Since(start)
				if o.Progress != nil {
					fmt.Fprintln(o.Progress, "framing batch: done:", sum.String())
				}
				err := errors.Join(readErr, writeErr, out.Sync(), errf.Sync())
				if err == nil && ctx.Err() != nil {
					err = fmt.Errorf("interrupted; run again with --resume to continue: %w", ctx.Err())
				}
				return sum, err
			}
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
		case <-tick.C:
			if o.Progress != nil {
				mu.Lock()
				s := sum
				mu.Unlock()
				s.Elapsed = time.Since(start)
				fmt.Fprintln(o.Progress, "framing batch:", s.String())
			}
		}
	}
}

// score classifies one chunk and renders its output and error lines.
func score(ctx context.Context, clf *classify.Classifier, c chunk, sentences bool) (done, error) {
	d := done{seq: c.seq}
	var texts []string
	var idx []int
	reasons := make([]error, len(c.recs))
	for i, r := range c.recs {
		d.bytes += int64(len(r.Text))
		if r.Err != nil {
			reasons[i] = r.Err
			continue
		}
		t, err := textcheck.Check("text", r.Text)
		if err != nil {
			reasons[i] = err
			continue
		}
		texts = append(texts, t.String)
		idx = append(idx, i)
	}
	res, err := clf.ClassifyBatch(ctx, texts)
	var be *classify.BatchError
	if err != nil && !errors.As(err, &be) {
		return d, err
	}
	results := make([]*classify.Result, len(c.recs))
	for j, i := range idx {
		results[i] = res[j]
		if be != nil && be.Errs[j] != nil {
			reasons[i] = be.Errs[j]
		}
	}
	var out, errs bytes.Buffer
	for i, r := range c.recs {
		if reasons[i] != nil || results[i] == nil {
			reason := reasons[i]
			if reason == nil {
				reason = errors.New("not classified")
			}
			line, _ := json.Marshal(map[string]any{"source": r.Key(), "file": r.Source, "position": r.Pos, "id": r.ID, "reason": reason.Error()})
			errs.Write(line)
			errs.WriteByte('\n')
			d.failed++
			continue
		}
		b := out.AvailableBuffer()
		b = append(b, `{"id":`...)
		b = strconv.AppendQuote(b, r.ID)
		b = append(b, `,"source":`...)
		b = strconv.AppendQuote(b, r.Key())
		b = append(b, ',')
		j := results[i].AppendJSON(nil, sentences)
		b = append(b, j[1:]...) // drop the object's opening brace
		b = append(b, '\n')
		out.Write(b)
		d.scored++
		d.sentences += len(results[i].Sentences)
	}
	d.out, d.errs = out.Bytes(), errs.Bytes()
	return d, nil
}

// loadDone collects the keys already written to path, first cutting off a
// torn last line (a crash mid-write) so the file is valid JSONL again.
func loadDone(path string, seen map[string]bool) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	if n := bytes.LastIndexByte(data, '\n') + 1; n < len(data) {
		if err := f.Truncate(int64(n)); err != nil {
			return fmt.Errorf("%s: repairing the torn last line: %w", path, err)
		}
		data = data[:n]
	}
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		line := data[:i]
		data = data[i+1:]
		var row struct {
			Source string `json:"source"`
		}
		if err := json.Unmarshal(line, &row); err != nil || row.Source == "" {
			return fmt.Errorf("%s: a line is not a framing batch record; is this the right file? (%v)", path, err)
		}
		seen[row.Source] = true
	}
	return nil
}
