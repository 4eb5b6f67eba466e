package tokenize

import (
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// specialTokens in BERT's order; [PAD] is id 0.
var specialTokens = [...]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

// trainFlags are the normaliser WriteJSON declares: uncased, no accents.
var trainFlags = normFlags{clean: true, chinese: true, lower: true, strip: true}

// defaultMaxChars is max_input_chars_per_word unless JSONOptions say.
const defaultMaxChars = 100

// TrainOptions tune TrainWordPiece.
type TrainOptions struct {
	VocabSize    int // tokens in all, the special ones included
	MinFrequency int // a pair seen fewer times is never merged; 0 means 2
}

// TrainWordPiece learns a WordPiece vocabulary from texts the way Hugging
// Face's WordPieceTrainer does: the words are the encoder's own (normalised
// and pre-tokenised exactly as AppendIDs does for the tokenizer.json
// WriteJSON writes); they start as characters, word-initial ("c") or
// continuing ("##c"); then the most frequent adjacent pair is merged into a
// new token, again and again, until the vocabulary is full or no pair is
// seen MinFrequency times. Every character is in the vocabulary in both
// forms (the rarest give way first if VocabSize is too small for all), so a
// word of seen characters never becomes [UNK]. Ties go to the pair whose
// tokens sort first, so the result depends only on the texts and options.
//
// The vocabulary starts with [PAD] (id 0), [UNK], [CLS], [SEP] and [MASK],
// then the characters, most frequent first, then the merges in order.
func TrainWordPiece(texts []string, o TrainOptions) ([]string, error) {
	if o.VocabSize <= len(specialTokens) {
		return nil, fmt.Errorf("train WordPiece: vocab size %d leaves no room beside the %d special tokens", o.VocabSize, len(specialTokens))
	}
	switch {
	case o.MinFrequency < 0:
		return nil, fmt.Errorf("train WordPiece: min frequency %d is negative", o.MinFrequency)
	case o.MinFrequency == 0:
		o.MinFrequency = 2
	}
	counts := newNormalizerOnly(trainFlags, defaultMaxChars).wordCounts(texts)
	if len(counts) == 0 {
		return nil, fmt.Errorf("train WordPiece: the %d texts hold no words", len(texts))
	}
	t := newTrainer(counts, o.VocabSize)
	t.merge(o.VocabSize, o.MinFrequency)
	return t.vocab, nil
}

// trainer holds the words as symbol sequences and the counts of adjacent
// symbol pairs, updated as pairs merge.
type trainer struct {
	vocab   []string
	syms    []string // symbol id -> token
	symID   map[string]int32
	words   [][]int32
	counts  []int
	pairs   map[uint64]int     // pair -> occurrences, weighted by word count
	where   map[uint64][]int32 // pair -> words that have (or had) it
	queue   pairQueue
	visited []int // the merge step that last rewrote each word
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

func newTrainer(counts map[string]int, size int) *trainer {
	t := &trainer{symID: map[string]int32{}, pairs: map[uint64]int{}, where: map[uint64][]int32{}}
	t.queue.t = t
	for _, s := range specialTokens {
		t.vocab = append(t.vocab, s)
	}
	words := make([]string, 0, len(counts))
	chars := map[rune]int{}
	for w, c := range counts {
		words = append(words, w)
		for _, r := range w {
			chars[r] += c
		}
	}
	slices.Sort(words)
	alphabet := make([]rune, 0, len(chars))
	for r := range chars {
		alphabet = append(alphabet, r)
	}
	slices.SortFunc(alphabet, func(a, b rune) int {
		if chars[a] != chars[b] {
			return chars[b] - chars[a]
		}
		return int(a - b)
	})
	for _, r := range alphabet {
		if len(t.vocab)+2 > size {
			break
		}
		t.add(string(r))
		t.add("##" + string(r))
	}
next:
	for _, w := range words {
		seq := make([]int32, 0, utf8.RuneCountInString(w))
		for i, r := range w {
			tok := string(r)
			if i > 0 {
				tok = "##" + tok
			}
			id, ok := t.symID[tok]
			if !ok {
				continue next // a character that did not fit: the word is [UNK]
			}
			seq = append(seq, id)
		}
		i := int32(len(t.words))
		t.words = append(t.words, seq)
		t.counts = append(t.counts, counts[w])
		t.addPairs(i, seq, counts[w], nil)
	}
	t.visited = make([]int, len(t.words))
	for p, c := range t.pairs {
		t.queue.items = append(t.queue.items, queued{pair: p, count: c})
	}
	heap.Init(&t.queue)
	return t
}

// add puts a token in the vocabulary (once) and returns its symbol.
func (t *trainer) add(tok string) int32 {
	if id, ok := t.symID[tok]; ok {
		return id
	}
	id := int32(len(t.syms))
	t.syms = append(t.syms, tok)
	t.symID[tok] = id
	t.vocab = append(t.vocab, tok)
	return id
}

// addPairs counts the pairs of word i; pairs with sym (all if sym is nil)
// also record the word in where.
func (t *trainer) addPairs(i int32, seq []int32, c int, sym *int32) {
	for k := 0; k+1 < len(seq); k++ {
		p := pairKey(seq[k], seq[k+1])
		t.pairs[p] += c
		if sym == nil || seq[k] == *sym || seq[k+1] == *sym {
			if ws := t.where[p]; len(ws) == 0 || ws[len(ws)-1] != i {
				t.where[p] = append(ws, i)
			}
		}
	}
}

func (t *trainer) merge(size, minFreq int) {
	for step := 1; len(t.vocab) < size && t.queue.Len() > 0; step++ {
		top := heap.Pop(&t.queue).(queued)
		if now := t.pairs[top.pair]; now != top.count {
			if now > 0 {
				heap.Push(&t.queue, queued{pair: top.pair, count: now})
			}
			continue
		}
		if top.count < minFreq {
			return
		}
		a, b := int32(top.pair>>32), int32(uint32(top.pair))
		sym := t.add(t.syms[a] + strings.TrimPrefix(t.syms[b], "##"))
		changed := map[uint64]bool{}
		for _, i := range t.where[top.pair] {
			if t.visited[i] == step {
				continue
			}
			t.visited[i] = step
			seq, c := t.words[i], t.counts[i]
			if !hasPair(seq, a, b) {
				continue
			}
			for k := 0; k+1 < len(seq); k++ {
				p := pairKey(seq[k], seq[k+1])
				t.pairs[p] -= c
				changed[p] = true
			}
			n := 0
			for k := 0; k < len(seq); n++ {
				if k+1 < len(seq) && seq[k] == a && seq[k+1] == b {
					seq[n], k = sym, k+2
				} else {
					seq[n], k = seq[k], k+1
				}
			}
			seq = seq[:n]
			t.words[i] = seq
			t.addPairs(i, seq, c, &sym)
			for k := 0; k+1 < len(seq); k++ {
				changed[pairKey(seq[k], seq[k+1])] = true
			}
		}
		for p := range changed {
			if c := t.pairs[p]; c > 0 {
				heap.Push(&t.queue, queued{pair: p, count: c})
			} else {
				delete(t.pairs, p)
			}
		}
	}
}

func hasPair(seq []int32, a, b int32) bool {
	for k := 0; k+1 < len(seq); k++ {
		if seq[k] == a && seq[k+1] == b {
			return true
		}
	}
	return false
}

// pairQueue is a max-heap of pair counts; entries go stale as counts change
// and are checked when popped.
type pairQueue struct {
	t     *trainer
	items []queued
}

type queued struct {
	pair  uint64
	count int
}

func (q *pairQueue) Len() int { return len(q.items) }
func (q *pairQueue) Less(i, j int) bool {
	x, y := q.items[i], q.items[j]
	if x.count != y.count {
		return x.count > y.count
	}
	s := q.t.syms
	xa, xb, ya, yb := s[x.pair>>32], s[uint32(x.pair)], s[y.pair>>32], s[uint32(y.pair)]
	if xa != ya {
		return xa < ya
	}
	return xb < yb
}
func (q *pairQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *pairQueue) Push(x any)    { q.items = append(q.items, x.(queued)) }
func (q *pairQueue) Pop() any {
	x := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return x
}

// JSONOptions tune WriteJSON.
type JSONOptions struct {
	MaxInputCharsPerWord int // longer words become [UNK]; 0 means 100
}

// WriteJSON writes vocab (ids are positions) as a Hugging Face
// tokenizer.json for an uncased BERT: BertNormalizer with every switch
// explicit (sugarme cannot read strip_accents null), BertPreTokenizer,
// WordPiece with the ## prefix, BertProcessing, no truncation or padding,
// and the special tokens present in vocab as special added tokens, as
// Hugging Face writes them. sugarme v0.3.0, Hugging Face tokenizers and
// FromJSON all load it. vocab must hold [UNK], [CLS] and [SEP], once each.
func WriteJSON(w io.Writer, vocab []string, o JSONOptions) error {
	switch {
	case o.MaxInputCharsPerWord < 0:
		return fmt.Errorf("write tokenizer.json: max input chars per word %d is negative", o.MaxInputCharsPerWord)
	case o.MaxInputCharsPerWord == 0:
		o.MaxInputCharsPerWord = defaultMaxChars
	}
	ids := make(map[string]int, len(vocab))
	for i, t := range vocab {
		switch {
		case t == "":
			return fmt.Errorf("write tokenizer.json: token %d is empty", i)
		case !utf8.ValidString(t):
			return fmt.Errorf("write tokenizer.json: token %d (%q) is not valid UTF-8", i, t)
		}
		if j, dup := ids[t]; dup {
			return fmt.Errorf("write tokenizer.json: token %q is both %d and %d", t, j, i)
		}
		ids[t] = i
	}
	for _, s := range []string{"[UNK]", "[CLS]", "[SEP]"} {
		if _, ok := ids[s]; !ok {
			return errors.New("write tokenizer.json: the vocabulary lacks " + s)
		}
	}
	var b strings.Builder
	b.WriteString("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [")
	sep := "\n"
	for _, s := range specialTokens {
		if id, ok := ids[s]; ok {
			fmt.Fprintf(&b, "%s    {\"id\": %d, \"content\": %s, \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}", sep, id, marshal(s))
			sep = ",\n"
		}
	}
	b.WriteString("\n  ],\n")
	b.WriteString(`  "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": true, "lowercase": true},
  "pre_tokenizer": {"type": "BertPreTokenizer"},
`)
	fmt.Fprintf(&b, "  \"post_processor\": {\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", %d], \"cls\": [\"[CLS]\", %d]},\n", ids["[SEP]"], ids["[CLS]"])
	b.WriteString(`  "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
  "model": {
    "type": "WordPiece",
    "unk_token": "[UNK]",
    "continuing_subword_prefix": "##",
`)
	fmt.Fprintf(&b, "    \"max_input_chars_per_word\": %d,\n    \"vocab\": {", o.MaxInputCharsPerWord)
	for i, t := range vocab {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n      %s: %d", marshal(t), i)
	}
	b.WriteString("\n    }\n  }\n}\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write tokenizer.json: %w", err)
	}
	return nil
}

// marshal is json.Marshal of a string without escaping <, > and &, which
// cannot fail.
func marshal(v string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}
