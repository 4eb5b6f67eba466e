package tokenize

import "math/bits"

// Token kinds: a word-initial piece, or a continuation piece looked up
// without its prefix ("##ing" is found as "ing").
const (
	whole uint32 = 0
	cont  uint32 = 1
)

// hashBytes hashes s eight bytes at a time; the kind seeds it, so the two
// kinds of the same bytes land apart.
func hashBytes[S ~string | ~[]byte](kind uint32, s S) uint64 {
	const m = 0x9E3779B97F4A7C15
	h := (uint64(len(s)) + uint64(kind)<<32 + 1) * m
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		h = (h ^ v) * m
		h ^= h >> 29
	}
	if i < len(s) {
		var v uint64
		for k := 0; i+k < len(s); k++ {
			v |= uint64(s[i+k]) << (8 * k)
		}
		h = (h ^ v) * m
		h ^= h >> 29
	}
	return h * m
}

// vocabTable maps tokens to ids: open addressing over one arena of token
// bytes, so a lookup is one hash, a probe or two and one comparison, and
// never allocates. Each token is in it as a whole piece, and, if it starts
// with the continuing prefix, also as a continuation piece without it.
type vocabTable struct {
	slots    []slot
	shift    uint // slot index = hash >> shift
	arena    string
	maxWhole int // longest whole piece, in bytes
	maxCont  int // longest continuation piece, prefix excluded
}

type slot struct {
	check uint32 // hash bits and kind; 0 marks an empty slot
	id    int32
	off   uint32 // token bytes are arena[off : off+n]
	n     uint32
}

func check(h uint64, kind uint32) uint32 { return uint32(h)&^3 | kind<<1 | 1 }

// vocabEntry is a token, arena[off : off+n], and its id.
type vocabEntry struct {
	off, n uint32
	id     int32
}

// newVocabTable indexes entries, whose bytes are in arena. A token listed
// twice keeps its last id, as encoding/json (and so sugarme) does.
func newVocabTable(arena []byte, entries []vocabEntry, prefix string) vocabTable {
	n := len(entries)
	for _, e := range entries {
		if hasPrefixBytes(arena[e.off:e.off+e.n], prefix) {
			n++
		}
	}
	size := 1 << max(4, bits.Len(uint(2*n)))
	t := vocabTable{
		slots: make([]slot, size),
		shift: uint(64 - bits.TrailingZeros(uint(size))),
		arena: string(arena),
	}
	for _, e := range entries {
		t.insert(whole, e)
		if hasPrefixBytes(arena[e.off:e.off+e.n], prefix) {
			t.insert(cont, vocabEntry{off: e.off + uint32(len(prefix)), n: e.n - uint32(len(prefix)), id: e.id})
		}
	}
	return t
}

func hasPrefixBytes(tok []byte, prefix string) bool {
	return len(tok) > len(prefix) && string(tok[:len(prefix)]) == prefix
}

func (t *vocabTable) insert(kind uint32, e vocabEntry) {
	tok := t.arena[e.off : e.off+e.n]
	h := hashBytes(kind, tok)
	c := check(h, kind)
	mask := uint64(len(t.slots) - 1)
	i := h >> t.shift
	for t.slots[i].check != 0 {
		s := &t.slots[i]
		if s.check == c && t.arena[s.off:s.off+s.n] == tok {
			break // listed before: the last id wins
		}
		i = (i + 1) & mask
	}
	t.slots[i] = slot{check: c, id: e.id, off: e.off, n: e.n}
	if kind == whole {
		t.maxWhole = max(t.maxWhole, len(tok))
	} else {
		t.maxCont = max(t.maxCont, len(tok))
	}
}

// find looks up a piece of the given kind whose hash is h.
func (t *vocabTable) find(h uint64, kind uint32, piece []byte) (int32, bool) {
	mask := uint64(len(t.slots) - 1)
	c, n := check(h, kind), uint32(len(piece))
	for i := h >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.check == 0 {
			return 0, false
		}
		if s.check == c && s.n == n && t.arena[s.off:s.off+s.n] == string(piece) {
			return s.id, true
		}
	}
}

// lookup finds a whole token.
func (t *vocabTable) lookup(tok string) (int32, bool) {
	return t.find(hashBytes(whole, tok), whole, []byte(tok))
}

// maxID is the largest id in the table.
func (t *vocabTable) maxID() int32 {
	m := int32(-1)
	for _, s := range t.slots {
		if s.check != 0 {
			m = max(m, s.id)
		}
	}
	return m
}
