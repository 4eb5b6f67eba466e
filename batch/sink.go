package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/internal/jsonenc"
)

// Item is one record's outcome: a result, or the reason it failed.
type Item struct {
	File     string
	Pos      int64
	Unit     Unit
	Key      string
	ID       string
	Result   *classify.Result
	Warnings []string // repairs and doubts about the input text (textcheck)
	Err      error
}

// Sink receives items in output order.
type Sink interface {
	Write(*Item) error
}

// OutputFormat names an output writer.
type OutputFormat string

// Output formats.
const (
	OutJSONL   OutputFormat = "jsonl"
	OutCSV     OutputFormat = "csv"
	OutParquet OutputFormat = "parquet"
)

// OutputFormats lists the values --format accepts.
func OutputFormats() []OutputFormat { return []OutputFormat{OutJSONL, OutCSV, OutParquet} }

// output is a Sink behind a file that a crashed run can continue.
type output interface {
	Sink
	// Flush hands what was written to the operating system; the runner
	// calls it after each chunk, so a crash tears at most the last line.
	Flush() error
	// Sync makes the written data durable.
	Sync() error
	// Close finishes the file; complete is false after an interruption.
	Close(complete bool) error
}

// layout is what every output line or row carries besides the result.
type layout struct {
	labels    []string
	model     classify.ModelInfo
	sentences bool
}

func (l layout) modelString() string {
	return l.model.Name + "@" + l.model.Version
}

// ---- append-only text files (JSONL, CSV, the errors file) ----

// appendFile is a line-oriented output opened for appending; on resume the
// existing content was scanned and a torn tail cut off first.
type appendFile struct {
	f *os.File
	w *bufio.Writer
}

func (a *appendFile) Flush() error { return a.w.Flush() }
func (a *appendFile) Sync() error  { return errors.Join(a.w.Flush(), a.f.Sync()) }
func (a *appendFile) Close(bool) error {
	return errors.Join(a.w.Flush(), a.f.Sync(), a.f.Close())
}

// openAppend opens path for a new run, or with resume continues it: scan
// reads the existing content and returns how many bytes of it are whole
// records; the rest (a line torn by a crash) is cut off.
func openAppend(path string, resume bool, scan func(io.Reader) (int64, error)) (*appendFile, bool, error) {
	if !resume {
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			return nil, false, fmt.Errorf("%s exists; run with --resume to continue that run, or remove it", path)
		}
		f, err := os.Create(path)
		if err != nil {
			return nil, false, err
		}
		return &appendFile{f: f, w: bufio.NewWriterSize(f, 1<<20)}, true, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, false, err
	}
	good := int64(0)
	if st.Size() > 0 {
		if good, err = scan(bufio.NewReaderSize(f, 1<<20)); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		if good < st.Size() {
			if err := f.Truncate(good); err != nil {
				f.Close()
				return nil, false, fmt.Errorf("%s: cutting off the torn last line: %w", path, err)
			}
		}
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, false, err
	}
	return &appendFile{f: f, w: bufio.NewWriterSize(f, 1<<20)}, good == 0, nil
}

// scanLines calls fn for each whole line (with its end) and returns the
// bytes they span; a last line without its end is torn and left out.
func scanLines(r io.Reader, fn func(n int, line []byte) error) (int64, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var good int64
	var long []byte
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long = append(long, chunk...)
			continue
		}
		line := chunk
		if long != nil {
			line = append(long, chunk...)
			long = nil
		}
		if err == io.EOF {
			return good, nil // a tail without '\n' is torn
		}
		if err != nil {
			return good, err
		}
		n++
		if err := fn(n, line); err != nil {
			return good, err
		}
		good += int64(len(line))
	}
}

