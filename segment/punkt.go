package segment

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
)

// fastEngine is a re-implementation of the annotation passes that
// refEngine runs through neurosnap (type-based, token-based and English
// multi-punctuation), on the same model, decision for decision. It streams
// the block once, keeps three tokens in view and does no work for words
// without sentence punctuation, where neurosnap builds a token per word and
// runs several regular expressions on each. The differential tests check
// that both engines cut identically.
type fastEngine struct {
	abbrev, colloc, starters, ortho map[string]int
	// collocFirst holds the first words of the collocations, few enough
	// to test before building a collocation key.
	collocFirst map[string]bool
}

func newFastEngine(st *sentences.Storage) *fastEngine {
	e := &fastEngine{abbrev: st.AbbrevTypes, colloc: st.Collocations, starters: st.SentStarters, ortho: st.OrthoContext,
		collocFirst: map[string]bool{}}
	for k := range st.Collocations {
		if i := strings.IndexByte(k, ','); i >= 0 {
			e.collocFirst[k[:i]] = true
		}
	}
	return e
}

// Orthographic context flags, as in neurosnap's ortho.go.
const (
	orthoBegUc = 1 << 1
	orthoMidUc = 1 << 2
	orthoUnkUc = 1 << 3
	orthoBegLc = 1 << 4
	orthoMidLc = 1 << 5
	orthoUnkLc = 1 << 6
	orthoUc    = orthoBegUc + orthoMidUc + orthoUnkUc
	orthoLc    = orthoBegLc + orthoMidLc + orthoUnkLc
)

// ptok is one word with its Punkt annotations.
type ptok struct {
	s     string
	end   int  // offset in the block just past the word
	punct bool // holds . ? ! or 。, the only characters the passes act on
	sb    bool // sentence break after the word
	abbr  bool
}

// breaks appends the byte offsets in block after which Punkt ends a
// sentence.
//
// Only words with sentence punctuation are annotated, and the passes look
// at most two words ahead, so while neither of the two words in view has
// punctuation nothing can change: the scan then jumps straight to the next
// punctuation mark and backs up to the start of its word.
func (e *fastEngine) breaks(block string, sc *scratch, dst []int) []int {
	var a, b ptok // the two words before the incoming one; zero words are inert
	push := func(c ptok) {
		e.typePass(&c, sc)
		e.tokenPass(&b, &c, sc)
		e.multiPunctPass(&a, &b, sc)
		if a.sb && a.end < len(block) {
			dst = append(dst, a.end)
		}
		a, b = b, c
	}
	start := -1 // start of the current word, -1 between words
	punct := false
	for i := 0; i < len(block); {
		if start < 0 && !a.punct && !b.punct {
			q := nextPunct(block, i)
			if q == len(block) {
				break // no punctuation left: nothing more can change
			}
			i = wordStart(block, i, q)
			a, b = ptok{}, ptok{}
		}
		c := block[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case classSpace:
				if start >= 0 {
					push(ptok{s: block[start:i], end: i, punct: punct})
					start, punct = -1, false
				}
			case classPunct:
				punct = true
				if start < 0 {
					start = i
				}
			default:
				if start < 0 {
					start = i
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(block[i:])
		switch {
		case unicode.IsSpace(r):
			if start >= 0 {
				push(ptok{s: block[start:i], end: i, punct: punct})
				start, punct = -1, false
			}
		case isCJKStop(r):
			// neurosnap ends a word after CJK punctuation, keeping the mark.
			if start < 0 {
				start = i
			}
			push(ptok{s: block[start : i+size], end: i + size, punct: punct || r == '。'})
			start, punct = -1, false
		default:
			if start < 0 {
				start = i
			}
		}
		i += size
	}
	if start >= 0 {
		push(ptok{s: block[start:], end: len(block), punct: punct})
	}
	// The last word has no successor, so neither pass changes it.
	e.multiPunctPass(&a, &b, sc)
	if a.sb && a.end < len(block) {
		dst = append(dst, a.end)
	}
	if b.sb && b.end < len(block) {
		dst = append(dst, b.end)
	}
	return dst
}

const (
	classOther = iota
	classSpace
	classPunct
)

// asciiClass sorts ASCII bytes for the word scanner.
var asciiClass = [utf8.RuneSelf]uint8{
	'\t': classSpace, '\n': classSpace, '\v': classSpace, '\f': classSpace, '\r': classSpace, ' ': classSpace,
	'.': classPunct, '?': classPunct, '!': classPunct,
}

func isCJKStop(r rune) bool { return r == '。' || r == '；' || r == '！' || r == '？' }

// nextPunct returns the offset of the next . ? ! or 。 at or after i, or
// len(s).
func nextPunct(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '.', '?', '!':
			return i
		case 0xE3: // first byte of 。
			if strings.HasPrefix(s[i:], "。") {
				return i
			}
		}
	}
	return len(s)
}

