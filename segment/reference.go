package segment

import (
	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
)

// newsWord is neurosnap's English word tokenizer with list numbers turned
// off: neurosnap treats any "2014." or "30?" as a list number and never
// breaks after it, which merged every sentence ending in a year or figure
// with the next one. List items are handled by the line layout instead.
type newsWord struct {
	*english.WordTokenizer
}

// IsListNumber is never true inside a block; see newsWord.
func (newsWord) IsListNumber(*sentences.Token) bool { return false }

// refEngine finds Punkt breaks with neurosnap/sentences itself. It is the
// reference the fast engine is tested against, and is slower: neurosnap
// allocates a token per word, runs regular expressions per token, and its
// word scanner re-trims a run of white space at every space, which is
// quadratic in the run's length (40 KB of spaces take most of a second).
type refEngine struct {
	tok *sentences.DefaultSentenceTokenizer
}

func newRefEngine(st *sentences.Storage) *refEngine {
	lang := sentences.NewPunctStrings()
	word := newsWord{english.NewWordTokenizer(lang)}
	annotations := sentences.NewAnnotations(st, lang, word)
	ortho := &sentences.OrthoContext{Storage: st, PunctStrings: lang, TokenType: word, TokenFirst: word}
	annotations = append(annotations, &english.MultiPunctWordAnnotation{
		Storage:      st,
		TokenParser:  word,
		TokenGrouper: &sentences.DefaultTokenGrouper{},
		Ortho:        ortho,
	})
	return &refEngine{tok: &sentences.DefaultSentenceTokenizer{
		Storage:       st,
		PunctStrings:  lang,
		WordTokenizer: word,
		Annotations:   annotations,
	}}
}

// breaks appends the byte offsets in block after which Punkt ends a
// sentence. neurosnap drops the last word of a text that ends in a
// multi-byte character, so the block gets a trailing space.
func (e *refEngine) breaks(block string, _ *scratch, dst []int) []int {
	for _, t := range e.tok.AnnotatedTokens(block + " ") {
		if t.SentBreak && t.Position < len(block) {
			dst = append(dst, t.Position)
		}
	}
	return dst
}
