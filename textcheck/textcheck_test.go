package textcheck

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheck(t *testing.T) {
	english := "The border guards said on Monday that the crossing would stay closed for the rest of the week, and that trucks should use another route."
	cases := []struct {
		name    string
		data    string
		err     error
		warn    string
		cleaned string
	}{
		{name: "empty", data: "", err: ErrEmpty},
		{name: "white space", data: " \n\t \r\n", err: ErrBlank},
		{name: "nul bytes", data: "abc\x00def", err: ErrBinary},
		{name: "pdf", data: "%PDF-1.7 ...", err: ErrBinary},
		{name: "gzip", data: "\x1f\x8b\x08\x00", err: ErrBinary},
		{name: "invalid utf-8", data: "Guards \xff\xfe closed it.", warn: "2 bytes of invalid UTF-8 (first at byte 7)", cleaned: "Guards \uFFFD closed it."},
		{name: "bom dropped", data: "\xef\xbb\xbfHello there.", cleaned: "Hello there."},
		{name: "english", data: english, cleaned: english},
		{name: "polish", data: "Straż Graniczna poinformowała w poniedziałek, że przejście pozostanie zamknięte do końca tygodnia, a ciężarówki powinny korzystać z innej trasy przez most na rzece.", warn: "does not look like English"},
		{name: "german", data: "Die Grenzschützer sagten am Montag, dass der Übergang bis zum Ende der Woche geschlossen bleibt und Lastwagen eine andere Route über die Brücke nehmen sollen.", warn: "does not look like English"},
		{name: "russian", data: "Пограничники заявили в понедельник, что переход останется закрытым до конца недели.", warn: "non-Latin script"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Check("article.txt", []byte(c.data))
			if c.err != nil {
				if !errors.Is(err, c.err) || !strings.HasPrefix(err.Error(), "article.txt ") {
					t.Fatalf("got %v, want %v naming the input", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := strings.Join(got.Warnings, "; ")
			if c.warn == "" && w != "" || !strings.Contains(w, c.warn) {
				t.Fatalf("warnings %q, want %q", w, c.warn)
			}
			if c.cleaned != "" && got.String != c.cleaned {
				t.Fatalf("cleaned %q, want %q", got.String, c.cleaned)
			}
		})
	}
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte("Hello \xff world"))
	f.Add([]byte{0xef, 0xbb, 0xbf})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Check("fuzz", data)
		if err == nil && (!utf8.ValidString(got.String) || strings.TrimSpace(got.String) == "") {
			t.Fatalf("accepted %q as %q", data, got.String)
		}
	})
}
