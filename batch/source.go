// Package batch scores archives: it streams records from directories,
// JSONL(.gz) and CSV/TSV files, classifies them on every core, and writes one
// JSONL line per article, in input order, with every failure accounted for
// in an errors file. Runs resume after a crash.
package batch

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Record is one input article, or the failure to read one.
type Record struct {
	// Source and Pos locate the record ("archive.jsonl", line 12); together
	// they are its key for resume, since user ids may repeat.
	Source string
	Pos    int64
	ID     string
	Text   []byte
	Err    error // set when the record exists but cannot be used
}

// Key identifies a record across runs.
func (r Record) Key() string { return fmt.Sprintf("%s:%d", r.Source, r.Pos) }

// Source yields records until io.EOF.
type Source interface {
	Next() (Record, error)
}

// SourceOptions name the JSONL/CSV fields and bound record size.
type SourceOptions struct {
	IDField, TextField string
	MaxBytes           int
}

func (o *SourceOptions) defaults() {
	if o.IDField == "" {
		o.IDField = "id"
	}
	if o.TextField == "" {
		o.TextField = "text"
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 10 << 20
	}
}

// Open picks a reader by path: "-" is JSONL on stdin; a directory is walked
// for .txt and .md files; .jsonl/.ndjson/.json(.gz) are JSONL; .csv/.tsv(.gz)
// have a header row.
func Open(path string, stdin io.Reader, o SourceOptions) (Source, io.Closer, error) {
	o.defaults()
	if path == "-" {
		return newJSONL(stdin, "stdin", o), io.NopCloser(nil), nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		d, err := newDir(path, o)
		return d, io.NopCloser(nil), err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	name := strings.ToLower(path)
	var r io.Reader = f
	closer := io.Closer(f)
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: not a valid gzip file: %w", path, err)
		}
		r, name = gz, strings.TrimSuffix(name, ".gz")
	}
	switch filepath.Ext(name) {
	case ".jsonl", ".ndjson", ".json":
		return newJSONL(r, path, o), closer, nil
	case ".csv":
		return newCSV(r, path, ',', o), closer, nil
	case ".tsv":
		return newCSV(r, path, '\t', o), closer, nil
	case ".txt", ".md":
		return &single{path: path, r: r, o: o}, closer, nil
	}
	f.Close()
	return nil, nil, fmt.Errorf("%s: unknown input format (want a directory, .jsonl, .ndjson, .csv, .tsv, .txt, .md, optionally .gz)", path)
}

type jsonlSource struct {
	br   *bufio.Reader
	name string
	line int64
	o    SourceOptions
}

func newJSONL(r io.Reader, name string, o SourceOptions) *jsonlSource {
	return &jsonlSource{br: bufio.NewReaderSize(r, 1<<20), name: name, o: o}
}

// Next reads one line; a line longer than MaxBytes is skipped to its end
// and reported, so one huge record cannot exhaust memory.
func (s *jsonlSource) Next() (Record, error) {
	for {
		line, tooLong, err := readLine(s.br, s.o.MaxBytes)
		if err == io.EOF && len(line) == 0 && !tooLong {
			return Record{}, io.EOF
		}
		if err != nil && err != io.EOF {
			return Record{}, fmt.Errorf("%s: %w", s.name, err)
		}
		s.line++
		rec := Record{Source: s.name, Pos: s.line}
		if tooLong {
			rec.Err = fmt.Errorf("record larger than %d bytes", s.o.MaxBytes)
			return rec, nil
		}
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			rec.Err = fmt.Errorf("invalid JSON: %v", err)
			return rec, nil
		}
		rec.ID = fmt.Sprintf("%s:%d", s.name, s.line)
		if raw, ok := obj[s.o.IDField]; ok {
			var id any
			if json.Unmarshal(raw, &id) == nil && id != nil {
				rec.ID = fmt.Sprint(id)
			}
		}
		raw, ok := obj[s.o.TextField]
		var text string
		if !ok {
			rec.Err = fmt.Errorf("no %q field", s.o.TextField)
		} else if err := json.Unmarshal(raw, &text); err != nil {
			rec.Err = fmt.Errorf("field %q is not a string", s.o.TextField)
		}
		rec.Text = []byte(text)
		return rec, nil
	}
}

