// Package segment splits news text into sentences with byte offsets.
//
// Sentence boundaries inside running text come from the Punkt algorithm
// with neurosnap/sentences' English model. Punkt reads a text as one stream
// of words, which fails on news layout, so the text is first cut into
// blocks that never share a sentence:
//   - a blank line always ends a sentence;
//   - each list item ("- ", "• ", "* ", "1. ", "2) ", "(a) ") starts one;
//   - a line without final punctuation (a headline or dateline) ends one
//     when the next line starts with a capital, unless it ends with a comma
//     or a word like "the" or "of" that cannot end a sentence;
//   - a line that ends with . ? or ! ends one when the next line starts
//     with a capital, a digit or a quotation, unless it ends with a title
//     such as "Dr." or an initial;
//   - any other line break is wrapping: the lines are joined.
//
// Inside a block, Punkt's breaks are then corrected for news (rules.go):
// titles, "No. 3", "Sept. 4", "e.g." and initials never end a sentence; a
// year or figure at the end of a sentence does; a new quotation after a
// quoted sentence starts a new one; “Why?” she asked stays whole.
//
// Two engines find Punkt's breaks: a fast re-implementation (the default)
// and neurosnap itself (Reference), kept to test the former against.
package segment

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Span is one sentence: text[Start:End], a byte range trimmed of white
// space, never empty.
type Span struct{ Start, End int }

// Engine chooses how Punkt's breaks are found.
type Engine int

const (
	// Fast re-implements neurosnap's annotation passes without per-word
	// allocation, with identical cuts.
	Fast Engine = iota
	// Reference runs neurosnap/sentences itself: 30 to 40 times slower,
	// and quadratic in the length of a run of white space. For tests.
	Reference
)

func (e Engine) String() string {
	switch e {
	case Fast:
		return "fast"
	case Reference:
		return "reference"
	}
	return fmt.Sprintf("Engine(%d)", int(e))
}

// MinMaxBytes is the smallest positive MaxBytes limit accepted.
const MinMaxBytes = 16

type config struct {
	engine   Engine
	maxBytes int
}

// Option configures a Splitter.
type Option func(*config) error

// WithEngine selects the engine; Fast is the default.
func WithEngine(e Engine) Option {
	return func(c *config) error {
		if e != Fast && e != Reference {
			return fmt.Errorf("segment: unknown engine %d", int(e))
		}
		c.engine = e
		return nil
	}
}

// MaxBytes cuts any sentence longer than n bytes at the last white space
// before the limit (or, in a run without white space, at the last character
// boundary before it), so that text without punctuation (a table, a run of
// tags, a broken scrape) cannot yield one sentence of megabytes. 0, the
// default, means no limit: the classifier windows long sentences itself.
// n must be 0 or at least MinMaxBytes.
func MaxBytes(n int) Option {
	return func(c *config) error {
		if n != 0 && n < MinMaxBytes {
			return fmt.Errorf("segment: MaxBytes %d: must be 0 (no limit) or at least %d", n, MinMaxBytes)
		}
		c.maxBytes = n
		return nil
	}
}

// engine finds Punkt's sentence breaks inside one block.
type engine interface {
	breaks(block string, sc *scratch, dst []int) []int
}

// scratch is the per-call working memory, pooled so that AppendSpans does
// not allocate in the steady state.
type scratch struct {
	cand, forced, fin []int
	lower, typA, typB []byte
	key               []byte
}

// Splitter splits text into sentences. It is safe for concurrent use: the
// model is read-only after New and working memory is per call.
type Splitter struct {
	cfg  config
	eng  engine
	pool sync.Pool
}

// New builds a Splitter. Loading the model takes a few milliseconds, so
// build one and share it.
func New(opts ...Option) (*Splitter, error) {
	var cfg config
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("segment: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	st, err := loadModel()
	if err != nil {
		return nil, err
	}
	s := &Splitter{cfg: cfg}
	if cfg.engine == Reference {
		s.eng = newRefEngine(st)
	} else {
		s.eng = newFastEngine(st)
	}
	s.pool.New = func() any { return new(scratch) }
	return s, nil
}

// Split returns the sentences of text in order.
func (s *Splitter) Split(text string) []Span { return s.AppendSpans(nil, text) }

// AppendSpans appends the sentences of text to dst and returns it; with a
// reused dst it does not allocate.
func (s *Splitter) AppendSpans(dst []Span, text string) []Span {
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	blockStart, blockEnd := -1, -1
	prevStart, prevEnd := 0, 0 // the previous line of the open block
	for pos := 0; ; {
		lineEnd := len(text)
		nl := strings.IndexByte(text[pos:], '\n')
		if nl >= 0 {
			lineEnd = pos + nl
		}
		a, b := trimSpace(text, pos, lineEnd)
		switch {
		case a == b: // a blank line ends the block
			if blockStart >= 0 {
				dst = s.appendBlock(dst, text, blockStart, blockEnd, sc)
				blockStart = -1
			}
		default:
			if blockStart >= 0 && startsBlock(text[prevStart:prevEnd], text[a:b]) {
				dst = s.appendBlock(dst, text, blockStart, blockEnd, sc)
				blockStart = -1
			}
			if blockStart < 0 {
				blockStart = a
			}
			blockEnd = b
			prevStart, prevEnd = a, b
		}
		if nl < 0 {
			break
		}
		pos = lineEnd + 1
	}
	if blockStart >= 0 {
		dst = s.appendBlock(dst, text, blockStart, blockEnd, sc)
	}
	return dst
}

// appendBlock appends the sentences of text[start:end].
func (s *Splitter) appendBlock(dst []Span, text string, start, end int, sc *scratch) []Span {
	block := text[start:end]
	sc.cand = s.eng.breaks(block, sc, sc.cand[:0])
	from := 0
	for _, p := range refine(block, sc) {
		dst = s.appendSentence(dst, text, start+from, start+p)
		from = p
	}
	return s.appendSentence(dst, text, start+from, end)
}

// appendSentence appends text[start:end] trimmed, cut to MaxBytes.
func (s *Splitter) appendSentence(dst []Span, text string, start, end int) []Span {
	start, end = trimSpace(text, start, end)
	max := s.cfg.maxBytes
	for max > 0 && end-start > max {
		cut := cutPoint(text, start, start+max)
		_, e := trimSpace(text, start, cut)
		dst = append(dst, Span{start, e})
		start, _ = trimSpace(text, cut, end)
	}
	if start < end {
		dst = append(dst, Span{start, end})
	}
	return dst
}

// cutPoint returns where to cut the sentence starting at start (not white
// space) so that the piece ends by limit: at the start of the last run of
// white space that begins by limit, else after the last whole character.
func cutPoint(text string, start, limit int) int {
	space, boundary := -1, -1
	prevSpace := false
	for i := start; i < len(text) && i <= limit; {
		r, size := utf8.DecodeRuneInString(text[i:])
		isSpace := unicode.IsSpace(r)
		if isSpace && !prevSpace && i > start {
			space = i
		}
		prevSpace = isSpace
		if i+size > limit {
			break
		}
		i += size
		boundary = i
	}
	switch {
	case space > start:
		return space
	case boundary > start:
		return boundary
	}
	_, size := utf8.DecodeRuneInString(text[start:])
	return start + size
}

// trimSpace narrows text[start:end] to exclude leading and trailing white
// space.
func trimSpace(text string, start, end int) (int, int) {
	for start < end {
		c := text[start]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				start++
				continue
			}
			break
		}
		r, size := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += size
	}
	for end > start {
		c := text[end-1]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				end--
				continue
			}
			break
		}
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return start, end
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
