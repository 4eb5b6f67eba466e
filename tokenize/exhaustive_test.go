package tokenize

import (
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestEveryRuneMatchesSugarme puts every Unicode scalar value in a few
// contexts (inside, before and after words, alone, beside accents and
// ideographs) and compares with sugarme under bert-base-uncased, then
// mixes the awkward characters at random. It takes minutes, so it runs only
// with TOKENIZE_EXHAUSTIVE=1.
func TestEveryRuneMatchesSugarme(t *testing.T) {
	if os.Getenv("TOKENIZE_EXHAUSTIVE") == "" {
		t.Skip("set TOKENIZE_EXHAUSTIVE=1 to run")
	}
	wp, sg := pair(t, vocabJSON(t, bertVocab(t), JSONOptions{}))
	context := func(r rune) string {
		s := string(r)
		return "x" + s + "Yé" + s + " " + s + "ab" + s + ". 東" + s
	}
	const group = 64
	var texts []string
	for r := rune(0); r <= utf8.MaxRune; r += group {
		var b strings.Builder
		for c := r; c < r+group; c++ {
			if utf8.ValidRune(c) {
				b.WriteString(context(c))
			}
		}
		texts = append(texts, b.String())
	}
	bad := compareAll(wp, sg, texts)
	// Narrow each failing group down to its runes.
	var single []string
	for _, m := range bad {
		for _, r := range m.text {
			single = append(single, context(r))
		}
	}
	slices.Sort(single)
	for i, m := range compareAll(wp, sg, slices.Compact(single)) {
		if i == 20 {
			t.Fatal("more differ")
		}
		t.Errorf("%q:\n got %v\nwant %v (%v)", m.text, m.got, m.want, m.err)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	parts := []string{"a", "B", " ", ".", "é", "東", "㐀", "\xff", "\xe2\x80", "\x00", "\u200b", "\u0301", "İ", "ı", "K",
		"[CLS]", "[SEP]", "[", "\t", "\u00a0", "🙂", "ab", "the"}
	texts = texts[:0]
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(16) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		texts = append(texts, b.String())
	}
	for i, m := range compareAll(wp, sg, texts) {
		if i == 20 {
			t.Fatal("more differ")
		}
		t.Errorf("%q:\n got %v\nwant %v (%v)", m.text, m.got, m.want, m.err)
	}
}
