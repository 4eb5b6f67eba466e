// Package corpus reads and writes the hand-labelled sentence corpus: JSONL, one
// sentence per line, in article order:
//
//	{"id": "a0123-s07", "article": "a0123", "text": "...", "labels": ["legality"]}
//
// Reading is strict, because every later figure (training, thresholds,
// evaluation) is only as good as the labels: unknown frame ids, missing fields,
// duplicate ids and bad JSON are errors that name the file and line.
package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/framing-project/framing/frames"
)

// Example is one labelled sentence.
type Example struct {
	ID      string   `json:"id"`
	Article string   `json:"article"`
	Text    string   `json:"text"`
	Labels  []string `json:"labels"`
}

// maxLine bounds one JSONL line; a longer line is reported, not read whole.
const maxLine = 1 << 20

// Read parses a corpus from r; name is used in errors ("train.jsonl:12: ...").
// All line errors are collected and joined, so one run shows every problem.
func Read(r io.Reader, name string) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var (
		out  []Example
		errs []error
		seen = map[string]int{}
		line int
	)
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		ex, err := parseLine(raw)
		if err == nil {
			if prev, dup := seen[ex.ID]; dup {
				err = fmt.Errorf("duplicate id %q (first on line %d)", ex.ID, prev)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, line, err))
			if len(errs) >= 50 {
				errs = append(errs, fmt.Errorf("%s: too many errors, stopped", name))
				return nil, errors.Join(errs...)
			}
			continue
		}
		seen[ex.ID] = line
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line longer than %d bytes", maxLine)
		}
		errs = append(errs, fmt.Errorf("%s:%d: %w", name, line+1, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no examples (empty file)", name)
	}
	return out, nil
}

func parseLine(raw []byte) (Example, error) {
	var ex Example
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ex); err != nil {
		// Unknown fields are tolerated (extra metadata); retry leniently so
		// the error, if any, is about the JSON itself.
		ex = Example{}
		if err2 := json.Unmarshal(raw, &ex); err2 != nil {
			return ex, fmt.Errorf("invalid JSON: %v", err2)
		}
	}
	switch {
	case ex.ID == "":
		return ex, errors.New(`missing "id"`)
	case ex.Article == "":
		return ex, errors.New(`missing "article"`)
	case strings.TrimSpace(ex.Text) == "":
		return ex, fmt.Errorf("%s: empty text", ex.ID)
	case !utf8.ValidString(ex.Text):
		return ex, fmt.Errorf("%s: text is not valid UTF-8", ex.ID)
	}
	if ex.Labels == nil {
		ex.Labels = []string{}
	}
	seen := map[string]bool{}
	for _, l := range ex.Labels {
		if !frames.Known(l) {
			return ex, fmt.Errorf("%s: unknown label %q (known: %s)", ex.ID, l, strings.Join(frames.All(), ", "))
		}
		if seen[l] {
			return ex, fmt.Errorf("%s: label %q listed twice", ex.ID, l)
		}
		seen[l] = true
	}
	return ex, nil
}

// ReadFile reads a corpus file.
func ReadFile(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Write writes examples as JSONL, one per line, in the given order.
func Write(w io.Writer, examples []Example) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, ex := range examples {
		if ex.Labels == nil {
			ex.Labels = []string{}
		}
		if err := enc.Encode(ex); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// LabelVector returns ex's labels as a 0/1 vector in taxonomy order.
func (ex Example) LabelVector() []float32 {
	v := make([]float32, frames.Count)
	for _, l := range ex.Labels {
		v[frames.Index(l)] = 1
	}
	return v
}

// Articles groups examples by article id, keeping first-seen order.
func Articles(examples []Example) [][]Example {
	index := map[string]int{}
	var out [][]Example
	for _, ex := range examples {
		i, ok := index[ex.Article]
		if !ok {
			i = len(out)
			index[ex.Article] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], ex)
	}
	return out
}
