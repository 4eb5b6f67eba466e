// Package tokenize turns text into WordPiece token ids.
//
// sugarme/tokenizer is the reference: it loads any Hugging Face
// tokenizer.json and defines what the ids must be. It is also slow (about
// 1,500 sentences/s on one core here), which would make tokenisation the
// bottleneck of batch scoring. WordPiece compiles a BERT-style tokenizer.json
// (BertNormalizer, BertPreTokenizer, WordPiece) into an allocation-free
// encoder that produces the same ids; tests compare the two over the whole
// corpus and under fuzzing. Other tokenizer.json files go through Sugarme.
package tokenize

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ErrUnsupported marks a tokenizer.json the compiled encoder does not cover;
// callers fall back to Sugarme.
var ErrUnsupported = errors.New("tokenizer.json is not a plain BERT WordPiece tokenizer")

// Specials are the ids of the special tokens, -1 when absent.
type Specials struct{ CLS, SEP, PAD, UNK int }

// WordPiece is the compiled encoder. Safe for concurrent use: it is
// read-only after FromJSON.
type WordPiece struct {
	whole    map[string]int32 // word-initial pieces
	cont     map[string]int32 // continuation pieces, without their prefix
	unk      int32
	maxChars int
	size     int
	specials Specials
	// normaliser switches, as in the file
	clean, chinese, lower, strip bool
}

