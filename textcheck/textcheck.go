// Package textcheck validates raw input before classification, so that bad
// input gets an error that names it and says what is wrong, instead of a
// crash or a silent nonsense score.
//
// Check refuses input that cannot be news text (empty, white space only,
// binary, compressed, UTF-32) and repairs what can be repaired, with a
// warning:
//   - invalid UTF-8 is replaced, byte by byte, with U+FFFD: news archives
//     often carry a few mis-encoded bytes, and refusing the article would
//     lose it; the warning gives the count and the first offset;
//   - a UTF-8 byte-order mark is dropped; UTF-16 with a byte-order mark is
//     decoded to UTF-8;
//   - text that is clearly not English is kept, but flagged: the models
//     are trained on English and their scores mean little elsewhere.
package textcheck

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Text is checked, cleaned input.
type Text struct {
	// String is valid UTF-8 without a byte-order mark. Byte offsets into
	// it differ from offsets into the raw input when bytes were replaced
	// or a byte-order mark dropped.
	String string
	// Warnings describe repairs and doubts; each starts with the input's
	// name.
	Warnings []string
}

// Reasons for refusing input. Check's errors read "<name> <reason>[:
// details]"; test them with errors.Is.
var (
	ErrEmpty  = errors.New("is empty")
	ErrBlank  = errors.New("contains only white space")
	ErrBinary = errors.New("looks like binary data, not text")
)

// magic numbers of formats that are not text, with what to tell the user.
var magics = []struct{ prefix, what string }{
	{"%PDF-", "a PDF document; extract its text first"},
	{"PK\x03\x04", "a ZIP archive (or DOCX/ODT/XLSX); extract its text first"},
	{"PK\x05\x06", "an empty ZIP archive"},
	{"\x1f\x8b", "gzip-compressed; decompress it first"},
	{"\x28\xb5\x2f\xfd", "zstd-compressed; decompress it first"},
	{"\xfd7zXZ\x00", "xz-compressed; decompress it first"},
	{"BZh", "bzip2-compressed; decompress it first"}, // checked further below
	{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; extract its text first"},
	{"Rar!\x1a\x07", "a RAR archive; extract its text first"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls); extract its text first"},
	{"\x89PNG\r\n\x1a\n", "a PNG image"},
	{"\xff\xd8\xff", "a JPEG image"},
	{"GIF87a", "a GIF image"},
	{"GIF89a", "a GIF image"},
	{"\x7fELF", "an executable"},
}

// Control bytes (other than white space) above this share of the input
// mean binary data; text has next to none.
const maxControlShare = 0.05

// Check validates data read from the input called name (a file name, a
// record id) and returns it cleaned. The error, if any, names the input
// and says what is wrong.
func Check(name string, data []byte) (Text, error) {
	if len(data) == 0 {
		return Text{}, fmt.Errorf("%s %w", name, ErrEmpty)
	}
	if what := magic(data); what != "" {
		return Text{}, fmt.Errorf("%s %w: it is %s", name, ErrBinary, what)
	}
	var t Text
	offset := 0 // bytes dropped from the front of the input
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xfe\x00\x00")), bytes.HasPrefix(data, []byte("\x00\x00\xfe\xff")):
		return Text{}, fmt.Errorf("%s %w: it is UTF-32 text; convert it to UTF-8 first", name, ErrBinary)
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		var odd bool
		data, odd = decodeUTF16(data)
		offset = -1
		w := name + ": decoded from UTF-16 to UTF-8; byte offsets refer to the UTF-8 text"
		if odd {
			w += " (a trailing odd byte became U+FFFD)"
		}
		t.Warnings = append(t.Warnings, w)
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
		offset = 3
	}
	if err := binary(data); err != nil {
		return Text{}, fmt.Errorf("%s %w: %v", name, ErrBinary, err)
	}
	if bad, first := invalidUTF8(data); bad > 0 {
		at := "byte %d of the input"
		if offset < 0 {
			at = "byte %d after UTF-16 decoding"
			offset = 0
		}
		t.String = replaceInvalid(data, bad)
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s: %s of invalid UTF-8 replaced with U+FFFD, the first at "+at+
			"; byte offsets refer to the cleaned text", name, plural(bad, "byte"), first+offset))
	} else {
		t.String = string(data)
	}
	// A second byte-order mark (files converted twice) is dropped too.
	for strings.HasPrefix(t.String, "\ufeff") {
		t.String = t.String[len("\ufeff"):]
	}
	if isBlank(t.String) {
		return Text{}, fmt.Errorf("%s %w", name, ErrBlank)
	}
	if w := languageWarning(t.String); w != "" {
		t.Warnings = append(t.Warnings, name+": "+w)
	}
	return t, nil
}

// magic names the non-text format data starts with, or returns "".
func magic(data []byte) string {
	for _, m := range magics {
		if !bytes.HasPrefix(data, []byte(m.prefix)) {
			continue
		}
		// "BZh" starts English words too; bzip2 has a level digit and a
		// block magic after it.
		if m.prefix == "BZh" && !(len(data) >= 10 && data[3] >= '1' && data[3] <= '9' && string(data[4:10]) == "1AY&SY") {
			continue
		}
		return m.what
	}
	return ""
}

// binary reports NUL bytes or too many control bytes.
func binary(data []byte) error {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		n := bytes.Count(data, []byte{0})
		hint := ""
		if 3*n >= len(data) && len(data) >= 4 {
			hint = " (UTF-16 text without a byte-order mark? convert it to UTF-8 first)"
		}
		return fmt.Errorf("%s, the first at byte %d%s", plural(n, "NUL byte"), i, hint)
	}
	ctrl := 0
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' || c == 0x7f {
			ctrl++
		}
	}
	if ctrl > 0 && float64(ctrl) > maxControlShare*float64(len(data)) {
		return fmt.Errorf("%d control bytes in %d (%.0f%%)", ctrl, len(data), 100*float64(ctrl)/float64(len(data)))
	}
	return nil
}

// invalidUTF8 counts the bytes a UTF-8 decoder rejects and the offset of
// the first.
func invalidUTF8(data []byte) (bad, first int) {
	if utf8.Valid(data) {
		return 0, -1
	}
	first = -1
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if first < 0 {
				first = i
			}
			bad++
		}
		i += size
	}
	return bad, first
}

// replaceInvalid returns data with each invalid byte replaced by U+FFFD,
// so a run of bad bytes keeps its length in characters.
func replaceInvalid(data []byte, bad int) string {
	out := make([]byte, 0, len(data)+2*bad)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return string(out)
}

// decodeUTF16 decodes data that starts with a UTF-16 byte-order mark into
// UTF-8; unpaired surrogates and a trailing odd byte become U+FFFD.
func decodeUTF16(data []byte) (out []byte, odd bool) {
	big := data[0] == 0xfe
	data = data[2:]
	units := make([]uint16, len(data)/2)
	for i := range units {
		if big {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	out = make([]byte, 0, len(data)*3/2)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(data)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
		odd = true
	}
	return out, odd
}

// isBlank reports whether s holds nothing but white space and invisible
// format characters (zero-width spaces, word joiners, stray BOMs).
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '\u200b' && r != '\u200c' && r != '\u200d' && r != '\u2060' && r != '\ufeff' {
			return false
		}
	}
	return true
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
