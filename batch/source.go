package batch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Source yields records until io.EOF. A record that cannot be read is
// still yielded, with Err set; a file that stops being readable midway
// yields one last record saying so, then io.EOF.
type Source interface {
	Next() (Record, error)
}

// InputFormat names an input reader.
type InputFormat string

// Input formats; Auto picks one by extension, then by content.
const (
	Auto    InputFormat = "auto"
	JSONL   InputFormat = "jsonl"
	CSV     InputFormat = "csv"
	TSV     InputFormat = "tsv"
	WARC    InputFormat = "warc"
	Parquet InputFormat = "parquet"
	Text    InputFormat = "text"
	HTML    InputFormat = "html"
)

// InputFormats lists the values --input-format accepts.
func InputFormats() []InputFormat {
	return []InputFormat{Auto, JSONL, CSV, TSV, WARC, Parquet, Text, HTML}
}

// SourceOptions configure the readers.
type SourceOptions struct {
	Format    InputFormat // Auto unless overridden
	IDField   string      // JSONL/CSV/Parquet field with the id (default "id")
	TextField string      // JSONL/CSV/Parquet field with the text (default "text")
	MaxBytes  int         // largest record accepted (default 10 MiB)
}

// DefaultMaxBytes bounds one record unless SourceOptions.MaxBytes says otherwise.
const DefaultMaxBytes = 10 << 20

func (o SourceOptions) withDefaults() SourceOptions {
	if o.Format == "" {
		o.Format = Auto
	}
	if o.IDField == "" {
		o.IDField = "id"
	}
	if o.TextField == "" {
		o.TextField = "text"
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return o
}

func (o SourceOptions) validate() error {
	if !slices.Contains(InputFormats(), o.Format) {
		return fmt.Errorf("input format %q: want one of %v", o.Format, InputFormats())
	}
	return nil
}

// inputStats are counters the readers share with the progress report.
type inputStats struct {
	bytes   atomic.Int64 // bytes read from input files (compressed, as stored)
	ignored atomic.Int64 // WARC records that are not HTML responses, files of other types
}

// countingReader counts the bytes read from a file for progress and MB/s.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type countingReaderAt struct {
	r io.ReaderAt
	n *atomic.Int64
}

func (c countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// Inputs reads every input in turn: files, directories (walked in sorted
// order, so a resumed run sees the same records in the same order) and "-"
// for standard input. It is the Source the runner reads.
type Inputs struct {
	paths []string
	stdin io.Reader
	o     SourceOptions
	stats *inputStats

	walk    []walkItem // pending directory entries, in order
	cur     Source
	curName string
	done    func() error
}

type walkItem struct {
	path string
	dir  bool
}

// NewInputs reads paths in order; "-" is standard input.
func NewInputs(paths []string, stdin io.Reader, o SourceOptions) *Inputs {
	return &Inputs{paths: slices.Clone(paths), stdin: stdin, o: o.withDefaults(), stats: &inputStats{}}
}

// Next yields the next record of any input.
func (in *Inputs) Next() (Record, error) {
	for {
		if in.cur != nil {
			rec, err := in.cur.Next()
			if err == nil {
				return rec, nil
			}
			in.closeCurrent()
			if err != io.EOF {
				return Record{File: in.curName, Unit: WholeFile, Err: err}, nil
			}
			continue
		}
		if len(in.walk) > 0 {
			it := in.walk[0]
			in.walk = in.walk[1:]
			if it.dir {
				if err := in.expand(it.path); err != nil {
					return Record{File: it.path, Unit: WholeFile, Err: fmt.Errorf("reading the directory: %w", err)}, nil
				}
				continue
			}
			if rec, ok := in.open(it.path); ok {
				return rec, nil
			}
			continue
		}
		if len(in.paths) == 0 {
			return Record{}, io.EOF
		}
		p := in.paths[0]
		in.paths = in.paths[1:]
		if p == "-" {
			src, err := in.openStdin()
			if err != nil {
				return Record{File: "stdin", Unit: WholeFile, Err: err}, nil
			}
			in.cur, in.curName, in.done = src, "stdin", nil
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return Record{File: p, Unit: WholeFile, Err: unwrapPath(err)}, nil
		}
		if st.IsDir() {
			in.walk = append(in.walk, walkItem{p, true})
			continue
		}
		if rec, ok := in.open(p); ok {
			return rec, nil
		}
	}
}

// Close releases the file being read.
func (in *Inputs) Close() error {
	return in.closeCurrent()
}

func (in *Inputs) closeCurrent() error {
	var err error
	if in.done != nil {
		err = in.done()
	}
	in.cur, in.done = nil, nil
	return err
}

// Ignored counts records and files skipped because they are not articles.
func (in *Inputs) Ignored() int64 { return in.stats.ignored.Load() }

// BytesRead counts bytes read from input files so far.
func (in *Inputs) BytesRead() int64 { return in.stats.bytes.Load() }

// expand queues a directory's entries before the rest of the walk, so the
// walk is depth-first in sorted order. A directory holds articles, one per
// file (.txt, .md, .html); other files, and hidden entries (.git,
// .DS_Store), are left out, unless --input-format says how to read them.
func (in *Inputs) expand(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return unwrapPath(err)
	}
	items := make([]walkItem, 0, len(entries))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(p); err == nil {
				isDir = st.IsDir()
			}
		}
		if !isDir && in.o.Format == Auto && !wholeFileFormat(formatByName(p)) {
			in.stats.ignored.Add(1)
			continue
		}
		items = append(items, walkItem{p, isDir})
	}
	in.walk = append(items, in.walk...)
	return nil
}

