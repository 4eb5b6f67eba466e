package batch

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// parquetSource reads the id and text columns of a Parquet file, row group
// by row group and page by page: only those two columns are decoded, and
// memory stays at a page per column.
type parquetSource struct {
	f       *parquet.File
	name    string
	o       SourceOptions
	idCol   int // -1: no id column
	textCol int
	rg      int   // next row group
	row     int64 // global index of the next row
	ids     *colCursor
	texts   *colCursor
	done    bool
}

// NewParquet reads a Parquet file of size bytes; the text column must be a
// flat (not repeated) string or binary column.
func NewParquet(r io.ReaderAt, size int64, name string, o SourceOptions) (src Source, err error) {
	o = o.withDefaults()
	defer func() {
		if p := recover(); p != nil { // a corrupt footer must not stop the run
			src, err = nil, fmt.Errorf("not a readable Parquet file: %v", p)
		}
	}()
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("not a readable Parquet file: %w", err)
	}
	s := &parquetSource{f: f, name: name, o: o, idCol: -1}
	text, ok := f.Schema().Lookup(o.TextField)
	if !ok {
		var cols []string
		for _, p := range f.Schema().Columns() {
			cols = append(cols, fmt.Sprint(p))
		}
		return nil, fmt.Errorf("no %q column (set --text-field); the columns are %v", o.TextField, cols)
	}
	if text.MaxRepetitionLevel > 0 || text.Node.Type().Kind() != parquet.ByteArray {
		return nil, fmt.Errorf("column %q is %v, not a flat string column", o.TextField, text.Node.Type())
	}
	s.textCol = text.ColumnIndex
	if id, ok := f.Schema().Lookup(o.IDField); ok && id.MaxRepetitionLevel == 0 {
		s.idCol = id.ColumnIndex
	}
	if err := checkChunks(f, size, s.textCol, s.idCol); err != nil {
		return nil, err
	}
	return s, nil
}

// maxChunkBytes bounds a column chunk's uncompressed size: the reader
// trusts the footer's sizes when it allocates, and a corrupt footer must
// give an error, not exhaust memory.
const maxChunkBytes = 1 << 30

// checkChunks checks the footer's claims about the chunks that will be read
// against the file before any of them is decoded.
func checkChunks(f *parquet.File, size int64, cols ...int) error {
	for g, rg := range f.Metadata().RowGroups {
		for _, c := range cols {
			if c < 0 {
				continue
			}
			if c >= len(rg.Columns) {
				return fmt.Errorf("not a readable Parquet file: row group %d has %d columns, the schema %d", g, len(rg.Columns), c+1)
			}
			m := rg.Columns[c].MetaData
			switch {
			case m.DataPageOffset < 0 || m.DataPageOffset >= size,
				m.DictionaryPageOffset < 0 || m.DictionaryPageOffset >= size,
				m.TotalCompressedSize < 0 || m.TotalCompressedSize > size:
				return fmt.Errorf("not a readable Parquet file: row group %d, column %d: its footer places data outside the file's %d bytes", g, c, size)
			case m.TotalUncompressedSize < 0 || m.TotalUncompressedSize > maxChunkBytes:
				return fmt.Errorf("not a readable Parquet file: row group %d, column %d claims %d uncompressed bytes (limit %d): corrupt, or write smaller row groups", g, c, m.TotalUncompressedSize, maxChunkBytes)
			}
		}
	}
	return nil
}

func (s *parquetSource) Next() (rec Record, err error) {
	if s.done {
		return Record{}, io.EOF
	}
	defer func() {
		if p := recover(); p != nil {
			s.done = true
			rec, err = Record{File: s.name, Pos: s.row + 1, Unit: Row, Err: readStopped(fmt.Errorf("%v", p))}, nil
		}
	}()
	for {
		if s.texts == nil {
			if s.rg >= len(s.f.RowGroups()) {
				s.done = true
				return Record{}, io.EOF
			}
			g := s.f.RowGroups()[s.rg]
			s.rg++
			s.texts = newCursor(g.ColumnChunks()[s.textCol])
			if s.idCol >= 0 {
				s.ids = newCursor(g.ColumnChunks()[s.idCol])
			}
		}
		tv, err := s.texts.next()
		if err == io.EOF {
			s.closeGroup()
			continue
		}
		rec = Record{File: s.name, Pos: s.row + 1, Unit: Row, Kind: plainText}
		s.row++
		if err != nil {
			s.done = true
			rec.Err = readStopped(err)
			return rec, nil
		}
		if s.ids != nil {
			if iv, err := s.ids.next(); err == nil && !iv.IsNull() {
				rec.ID = valueString(iv)
			}
		}
		switch {
		case tv.IsNull():
			rec.Err = fmt.Errorf("column %q is null", s.o.TextField)
		case len(tv.ByteArray()) > s.o.MaxBytes:
			rec.Err = tooLarge(s.o.MaxBytes)
		default:
			rec.Body = bytes.Clone(tv.ByteArray())
		}
		return rec, nil
	}
}

func (s *parquetSource) closeGroup() {
	s.texts.close()
	s.texts = nil
	if s.ids != nil {
		s.ids.close()
		s.ids = nil
	}
}

func valueString(v parquet.Value) string {
	switch v.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return string(v.ByteArray())
	case parquet.Int32:
		return strconv.FormatInt(int64(v.Int32()), 10)
	case parquet.Int64:
		return strconv.FormatInt(v.Int64(), 10)
	}
	return v.String()
}

// colCursor reads one column chunk value by value.
type colCursor struct {
	pages parquet.Pages
	vals  parquet.ValueReader
	buf   []parquet.Value
	i, n  int
	last  bool // vals reported the end with its last values
}

func newCursor(c parquet.ColumnChunk) *colCursor {
	return &colCursor{pages: c.Pages(), buf: make([]parquet.Value, 256)}
}

func (c *colCursor) next() (parquet.Value, error) {
	for c.i >= c.n {
		if c.vals != nil && !c.last {
			n, err := c.vals.ReadValues(c.buf)
			c.i, c.n = 0, n
			if err == io.EOF {
				c.last = true
			} else if err != nil {
				return parquet.Value{}, err
			}
			continue
		}
		p, err := c.pages.ReadPage()
		if err != nil {
			return parquet.Value{}, err
		}
		c.vals, c.last = p.Values(), false
	}
	v := c.buf[c.i]
	c.i++
	return v, nil
}

func (c *colCursor) close() { c.pages.Close() }
