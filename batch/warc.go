package batch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http/httputil"
	"regexp"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// warcSource yields the articles of a WARC file: HTTP responses (status
// 2xx) with an HTML body, and resource or conversion records holding HTML
// or plain text (WET files). Requests, metadata, redirects, images and the
// like are not articles: they are counted as ignored.
type warcSource struct {
	r     *gowarc.WarcFileReader
	name  string
	o     SourceOptions
	stats *inputStats
	done  bool
	// file, when the WARC is a file, lets the reader skip a damaged record
	// and go on at the next one; from standard input a damaged record ends
	// the input.
	file    io.ReaderAt
	gzipped bool
	next    *gowarc.Record // the first record after a skipped stretch
}

func newWARC(r io.Reader, name string, o SourceOptions, stats *inputStats) Source {
	o = o.withDefaults()
	wr, err := gowarc.NewWarcFileReaderFromStream(r, 0)
	if err != nil {
		return &failed{Record{File: name, Unit: WholeFile, Err: fmt.Errorf("WARC: %w", err)}}
	}
	return &warcSource{r: wr, name: name, o: o, stats: stats}
}

// newWARCFile reads a WARC file that can be re-read at any offset, so that
// a damaged record costs that record only.
func newWARCFile(r io.Reader, f io.ReaderAt, name string, o SourceOptions, stats *inputStats) Source {
	src := newWARC(r, name, o, stats)
	if s, ok := src.(*warcSource); ok {
		var magic [2]byte
		_, err := f.ReadAt(magic[:], 0)
		s.file, s.gzipped = f, err == nil && magic == [2]byte{0x1f, 0x8b}
	}
	return src
}

// NewWARC reads a WARC file (plain or with gzip members) from r.
func NewWARC(r io.Reader, name string, o SourceOptions) Source {
	return newWARC(r, name, o, &inputStats{})
}

func (s *warcSource) Next() (Record, error) {
	for !s.done {
		var wr gowarc.Record
		var err error
		fromSkip := s.next != nil
		if fromSkip {
			wr, s.next = *s.next, nil
			wr.Validation = nil // reported with the skipped stretch
		} else if wr, err = s.r.Next(); err == io.EOF {
			break
		}
		if err != nil {
			wr.Close()
			if s.file == nil {
				s.done = true
				return Record{File: s.name, Pos: wr.Offset, Unit: Offset, Err: readStopped(fmt.Errorf("WARC: %w", err))}, nil
			}
			return Record{File: s.name, Pos: wr.Offset, Unit: Offset, Err: s.resync(wr.Offset, err)}, nil
		}
		if n := skippedBefore(wr.Validation); n > 0 && !fromSkip {
			// gowarc stepped over bytes that are not a record (a damaged
			// one) to find this one: say so, then return this record.
			s.next = &wr
			return Record{File: s.name, Pos: wr.Offset - n, Unit: Offset, Err: fmt.Errorf(
				"WARC: %d bytes that are not a WARC record (a damaged record?) were skipped; reading went on at the next readable record, at offset %d", n, wr.Offset)}, nil
		}
		rec, ok := s.convert(wr.WarcRecord)
		wr.Close()
		if !ok {
			s.stats.ignored.Add(1)
			continue
		}
		rec.File, rec.Pos, rec.Unit = s.name, wr.Offset, Offset
		return rec, nil
	}
	s.done = true
	s.r.Close()
	return Record{}, io.EOF
}

var skippedRe = regexp.MustCompile(`record was found (\d+) bytes after expected offset`)

// skippedBefore returns how many bytes gowarc skipped to find a record, from
// its validation findings.
func skippedBefore(findings []error) int64 {
	for _, f := range findings {
		if m := skippedRe.FindStringSubmatch(f.Error()); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			return n
		}
	}
	return 0
}

// maxResyncTries bounds the candidates tried after a damaged record: in
// compressed data the gzip magic also occurs by chance.
const maxResyncTries = 1000

// resync looks for the first readable record after the damaged one at off
// (the next gzip member of a .warc.gz, the next "WARC/1." line of a plain
// WARC) and continues there. It returns the error that describes the
// damaged stretch; the records after it are not lost.
func (s *warcSource) resync(off int64, cause error) error {
	s.r.Close()
	from := off + 1
	for try := 0; try < maxResyncTries; try++ {
		at, ok := s.findRecordStart(from)
		if !ok {
			break
		}
		r, err := gowarc.NewWarcFileReaderFromStream(bufio.NewReaderSize(io.NewSectionReader(s.file, at, 1<<62), 1<<16), at)
		if err == nil {
			wr, err := r.Next()
			if err == nil && wr.Offset == at {
				s.r, s.next = r, &wr
				return fmt.Errorf("WARC: %w; skipped %d bytes to the next readable record, at offset %d", cause, at-off, at)
			}
			wr.Close()
			r.Close()
		}
		from = at + 1
	}
	s.done = true
	return readStopped(fmt.Errorf("WARC: %w; no readable record follows", cause))
}

