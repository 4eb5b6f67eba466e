package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/framing-project/framing/frames"
)

// FastText scores sentences with a fastText supervised model through one
// long-lived `fasttext predict-prob MODEL - -1 0` process (Debian's fasttext
// 0.9.2), the peer users would otherwise pick. The process answers one line
// per input line and flushes each, so the per-article latency measured is
// the model's, not a process start. Labels are "__label__<frame id>"; other
// labels (such as "__label__none" for unlabelled training sentences) are
// ignored. Safe for concurrent use; Close stops the process.
type FastText struct {
	bin, model string

	mu     sync.Mutex
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	pipe   io.ReadCloser // stdout's read end, closed to unblock a read
	stderr *tailBuffer
	dead   error // set once the process failed; later calls return it
}

// NewFastText checks that the fasttext command and the model exist; the
// process starts on first use.
func NewFastText(model string) (*FastText, error) {
	bin, err := exec.LookPath("fasttext")
	if err != nil {
		return nil, fmt.Errorf("fasttext:%s: the fasttext command is not installed (apt-get install fasttext, or `make bench-peers`)", model)
	}
	if st, err := os.Stat(model); err != nil {
		return nil, fmt.Errorf("fasttext:%s: %w", model, err)
	} else if st.IsDir() {
		return nil, fmt.Errorf("fasttext:%s: is a directory, want a fastText .bin model", model)
	}
	return &FastText{bin: bin, model: model}, nil
}

// FastTextCandidate makes a candidate of a fastText model. Per-label
// thresholds come from MODEL.thresholds.json when present (written by
// `make bench-peers` after tuning on dev), else 0.5. Close the Scorer
// (a *FastText) when done.
func FastTextCandidate(model string) (Candidate, error) {
	ft, err := NewFastText(model)
	if err != nil {
		return Candidate{}, err
	}
	labels := frames.All()
	th := make([]float64, len(labels))
	for i := range th {
		th[i] = 0.5
	}
	side := model + ".thresholds.json"
	if data, err := os.ReadFile(side); err == nil {
		var m map[string]float64
		if err := json.Unmarshal(data, &m); err != nil {
			return Candidate{}, fmt.Errorf("%s: %w", side, err)
		}
		for l, v := range m {
			i := frames.Index(l)
			if i < 0 {
				return Candidate{}, fmt.Errorf("%s: unknown label %q", side, l)
			}
			if !(v > 0 && v <= 1) {
				return Candidate{}, fmt.Errorf("%s: %s: threshold %v, want (0, 1]", side, l, v)
			}
			th[i] = v
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return Candidate{}, err
	}
	return Candidate{Name: "fasttext", Version: "0.9.2", Source: "fasttext:" + model, Labels: labels, Thresholds: th, Scorer: ft}, nil
}

// FastTextText prepares a sentence the way fastText is usually fed, and the
// way `make bench-peers` writes its training file: lower case, punctuation
// and symbols split off as tokens, one line of single-spaced words. It is
// idempotent.
func FastTextText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			b.WriteString(" " + string(r) + " ")
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func (f *FastText) start() error {
	cmd := exec.Command(f.bin, "predict-prob", f.model, "-", "-1", "0")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	f.stderr = &tailBuffer{max: 4096}
	cmd.Stderr = f.stderr
	// Wait gives up on stderr a second after the process is gone, even if
	// a child of it still holds the pipe.
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("fasttext predict-prob %s: %w", f.model, err)
	}
	f.cmd, f.stdin, f.pipe, f.stdout = cmd, stdin, stdout, bufio.NewReaderSize(stdout, 1<<16)
	return nil
}

// ScoreSentences writes the sentences to the process and reads one line of
// label-probability pairs per sentence.
func (f *FastText) ScoreSentences(ctx context.Context, sentences []string) ([][]float32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dead != nil {
		return nil, f.dead
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.cmd == nil {
		if err := f.start(); err != nil {
			f.dead = err
			return nil, err
		}
	}
	// A cancelled context kills the process and closes its output, which
	// unblocks the reads even if a child of the process holds the pipe.
	proc, pipe := f.cmd.Process, f.pipe
	stop := context.AfterFunc(ctx, func() {
		proc.Kill()
		pipe.Close()
	})
	defer stop()
	// Write concurrently: a large batch would otherwise fill both pipes.
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriter(f.stdin)
		for _, s := range sentences {
			w.WriteString(FastTextText(s))
			w.WriteByte('\n')
		}
		werr <- w.Flush()
	}()
	out := make([][]float32, len(sentences))
	var err error
	for i := range sentences {
		var line string
		if line, err = f.stdout.ReadString('\n'); err != nil {
			err = fmt.Errorf("fasttext predict-prob %s: reading the answer to sentence %d: %w", f.model, i, err)
			break
		}
		if out[i], err = parseFastTextLine(line); err != nil {
			err = fmt.Errorf("fasttext predict-prob %s: sentence %d: %w", f.model, i, err)
			break
		}
	}
	if err == nil {
		err = <-werr
	} else {
		f.cmd.Process.Kill()
		<-werr
	}
	if err != nil {
		f.cmd.Process.Kill()
		f.cmd.Wait()
		f.cmd = nil
		if ctx.Err() != nil {
			err = ctx.Err()
		} else if msg := strings.TrimSpace(f.stderr.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
		f.dead = err
		return nil, err
	}
	return out, nil
}

// parseFastTextLine reads "__label__a 0.9 __label__b 0.1 ..." into taxonomy
// order; absent frames score 0.
func parseFastTextLine(line string) ([]float32, error) {
	row := make([]float32, frames.Count)
	fields := strings.Fields(line)
	if len(fields)%2 != 0 {
		return nil, fmt.Errorf("odd number of fields in %q", clip(line))
	}
	for i := 0; i < len(fields); i += 2 {
		name, ok := strings.CutPrefix(fields[i], "__label__")
		if !ok {
			return nil, fmt.Errorf("%q is not a __label__ field in %q", fields[i], clip(line))
		}
		p, err := strconv.ParseFloat(fields[i+1], 32)
		if err != nil || !(p >= 0 && p <= 1.0001) {
			return nil, fmt.Errorf("bad probability %q for %s", fields[i+1], name)
		}
		if l := frames.Index(name); l >= 0 {
			row[l] = float32(min(p, 1))
		}
	}
	return row, nil
}

// Close ends the process.
func (f *FastText) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cmd == nil {
		return nil
	}
	f.stdin.Close()
	err := f.cmd.Wait()
	f.cmd = nil
	if err != nil {
		return fmt.Errorf("fasttext predict-prob %s: %w: %s", f.model, err, strings.TrimSpace(f.stderr.String()))
	}
	return nil
}

// tailBuffer keeps the last max bytes written: a process's last words.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