// sourceOf reads the "source" key of a line framing wrote: fast on the
// fixed leading fields, with a full decode as the fallback.
func sourceOf(line []byte) (string, bool) {
	at := -1
	switch {
	case bytes.HasPrefix(line, []byte(`{"source":"`)):
		at = len(`{"source":`)
	case bytes.HasPrefix(line, []byte(`{"id":"`)):
		if end := skipString(line, len(`{"id":`)); bytes.HasPrefix(line[end:], []byte(`,"source":"`)) {
			at = end + len(`,"source":`)
		}
	}
	if at > 0 {
		if end := skipString(line, at); end < len(line) && line[end-1] == '"' {
			if s := unquote(line[at:end]); utf8.Valid(s) {
				return string(s), true
			}
		}
	}
	var v struct {
		Source *string `json:"source"`
	}
	if json.Unmarshal(line, &v) != nil || v.Source == nil {
		return "", false
	}
	return *v.Source, true
}

// scanJSONL collects the keys of a JSONL output or errors file.
func scanJSONL(path string, done *doneSet, check func(first []byte) error) func(io.Reader) (int64, error) {
	return func(r io.Reader) (int64, error) {
		return scanLines(r, func(n int, line []byte) error {
			if n == 1 && check != nil {
				if err := check(line); err != nil {
					return err
				}
			}
			key, ok := sourceOf(line)
			if !ok {
				return fmt.Errorf("line %d is not a framing batch record (no \"source\"); is this the right file?", n)
			}
			done.add(key)
			return nil
		})
	}
}

// checkModel refuses to continue an output written by another model:
// its scores would not be comparable.
func checkModel(path string, l layout, got classify.ModelInfo) error {
	if got.Name != l.model.Name || got.Version != l.model.Version {
		return fmt.Errorf("%s was written by model %s@%s, this run uses %s; use the same --model, or a new --output",
			path, got.Name, got.Version, l.modelString())
	}
	return nil
}

// ---- JSONL ----

type jsonlSink struct {
	*appendFile
	l   layout
	buf []byte
	res []byte
}

func openJSONL(path string, resume bool, l layout, done *doneSet) (*jsonlSink, error) {
	check := func(first []byte) error {
		var v struct {
			Model classify.ModelInfo `json:"model"`
		}
		if err := json.Unmarshal(first, &v); err != nil {
			return fmt.Errorf("line 1 is not a framing batch record: %v", err)
		}
		return checkModel(path, l, v.Model)
	}
	a, _, err := openAppend(path, resume, scanJSONL(path, done, check))
	if err != nil {
		return nil, err
	}
	return &jsonlSink{appendFile: a, l: l}, nil
}

// Write appends one line: id and source, then classify's JSON schema, then
// the input warnings, if any.
func (s *jsonlSink) Write(it *Item) error {
	b := append(s.buf[:0], `{"id":`...)
	b = jsonenc.AppendString(b, it.ID)
	b = append(b, `,"source":`...)
	b = jsonenc.AppendString(b, it.Key)
	s.res = it.Result.AppendJSON(s.res[:0], s.l.sentences)
	b = append(b, ',')
	b = append(b, s.res[1:len(s.res)-1]...)
	if len(it.Warnings) > 0 {
		b = append(b, `,"warnings":[`...)
		for i, w := range it.Warnings {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonenc.AppendString(b, w)
		}
		b = append(b, ']')
	}
	b = append(b, "}\n"...)
	s.buf = b
	_, err := s.w.Write(b)
	return err
}

// ---- the errors file ----

type errorSink struct {
	*appendFile
	buf []byte
}

func openErrors(path string, resume bool, done *doneSet) (*errorSink, error) {
	a, _, err := openAppend(path, resume, scanJSONL(path, done, nil))
	if err != nil {
		return nil, err
	}
	return &errorSink{appendFile: a}, nil
}

