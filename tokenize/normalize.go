package tokenize

import (
	"unicode"
	"unicode/utf8"
)

// normFlags are BertNormalizer's switches.
type normFlags struct {
	clean, chinese, lower, strip bool
}

// Character classes after normalisation, as the pre-tokenizer sees them.
const (
	clsWord     uint8 = iota // part of a word
	clsSpace                 // ends a word (regexp \s: \t \n \f \r and space)
	clsIsolated              // a word of its own: punctuation, a padded CJK ideograph
	clsDrop                  // removed by the normaliser
)

// tableRunes covers Latin, Greek, Cyrillic, … up to and including General
// Punctuation (curly quotes, dashes): the non-ASCII runes news text is made
// of. Rarer runes are classified on the fly.
const tableRunes = 0x2070

type asciiEntry struct {
	cls uint8
	low byte
}

// normalizer classifies and lower-cases runes with precomputed tables.
type normalizer struct {
	flags normFlags
	ascii [utf8.RuneSelf]asciiEntry
	// low packs, for each rune below tableRunes, its normalised rune << 2 |
	// its class.
	low []uint32
}

func newNormalizer(f normFlags) normalizer {
	n := normalizer{flags: f, low: make([]uint32, tableRunes)}
	for r := rune(0); r < tableRunes; r++ {
		cls, lr := f.classify(r)
		n.low[r] = uint32(lr)<<2 | uint32(cls)
		if r < utf8.RuneSelf {
			n.ascii[r] = asciiEntry{cls: cls, low: byte(lr)}
		}
	}
	return n
}

// classify returns r's class and, for a word character, r as normalised.
func (n *normalizer) classify(r rune) (uint8, rune) {
	if r < tableRunes {
		e := n.low[r]
		return uint8(e & 3), rune(e >> 2)
	}
	return n.flags.classify(r)
}

// classify follows sugarme's BertNormalizer and BertPreTokenizer for one
// rune; they act rune by rune, so the order of the checks is the order of
// their steps: clean_text, handle_chinese_chars, lowercase, strip_accents,
// then the split on white space and punctuation.
func (f normFlags) classify(r rune) (uint8, rune) {
	if f.clean && (r == 0 || r == utf8.RuneError || isControl(r)) {
		return clsDrop, r
	}
	if f.chinese && unicode.In(r, cjk) {
		return clsIsolated, r
	}
	if f.lower {
		r = unicode.ToLower(r)
	}
	if f.strip && unicode.Is(unicode.Mn, r) {
		return clsDrop, r
	}
	switch r {
	case ' ', '\t', '\n', '\f', '\r': // Go's regexp \s, which sugarme splits on
		return clsSpace, r
	}
	if unicode.In(r, bertPunct, unicode.P) {
		return clsIsolated, r
	}
	return clsWord, r
}

// isControl is BERT's control class: Cc and Cf, but not the white space
// \t \n \r.
func isControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

// bertPunct is BERT's extension of Unicode punctuation: every ASCII symbol.
var bertPunct = &unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x21, Hi: 0x2f, Stride: 1}, {Lo: 0x3a, Hi: 0x40, Stride: 1},
	{Lo: 0x5b, Hi: 0x60, Stride: 1}, {Lo: 0x7b, Hi: 0x7e, Stride: 1},
}, LatinOffset: 4}

// cjk is the set of CJK ideographs sugarme pads with spaces. Its table
// lists U+4E00–U+9FFF before U+3400–U+4DBF, and unicode.In stops at the
// first range that starts above the rune, so Extension A (U+3400–U+4DBF) is
// never padded. It also pads U+2B820–U+2B91F, which BERT's list leaves out.
var cjk = &unicode.RangeTable{
	R16: []unicode.Range16{{Lo: 0x4e00, Hi: 0x9fff, Stride: 1}, {Lo: 0xf900, Hi: 0xfaff, Stride: 1}},
	R32: []unicode.Range32{{Lo: 0x20000, Hi: 0x2a6df, Stride: 1}, {Lo: 0x2a700, Hi: 0x2b73f, Stride: 1},
		{Lo: 0x2b740, Hi: 0x2b81f, Stride: 1}, {Lo: 0x2b820, Hi: 0x2ceaf, Stride: 1}, {Lo: 0x2f800, Hi: 0x2fa1f, Stride: 1}},
}
