package tokenize

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/pretrained"
)

// Sugarme wraps sugarme/tokenizer: the reference for ids, and the encoder
// for any tokenizer.json the compiled WordPiece does not cover (BPE,
// Unigram, other normalisers). Safe for concurrent use.
type Sugarme struct {
	tk       *tokenizer.Tokenizer
	specials Specials
	size     int
	// bert is set for a BertNormalizer, whose bugs AppendIDs works around.
	bert  *normFlags
	added []string // the added tokens' contents
	// removedInAdded is set when an added token holds a character
	// clean_text removes, which dropping such characters could break.
	removedInAdded bool
}

// NewSugarme loads a tokenizer.json with sugarme/tokenizer v0.3.0, with two
// changes. A BertNormalizer's null or missing strip_accents follows
// lowercase, as the format says (sugarme reads it as false, so an uncased
// BERT file from Hugging Face would keep its accents). Truncation and
// padding are switched off: AppendIDs returns every id, as WordPiece does.
// The load itself is sugarme's, so whatever it accepts (BPE, Unigram,
// WordLevel, other normalisers) works here.
func NewSugarme(data []byte) (s *Sugarme, err error) {
	defer func() {
		// sugarme panics on many malformed files (type assertions on JSON).
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("tokenizer.json: sugarme/tokenizer cannot load it: %v", r)
		}
	}()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("tokenizer.json: %w", err)
	}
	if doc["model"] == nil {
		return nil, fmt.Errorf("tokenizer.json: no model")
	}
	followLowercase(doc["normalizer"])
	fixed, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("tokenizer.json: %w", err)
	}
	tk, err := pretrained.FromReader(bytes.NewReader(fixed))
	if err != nil {
		return nil, fmt.Errorf("tokenizer.json: sugarme/tokenizer cannot load it: %w", err)
	}
	tk.WithTruncation(nil)
	tk.WithPadding(nil)
	var f tokenizerJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("tokenizer.json: %w", err)
	}
	s = &Sugarme{tk: tk}
	if norm, err := parseObject("normalizer", f.Normalizer); err == nil && norm.typ == "BertNormalizer" {
		flags, err := bertNormFlags(norm)
		if err != nil {
			return nil, err
		}
		s.bert = &flags
	}
	for _, t := range f.AddedTokens {
		if t.Content != "" {
			s.added = append(s.added, t.Content)
			s.removedInAdded = s.removedInAdded || strings.IndexFunc(t.Content, removedByClean) >= 0
		}
	}
	if s.specials, err = sugarmeSpecials(tk, f); err != nil {
		return nil, err
	}
	for _, id := range tk.GetVocab(false) { // the model's own map: read only
		s.size = max(s.size, id+1)
	}
	for _, t := range f.AddedTokens {
		if id, ok := tk.TokenToId(t.Content); ok {
			s.size = max(s.size, id+1)
		}
	}
	return s, nil
}

// followLowercase gives BertNormalizers (also inside a Sequence) without an
// explicit strip_accents the value of lowercase.
func followLowercase(n any) {
	m, ok := n.(map[string]any)
	if !ok {
		return
	}
	switch m["type"] {
	case "BertNormalizer":
		if m["strip_accents"] == nil {
			lower, _ := m["lowercase"].(bool)
			m["strip_accents"] = lower
		}
	case "Sequence":
		if list, ok := m["normalizers"].([]any); ok {
			for _, x := range list {
				followLowercase(x)
			}
		}
	}
}

// sugarmeSpecials finds the special ids the way FromJSON does, falling back
// to the usual token names when the post-processor does not say.
func sugarmeSpecials(tk *tokenizer.Tokenizer, f tokenizerJSON) (Specials, error) {
	id := func(names ...string) int {
		for _, n := range names {
			if v, ok := tk.TokenToId(n); ok {
				return v
			}
		}
		return -1
	}
	sp := Specials{CLS: id("[CLS]", "<s>"), SEP: id("[SEP]", "</s>"), PAD: id("[PAD]", "<pad>"), UNK: id("[UNK]", "<unk>")}
	var unk string
	if f.Model != nil && json.Unmarshal(f.Model.UnkToken, &unk) == nil {
		sp.UNK = id(unk)
	}
	post, err := parseObject("post_processor", f.PostProcessor)
	if err != nil {
		return sp, err
	}
	if cls, sep, _, err := postSpecials(post); err != nil {
		return sp, err
	} else if cls >= 0 || sep >= 0 {
		sp.CLS, sp.SEP = cls, sep
	}
	if pad, ok, err := padID(f.Padding); err != nil {
		return sp, err
	} else if ok {
		sp.PAD = pad
	}
	return sp, nil
}

