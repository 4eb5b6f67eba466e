package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// continuationWords cannot end a headline or a sentence, so a line that
// ends with one is wrapped prose even when the next line starts with a
// capital ("... talks with\nPresident Duda ...").
var continuationWords = setOf("a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into",
	"onto", "and", "or", "but", "nor", "as", "than", "that", "which", "who", "whom", "whose", "whether", "if",
	"when", "while", "where", "because", "although", "though", "since", "after", "before", "between", "among",
	"against", "during", "over", "under", "about", "around", "across", "through", "without", "within", "upon",
	"per", "via", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
	"shall", "should", "can", "could", "may", "might", "must", "do", "does", "did", "not", "its", "his", "her",
	"their", "our", "your", "my", "this", "these", "those", "said", "says", "told", "according", "including",
	"near", "like", "toward", "towards", "along", "also", "both", "either", "neither", "such", "so", "then", "than")

// startsBlock reports whether line cur, following line prev of the same
// paragraph, starts a new sentence for layout reasons. Both are trimmed
// and non-empty.
func startsBlock(prev, cur string) bool {
	if isListItem(cur) {
		return true
	}
	r := firstLetter(cur)
	upper, digit := unicode.IsUpper(r), unicode.IsDigit(r)
	if !upper && !digit {
		return false
	}
	last := wordBefore(prev, len(prev))
	core := trimClosers(last)
	if core != "" {
		switch core[len(core)-1] {
		case '.':
			return !protectedEnd(last, wordAfter(cur, 0))
		case '?', '!':
			return true
		}
	}
	// No final punctuation: a headline or dateline, unless the line is
	// wrapped mid-sentence.
	if !upper {
		return false
	}
	if c := core; c == "" || strings.ContainsRune(",;(-–—/&", lastRune(c)) {
		return false
	}
	return !isContinuationWord(core)
}

// firstLetter returns the first rune of s after opening quotes and
// brackets.
func firstLetter(s string) rune {
	r, _ := utf8.DecodeRuneInString(trimOpeners(s))
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isContinuationWord(w string) bool { return inLowerSet(continuationWords, w) }

// inLowerSet reports whether the ASCII-lowercased w is in set, without
// allocating: these checks run once per line and sentence end.
func inLowerSet(set map[string]bool, w string) bool {
	var buf [16]byte
	if len(w) > len(buf) {
		return false
	}
	low := buf[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low = append(low, c)
	}
	return set[string(low)]
}

// isListItem reports whether a trimmed line starts with a bullet or a list
// number.
func isListItem(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case '•', '·', '▪', '▫', '◦', '‣', '►', '▶', '■', '□', '●', '○', '➢', '➤', '✓', '✔':
		return true
	case '-', '*', '+', '–', '—':
		return size < len(s) && (s[size] == ' ' || s[size] == '\t')
	}
	// 1. 12) (3) (a) b)
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return false
	}
	return isListMarker(s[:i])
}