// open starts reading one file; it returns a record when the file cannot
// be read at all.
func (in *Inputs) open(path string) (Record, bool) {
	src, closer, err := openFile(path, in.o, in.stats)
	if err != nil {
		return Record{File: path, Unit: WholeFile, Err: err}, true
	}
	in.cur, in.curName, in.done = src, path, closer
	return Record{}, false
}

func (in *Inputs) openStdin() (Source, error) {
	if in.stdin == nil {
		return nil, errors.New("no standard input")
	}
	format := in.o.Format
	if format == Auto {
		format = JSONL
	}
	if format == Parquet {
		return nil, errors.New("Parquet cannot be read from standard input (it needs to seek); give the file")
	}
	r, _, err := decompress(bufio.NewReaderSize(countingReader{in.stdin, &in.stats.bytes}, 1<<16), "stdin")
	if err != nil {
		return nil, err
	}
	return newReader(format, r, "stdin", in.o, in.stats)
}

// openFile opens path with the reader its name, its content or the
// override picks; compression (gzip, zstd) is recognised by content.
func openFile(path string, o SourceOptions, stats *inputStats) (Source, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, unwrapPath(err)
	}
	format := o.Format
	if format == Auto {
		format = formatByName(path)
	}
	if format == Parquet {
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		src, err := NewParquet(countingReaderAt{f, &stats.bytes}, st.Size(), path, o)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return src, f.Close, nil
	}
	br := bufio.NewReaderSize(countingReader{f, &stats.bytes}, 1<<16)
	if format == WARC {
		// gowarc reads gzip members itself: it reports their offsets.
		return newWARCFile(br, f, path, o, stats), f.Close, nil
	}
	r, zr, err := decompress(br, path)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	closer := func() error {
		if zr != nil {
			zr.Close()
		}
		return f.Close()
	}
	if format == Auto {
		format = sniff(r)
		if format == WARC {
			// A compressed WARC under an unknown name: start again from
			// the raw file so gowarc sees its gzip members.
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				closer()
				return nil, nil, err
			}
			return newWARCFile(bufio.NewReaderSize(countingReader{f, &stats.bytes}, 1<<16), f, path, o, stats), closer, nil
		}
		if format == Parquet {
			closer()
			return openFile(path, SourceOptions{Format: Parquet, IDField: o.IDField, TextField: o.TextField, MaxBytes: o.MaxBytes}, stats)
		}
	}
	src, err := newReader(format, r, path, o, stats)
	if err != nil {
		closer()
		return nil, nil, err
	}
	return src, closer, nil
}

