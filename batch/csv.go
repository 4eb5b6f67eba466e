package batch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvReader is a streaming RFC 4180 reader. encoding/csv holds a whole
// record in memory whatever its size; this one stops storing a record
// beyond a limit, keeps parsing to its end, and reports it as too large, so
// one huge field cannot exhaust memory and the rest of the file still
// reads. It is lenient like encoding/csv with LazyQuotes: a quote inside an
// unquoted field is kept as it is.
type csvReader struct {
	br    *bufio.Reader
	comma byte
	max   int   // bytes of field data kept per record
	line  int64 // physical lines consumed
	off   int64 // bytes consumed
	last  byte  // the last byte consumed
	buf   []byte
	ends  []int
}

var errUnterminated = errors.New("a quoted field is not closed before the end of the file")

func newCSVReader(r io.Reader, comma byte, max int) *csvReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	c := &csvReader{br: br, comma: comma, max: max}
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		c.off = 3
	}
	return c
}

func (c *csvReader) readByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.off++
		c.last = b
		if b == '\n' {
			c.line++
		}
	}
	return b, err
}

// read returns the next record's fields (valid until the next call) and
// the line it starts on. Blank lines are skipped. cut >= 0 means the record
// was larger than the limit: fields from index cut on are truncated. err
// is io.EOF at the end, errUnterminated when the file ends inside quotes,
// or a read error.
func (c *csvReader) read() (fields [][]byte, line int64, cut int, err error) {
	c.buf, c.ends = c.buf[:0], c.ends[:0]
	cut = -1
	for { // skip blank lines
		b, err := c.br.Peek(1)
		if err != nil {
			return nil, c.line + 1, cut, err
		}
		if b[0] == '\n' {
			c.readByte()
			continue
		}
		if b[0] == '\r' {
			if two, _ := c.br.Peek(2); len(two) == 2 && two[1] == '\n' {
				c.readByte()
				c.readByte()
				continue
			}
		}
		break
	}
	line = c.line + 1
	keep := func(b byte) {
		if len(c.buf) >= c.max {
			if cut < 0 {
				cut = len(c.ends)
			}
			return
		}
		c.buf = append(c.buf, b)
	}
	// endField closes a field; a \r before the line end is dropped unless
	// it was inside quotes.
	endField := func(quotedLen int, atLineEnd bool) {
		if n := len(c.buf); atLineEnd && n > quotedLen && c.buf[n-1] == '\r' {
			c.buf = c.buf[:n-1]
		}
		c.ends = append(c.ends, len(c.buf))
	}
	for {
		quotedLen := len(c.buf)
		b, err := c.readByte()
		if err != nil { // the end right after a separator: a last empty field
			endField(quotedLen, true)
			return c.fields(), line, cut, nilIfEOF(err)
		}
		if b == '"' {
			for {
				b, err := c.readByte()
				if err == io.EOF {
					return nil, line, cut, errUnterminated
				}
				if err != nil {
					return nil, line, cut, err
				}
				if b == '"' {
					next, err := c.br.Peek(1)
					if err == nil && next[0] == '"' {
						c.readByte()
						keep('"')
						continue
					}
					break
				}
				if b == '\r' { // \r\n inside quotes reads as \n, as in encoding/csv
					if next, err := c.br.Peek(1); err == nil && next[0] == '\n' {
						continue
					}
				}
				keep(b)
			}
			quotedLen = len(c.buf)
			// text after the closing quote is kept (lenient)
			if b, err = c.readByte(); err != nil {
				endField(quotedLen, true)
				return c.fields(), line, cut, nilIfEOF(err)
			}
		}
		for {
			if b == c.comma {
				endField(quotedLen, false)
				break
			}
			if b == '\n' {
				endField(quotedLen, true)
				return c.fields(), line, cut, nil
			}
			keep(b)
			if b, err = c.readByte(); err != nil {
				endField(quotedLen, true)
				return c.fields(), line, cut, nilIfEOF(err)
			}
		}
	}
}

// atEOF reports whether the input is exhausted.
func (c *csvReader) atEOF() bool {
	_, err := c.br.Peek(1)
	return err != nil
}

func nilIfEOF(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

func (c *csvReader) fields() [][]byte {
	out := make([][]byte, len(c.ends))
	start := 0
	for i, end := range c.ends {
		out[i] = c.buf[start:end:end]
		start = end
	}
	return out
}

// csvSource yields one record per CSV/TSV row after the header.
type csvSource struct {
	r       *csvReader
	name    string
	o       SourceOptions
	idCol   int
	textCol int
	started bool
	done    bool
}

// NewCSV reads CSV (comma ',') or TSV (comma '\t') with a header row that
// names the id and text columns.
func NewCSV(r io.Reader, name string, comma byte, o SourceOptions) Source {
	o = o.withDefaults()
	return &csvSource{r: newCSVReader(r, comma, o.MaxBytes), name: name, o: o, idCol: -1, textCol: -1}
}

func (s *csvSource) Next() (Record, error) {
	if s.done {
		return Record{}, io.EOF
	}
	if !s.started {
		s.started = true
		head, _, _, err := s.r.read()
		if err == io.EOF {
			s.done = true
			return Record{}, io.EOF
		}
		if err != nil {
			s.done = true
			return Record{File: s.name, Pos: 1, Unit: Line, Err: fmt.Errorf("the header row: %w", err)}, nil
		}
		var names []string
		for i, h := range head {
			n := strings.TrimSpace(string(h))
			names = append(names, n)
			switch n {
			case s.o.IDField:
				s.idCol = i
			case s.o.TextField:
				s.textCol = i
			}
		}
		if s.textCol < 0 {
			s.done = true
			return Record{File: s.name, Pos: 1, Unit: Line,
				Err: fmt.Errorf("the header row %q has no %q column (set --text-field); no row of the file was read", names, s.o.TextField)}, nil
		}
	}
	fields, line, cut, err := s.r.read()
	if err == io.EOF {
		s.done = true
		return Record{}, io.EOF
	}
	rec := Record{File: s.name, Pos: line, Unit: Line, Kind: plainText}
	if err != nil {
		s.done = true
		if err != errUnterminated {
			err = readStopped(err)
		}
		rec.Err = err
		return rec, nil
	}
	if s.idCol >= 0 && s.idCol < len(fields) && (cut < 0 || s.idCol < cut) {
		rec.ID = string(fields[s.idCol])
	}
	switch {
	case cut >= 0:
		rec.Err = tooLarge(s.o.MaxBytes)
	case s.textCol >= len(fields):
		rec.Err = fmt.Errorf("the row has %d fields, no %q column", len(fields), s.o.TextField)
	default:
		rec.Body = bytes.Clone(fields[s.textCol])
	}
	return rec, nil
}
