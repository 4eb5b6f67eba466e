// Package textcheck validates raw input before classification, so that bad
// input gets an error that names it instead of a crash or a silent
// nonsense score.
package textcheck

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text is checked, cleaned input.
type Text struct {
	String   string
	Warnings []string
}

// Errors, wrapped with the input's name.
var (
	ErrEmpty  = errors.New("is empty")
	ErrBlank  = errors.New("contains only white space")
	ErrBinary = errors.New("looks like binary data, not text")
)

var magics = []struct {
	prefix, what string
}{
	{"%PDF-", "a PDF file; extract its text first"},
	{"PK\x03\x04", "a ZIP archive (or DOCX/XLSX); extract its text first"},
	{"\x1f\x8b", "gzip-compressed; decompress it first (framing batch reads .gz archives)"},
	{"\x28\xb5\x2f\xfd", "zstd-compressed; decompress it first"},
	{"\x89PNG", "a PNG image"},
	{"\xff\xd8\xff", "a JPEG image"},
	{"GIF8", "a GIF image"},
	{"\x7fELF", "an executable"},
}

// Check validates data read from name. Each run of invalid UTF-8 is replaced with
// U+FFFD and reported as a warning: news archives often carry a few
// mis-encoded bytes, and refusing the article would lose it. A byte-order
// mark is dropped. Text that is clearly not English is kept, with a warning.
func Check(name string, data []byte) (Text, error) {
	if len(data) == 0 {
		return Text{}, fmt.Errorf("%s %w", name, ErrEmpty)
	}
	for _, m := range magics {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return Text{}, fmt.Errorf("%s %w: it is %s", name, ErrBinary, m.what)
		}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	sample := data[:min(len(data), 8192)]
	var nul, ctrl int
	for _, b := range sample {
		switch {
		case b == 0:
			nul++
		case b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f':
			ctrl++
		}
	}
	if nul > 0 || float64(ctrl) > 0.1*float64(len(sample)) {
		return Text{}, fmt.Errorf("%s %w (%d NUL and %d control bytes in the first %d)", name, ErrBinary, nul, ctrl, len(sample))
	}
	var t Text
	if utf8.Valid(data) {
		t.String = string(data)
	} else {
		bad, first := 0, -1
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				if first < 0 {
					first = i
				}
				bad++
			}
			i += n
		}
		t.String = strings.ToValidUTF8(string(data), "\uFFFD")
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s: %d bytes of invalid UTF-8 (first at byte %d) replaced with U+FFFD; offsets refer to the cleaned text", name, bad, first))
	}
	if strings.TrimSpace(t.String) == "" {
		return Text{}, fmt.Errorf("%s %w", name, ErrBlank)
	}
	if w := languageWarning(t.String); w != "" {
		t.Warnings = append(t.Warnings, name+": "+w)
	}
	return t, nil
}

// common English function words; their share separates English from other
// Latin-script languages cheaply.
var englishWords = map[string]bool{
	"the": true, "of": true, "and": true, "to": true, "in": true, "a": true, "is": true, "that": true, "for": true,
	"it": true, "on": true, "was": true, "with": true, "as": true, "by": true, "at": true, "be": true, "are": true,
	"from": true, "this": true, "has": true, "have": true, "said": true, "not": true, "but": true, "an": true,
	"they": true, "were": true, "their": true, "its": true, "or": true, "had": true, "will": true, "which": true,
}

// languageWarning says when text is clearly not English: mostly non-Latin
// letters, or (for 20+ words) almost no English function words.
func languageWarning(s string) string {
	s = s[:min(len(s), 20000)]
	var letters, latin int
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Latin, r) {
				latin++
			}
		}
	}
	if letters >= 20 && float64(latin) < 0.5*float64(letters) {
		return "the text is mostly in a non-Latin script; the models are trained on English and their scores mean little here"
	}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) < 20 {
		return ""
	}
	hits := 0
	for _, w := range words {
		if englishWords[w] {
			hits++
		}
	}
	if float64(hits) < 0.05*float64(len(words)) {
		return "the text does not look like English; the models are trained on English and their scores mean little here"
	}
	return ""
}
