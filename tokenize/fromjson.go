package tokenize

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// tokenizerJSON is the part of a Hugging Face tokenizer.json the encoders
// read. Truncation and padding are not applied: AppendIDs returns every id
// and the caller windows them.
type tokenizerJSON struct {
	AddedTokens   []addedTokenJSON `json:"added_tokens"`
	Normalizer    json.RawMessage  `json:"normalizer"`
	PreTokenizer  json.RawMessage  `json:"pre_tokenizer"`
	PostProcessor json.RawMessage  `json:"post_processor"`
	Padding       json.RawMessage  `json:"padding"`
	Decoder       json.RawMessage  `json:"decoder"`
	Model         *modelJSON       `json:"model"`
}

// modelJSON is the model's fields FromJSON reads, raw so that a file with
// another kind of model decodes too.
type modelJSON struct {
	Type                    json.RawMessage `json:"type"`
	UnkToken                json.RawMessage `json:"unk_token"`
	ContinuingSubwordPrefix json.RawMessage `json:"continuing_subword_prefix"`
	MaxInputCharsPerWord    json.RawMessage `json:"max_input_chars_per_word"`
	Vocab                   json.RawMessage `json:"vocab"`
}

type addedTokenJSON struct {
	ID         *float64 `json:"id"`
	Content    string   `json:"content"`
	SingleWord bool     `json:"single_word"`
	LStrip     bool     `json:"lstrip"`
	RStrip     bool     `json:"rstrip"`
	Normalized bool     `json:"normalized"`
	Special    bool     `json:"special"`
}

// object is a JSON object with its "type".
type object struct {
	typ    string
	fields map[string]json.RawMessage
}

// parseObject reads a component; null (or absent) gives a zero object.
func parseObject(name string, raw json.RawMessage) (object, error) {
	if len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return object{}, nil
	}
	var o object
	if err := json.Unmarshal(raw, &o.fields); err != nil {
		return o, fmt.Errorf("tokenizer.json: %s is not an object: %w", name, err)
	}
	if t, ok := o.fields["type"]; ok {
		if err := json.Unmarshal(t, &o.typ); err != nil {
			return o, fmt.Errorf("tokenizer.json: %s.type is not a string", name)
		}
	}
	return o, nil
}

func (o object) null() bool { return o.fields == nil }

// has tells whether the field is present and not null.
func (o object) has(key string) bool {
	v, ok := o.fields[key]
	return ok && !bytes.Equal(v, []byte("null"))
}

// decode reads a present, non-null field into v.
func (o object) decode(name, key string, v any) error {
	if err := json.Unmarshal(o.fields[key], v); err != nil {
		return fmt.Errorf("tokenizer.json: %s.%s: %w", name, key, err)
	}
	return nil
}

// bertNormFlags reads a BertNormalizer. A missing or null switch is false,
// as sugarme reads it, except strip_accents, which then follows lowercase
// (the tokenizer.json format's rule; NewSugarme applies it too).
func bertNormFlags(o object) (normFlags, error) {
	var f normFlags
	for key, dst := range map[string]*bool{"clean_text": &f.clean, "handle_chinese_chars": &f.chinese, "lowercase": &f.lower} {
		if o.has(key) {
			if err := o.decode("normalizer", key, dst); err != nil {
				return f, err
			}
		}
	}
	f.strip = f.lower
	if o.has("strip_accents") {
		if err := o.decode("normalizer", "strip_accents", &f.strip); err != nil {
			return f, err
		}
	}
	return f, nil
}

// integer reads a JSON number that must be a whole number in [0, limit].
func integer(what string, raw json.RawMessage, limit int) (int, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, fmt.Errorf("tokenizer.json: %s is %s, want a whole number from 0 to %d", what, raw, limit)
	}
	return wholeNumber(what, f, limit)
}

func wholeNumber(what string, f float64, limit int) (int, error) {
	if f != math.Trunc(f) || f < 0 || f > float64(limit) {
		return 0, fmt.Errorf("tokenizer.json: %s is %v, want a whole number from 0 to %d", what, f, limit)
	}
	return int(f), nil
}