type hfFile struct {
	AddedTokens []struct {
		Content string `json:"content"`
		Special bool   `json:"special"`
	} `json:"added_tokens"`
	Normalizer    map[string]any `json:"normalizer"`
	PreTokenizer  map[string]any `json:"pre_tokenizer"`
	PostProcessor map[string]any `json:"post_processor"`
	Model         struct {
		Type                    string           `json:"type"`
		UnkToken                string           `json:"unk_token"`
		ContinuingSubwordPrefix *string          `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    int              `json:"max_input_chars_per_word"`
		Vocab                   map[string]int32 `json:"vocab"`
	} `json:"model"`
}

// FromJSON compiles a tokenizer.json. Files with another normaliser,
// pre-tokeniser or model, or with added tokens (which are matched in raw
// text before normalisation), return an error wrapping ErrUnsupported.
func FromJSON(data []byte) (*WordPiece, error) {
	var f hfFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("tokenizer.json: %w", err)
	}
	if f.Model.Type != "WordPiece" {
		return nil, fmt.Errorf("%w: model type %q", ErrUnsupported, f.Model.Type)
	}
	if f.Normalizer == nil || f.Normalizer["type"] != "BertNormalizer" {
		return nil, fmt.Errorf("%w: normalizer %v", ErrUnsupported, f.Normalizer["type"])
	}
	if f.PreTokenizer == nil || f.PreTokenizer["type"] != "BertPreTokenizer" {
		return nil, fmt.Errorf("%w: pre_tokenizer %v", ErrUnsupported, f.PreTokenizer["type"])
	}
	if len(f.AddedTokens) > 0 {
		return nil, fmt.Errorf("%w: added_tokens are matched in raw text", ErrUnsupported)
	}
	flag := func(name string) (bool, error) {
		v, ok := f.Normalizer[name]
		if !ok || v == nil {
			// sugarme reads a missing or null switch as false
			return false, nil
		}
		b, ok := v.(bool)
		if !ok {
			return false, fmt.Errorf("tokenizer.json: normalizer.%s is %v, want true or false", name, v)
		}
		return b, nil
	}
	w := &WordPiece{whole: map[string]int32{}, cont: map[string]int32{}, maxChars: f.Model.MaxInputCharsPerWord}
	var err error
	for name, dst := range map[string]*bool{"clean_text": &w.clean, "handle_chinese_chars": &w.chinese, "lowercase": &w.lower, "strip_accents": &w.strip} {
		if *dst, err = flag(name); err != nil {
			return nil, err
		}
	}
	if len(f.Model.Vocab) == 0 {
		return nil, errors.New("tokenizer.json: model.vocab is empty")
	}
	prefix := "##"
	if f.Model.ContinuingSubwordPrefix != nil {
		prefix = *f.Model.ContinuingSubwordPrefix
	}
	if w.maxChars <= 0 {
		w.maxChars = 100
	}
	for tok, id := range f.Model.Vocab {
		if id < 0 {
			return nil, fmt.Errorf("tokenizer.json: token %q has negative id %d", tok, id)
		}
		w.size = max(w.size, int(id)+1)
		if prefix != "" && len(tok) > len(prefix) && tok[:len(prefix)] == prefix {
			w.cont[tok[len(prefix):]] = id
		}
		w.whole[tok] = id
	}
	unk, ok := f.Model.Vocab[f.Model.UnkToken]
	if !ok {
		return nil, fmt.Errorf("tokenizer.json: unk_token %q is not in the vocabulary", f.Model.UnkToken)
	}
	w.unk = unk
	id := func(tok string) int {
		if v, ok := f.Model.Vocab[tok]; ok {
			return int(v)
		}
		return -1
	}
	w.specials = Specials{CLS: id("[CLS]"), SEP: id("[SEP]"), PAD: id("[PAD]"), UNK: int(unk)}
	if pp := f.PostProcessor; pp != nil {
		if cls, ok := postToken(pp, "cls"); ok {
			w.specials.CLS = id(cls)
		}
		if sep, ok := postToken(pp, "sep"); ok {
			w.specials.SEP = id(sep)
		}
	}
	return w, nil
}

// postToken reads BertProcessing's ["[CLS]", 101] pairs.
func postToken(pp map[string]any, key string) (string, bool) {
	pair, ok := pp[key].([]any)
	if !ok || len(pair) == 0 {
		return "", false
	}
	s, ok := pair[0].(string)
	return s, ok
}

// Specials returns the special token ids.
func (w *WordPiece) Specials() Specials { return w.specials }

// VocabSize is one more than the largest id.
func (w *WordPiece) VocabSize() int { return w.size }

// bertPunct is BERT's extension of Unicode punctuation: every ASCII symbol.
var bertPunct = &unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x21, Hi: 0x2f, Stride: 1}, {Lo: 0x3a, Hi: 0x40, Stride: 1},
	{Lo: 0x5b, Hi: 0x60, Stride: 1}, {Lo: 0x7b, Hi: 0x7e, Stride: 1},
}, LatinOffset: 4}

var cjk = &unicode.RangeTable{
	R16: []unicode.Range16{{Lo: 0x3400, Hi: 0x4dbf, Stride: 1}, {Lo: 0x4e00, Hi: 0x9fff, Stride: 1}, {Lo: 0xf900, Hi: 0xfaff, Stride: 1}},
	R32: []unicode.Range32{{Lo: 0x20000, Hi: 0x2a6df, Stride: 1}, {Lo: 0x2a700, Hi: 0x2b73f, Stride: 1},
		{Lo: 0x2b740, Hi: 0x2b81f, Stride: 1}, {Lo: 0x2b820, Hi: 0x2ceaf, Stride: 1}, {Lo: 0x2f800, Hi: 0x2fa1f, Stride: 1}},
}

// asciiClass classifies ASCII bytes once: 0 letter/digit, 1 white space
// (splits), 2 punctuation (its own word), 3 removed (control).
var asciiClass = func() (c [128]byte) {
	for b := 0; b < 128; b++ {
		switch {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r':
			c[b] = 1
		case b < 0x20 || b == 0x7f:
			c[b] = 3
		case unicode.In(rune(b), bertPunct):
			c[b] = 2
		}
	}
	return c
}()

// AppendIDs appends the ids of text, without special tokens.
//
// It follows sugarme's BertNormalizer step by step (clean text, pad CJK,
// lower-case, drop Mn marks — sugarme does not decompose first, so "é"
// stays "é"), then BertPreTokenizer (split on ASCII white space, isolate
// punctuation), then greedy longest-match WordPiece. Words are normalised
// into a small stack buffer; ASCII text never allocates.
func (w *WordPiece) AppendIDs(dst []int32, text string) ([]int32, error) {
	var buf [256]byte
	word := buf[:0]
	runes := 0
	flush := func() {
		if len(word) > 0 {
			dst = w.appendWord(dst, word, runes)
			word, runes = word[:0], 0
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch asciiClass[c] {
			case 0:
				if w.lower && 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				word = append(word, c)
				runes++
			case 1:
				flush()
			case 2:
				flush()
				dst = w.appendWord(dst, []byte{c}, 1)
			case 3:
				if !w.clean {
					word = append(word, c)
					runes++
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if w.clean && (r == utf8.RuneError || unicode.In(r, unicode.Cc, unicode.Cf)) {
			continue
		}
		if w.chinese && unicode.In(r, cjk) {
			flush()
			var tmp [4]byte
			n := utf8.EncodeRune(tmp[:], r)
			dst = w.appendWord(dst, tmp[:n], 1)
			continue
		}
		if w.lower {
			r = unicode.ToLower(r)
		}
		if w.strip && unicode.Is(unicode.Mn, r) {
			continue
		}
		if unicode.In(r, bertPunct, unicode.P) {
			flush()
			var tmp [4]byte
			n := utf8.EncodeRune(tmp[:], r)
			dst = w.appendWord(dst, tmp[:n], 1)
			continue
		}
		word = utf8.AppendRune(word, r)
		runes++
	}
	flush()
	return dst, nil
}

// appendWord is greedy longest-match-first WordPiece over one word; a word
// with a piece that matches nothing, or longer than max_input_chars_per_word
// runes, is one [UNK].
func (w *WordPiece) appendWord(dst []int32, word []byte, runes int) []int32 {
	if runes > w.maxChars {
		return append(dst, w.unk)
	}
	n := len(dst)
	for start := 0; start < len(word); {
		table := w.whole
		if start > 0 {
			table = w.cont
		}
		end := len(word)
		found := false
		for end > start {
			if id, ok := table[string(word[start:end])]; ok {
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