// wordStart returns where the word holding offset q begins, not before
// from (a word boundary).
func wordStart(s string, from, q int) int {
	for q > from {
		c := s[q-1]
		if c < utf8.RuneSelf {
			if asciiClass[c] == classSpace {
				break
			}
			q--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[from:q])
		if unicode.IsSpace(r) || isCJKStop(r) {
			break
		}
		q -= size
	}
	return q
}

// typePass is neurosnap's TypeBasedAnnotation with the English
// HasSentEndChars.
func (e *fastEngine) typePass(t *ptok, sc *scratch) {
	if !t.punct {
		return
	}
	if hasSentEndChars(t.s) {
		t.sb = true
		return
	}
	if hasPeriodFinal(t.s) && !strings.HasSuffix(t.s, "..") {
		// neurosnap cuts the final period by rune count from a byte
		// string; the same cut is kept so both engines agree.
		noPeriod := t.s[:utf8.RuneCountInString(t.s)-1]
		sc.lower = appendLower(sc.lower[:0], noPeriod)
		last := sc.lower
		if k := bytes.LastIndexByte(last, '-'); k >= 0 {
			last = last[k+1:]
		}
		if e.abbrev[string(sc.lower)] != 0 || len(last) < len(sc.lower) && e.abbrev[string(last)] != 0 {
			t.abbr = true
		} else {
			t.sb = true
		}
	}
}

// tokenPass is neurosnap's TokenBasedAnnotation on the pair (a, b).
func (e *fastEngine) tokenPass(a, b *ptok, sc *scratch) {
	if !a.punct || !hasPeriodFinal(a.s) {
		return
	}
	sc.typA = typeNoPeriod(appendType(sc.typA[:0], a.s))
	sc.typB = e.typeNoSentPeriod(sc.typB[:0], b)
	typ, next := sc.typA, sc.typB
	initial := isInitial(a.s)

	if e.collocFirst[string(typ)] {
		sc.key = append(append(append(sc.key[:0], typ...), ','), next...)
		if e.colloc[string(sc.key)] != 0 {
			a.sb, a.abbr = false, true
			return
		}
	}
	if (a.abbr || strings.HasSuffix(a.s, "..")) && !initial {
		if e.heuristic(b, next) == 1 {
			a.sb = true
			return
		}
		if firstUpper(b.s) && e.starters[string(next)] != 0 {
			a.sb = true
			return
		}
	}
	if a.s == "." && b.s == "." {
		a.sb, b.sb = false, false
		return
	}
	if initial || string(typ) == "##number##" {
		h := e.heuristic(b, next)
		if h == 0 {
			a.sb, a.abbr = false, true
			return
		}
		if h == -1 && initial && firstUpper(b.s) && e.ortho[string(next)]&orthoLc == 0 {
			a.sb, a.abbr = false, true
		}
	}
}

// multiPunctPass is neurosnap English's MultiPunctWordAnnotation on the
// pair (a, b), with list numbers off (see newsWord).
func (e *fastEngine) multiPunctPass(a, b *ptok, sc *scratch) {
	if !a.punct {
		return
	}
	if a.s == "N°." {
		a.sb = false
		return
	}
	if strings.HasSuffix(a.s, ".") && b.s == "." {
		a.sb = false
		return
	}
	unreliable := hasUnreliableEndChars(a.s)
	coord := isCoordinatePartTwo(a.s)
	if !hasDottedAbbrev(a.s) && a.s != "." && !unreliable && !coord {
		return
	}
	if isInitial(a.s) {
		return
	}
	a.abbr, a.sb = true, false
	sc.typB = e.typeNoSentPeriod(sc.typB[:0], b)
	next := sc.typB
	if e.heuristic(b, next) == 1 {
		a.sb = true
		return
	}
	if firstUpper(b.s) && (e.starters[string(next)] != 0 || unreliable || a.s == "." || coord) {
		a.sb = true
	}
}

// heuristic is neurosnap's OrthoContext.Heuristic: 1 if t starts a
// sentence, 0 if it does not, -1 if unknown. typ is t's type without a
// sentence-final period.
func (e *fastEngine) heuristic(t *ptok, typ []byte) int {
	if isPunctuationMark(t.s) {
		return 0
	}
	ctx := e.ortho[string(typ)]
	if firstUpper(t.s) && ctx&orthoLc != 0 && ctx&orthoMidUc == 0 {
		return 1
	}
	if firstLower(t.s) && (ctx&orthoUc != 0 || ctx&orthoBegLc == 0) {
		return 0
	}
	return -1
}