// readLine reads up to '\n'; beyond max bytes it discards the rest of the
// line and reports tooLong.
func readLine(br *bufio.Reader, max int) ([]byte, bool, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err == io.EOF {
				err = nil
			}
			return nil, true, err
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, false, err
	}
}

type csvSource struct {
	r        *csv.Reader
	name     string
	idCol    int
	textCol  int
	row      int64
	o        SourceOptions
	headerOK bool
}

func newCSV(r io.Reader, name string, sep rune, o SourceOptions) *csvSource {
	cr := csv.NewReader(r)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &csvSource{r: cr, name: name, o: o, idCol: -1, textCol: -1}
}

func (s *csvSource) Next() (Record, error) {
	if !s.headerOK {
		head, err := s.r.Read()
		if err != nil {
			if err == io.EOF {
				return Record{}, io.EOF
			}
			return Record{}, fmt.Errorf("%s: header: %w", s.name, err)
		}
		for i, h := range head {
			switch strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) {
			case s.o.IDField:
				s.idCol = i
			case s.o.TextField:
				s.textCol = i
			}
		}
		if s.textCol < 0 {
			return Record{}, fmt.Errorf("%s: no %q column in the header %v", s.name, s.o.TextField, head)
		}
		s.headerOK = true
		s.row = 1
	}
	row, err := s.r.Read()
	if err == io.EOF {
		return Record{}, io.EOF
	}
	s.row++
	rec := Record{Source: s.name, Pos: s.row, ID: fmt.Sprintf("%s:%d", s.name, s.row)}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rec.Err = fmt.Errorf("CSV: %v", pe.Err)
			return rec, nil
		}
		return Record{}, fmt.Errorf("%s: %w", s.name, err)
	}
	if s.idCol >= 0 && s.idCol < len(row) && row[s.idCol] != "" {
		rec.ID = row[s.idCol]
	}
	if s.textCol >= len(row) {
		rec.Err = fmt.Errorf("row has no %q column", s.o.TextField)
		return rec, nil
	}
	if len(row[s.textCol]) > s.o.MaxBytes {
		rec.Err = fmt.Errorf("record larger than %d bytes", s.o.MaxBytes)
		return rec, nil
	}
	rec.Text = []byte(row[s.textCol])
	return rec, nil
}

// dirSource yields one record per .txt/.md file, in sorted path order so
// that resumes see the same order.
type dirSource struct {
	files []string
	i     int
	o     SourceOptions
}

func newDir(root string, o SourceOptions) (*dirSource, error) {
	d := &dirSource{o: o}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			// an unreadable subdirectory becomes a record error, not a stop
			d.files = append(d.files, p)
			return nil
		}
		if !e.IsDir() {
			switch strings.ToLower(filepath.Ext(p)) {
			case ".txt", ".md":
				d.files = append(d.files, p)
			}
		}
		return nil
	})
	sort.Strings(d.files)
	return d, err
}

func (d *dirSource) Next() (Record, error) {
	if d.i >= len(d.files) {
		return Record{}, io.EOF
	}
	p := d.files[d.i]
	d.i++
	rec := Record{Source: p, Pos: 0, ID: p}
	st, err := os.Stat(p)
	switch {
	case err != nil:
		rec.Err = err
	case st.IsDir():
		rec.Err = errors.New("unreadable directory")
	case st.Size() > int64(d.o.MaxBytes):
		rec.Err = fmt.Errorf("file larger than %d bytes", d.o.MaxBytes)
	default:
		rec.Text, rec.Err = os.ReadFile(p)
	}
	return rec, nil
}

// single is one .txt/.md file given directly.
type single struct {
	path string
	r    io.Reader
	o    SourceOptions
	done bool
}

func (s *single) Next() (Record, error) {
	if s.done {
		return Record{}, io.EOF
	}
	s.done = true
	rec := Record{Source: s.path, ID: s.path}
	data, err := io.ReadAll(io.LimitReader(s.r, int64(s.o.MaxBytes)+1))
	if err != nil {
		rec.Err = err
	} else if len(data) > s.o.MaxBytes {
		rec.Err = fmt.Errorf("file larger than %d bytes", s.o.MaxBytes)
	}
	rec.Text = data
	return rec, nil
}
