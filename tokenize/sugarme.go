package tokenize

import (
	"bytes"
	"fmt"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/pretrained"
)

// Sugarme wraps sugarme/tokenizer: the reference for ids, and the encoder
// for any tokenizer.json the compiled WordPiece does not cover.
type Sugarme struct {
	tk       *tokenizer.Tokenizer
	specials Specials
	size     int
}

// NewSugarme loads a tokenizer.json with sugarme/tokenizer.
func NewSugarme(data []byte) (s *Sugarme, err error) {
	defer func() {
		// sugarme panics on some malformed files (type assertions on JSON).
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("tokenizer.json: sugarme/tokenizer cannot load it: %v", r)
		}
	}()
	tk, err := pretrained.FromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("tokenizer.json: %w", err)
	}
	id := func(tok string) int {
		if v, ok := tk.TokenToId(tok); ok {
			return v
		}
		return -1
	}
	sp := Specials{CLS: id("[CLS]"), SEP: id("[SEP]"), PAD: id("[PAD]"), UNK: id("[UNK]")}
	if sp.CLS < 0 {
		sp.CLS, sp.SEP, sp.PAD, sp.UNK = id("<s>"), id("</s>"), id("<pad>"), id("<unk>")
	}
	return &Sugarme{tk: tk, specials: sp, size: tk.GetVocabSize(true)}, nil
}

// AppendIDs appends the ids of text, without special tokens.
func (s *Sugarme) AppendIDs(dst []int32, text string) (out []int32, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = dst, fmt.Errorf("sugarme/tokenizer failed on the text: %v", r)
		}
	}()
	if len(text) == 0 {
		return dst, nil
	}
	enc, err := s.tk.EncodeSingle(text, false)
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

// VocabSize counts the vocabulary including added tokens.
func (s *Sugarme) VocabSize() int { return s.size }