func (e *fastEngine) typeNoSentPeriod(dst []byte, t *ptok) []byte {
	dst = appendType(dst, t.s)
	if t.sb {
		return typeNoPeriod(dst)
	}
	return dst
}

// appendType appends neurosnap's Type of s: lower case, a trailing number
// replaced by "##number##", commas removed.
func appendType(dst []byte, s string) []byte {
	base := len(dst)
	dst = appendLower(dst, s)
	if p := numericSuffix(dst[base:]); p >= 0 {
		dst = append(dst[:base+p], "##number##"...)
	}
	if len(dst)-base == 1 {
		return dst
	}
	j := base
	for _, c := range dst[base:] {
		if c != ',' {
			dst[j] = c
			j++
		}
	}
	return dst[:j]
}

func typeNoPeriod(typ []byte) []byte {
	if len(typ) > 1 && typ[len(typ)-1] == '.' {
		return typ[:len(typ)-1]
	}
	return typ
}

// numericSuffix returns where the leftmost match of neurosnap's
// `-?[\.,]?\d[\d,\.-]*\.?$` starts in s, or -1.
func numericSuffix(s []byte) int {
	r := len(s)
	for r > 0 && isNumChar(s[r-1]) {
		r--
	}
	for p := r; p < len(s); p++ {
		q := p
		if s[q] == '-' {
			q++
		}
		if q < len(s) && (s[q] == '.' || s[q] == ',') {
			q++
		}
		if q < len(s) && s[q] >= '0' && s[q] <= '9' {
			return p
		}
	}
	return -1
}

func isNumChar(c byte) bool { return c >= '0' && c <= '9' || c == ',' || c == '.' || c == '-' }

// appendLower appends strings.ToLower(s) without allocating: for
// non-ASCII text that is unicode.ToLower per rune, an invalid byte
// becoming U+FFFD.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			return dst
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func hasPeriodFinal(s string) bool {
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "。")
}

// hasSentEndChars is neurosnap English's HasSentEndChars.
func hasSentEndChars(s string) bool {
	if hasUnreliableEndChars(s) || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return true
	}
	// Contains one of .[ .( ." .' ?[ ?( ![ !(
	for i := 0; i+1 < len(s); i++ {
		switch s[i] {
		case '.':
			if c := s[i+1]; c == '[' || c == '(' || c == '"' || c == '\'' {
				return true
			}
		case '?', '!':
			if c := s[i+1]; c == '[' || c == '(' {
				return true
			}
		}
	}
	return false
}

// hasUnreliableEndChars is neurosnap English's HasUnreliableEndChars: a
// stop inside closing quotes or brackets.
func hasUnreliableEndChars(s string) bool {
	var rest string
	switch {
	case strings.HasSuffix(s, "”"):
		rest = s[:len(s)-len("”")]
	case strings.HasSuffix(s, "’"):
		rest = s[:len(s)-len("’")]
	case strings.HasSuffix(s, `"`), strings.HasSuffix(s, "'"), strings.HasSuffix(s, ")"):
		rest = s[:len(s)-1]
	default:
		return false
	}
	if rest == "" {
		return false
	}
	c := rest[len(rest)-1]
	return c == '.' || c == '?' || c == '!'
}

// isInitial matches `^[A-Za-z]\.$`.
func isInitial(s string) bool {
	return len(s) == 2 && s[1] == '.' && ('a' <= s[0]|0x20 && s[0]|0x20 <= 'z')
}

// isCoordinatePartTwo matches `^[0-9]*\.[0-9]*\.[0-9]*\.$`.
func isCoordinatePartTwo(s string) bool {
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return false
		}
	}
	return dots == 3 && strings.HasSuffix(s, ".")
}

// hasDottedAbbrev reports a match of `((?:[\w]\.)+[\w]*\.)` anywhere in
// s, as in "U.S." or "a.m.".
func hasDottedAbbrev(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if !isWordByte(s[i]) || s[i+1] != '.' {
			continue
		}
		j := i + 2
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '.' {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// isPunctuationMark reports whether s is a single mark of neurosnap's
// Punctuation set.
func isPunctuationMark(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return size == len(s) && size > 0 && strings.ContainsRune(";:,.!?；：，。！？", r) && r != utf8.RuneError
}

func firstUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func firstLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}
