package batch

import (
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http/httputil"
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
}

func newWARC(r io.Reader, name string, o SourceOptions, stats *inputStats) Source {
	o = o.withDefaults()
	wr, err := gowarc.NewWarcFileReaderFromStream(r, 0)
	if err != nil {
		return &failed{Record{File: name, Unit: WholeFile, Err: fmt.Errorf("WARC: %w", err)}}
	}
	return &warcSource{r: wr, name: name, o: o, stats: stats}
}

// NewWARC reads a WARC file (plain or with gzip members) from r.
func NewWARC(r io.Reader, name string, o SourceOptions) Source {
	return newWARC(r, name, o, &inputStats{})
}

func (s *warcSource) Next() (Record, error) {
	for !s.done {
		wr, err := s.r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.done = true
			wr.Close()
			return Record{File: s.name, Pos: wr.Offset, Unit: Offset, Err: readStopped(fmt.Errorf("WARC: %w", err))}, nil
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
