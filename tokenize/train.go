package tokenize

import (
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Special tokens in BERT order; [PAD] is id 0.
var specialTokens = [...]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

// TrainOptions tune TrainWordPiece.
type TrainOptions struct {
	VocabSize    int // total, specials included
	MinFrequency int // a word or piece seen fewer times is not added (default 2)
}

// TrainWordPiece learns a WordPiece vocabulary from texts, deterministically:
// special tokens; every character seen (as a word start and as a ##
// continuation), so that nothing but control characters becomes [UNK];
// frequent whole words; then the most frequent word-initial and ##
// continuation pieces (2–6 characters) of the rest, so that rare and unseen
// words split into meaningful parts. Ties break by the token's text.
func TrainWordPiece(texts []string, o TrainOptions) ([]string, error) {
	if o.VocabSize < len(specialTokens)+10 {
		return nil, errors.New("vocab size too small")
	}
	if o.MinFrequency <= 0 {
		o.MinFrequency = 2
	}
	// Normalise and pre-tokenise exactly as the encoder does, with a
	// vocabulary-free pass: the encoder's word splitter on a WordPiece whose
	// appendWord records words instead of looking them up.
	counts := map[string]int{}
	wc := &wordCollector{counts: counts}
	for _, t := range texts {
		wc.collect(t)
	}
	vocab := append([]string(nil), specialTokens[:]...)
	seen := map[string]bool{}
	for _, s := range vocab {
		seen[s] = true
	}
	add := func(tok string) bool {
		if seen[tok] || len(vocab) >= o.VocabSize {
			return false
		}
		seen[tok] = true
		vocab = append(vocab, tok)
		return true
	}
	chars := map[string]int{}
	for w, c := range counts {
		for _, r := range w {
			chars[string(r)] += c
		}
	}
	for _, ch := range sortedByCount(chars, 1) {
		add(ch)
		add("##" + ch)
	}
	words := sortedByCount(counts, o.MinFrequency)
	wordBudget := len(vocab) + (o.VocabSize-len(vocab))*7/10
	for _, w := range words {
		if len(vocab) >= wordBudget {
			break
		}
		if utf8.RuneCountInString(w) > 1 {
			add(w)
		}
	}
	pieces := map[string]int{}
	for w, c := range counts {
		if seen[w] {
			continue
		}
		r := []rune(w)
		for n := 2; n <= 6 && n < len(r); n++ {
			pieces[string(r[:n])] += c
			pieces["##"+string(r[len(r)-n:])] += c
		}
	}
	for _, p := range sortedByCount(pieces, o.MinFrequency) {
		add(p)
	}
	// Fill any room left with rarer whole words.
	for _, w := range sortedByCount(counts, 1) {
		add(w)
	}
	return vocab, nil
}

func sortedByCount(m map[string]int, min int) []string {
	out := make([]string, 0, len(m))
	for k, c := range m {
		if c >= min {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// wordCollector splits text into normalised words the way AppendIDs does.
type wordCollector struct{ counts map[string]int }

func (wc *wordCollector) collect(text string) {
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			wc.counts[word.String()]++
			word.Reset()
		}
	}
	for _, r := range text {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			flush()
			continue
		case r == utf8.RuneError || unicode.In(r, unicode.Cc, unicode.Cf):
			continue
		case unicode.In(r, cjk):
			flush()
			wc.counts[string(r)]++
			continue
		}
		r = unicode.ToLower(r)
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if unicode.In(r, bertPunct, unicode.P) {
			flush()
			wc.counts[string(r)]++
			continue
		}
		word.WriteRune(r)
	}
	flush()
}

// JSONOptions tune WriteJSON.
type JSONOptions struct {
	MaxInputCharsPerWord int // default 100
}

// WriteJSON writes vocab as a Hugging Face tokenizer.json: BertNormalizer
// (clean text, CJK, lower-case, strip accents — all explicit booleans, since
// sugarme cannot read a null), BertPreTokenizer, WordPiece, BertProcessing.
// Ids are positions in vocab.
func WriteJSON(w io.Writer, vocab []string, o JSONOptions) error {
	if o.MaxInputCharsPerWord <= 0 {
		o.MaxInputCharsPerWord = 100
	}
	ids := make(map[string]int, len(vocab))
	for i, t := range vocab {
		if _, dup := ids[t]; dup {
			return errors.New("vocabulary has a duplicate token " + t)
		}
		ids[t] = i
	}
	for _, s := range []string{"[UNK]", "[CLS]", "[SEP]", "[PAD]"} {
		if _, ok := ids[s]; !ok {
			return errors.New("vocabulary lacks " + s)
		}
	}
	doc := map[string]any{
		"version":      "1.0",
		"truncation":   nil,
		"padding":      nil,
		"added_tokens": []any{},
		"normalizer": map[string]any{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
			"strip_accents": true, "lowercase": true},
		"pre_tokenizer": map[string]any{"type": "BertPreTokenizer"},
		"post_processor": map[string]any{"type": "BertProcessing",
			"sep": []any{"[SEP]", ids["[SEP]"]}, "cls": []any{"[CLS]", ids["[CLS]"]}},
		"decoder": map[string]any{"type": "WordPiece", "prefix": "##", "cleanup": true},
		"model": map[string]any{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
			"max_input_chars_per_word": o.MaxInputCharsPerWord, "vocab": ids},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
