package batch

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress reports a run: a bar on a terminal, a log line every few
// seconds elsewhere, and the summary at the end.
type progress struct {
	o     Options
	start time.Time
	t     *time.Ticker
	bar   *progressbar.ProgressBar
	total atomic.Int64 // input bytes, once known; -1 when unknowable (stdin)
	quit  chan struct{}
}

func newProgress(o Options, inputs []string, start time.Time) *progress {
	p := &progress{o: o, start: start, quit: make(chan struct{})}
	if o.Progress == nil {
		return p
	}
	every := o.ProgressEvery
	if o.Bar {
		every = 200 * time.Millisecond
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(o.Progress),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(24),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionUseANSICodes(true),
		)
	}
	p.t = time.NewTicker(every)
	// Sizing the inputs walks directories again; it runs beside the work,
	// and the bar gains its end (and an ETA) when it is done.
	go func() {
		n, ok := inputSize(inputs, o.Source, p.quit)
		if !ok {
			n = -1
		}
		p.total.Store(n)
	}()
	return p
}

// tick fires when a report is due; never when the run is silent.
func (p *progress) tick() <-chan time.Time {
	if p.t == nil {
		return nil
	}
	return p.t.C
}

func (p *progress) report(s Summary) {
	secs := max(s.Elapsed.Seconds(), 1e-9)
	total := p.total.Load()
	if p.bar != nil {
		if total > 0 && p.bar.GetMax64() != total {
			p.bar.ChangeMax64(total)
		}
		p.bar.Describe(fmt.Sprintf("%d articles (%.0f/s), %d failed", s.Scored, float64(s.Scored)/secs, s.Failed))
		p.bar.Set64(min(s.Bytes, max(total, s.Bytes)))
		return
	}
	line := "framing batch: " + s.String()
	if total > 0 && s.Bytes > 0 {
		rate := float64(s.Bytes) / secs
		eta := time.Duration(float64(max(total-s.Bytes, 0)) / rate * float64(time.Second))
		line += fmt.Sprintf("; %.0f%% of %.1f MB, ETA %s", 100*float64(s.Bytes)/float64(total), float64(total)/1e6, eta.Round(time.Second))
	}
	fmt.Fprintln(p.o.Progress, line)
}

// finish prints the one-line summary.
func (p *progress) finish(s Summary) {
	if p.o.Progress == nil {
		return
	}
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
	fmt.Fprintln(p.o.Progress, "framing batch: done:", s.String())
}

func (p *progress) stop() {
	if p.t != nil {
		p.t.Stop()
	}
	close(p.quit)
}

// inputSize sums the sizes of the files the run will read (compressed, as
// stored); ok is false when that cannot be known (standard input).
func inputSize(inputs []string, o SourceOptions, quit <-chan struct{}) (total int64, ok bool) {
	for _, in := range inputs {
		if in == "-" {
			return 0, false
		}
		st, err := os.Stat(in)
		if err != nil {
			continue
		}
		if !st.IsDir() {
			total += st.Size()
			continue
		}
		filepath.WalkDir(in, func(p string, e fs.DirEntry, err error) error {
			select {
			case <-quit:
				return filepath.SkipAll
			default:
			}
			if err != nil {
				return nil
			}
			if p != in && strings.HasPrefix(e.Name(), ".") {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if e.IsDir() || (o.Format == Auto && !wholeFileFormat(formatByName(p))) {
				return nil
			}
			if info, err := e.Info(); err == nil {
				total += info.Size()
			}
			return nil
		})
	}
	return total, true
}