// FromJSON compiles a tokenizer.json with a BertNormalizer, a
// BertPreTokenizer, a WordPiece model and a BertProcessing (or the
// equivalent [CLS] $A [SEP] TemplateProcessing, or no) post-processor.
// Special added tokens are cut out of the raw text as sugarme does; other
// added tokens, and any other component, give an error wrapping
// ErrUnsupported, for the caller to fall back to NewSugarme.
func FromJSON(data []byte) (*WordPiece, error) {
	var f tokenizerJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("tokenizer.json: %w", err)
	}
	if f.Model == nil {
		return nil, errors.New("tokenizer.json: no model")
	}
	m := f.Model
	var typ string
	if err := optional("model.type", m.Type, &typ); err != nil {
		return nil, err
	}
	if typ == "" {
		// sugarme, lacking model.type, goes by the decoder's.
		if dec, err := parseObject("decoder", f.Decoder); err == nil && dec.typ == "WordPiece" {
			typ = "WordPiece"
		}
	}
	if typ != "WordPiece" {
		return nil, fmt.Errorf("%w: model type %q", ErrUnsupported, typ)
	}
	norm, err := parseObject("normalizer", f.Normalizer)
	if err != nil {
		return nil, err
	}
	if norm.typ != "BertNormalizer" {
		return nil, fmt.Errorf("%w: normalizer %s", ErrUnsupported, describe(norm))
	}
	pre, err := parseObject("pre_tokenizer", f.PreTokenizer)
	if err != nil {
		return nil, err
	}
	if pre.typ != "BertPreTokenizer" {
		return nil, fmt.Errorf("%w: pre_tokenizer %s", ErrUnsupported, describe(pre))
	}
	flags, err := bertNormFlags(norm)
	if err != nil {
		return nil, err
	}

	unkTok, prefix := "[UNK]", "##"
	maxChars := float64(defaultMaxChars)
	for _, o := range []struct {
		name string
		raw  json.RawMessage
		dst  any
	}{
		{"model.unk_token", m.UnkToken, &unkTok},
		{"model.continuing_subword_prefix", m.ContinuingSubwordPrefix, &prefix},
		{"model.max_input_chars_per_word", m.MaxInputCharsPerWord, &maxChars},
	} {
		if err := optional(o.name, o.raw, o.dst); err != nil {
			return nil, err
		}
	}
	if _, err := wholeNumber("model.max_input_chars_per_word", maxChars, 1<<24); err != nil {
		return nil, err
	}
	arena, entries, err := parseVocab(m.Vocab)
	if err != nil {
		return nil, err
	}
	vocab := newVocabTable(arena, entries, prefix)
	unk, ok := vocab.lookup(unkTok)
	if !ok {
		return nil, fmt.Errorf("tokenizer.json: model.unk_token %q is not in model.vocab", unkTok)
	}

	w := &WordPiece{
		vocab:    vocab,
		norm:     newNormalizer(flags),
		unk:      unk,
		maxChars: int(maxChars),
		maxBytes: maxBytesFor(int(maxChars)),
		size:     int(vocab.maxID()) + 1,
	}
	if w.added, err = compileAdded(f.AddedTokens, &w.vocab); err != nil {
		return nil, err
	}
	for c := range w.isolated {
		w.isolated[c] = w.appendWord(nil, []byte{byte(c)}, 1, nil)[0]
	}

	lookup := func(tok string) int {
		if id, ok := vocab.lookup(tok); ok {
			return int(id)
		}
		return -1
	}
	w.specials = Specials{CLS: lookup("[CLS]"), SEP: lookup("[SEP]"), PAD: lookup("[PAD]"), UNK: int(unk)}
	post, err := parseObject("post_processor", f.PostProcessor)
	if err != nil {
		return nil, err
	}
	if !post.null() {
		cls, sep, bert, err := postSpecials(post)
		if err != nil {
			return nil, err
		}
		if !bert {
			return nil, fmt.Errorf("%w: post_processor %s", ErrUnsupported, describe(post))
		}
		w.specials.CLS, w.specials.SEP = cls, sep
	}
	if pad, ok, err := padID(f.Padding); err != nil {
		return nil, err
	} else if ok {
		w.specials.PAD = pad
	}
	return w, nil
}

// describe names a component for an error message.
func describe(o object) string {
	switch {
	case o.null():
		return "null"
	case o.typ == "":
		return "without a type"
	}
	return fmt.Sprintf("%q", o.typ)
}

// optional decodes raw into dst unless it is absent or null.
func optional(name string, raw json.RawMessage, dst any) error {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("tokenizer.json: %s: %w", name, err)
	}
	return nil
}