// Write appends {"source","file","position","unit","id","reason"}.
func (s *errorSink) Write(it *Item) error {
	b := append(s.buf[:0], `{"source":`...)
	b = jsonenc.AppendString(b, it.Key)
	b = append(b, `,"file":`...)
	b = jsonenc.AppendString(b, it.File)
	b = append(b, `,"position":`...)
	b = strconv.AppendInt(b, it.Pos, 10)
	b = append(b, `,"unit":"`...)
	b = append(b, it.Unit.String()...)
	b = append(b, '"')
	if it.ID != "" {
		b = append(b, `,"id":`...)
		b = jsonenc.AppendString(b, it.ID)
	}
	b = append(b, `,"reason":`...)
	b = jsonenc.AppendString(b, it.Err.Error())
	b = append(b, "}\n"...)
	s.buf = b
	_, err := s.w.Write(b)
	return err
}

// ---- CSV ----

type csvSink struct {
	*appendFile
	l   layout
	cw  *csv.Writer
	row []string
}

// csvHeader: id, source, dominant, labels (;-separated), one score column
// per label, model.
func csvHeader(l layout) []string {
	return slices.Concat([]string{"id", "source", "dominant", "labels"}, l.labels, []string{"model"})
}

func openCSV(path string, resume bool, l layout, done *doneSet) (*csvSink, error) {
	head := csvHeader(l)
	scan := func(r io.Reader) (int64, error) {
		c := newCSVReader(r, ',', 1<<30)
		fields, _, _, err := c.read()
		if err != nil {
			return 0, fmt.Errorf("reading the header: %v", err)
		}
		if !equalFields(fields, head) {
			return 0, fmt.Errorf("its columns are %q; this run writes %q (another model or format?); use a new --output", strs(fields), head)
		}
		good := c.off
		if c.last != '\n' {
			return 0, nil // a torn header: start afresh
		}
		for n := 2; ; n++ {
			fields, _, _, err := c.read()
			if err == io.EOF {
				return good, nil
			}
			if err == errUnterminated {
				return good, nil // a torn last row
			}
			if err != nil {
				return good, err
			}
			if len(fields) != len(head) {
				if c.atEOF() {
					return good, nil
				}
				return good, fmt.Errorf("row %d has %d fields, want %d; is this the right file?", n, len(fields), len(head))
			}
			if c.last != '\n' {
				return good, nil // the last row lacks its end: torn
			}
			if n == 2 {
				if got := string(fields[len(fields)-1]); got != l.modelString() {
					name, version, _ := strings.Cut(got, "@")
					if err := checkModel(path, l, classify.ModelInfo{Name: name, Version: version}); err != nil {
						return good, err
					}
				}
			}
			done.add(string(fields[1]))
			good = c.off
		}
	}
	a, fresh, err := openAppend(path, resume, scan)
	if err != nil {
		return nil, err
	}
	s := &csvSink{appendFile: a, l: l, cw: csv.NewWriter(a.w)}
	if fresh {
		if err := s.cw.Write(head); err != nil {
			return nil, err
		}
		s.cw.Flush()
	}
	return s, nil
}

func equalFields(got [][]byte, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if string(got[i]) != want[i] {
			return false
		}
	}
	return true
}

func strs(fields [][]byte) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = string(f)
	}
	return out
}

func (s *csvSink) Write(it *Item) error {
	r := it.Result
	row := append(s.row[:0], it.ID, it.Key, r.Dominant, strings.Join(r.Labels, ";"))
	for _, lab := range s.l.labels {
		row = append(row, formatScore(r.Score(lab)))
	}
	row = append(row, s.l.modelString())
	s.row = row
	return s.cw.Write(row)
}

func (s *csvSink) Flush() error {
	s.cw.Flush()
	return errors.Join(s.cw.Error(), s.appendFile.Flush())
}

func (s *csvSink) Sync() error {
	s.cw.Flush()
	return errors.Join(s.cw.Error(), s.appendFile.Sync())
}

func (s *csvSink) Close(complete bool) error {
	s.cw.Flush()
	return errors.Join(s.cw.Error(), s.appendFile.Close(complete))
}

// formatScore rounds to 4 decimals like the JSON output.
func formatScore(v float32) string {
	return strconv.FormatFloat(float64(int64(float64(v)*1e4+0.5))/1e4, 'f', -1, 64)
}
