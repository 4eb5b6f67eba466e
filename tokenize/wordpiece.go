// Package tokenize turns text into WordPiece token ids.
//
// sugarme/tokenizer is the reference: it loads any Hugging Face
// tokenizer.json and defines what the ids must be. It is also slow (about
// 1,500 sentences/s on one core), which would make tokenisation the
// bottleneck of batch scoring. WordPiece compiles a BERT-style tokenizer.json
// (BertNormalizer, BertPreTokenizer, WordPiece) into an allocation-free
// encoder that produces the same ids; tests compare the two over the corpus,
// a table of hard inputs and under fuzzing. Other tokenizer.json files go
// through Sugarme.
package tokenize

import (
	"errors"
	"unicode/utf8"
)

// ErrUnsupported marks a tokenizer.json the compiled encoder does not cover;
// callers fall back to Sugarme.
var ErrUnsupported = errors.New("tokenizer.json is not a plain BERT WordPiece tokenizer")

// Specials are the ids of the special tokens, -1 when absent.
type Specials struct{ CLS, SEP, PAD, UNK int }

// WordPiece is the compiled encoder. It is read-only after FromJSON and so
// safe for concurrent use.
type WordPiece struct {
	vocab    vocabTable
	norm     normalizer
	added    *addedTokens // nil when the file has none
	unk      int32
	maxChars int
	maxBytes int // a word longer than this in bytes has more than maxChars runes
	size     int
	specials Specials
	// isolated holds the id of each ASCII punctuation mark, a word of its own.
	isolated [utf8.RuneSelf]int32
}

// Specials returns the special token ids.
func (w *WordPiece) Specials() Specials { return w.specials }

// VocabSize is one more than the largest id, the rows an embedding needs.
func (w *WordPiece) VocabSize() int { return w.size }

// wordBuf bounds the stack buffer a word is normalised into; longer words
// (only possible with max_input_chars_per_word above 127) spill to the heap.
const wordBuf = 512

// AppendIDs appends the ids of text, without special tokens, to dst. The
// error is always nil; it is there for the seam shared with Sugarme.
//
// The steps are sugarme's: added tokens are cut out of the raw text; each
// rest is normalised (drop NUL, U+FFFD, control and format characters; pad
// CJK ideographs; lower-case rune by rune; drop Mn marks, without decomposing
// first, so "é" stays "é"), split on ASCII white space and around
// punctuation, and each word is encoded greedily longest-match-first. A word
// of more than max_input_chars_per_word runes, or with a rest no piece
// matches, becomes one unknown token. Invalid UTF-8 reads as one U+FFFD per
// bad byte, which clean_text drops.
func (w *WordPiece) AppendIDs(dst []int32, text string) ([]int32, error) {
	if w.added != nil && w.added.mayOccur(text) {
		return w.appendWithAdded(dst, text), nil
	}
	return w.appendText(dst, text, nil), nil
}

// appendText encodes text that holds no added token. With sink set, it
// counts the words instead of encoding them: the trainer's view of the text
// is then exactly the encoder's.
func (w *WordPiece) appendText(dst []int32, text string, sink map[string]int) []int32 {
	var buf [wordBuf]byte
	word := buf[:0]
	runes := 0
	for i := 0; i < len(text); {
		c := text[i]
		var cls uint8
		var r rune
		if c < utf8.RuneSelf {
			i++
			e := w.norm.ascii[c]
			if e.cls == clsWord {
				// The hot path: a letter or digit of an ASCII word.
				runes++
				if len(word) < w.maxBytes {
					word = append(word, e.low)
				}
				continue
			}
			cls, r = e.cls, rune(e.low)
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
			cls, r = w.norm.classify(r)
			if cls == clsWord {
				runes++
				if len(word) < w.maxBytes {
					word = utf8.AppendRune(word, r)
				}
				continue
			}
		}
		if cls == clsDrop {
			continue
		}
		// White space or an isolated character ends the word.
		if len(word) > 0 {
			dst = w.appendWord(dst, word, runes, sink)
			word, runes = word[:0], 0
		}
		if cls == clsIsolated {
			switch {
			case sink != nil:
				var tmp [utf8.UTFMax]byte
				sink[string(utf8.AppendRune(tmp[:0], r))]++
			case r < utf8.RuneSelf:
				dst = append(dst, w.isolated[r])
			default:
				var tmp [utf8.UTFMax]byte
				dst = w.appendWord(dst, utf8.AppendRune(tmp[:0], r), 1, nil)
			}
		}
	}
	if len(word) > 0 {
		dst = w.appendWord(dst, word, runes, sink)
	}
	return dst
}

// appendWord encodes one normalised word. Most words are whole entries of
// the vocabulary and take one probe.
func (w *WordPiece) appendWord(dst []int32, word []byte, runes int, sink map[string]int) []int32 {
	if runes > w.maxChars {
		if sink != nil {
			return dst // the encoder's [UNK]: nothing to learn from
		}
		return append(dst, w.unk)
	}
	if sink != nil {
		sink[string(word)]++
		return dst
	}
	if len(word) <= w.vocab.maxWhole {
		if id, ok := w.vocab.find(hashBytes(whole, word), whole, word); ok {
			return append(dst, id)
		}
	}
	return w.appendPieces(dst, word)
}

// appendPieces is greedy longest-match-first WordPiece: at each position the
// longest vocabulary entry (with the continuing prefix after the first
// piece) that the rest of the word starts with. If some position matches
// nothing, the whole word is one unknown token.
func (w *WordPiece) appendPieces(dst []int32, word []byte) []int32 {
	n := len(dst)
	for start := 0; start < len(word); {
		kind, longest := whole, w.vocab.maxWhole
		if start > 0 {
			kind, longest = cont, w.vocab.maxCont
		}
		end := min(len(word), start+longest)
		for end > start && end < len(word) && !utf8.RuneStart(word[end]) {
			end--
		}
		found := false
		for end > start {
			piece := word[start:end]
			if id, ok := w.vocab.find(hashBytes(kind, piece), kind, piece); ok {
				dst = append(dst, id)
				found = true
				break
			}
			end--
			for end > start && !utf8.RuneStart(word[end]) {
				end--
			}
		}
		if !found {
			return append(dst[:n], w.unk)
		}
		start = end
	}
	return dst
}

// appendWithAdded cuts the raw text at the added tokens sugarme would match
// and encodes the parts in between as usual.
func (w *WordPiece) appendWithAdded(dst []int32, text string) []int32 {
	for _, s := range w.added.split(text) {
		if s.id >= 0 {
			dst = append(dst, s.id)
		} else {
			dst = w.appendText(dst, text[s.start:s.end], nil)
		}
	}
	return dst
}

// wordCounts counts the normalised, pre-tokenised words of texts.
func (w *WordPiece) wordCounts(texts []string) map[string]int {
	counts := map[string]int{}
	for _, t := range texts {
		w.appendText(nil, t, counts)
	}
	return counts
}

// newNormalizerOnly is a WordPiece with no vocabulary, for counting words.
func newNormalizerOnly(f normFlags, maxChars int) *WordPiece {
	return &WordPiece{norm: newNormalizer(f), maxChars: maxChars, maxBytes: maxBytesFor(maxChars)}
}

func maxBytesFor(maxChars int) int {
	// One byte past the longest word that can still be in range, so that an
	// over-long word is still seen as over-long.
	return min(utf8.UTFMax*maxChars+utf8.UTFMax, 1<<30)
}
