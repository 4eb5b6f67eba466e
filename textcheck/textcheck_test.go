package textcheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// Invented sample texts.
const (
	english = "The border guards said on Monday that the crossing would stay closed for the rest of the week, and that trucks should use another route."
	polish  = "Strażnicy graniczni powiedzieli w poniedziałek, że przejście będzie zamknięte do końca tygodnia, a ciężarówki muszą jechać przez inny most."
	german  = "Die Grenzschützer sagten am Montag, dass der Übergang bis zum Ende der Woche geschlossen bleibt und die Lastwagen eine andere Strecke nehmen sollen."
	russian = "Пограничники сообщили в понедельник, что переход будет закрыт до конца недели, а грузовики поедут через другой мост."
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name    string
		data    string
		err     error    // nil: accepted
		errHas  string   // in the error message
		warns   []string // each in one warning, in order
		cleaned string   // "" means unchanged data
	}{
		{name: "english", data: english},
		{name: "short english headline", data: "Poland shuts border crossing"},
		{name: "empty", data: "", err: ErrEmpty},
		{name: "white space", data: " \n\t \r\n\u00a0\u2003", err: ErrBlank},
		{name: "invisible characters only", data: "\u200b\u200b \ufeff", err: ErrBlank},
		{name: "byte-order mark only", data: "\xef\xbb\xbf", err: ErrBlank},
		{name: "nul bytes", data: "The camp\x00 opened.", err: ErrBinary, errHas: "1 NUL byte, the first at byte 8"},
		{name: "utf-16 without bom", data: "T\x00h\x00e\x00 \x00c\x00a\x00m\x00p\x00", err: ErrBinary, errHas: "UTF-16 text without a byte-order mark"},
		{name: "control bytes", data: "\x01\x02\x03\x04 text \x05\x06\x07\x08", err: ErrBinary, errHas: "control bytes"},
		{name: "a few control bytes are fine", data: english + "\x1b", cleaned: english + "\x1b"},
		{name: "pdf", data: "%PDF-1.7\n%âãÏÓ\n1 0 obj", err: ErrBinary, errHas: "PDF"},
		{name: "zip", data: "PK\x03\x04\x14\x00\x06\x00", err: ErrBinary, errHas: "ZIP"},
		{name: "gzip", data: "\x1f\x8b\x08\x00\x00\x00\x00\x00", err: ErrBinary, errHas: "compressed; decompress it first"},
		{name: "png", data: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", err: ErrBinary, errHas: "PNG"},
		{name: "bzip2", data: "BZh91AY&SY\x12\x34", err: ErrBinary, errHas: "bzip2"},
		{name: "word starting with BZh", data: "BZhalf of the vote went to the opposition."},
		{name: "utf-32", data: "\xff\xfe\x00\x00T\x00\x00\x00", err: ErrBinary, errHas: "UTF-32"},
		{name: "invalid utf-8", data: "Guards \xff\xfe closed the gate.",
			warns: []string{"invalid utf-8: 2 bytes of invalid UTF-8 replaced with U+FFFD, the first at byte 7 of the input"}, cleaned: "Guards \uFFFD\uFFFD closed the gate."},
		{name: "truncated character", data: "Łódź police \xc5",
			warns: []string{"1 byte of invalid UTF-8", "first at byte 15"}, cleaned: "Łódź police \uFFFD"},
		{name: "latin-1 after bom", data: "\xef\xbb\xbfCaf\xe9 owners protest.",
			warns: []string{"1 byte of invalid UTF-8 replaced with U+FFFD, the first at byte 6 of the input"}, cleaned: "Caf\uFFFD owners protest."},
		{name: "only invalid bytes", data: "\xff\xff", warns: []string{"2 bytes of invalid UTF-8"}, cleaned: "\uFFFD\uFFFD"},
		{name: "bom dropped", data: "\xef\xbb\xbfThe camp opened.", cleaned: "The camp opened."},
		{name: "double bom dropped", data: "\xef\xbb\xbf\xef\xbb\xbfThe camp opened.", cleaned: "The camp opened."},
		{name: "utf-16 le", data: "\xff\xfeT\x00h\x00e\x00 \x00c\x00a\x00m\x00p\x00 \x00\x01\x01", warns: []string{"decoded from UTF-16"}, cleaned: "The camp ā"},
		{name: "utf-16 be odd byte", data: "\xfe\xff\x00H\x00i\x00", warns: []string{"decoded from UTF-16", "odd byte"}, cleaned: "Hi\uFFFD"},
		{name: "polish", data: polish, warns: []string{"does not look like English (it looks most like Polish)"}},
		{name: "german", data: german, warns: []string{"does not look like English (it looks most like German)"}},
		{name: "russian", data: russian, warns: []string{"mostly in Cyrillic script"}},
		{name: "english quoting russian", data: english + " The sign read “" + strings.Fields(russian)[0] + "”."},
		{name: "english with polish names", data: "Strażnicy from the Podlaskie unit told Mr. Wiśniewski on Tuesday that the border would reopen."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Check(c.name, []byte(c.data))
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
				if !strings.HasPrefix(err.Error(), c.name+" ") {
					t.Errorf("error %q does not start with the input's name", err)
				}
				if !strings.Contains(err.Error(), c.errHas) {
					t.Errorf("error %q does not say %q", err, c.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			want := c.cleaned
			if want == "" {
				want = c.data
			}
			if got.String != want {
				t.Errorf("String = %q, want %q", got.String, want)
			}
			if len(got.Warnings) != min(len(c.warns), 1) && !(len(c.warns) > 1 && len(got.Warnings) == 1) {
				t.Errorf("warnings = %q, want ones containing %q", got.Warnings, c.warns)
			}
			all := strings.Join(got.Warnings, "\n")
			for _, w := range c.warns {
				if !strings.Contains(strings.ToLower(all), strings.ToLower(w)) {
					t.Errorf("warnings %q do not say %q", got.Warnings, w)
				}
			}
			for _, w := range got.Warnings {
				if !strings.HasPrefix(w, c.name+": ") {
					t.Errorf("warning %q does not start with the input's name", w)
				}
			}
		})
	}
}

func TestLanguageWarningLongText(t *testing.T) {
	// Past the sample size, only the start is read; a cut must not split
	// a character or change the verdict.
	long := strings.Repeat(polish+" ", 200)
	if w := languageWarning(long); !strings.Contains(w, "Polish") {
		t.Errorf("long Polish text: warning %q", w)
	}
	if w := languageWarning(strings.Repeat(english+" ", 200)); w != "" {
		t.Errorf("long English text: warning %q", w)
	}
	if w := languageWarning(strings.Repeat("ż", languageSample)); w != "" {
		t.Errorf("letters without words: warning %q", w)
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{english, polish, german, russian, "", " ", "\xef\xbb\xbf", "\xff\xfe\x41\x00\x00\xd8",
		"\xfe\xff\xd8\x00", "a\x00b", "\x1f\x8b", "Caf\xe9", "BZh91AY&SY"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Check("fuzz", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz ") {
				t.Fatalf("error %q does not name the input", err)
			}
			if got.String != "" || got.Warnings != nil {
				t.Fatalf("error with a result: %+v", got)
			}
			return
		}
		if !utf8.ValidString(got.String) {
			t.Fatalf("output is not valid UTF-8: %q", got.String)
		}
		if isBlank(got.String) || strings.HasPrefix(got.String, "\ufeff") || strings.IndexByte(got.String, 0) >= 0 {
			t.Fatalf("accepted output %q is blank, has a BOM or a NUL", got.String)
		}
		if utf8.Valid(data) && !strings.HasPrefix(string(data), "\xef\xbb\xbf") && got.String != string(data) && len(got.Warnings) == 0 {
			t.Fatalf("valid input changed without a warning")
		}
	})
}

func ExampleCheck() {
	t, err := Check("article-17.txt", []byte("\xef\xbb\xbfGuards closed the crossing at Kuźnica on Tuesday, officials said in Warsaw. Trucks waited for hours at the caf\xe9."))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.String)
	for _, w := range t.Warnings {
		fmt.Println(w)
	}
	_, err = Check("dump.gz", []byte("\x1f\x8b\x08\x00"))
	fmt.Println(err)
	// Output:
	// Guards closed the crossing at Kuźnica on Tuesday, officials said in Warsaw. Trucks waited for hours at the caf�.
	// article-17.txt: 1 byte of invalid UTF-8 replaced with U+FFFD, the first at byte 114 of the input; byte offsets refer to the cleaned text
	// dump.gz looks like binary data, not text: it is gzip-compressed; decompress it first
}
