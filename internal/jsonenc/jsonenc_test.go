package jsonenc_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/framing-project/framing/internal/jsonenc"
)

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{"a\nb\rc\td", `"a\nb\rc\td"`},
		{"\x00\x1f", `"\u0000\u001f"`},
		{"Kuźnica “quoted”", `"Kuźnica “quoted”"`},
		{"line\u2028sep\u2029", `"line\u2028sep\u2029"`},
		{"bad \xff byte", `"bad \ufffd byte"`},
		{"cut \xe2\x80", `"cut \ufffd\ufffd"`},
	}
	for _, tt := range tests {
		if got := string(jsonenc.AppendString(nil, tt.in)); got != tt.want {
			t.Errorf("AppendString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzAppendString checks that the output is always valid JSON that decodes
// to the input (with invalid UTF-8 replaced).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\xff", "\u2028", "\x00", "héllo\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := jsonenc.AppendString([]byte("x"), s)[1:]
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q -> %s: invalid JSON: %v", s, out, err)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); back != want && utf8.ValidString(s) {
			t.Fatalf("%q -> %s -> %q", s, out, back)
		}
	})
}
