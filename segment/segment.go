// Package segment splits news text into sentences with byte offsets.
//
// It runs neurosnap/sentences' English Punkt model inside blocks that news
// layout already delimits, because Punkt alone reads a text as one stream:
// it merged "... in 2014.\n\nThat's according to ..." into one sentence and
// glued headlines to the first paragraph. Layout rules come first:
//   - a blank line always ends a sentence;
//   - a line with no closing punctuation, followed by a line that starts a new
//     sentence (capital, digit, quote), is a headline or dateline of its own;
//   - each list item ("- ", "• ", "* ", "1. ", "2) ") is its own sentence;
//   - other single line breaks are wrapping and join the lines.
package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
)

// Span is a sentence: text[Start:End], trimmed of white space, never empty.
type Span struct{ Start, End int }

// Splitter splits text. Safe for concurrent use: the Punkt model is read-only.
type Splitter struct {
	punkt *sentences.DefaultSentenceTokenizer
}

// Option configures a Splitter.
type Option func(*Splitter)

// newsAbbreviations never end a sentence in news copy (titles, ranks,
// months, Latin), beyond those in neurosnap's trained model.
var newsAbbreviations = []string{
	"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep",
	"st", "jr", "sr", "rev", "hon", "u.s", "u.k", "u.n", "e.u", "jan", "feb", "mar", "apr", "aug", "sept", "sep",
	"oct", "nov", "dec", "no", "nos", "vs", "e.g", "i.e", "approx", "dept", "est", "fig", "inc", "corp", "ltd", "co",
}

// New builds a Splitter.
func New(opts ...Option) (*Splitter, error) {
	punkt, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, err
	}
	for _, a := range newsAbbreviations {
		punkt.AbbrevTypes.Add(a)
	}
	s := &Splitter{punkt: punkt}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Split returns the sentences of text.
func (s *Splitter) Split(text string) []Span { return s.AppendSpans(nil, text) }

// AppendSpans appends the sentences of text to dst.
func (s *Splitter) AppendSpans(dst []Span, text string) []Span {
	for _, b := range blocks(text) {
		block := text[b.Start:b.End]
		for _, sent := range s.punkt.Tokenize(block) {
			start, end := b.Start+sent.Start, b.Start+sent.End
			for _, cut := range numberEnds(text, start, end) {
				if sp, ok := trim(text, start, cut); ok {
					dst = append(dst, sp)
				}
				start = cut
			}
			if sp, ok := trim(text, start, end); ok {
				dst = append(dst, sp)
			}
		}
	}
	return dst
}

// trim narrows [start, end) to its non-space content.
func trim(text string, start, end int) (Span, bool) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return Span{start, end}, end > start
}

type line struct {
	start, end int // without the newline
	blank      bool
}

// blocks cuts text into runs of lines that may be one or more sentences but
// never share a sentence with their neighbours.
func blocks(text string) []Span {
	var lines []line
	for start := 0; start <= len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		lines = append(lines, line{start, end, strings.TrimSpace(text[start:end]) == ""})
		if end == len(text) {
			break
		}
		start = end + 1
	}
	var out []Span
	cur := -1 // start of the open block
	curEnd := 0
	var prev string
	for _, l := range lines {
		content := strings.TrimSpace(text[l.start:l.end])
		if l.blank {
			if cur >= 0 {
				out = append(out, Span{cur, curEnd})
				cur = -1
			}
			continue
		}
		if cur >= 0 && (isListItem(content) || (!endsSentence(prev) && startsSentence(content) && looksLikeHeadline(prev))) {
			out = append(out, Span{cur, curEnd})
			cur = -1
		}
		if cur < 0 {
			cur = l.start
		}
		curEnd = l.end
		prev = content
		// A list item ends at its line: the next line is a new block.
		if isListItem(content) {
			out = append(out, Span{cur, curEnd})
			cur = -1
		}
	}
	if cur >= 0 {
		out = append(out, Span{cur, curEnd})
	}
	return out
}

func isListItem(s string) bool {
	for _, p := range []string{"- ", "• ", "* ", "– ", "— "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}

// endsSentence reports whether a line ends with closing punctuation, maybe
// inside closing quotes or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)]")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…:;", r)
}

func startsSentence(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'“‘«([", r)
}

// looksLikeHeadline keeps wrapped prose together: a headline or dateline
// line is short, while a wrapped paragraph line that happens to end without
// punctuation is usually long.
func looksLikeHeadline(s string) bool {
	return utf8.RuneCountInString(s) <= 160
}

// numberEnds finds sentence ends Punkt misses after a number: neurosnap
// never breaks after "...in 2014." or "...in 2020?" when the next word is
// capitalised, and news copy is full of years and figures at sentence end.
// A decimal point is not followed by a space, so "2.5 percent" is safe.
func numberEnds(text string, start, end int) []int {
	var cuts []int
	for i := start; i+2 < end; i++ {
		c := text[i]
		if c < '0' || c > '9' {
			continue
		}
		j := i + 1
		if p := text[j]; p != '.' && p != '?' && p != '!' {
			continue
		}
		j++
		for j < end && strings.IndexByte("\"')]", text[j]) >= 0 {
			j++
		}
		if strings.HasPrefix(text[j:end], "”") || strings.HasPrefix(text[j:end], "’") {
			j += len("”")
		}
		k := j
		for k < end && (text[k] == ' ' || text[k] == '\t') {
			k++
		}
		if k == j || k >= end {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[k:end])
		if r == '"' || r == '“' || r == '‘' || r == '(' {
			r2, _ := utf8.DecodeRuneInString(text[k+utf8.RuneLen(r) : end])
			r = r2
		}
		if unicode.IsUpper(r) {
			cuts = append(cuts, j)
		}
	}
	return cuts
}
