package tokenize

import (
	"sort"
	"strings"
)

// addedTokens are the special tokens of a tokenizer.json's added_tokens,
// matched in the raw text before normalisation.
type addedTokens struct {
	contents []string // in sugarme's pattern order
	ids      []int32
	first    string // the distinct first bytes of contents
}

func newAddedTokens(contents []string, ids []int32) *addedTokens {
	a := &addedTokens{contents: contents, ids: ids}
	for _, c := range contents {
		if strings.IndexByte(a.first, c[0]) < 0 {
			a.first += c[:1]
		}
	}
	return a
}

// mayOccur is a fast test that text holds none of the tokens.
func (a *addedTokens) mayOccur(text string) bool {
	for i := 0; i < len(a.first); i++ {
		if strings.IndexByte(text, a.first[i]) >= 0 {
			return true
		}
	}
	return false
}

// segment is a part of the raw text: an added token's id, or id -1 and
// text to encode.
type segment struct {
	id         int32
	start, end int
}

type addedMatch struct {
	pattern    int
	start, end int
}

type byStart []addedMatch

func (s byStart) Len() int           { return len(s) }
func (s byStart) Less(i, j int) bool { return s[i].start < s[j].start }
func (s byStart) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

type byPattern []addedMatch

func (s byPattern) Len() int           { return len(s) }
func (s byPattern) Less(i, j int) bool { return s[i].pattern < s[j].pattern }
func (s byPattern) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// split reproduces sugarme's AddedVocabulary.findMatches, quirks included:
// matches are ordered by pattern (the token's place in added_tokens), not by
// position, and one is kept only if it starts after the last one kept. So
// in "[SEP] [CLS]" only [CLS] counts (it comes first in BERT's list) and
// "[SEP]" is encoded as text. The two sort.Sort calls, unstable beyond 12
// matches, are sugarme's, so the order they leave is the same too. It
// allocates, but runs only on texts that contain an added token's first
// byte.
func (a *addedTokens) split(text string) []segment {
	var matches []addedMatch
	for p, c := range a.contents {
		for i := 0; ; {
			j := strings.Index(text[i:], c)
			if j < 0 {
				break
			}
			matches = append(matches, addedMatch{pattern: p, start: i + j, end: i + j + len(c)})
			i += j + len(c)
		}
	}
	if len(matches) == 0 {
		return []segment{{id: -1, start: 0, end: len(text)}}
	}
	sort.Sort(byStart(matches))
	sort.Sort(byPattern(matches))
	var kept []addedMatch
	current := 0
	for i := 0; i < len(matches); i++ {
		m := matches[i]
		if m.start < current {
			continue
		}
		if i+1 < len(matches) {
			rest := matches[i:]
			sort.Sort(byPattern(rest))
			kept = append(kept, rest[0])
		} else {
			kept = append(kept, m)
		}
		current = m.end
	}
	var segs []segment
	at := 0
	for _, m := range kept {
		if at < m.start {
			segs = append(segs, segment{id: -1, start: at, end: m.start})
		}
		segs = append(segs, segment{id: a.ids[m.pattern], start: m.start, end: m.end})
		at = m.end
	}
	if at != len(text) {
		segs = append(segs, segment{id: -1, start: at, end: len(text)})
	}
	return segs
}
