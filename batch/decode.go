package batch

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html/charset"
)

// maxHTMLElements bounds the work readability does on one page: a page
// with more elements than this is an error, not a stall.
const maxHTMLElements = 200_000

// decode turns a record's body into its id and article text: JSON lines
// are decoded, HTML pages reduced to their main text. Records without an
// id get their key (file:line).
func decode(rec *Record, o SourceOptions) (id string, text []byte, err error) {
	id = rec.ID
	switch rec.Kind {
	case jsonLine:
		id, text, err = decodeJSON(rec.Body, o)
	case htmlPage:
		text, err = htmlText(rec.Body, rec.ContentType, rec.ID)
	default:
		text = rec.Body
	}
	if id == "" {
		id = rec.Key()
	}
	return id, text, err
}

// htmlText extracts a page's main text (go-readability, a port of
// Firefox's Reader View) in the page's own charset, headline first.
func htmlText(page []byte, contentType, pageURL string) (text []byte, err error) {
	defer func() {
		if p := recover(); p != nil { // a third-party parser must not stop the run
			text, err = nil, fmt.Errorf("HTML: the main-text extractor failed: %v", p)
		}
	}()
	r, err := charset.NewReader(bytes.NewReader(page), contentType)
	if err != nil {
		return nil, fmt.Errorf("HTML: %w", err)
	}
	u, _ := url.Parse(pageURL)
	if u == nil || u.Scheme == "" {
		u = &url.URL{Scheme: "http", Host: "localhost", Path: "/"}
	}
	p := readability.NewParser()
	p.MaxElemsToParse = maxHTMLElements
	art, err := p.Parse(r, u)
	if err != nil {
		return nil, fmt.Errorf("HTML: %w", err)
	}
	if art.Node == nil {
		return nil, errors.New("HTML: no main text found in the page")
	}
	body := strings.TrimSpace(render.InnerText(art.Node))
	title := strings.TrimSpace(art.Title())
	if title != "" && !strings.HasPrefix(body, title) {
		// The headline frames the story too; a blank line keeps it its own sentence.
		body = title + "\n\n" + body
	}
	return []byte(body), nil
}