// parseVocab reads model.vocab, an object of token ids, into one arena of
// token bytes, without a map or a string per token: the vocabulary is most
// of the file, and loading it is most of a one-article run's tokenizer
// cost. The whole file has already been through encoding/json, so raw is
// well-formed JSON; a key with escapes or invalid UTF-8 is decoded by
// encoding/json itself, so every key reads as sugarme reads it.
func parseVocab(raw []byte) ([]byte, []vocabEntry, error) {
	p := 0
	skip := func() {
		for p < len(raw) && (raw[p] == ' ' || raw[p] == '\t' || raw[p] == '\n' || raw[p] == '\r') {
			p++
		}
	}
	skip()
	if p == len(raw) || bytes.Equal(raw[p:], []byte("null")) {
		return nil, nil, errors.New("tokenizer.json: model.vocab is missing")
	}
	if raw[p] != '{' {
		return nil, nil, errors.New("tokenizer.json: model.vocab is not an object of token ids")
	}
	p++
	arena := make([]byte, 0, len(raw)/2)
	entries := make([]vocabEntry, 0, bytes.Count(raw, []byte{':'}))
	for {
		skip()
		if raw[p] == ',' {
			p++
			skip()
		}
		if raw[p] == '}' {
			break
		}
		end := p + 1 // raw[p] is the key's opening quote
		plain := true
		for raw[end] != '"' {
			if raw[end] == '\\' {
				plain = false
				end++
			} else if raw[end] >= utf8.RuneSelf {
				plain = false
			}
			end++
		}
		key := raw[p : end+1]
		off := len(arena)
		if plain || (bytes.IndexByte(key, '\\') < 0 && utf8.Valid(key)) {
			arena = append(arena, key[1:len(key)-1]...)
		} else {
			var s string
			if err := json.Unmarshal(key, &s); err != nil {
				return nil, nil, fmt.Errorf("tokenizer.json: model.vocab key %s: %w", key, err)
			}
			arena = append(arena, s...)
		}
		p = end + 1
		skip()
		p++ // the colon
		skip()
		start := p
		for p < len(raw) && raw[p] != ',' && raw[p] != '}' && raw[p] != ' ' && raw[p] != '\n' && raw[p] != '\t' && raw[p] != '\r' {
			p++
		}
		id, err := tokenID(arena[off:], raw[start:p])
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, vocabEntry{off: uint32(off), n: uint32(len(arena) - off), id: id})
	}
	if len(entries) == 0 {
		return nil, nil, errors.New("tokenizer.json: model.vocab is empty")
	}
	return arena, entries, nil
}

// tokenID reads a token's id: a whole number from 0 to MaxInt32-1 (sugarme
// reads any JSON number and truncates it; a fraction here is an error).
func tokenID(tok []byte, num []byte) (int32, error) {
	v := int64(0)
	for _, c := range num {
		if c < '0' || c > '9' || v > math.MaxInt32 {
			v = -1
			break
		}
		v = v*10 + int64(c-'0')
	}
	if len(num) > 0 && 0 <= v && v < math.MaxInt32 {
		return int32(v), nil
	}
	// Not plain digits: an exponent, a fraction, a sign, or no number.
	what := fmt.Sprintf("the id of token %q", tok)
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		if len(num) > 24 {
			num = append(num[:24:24], "…"...)
		}
		return 0, fmt.Errorf("tokenizer.json: %s is %s, want a whole number", what, num)
	}
	id, err := wholeNumber(what, f, math.MaxInt32-1)
	return int32(id), err
}

// compileAdded accepts the added tokens BERT files have: special, not
// normalised, no stripping or word boundaries, and already in the vocabulary
// with the same id. sugarme gives a token in the vocabulary its vocabulary
// id and never matches a non-special one that is in the vocabulary.
func compileAdded(tokens []addedTokenJSON, vocab *vocabTable) (*addedTokens, error) {
	var contents []string
	var ids []int32
	seen := map[string]bool{}
	for _, t := range tokens {
		id, inVocab := vocab.lookup(t.Content)
		switch {
		case t.Content == "":
			continue // sugarme ignores it
		case !t.Special && inVocab:
			continue // never matched by sugarme
		case !t.Special:
			return nil, fmt.Errorf("%w: added token %q is not special", ErrUnsupported, t.Content)
		case t.Normalized || t.LStrip || t.RStrip || t.SingleWord:
			return nil, fmt.Errorf("%w: added token %q is normalized, stripped or single-word", ErrUnsupported, t.Content)
		case !inVocab:
			return nil, fmt.Errorf("%w: added token %q is not in model.vocab", ErrUnsupported, t.Content)
		case t.ID != nil && *t.ID != float64(id):
			return nil, fmt.Errorf("%w: added token %q has id %v but %d in model.vocab", ErrUnsupported, t.Content, *t.ID, id)
		case seen[t.Content]:
			continue
		}
		seen[t.Content] = true
		contents = append(contents, t.Content)
		ids = append(ids, id)
	}
	if len(contents) == 0 {
		return nil, nil
	}
	return newAddedTokens(contents, ids), nil
}