// AppendIDs appends the ids of text, without special tokens.
//
// Invalid UTF-8 is first replaced by one U+FFFD per bad byte, which is how
// Go reads it and how WordPiece does. sugarme itself keeps byte offsets that
// count a bad byte as a 3-byte U+FFFD: on such text it returns ids for
// shifted, garbled words, panics, or calls log.Fatal, which ends the whole
// program.
//
// For a BertNormalizer, which works rune by rune, two more bugs are worked
// around by doing a step of its own early, which leaves the ids as they
// would be without the bug. sugarme lower-cases the whole string at once and
// then slices it with offsets taken before, so it panics on the runes whose
// lower case is longer or shorter in UTF-8 (İ, ẞ, the Kelvin and Ohm signs,
// 25 in all): they are lower-cased first. And its offset bookkeeping breaks
// when clean_text removes characters: with a CJK ideograph in the text it
// repeats words ("B東.\u200b" gives B 東 . .), and with a removal at the
// start followed by accent stripping ("\u200b\u0301\u0301") it panics or
// calls log.Fatal. Those characters are dropped first (see dropRemoved).
// Other panics come back as errors.
func (s *Sugarme) AppendIDs(dst []int32, text string) (out []int32, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = dst, fmt.Errorf("sugarme/tokenizer failed on the text: %v", r)
		}
	}()
	enc, err := s.tk.EncodeSingle(s.prepare(text), false)
	if err != nil {
		return dst, err
	}
	for _, id := range enc.Ids {
		dst = append(dst, int32(id))
	}
	return dst, nil
}

// Specials returns the special token ids (-1 when absent).
func (s *Sugarme) Specials() Specials { return s.specials }

// VocabSize is one more than the largest id.
func (s *Sugarme) VocabSize() int { return s.size }

// prepare applies the workarounds AppendIDs describes.
func (s *Sugarme) prepare(text string) string {
	text = validUTF8(text)
	if s.bert != nil && s.bert.lower {
		text = lowerResized(text)
	}
	if s.bert != nil && s.bert.clean && !s.removedInAdded {
		text = dropRemoved(text, s.added)
	}
	return text
}

// lowerResized lower-cases the runes whose lower case differs in UTF-8
// length and leaves everything else, invalid bytes too, as it is.
func lowerResized(text string) string {
	resized := func(r rune) bool {
		return r >= utf8.RuneSelf && utf8.RuneLen(unicode.ToLower(r)) != utf8.RuneLen(r)
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case resized(r):
			if b.Len() == 0 {
				b.WriteString(text[:i])
			}
			b.WriteRune(unicode.ToLower(r))
		case b.Len() > 0:
			b.WriteString(text[i : i+size])
		}
		i += size
	}
	if b.Len() == 0 {
		return text
	}
	return b.String()
}

// validUTF8 replaces each invalid byte with U+FFFD.
func validUTF8(text string) string {
	if utf8.ValidString(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 8)
	for _, r := range text {
		b.WriteRune(r) // range yields U+FFFD for each bad byte
	}
	return b.String()
}

// dropRemoved drops the characters clean_text removes (NUL, U+FFFD,
// control and format characters), which changes no id, except where that
// would join the parts of an added token into one (as in "[CL\u200bS]",
// which sugarme matches before normalising, so the raw text decides).
func dropRemoved(text string, added []string) string {
	var b strings.Builder
	at := 0 // text[:at] is written or dropped
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !removedByClean(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !removedByClean(r) {
				break
			}
			j += size
		}
		b.WriteString(text[at:i])
		if joinsAdded(b.String(), text[j:], added) {
			b.WriteString(text[i:j])
		}
		at, i = j, j
	}
	if at == 0 {
		return text
	}
	b.WriteString(text[at:])
	return b.String()
}

func removedByClean(r rune) bool { return r == 0 || r == utf8.RuneError || isControl(r) }

// joinsAdded tells whether left+right has an added token across the join.
func joinsAdded(left, right string, added []string) bool {
	for _, a := range added {
		for k := 1; k < len(a); k++ {
			if strings.HasSuffix(left, a[:k]) && strings.HasPrefix(right, a[k:]) {
				return true
			}
		}
	}
	return false
}
