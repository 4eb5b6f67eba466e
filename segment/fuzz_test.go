package segment

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// checkInvariants asserts what every split must satisfy: spans in order,
// non-overlapping, within bounds, on character boundaries, trimmed and
// non-empty, and every byte outside them is white space.
func checkInvariants(t *testing.T, text string, spans []Span) {
	t.Helper()
	// Character starts as a forward decoder sees them, invalid bytes
	// counting as one-byte characters.
	starts := make([]bool, len(text)+1)
	space := make([]bool, len(text)) // byte belongs to a white-space character
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		starts[i] = true
		if unicode.IsSpace(r) {
			for k := i; k < i+size; k++ {
				space[k] = true
			}
		}
		i += size
	}
	starts[len(text)] = true
	covered := 0 // bytes before this are accounted for
	for i, s := range spans {
		switch {
		case s.Start < 0 || s.End > len(text) || s.Start >= s.End:
			t.Fatalf("span %d %v out of bounds or empty (len %d)", i, s, len(text))
		case s.Start < covered:
			t.Fatalf("span %d %v overlaps or is out of order (previous ends at %d)", i, s, covered)
		case !starts[s.Start] || !starts[s.End]:
			t.Fatalf("span %d %v is not on character boundaries", i, s)
		case space[s.Start] || space[s.End-1]:
			t.Fatalf("span %d %v %q is not trimmed", i, s, text[s.Start:s.End])
		}
		for k := covered; k < s.Start; k++ {
			if !space[k] {
				t.Fatalf("byte %d (%q) lost between spans", k, text[k])
			}
		}
		covered = s.End
	}
	for k := covered; k < len(text); k++ {
		if !space[k] {
			t.Fatalf("byte %d (%q) lost after the last span", k, text[k])
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, c := range splitCases {
		f.Add(c.text)
	}
	for _, c := range engineEdgeCases {
		f.Add(c)
	}
	f.Add("a\x00b. C\x00d.\n\n\x00")
	f.Add("\xef\xbb\xbfHello. World.")
	fast := mustNew(f)
	ref := mustNew(f, WithEngine(Reference))
	capped := mustNew(f, MaxBytes(MinMaxBytes))
	f.Fuzz(func(t *testing.T, text string) {
		spans := fast.Split(text)
		checkInvariants(t, text, spans)
		checkInvariants(t, text, capped.Split(text))
		for _, s := range capped.Split(text) {
			if s.End-s.Start > MinMaxBytes {
				t.Fatalf("span %v longer than MaxBytes %d", s, MinMaxBytes)
			}
		}
		// The engines must agree on any input; neurosnap is quadratic in
		// runs of white space, so long inputs would stall the fuzzer.
		if len(text) > 4096 {
			return
		}
		if r := ref.Split(text); !equalSpans(spans, r) {
			t.Fatalf("engines differ on %q\n  fast: %q\n  ref:  %q", text, spanTexts(text, spans), spanTexts(text, r))
		}
	})
}