// postSpecials reads the CLS and SEP ids a post-processor adds. bert is
// false for a shape other than BertProcessing or the equivalent [CLS] $A
// [SEP] template; cls and sep are then what a single sequence starts and
// ends with, or -1.
func postSpecials(post object) (cls, sep int, bert bool, err error) {
	switch post.typ {
	case "BertProcessing", "RobertaProcessing":
		if cls, err = postPair(post, "cls"); err != nil {
			return -1, -1, false, err
		}
		if sep, err = postPair(post, "sep"); err != nil {
			return -1, -1, false, err
		}
		return cls, sep, post.typ == "BertProcessing", nil
	case "TemplateProcessing":
		return templateSpecials(post)
	}
	return -1, -1, false, nil
}

// postPair reads BertProcessing's ["[CLS]", 101].
func postPair(post object, key string) (int, error) {
	var pair []json.RawMessage
	var tok string
	if !post.has(key) {
		return -1, fmt.Errorf("tokenizer.json: post_processor.%s is missing", key)
	}
	if err := post.decode("post_processor", key, &pair); err != nil || len(pair) != 2 || json.Unmarshal(pair[0], &tok) != nil {
		return -1, fmt.Errorf("tokenizer.json: post_processor.%s is not a [token, id] pair", key)
	}
	return integer("post_processor."+key+" id", pair[1], math.MaxInt32-1)
}

type templatePiece struct {
	SpecialToken *struct {
		ID string `json:"id"`
	} `json:"SpecialToken"`
	Sequence *struct {
		ID string `json:"id"`
	} `json:"Sequence"`
}

type templateSpecial struct {
	IDs []float64 `json:"ids"`
}

func templateSpecials(post object) (cls, sep int, bert bool, err error) {
	var single []templatePiece
	specials := map[string]templateSpecial{}
	if post.has("single") {
		if err := post.decode("post_processor", "single", &single); err != nil {
			return -1, -1, false, err
		}
	}
	if post.has("special_tokens") {
		if err := post.decode("post_processor", "special_tokens", &specials); err != nil {
			return -1, -1, false, err
		}
	}
	id := func(p templatePiece) (int, error) {
		s, ok := specials[p.SpecialToken.ID]
		if !ok || len(s.IDs) != 1 {
			return -1, fmt.Errorf("tokenizer.json: post_processor.special_tokens lacks a single id for %q", p.SpecialToken.ID)
		}
		return wholeNumber("post_processor.special_tokens id", s.IDs[0], math.MaxInt32-1)
	}
	cls, sep = -1, -1
	seq := -1
	for i, p := range single {
		switch {
		case p.Sequence != nil && seq < 0:
			seq = i
		case p.SpecialToken != nil && seq < 0 && cls < 0:
			if cls, err = id(p); err != nil {
				return -1, -1, false, err
			}
		case p.SpecialToken != nil && seq >= 0 && sep < 0:
			if sep, err = id(p); err != nil {
				return -1, -1, false, err
			}
		}
	}
	bert = len(single) == 3 && single[0].SpecialToken != nil && single[1].Sequence != nil &&
		single[1].Sequence.ID == "A" && single[2].SpecialToken != nil
	return cls, sep, bert, nil
}

// padID reads padding.pad_id when padding is set.
func padID(raw json.RawMessage) (int, bool, error) {
	pad, err := parseObject("padding", raw)
	if err != nil || pad.null() || !pad.has("pad_id") {
		return -1, false, err
	}
	id, err := integer("padding.pad_id", pad.fields["pad_id"], math.MaxInt32-1)
	return id, err == nil, err
}