// startsLine reports whether buf[at], read from offset from, starts a line:
// a plain record does.
func (s *warcSource) startsLine(buf []byte, at int, from int64) bool {
	if at > 0 {
		return buf[at-1] == '\n'
	}
	var prev [1]byte
	_, err := s.file.ReadAt(prev[:], from-1)
	return err == nil && prev[0] == '\n'
}

// findRecordStart returns the offset of the next possible record start at
// or after from.
func (s *warcSource) findRecordStart(from int64) (int64, bool) {
	pat := []byte("WARC/1.")
	if s.gzipped {
		pat = []byte{0x1f, 0x8b, 0x08}
	}
	buf := make([]byte, 64<<10)
	for {
		n, err := s.file.ReadAt(buf, from)
		for i := 0; n > 0; {
			j := bytes.Index(buf[i:n], pat)
			if j < 0 {
				break
			}
			at := i + j
			if s.gzipped || s.startsLine(buf, at, from) {
				return from + int64(at), true
			}
			i = at + 1
		}
		if err != nil || n < len(pat) {
			return 0, false
		}
		from += int64(n - len(pat) + 1) // a pattern may straddle two reads
	}
}

// convert takes an article out of a WARC record; ok is false for records
// that are not articles.
func (s *warcSource) convert(wr gowarc.WarcRecord) (rec Record, ok bool) {
	h := wr.WarcHeader()
	rec.ID = h.Get(gowarc.WarcTargetURI)
	if rec.ID == "" {
		rec.ID = strings.Trim(wr.RecordId(), "<>")
	}
	var body io.Reader
	switch b := wr.Block().(type) {
	case gowarc.HttpResponseBlock:
		if wr.Type() != gowarc.Response {
			return rec, false
		}
		if code := b.HttpStatusCode(); code < 200 || code > 299 {
			return rec, false
		}
		hh := b.HttpHeader()
		if hh == nil {
			rec.Err = errors.New("the HTTP response headers cannot be parsed")
			return rec, true
		}
		rec.ContentType = hh.Get("Content-Type")
		if !isMedia(rec.ContentType, "text/html", "application/xhtml+xml") {
			return rec, false
		}
		rec.Kind = htmlPage
		payload, err := b.PayloadBytes()
		if err != nil {
			rec.Err = fmt.Errorf("reading the HTTP body: %w", err)
			return rec, true
		}
		if body, err = httpBody(payload, hh.Get("Transfer-Encoding"), hh.Get("Content-Encoding")); err != nil {
			rec.Err = err
			return rec, true
		}
	default:
		if wr.Type() != gowarc.Resource && wr.Type() != gowarc.Conversion {
			return rec, false
		}
		ct := h.Get(gowarc.ContentType)
		switch {
		case isMedia(ct, "text/html", "application/xhtml+xml"):
			rec.Kind, rec.ContentType = htmlPage, ct
		case isMedia(ct, "text/plain"):
			rec.Kind = plainText
		default:
			return rec, false
		}
		raw, err := wr.Block().RawBytes()
		if err != nil {
			rec.Err = fmt.Errorf("reading the record: %w", err)
			return rec, true
		}
		body = raw
	}
	data, err := io.ReadAll(io.LimitReader(body, int64(s.o.MaxBytes)+1))
	switch {
	case err != nil:
		rec.Err = fmt.Errorf("reading the body: %w", err)
	case len(data) > s.o.MaxBytes:
		rec.Err = tooLarge(s.o.MaxBytes)
	default:
		rec.Body = data
	}
	return rec, true
}

// httpBody undoes chunked transfer and gzip/deflate content encodings,
// which crawlers may store as received (Common Crawl stores them decoded).
func httpBody(r io.Reader, transfer, content string) (io.Reader, error) {
	if strings.EqualFold(strings.TrimSpace(transfer), "chunked") {
		r = httputil.NewChunkedReader(r)
	}
	switch strings.ToLower(strings.TrimSpace(content)) {
	case "", "identity":
		return r, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("the HTTP body is not valid gzip: %w", err)
		}
		return zr, nil
	case "deflate":
		return flate.NewReader(r), nil
	}
	return nil, fmt.Errorf("the HTTP body has Content-Encoding %q, which framing does not decode", content)
}

// isMedia reports whether a Content-Type is one of types; an empty one is
// taken for HTML, as browsers would sniff it.
func isMedia(contentType string, types ...string) bool {
	if strings.TrimSpace(contentType) == "" {
		return types[0] == "text/html"
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	for _, t := range types {
		if mt == t {
			return true
		}
	}
	return false
}

// failed is a source that only reports why it could not start.
type failed struct{ rec Record }

func (f *failed) Next() (Record, error) {
	if f.rec.Err == nil {
		return Record{}, io.EOF
	}
	r := f.rec
	f.rec.Err = nil
	return r, nil
}