func newReader(format InputFormat, r *bufio.Reader, name string, o SourceOptions, stats *inputStats) (Source, error) {
	switch format {
	case JSONL:
		return NewJSONL(r, name, o), nil
	case CSV:
		return NewCSV(r, name, ',', o), nil
	case TSV:
		return NewCSV(r, name, '\t', o), nil
	case WARC:
		return newWARC(r, name, o, stats), nil
	case Text:
		return &wholeFile{name: name, r: r, o: o, kind: plainText}, nil
	case HTML:
		return &wholeFile{name: name, r: r, o: o, kind: htmlPage}, nil
	}
	return nil, fmt.Errorf("%s: no reader for format %q", name, format)
}

// formatByName picks a reader by extension, looking through .gz and .zst;
// Auto means the name does not say.
func formatByName(path string) InputFormat {
	name := strings.ToLower(filepath.Base(path))
	for _, z := range []string{".gz", ".zst", ".zstd"} {
		name = strings.TrimSuffix(name, z)
	}
	switch filepath.Ext(name) {
	case ".jsonl", ".ndjson", ".json":
		return JSONL
	case ".csv":
		return CSV
	case ".tsv", ".tab":
		return TSV
	case ".warc", ".arc":
		return WARC
	case ".parquet", ".pq":
		return Parquet
	case ".txt", ".text", ".md", ".markdown":
		return Text
	case ".html", ".htm", ".xhtml", ".shtml":
		return HTML
	}
	return Auto
}

// wholeFileFormat reports formats whose files are one article each.
func wholeFileFormat(f InputFormat) bool { return f == Text || f == HTML }

// decompress recognises gzip and zstd by their magic numbers, whatever the
// file is called.
func decompress(br *bufio.Reader, name string) (*bufio.Reader, io.Closer, error) {
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("not a valid gzip file: %w", err)
		}
		return bufio.NewReaderSize(namedErrors{zr, "gzip"}, 1<<16), zr, nil
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		// A window above 128 MiB (zstd --long=31) would let one file take
		// that much memory; such files are refused with a clear error.
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(128<<20), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, nil, fmt.Errorf("not a valid zstd file: %w", err)
		}
		return bufio.NewReaderSize(namedErrors{zr, "zstd"}, 1<<16), closerFunc(func() error { zr.Close(); return nil }), nil
	}
	return br, nil, nil
}

// namedErrors says which layer failed: "zstd: window size exceeded" tells
// the user the file is damaged, not its JSON.
type namedErrors struct {
	r    io.Reader
	name string
}

func (n namedErrors) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", n.name, err)
	}
	return k, err
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// sniff picks a reader from the first bytes when the name does not say.
func sniff(r *bufio.Reader) InputFormat {
	head, _ := r.Peek(512)
	trimmed := bytes.TrimLeft(head, " \t\r\n\ufeff") // white space and a byte-order mark
	lower := bytes.ToLower(trimmed)
	switch {
	case len(head) == 0:
		return Text // an empty file: one empty record, reported as such
	case bytes.HasPrefix(head, []byte("WARC/")):
		return WARC
	case bytes.HasPrefix(head, []byte("PAR1")):
		return Parquet
	case bytes.HasPrefix(trimmed, []byte("{")):
		return JSONL
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")),
		bytes.HasPrefix(lower, []byte("<head")), bytes.HasPrefix(lower, []byte("<body")),
		bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("xhtml")):
		return HTML
	}
	return Text
}

// unwrapPath drops the *PathError wrapper: records already name their file.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// wholeFile is one article per file: .txt, .md, .html.
type wholeFile struct {
	name string
	r    io.Reader
	o    SourceOptions
	kind kind
	done bool
}

func (s *wholeFile) Next() (Record, error) {
	if s.done {
		return Record{}, io.EOF
	}
	s.done = true
	rec := Record{File: s.name, ID: s.name, Unit: WholeFile, Kind: s.kind}
	data, err := io.ReadAll(io.LimitReader(s.r, int64(s.o.MaxBytes)+1))
	switch {
	case err != nil:
		rec.Err = fmt.Errorf("reading: %w", err)
	case len(data) > s.o.MaxBytes:
		rec.Err = tooLarge(s.o.MaxBytes)
	default:
		rec.Body = data
	}
	return rec, nil
}

func tooLarge(max int) error {
	return fmt.Errorf("record larger than %d bytes (--max-bytes)", max)
}
