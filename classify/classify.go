// Package classify turns an article into framed sentences: text -> sentences
// (with byte offsets) -> WordPiece tokens -> ONNX model -> per-sentence frame
// scores -> article frames and dominant frame.
//
// One way in: New(bundle, options...) returns a Classifier that is safe for
// concurrent use; Close releases it.
package classify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/framing-project/framing/bundle"
	"github.com/framing-project/framing/internal/ortrt"
	"github.com/framing-project/framing/segment"
	"github.com/framing-project/framing/tokenize"
)

// Tokenizer turns text into token ids without special tokens. It is the seam
// between the fast compiled WordPiece encoder and sugarme's general one.
type Tokenizer interface {
	AppendIDs(dst []int32, text string) ([]int32, error)
}

// Backend runs the model on padded token windows: ids and mask are
// row-major [rows, cols]; it returns rows x labels raw outputs in out.
type Backend interface {
	Run(ids, mask []int64, rows, cols int, out []float32) ([]float32, error)
}

// Errors a caller may want to tell apart.
var (
	ErrEmpty       = errors.New("text is empty or only white space")
	ErrInvalidUTF8 = errors.New("text is not valid UTF-8 (clean it with textcheck.Check first)")
)

// ModelInfo names the model behind a result.
type ModelInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Arch    string `json:"arch,omitempty"`
	Source  string `json:"source"`
}

// Classifier scores articles. Safe for concurrent use.
type Classifier struct {
	info       ModelInfo
	labels     []string
	thresholds []float64
	logits     bool
	maxTokens  int
	cls, sep   int32
	pad        int64
	batchSize  int
	tok        Tokenizer
	split      *segment.Splitter
	backend    Backend
	closers    []func() error
}

// New loads a bundle: its tokenizer, the sentence splitter and an ONNX
// Runtime session (unless WithBackend supplies another backend). It checks
// that the model's output width matches the bundle's labels by scoring one
// empty window, so a mismatched or corrupt bundle fails here, not mid-batch.
func New(b *bundle.Bundle, opts ...Option) (c *Classifier, err error) {
	if b == nil {
		return nil, errors.New("classify.New: nil bundle")
	}
	o := options{batchSize: 64}
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	c = &Classifier{
		info:       ModelInfo{Name: b.Name(), Version: b.Version(), Arch: b.Arch(), Source: b.Source},
		labels:     slices.Clone(b.Labels),
		thresholds: slices.Clone(b.Thresholds),
		logits:     b.OutputIsLogits(),
		maxTokens:  b.MaxTokens(),
		batchSize:  o.batchSize,
	}
	if o.overridden {
		for i := range c.thresholds {
			c.thresholds[i] = o.threshold
		}
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, c.Close())
			c = nil
		}
	}()
	// The tokenizer and the splitter load while ONNX Runtime creates its
	// session: cold start is what a one-article run mostly pays for.
	type prep struct {
		sp    tokenize.Specials
		tok   Tokenizer
		split *segment.Splitter
		err   error
	}
	ready := make(chan prep, 1)
	go func() {
		var p prep
		if p.tok = o.tokenizer; p.tok == nil {
			p.sp, p.tok, p.err = loadTokenizer(b.Tokenizer)
			if p.err != nil {
				p.err = fmt.Errorf("model bundle %s: %s: %w", b.Source, bundle.TokenizerFile, p.err)
			}
		} else {
			p.sp = tokenize.Specials{CLS: -1, SEP: -1}
		}
		if p.err == nil {
			p.split, p.err = segment.New()
		}
		ready <- p
	}()
	var backendErr error
	if c.backend = o.backend; c.backend == nil {
		backendErr = c.openSession(b, o)
	}
	p := <-ready
	if err := errors.Join(p.err, backendErr); err != nil {
		return c, err
	}
	c.tok, c.split = p.tok, p.split
	c.cls, c.sep, c.pad = int32(p.sp.CLS), int32(p.sp.SEP), int64(max(p.sp.PAD, 0))
	probe, err := c.backend.Run([]int64{int64(max(c.cls, 0)), int64(max(c.sep, 0))}, []int64{1, 1}, 1, 2, nil)
	if err != nil {
		return c, fmt.Errorf("model bundle %s: the model failed on a test input: %w", b.Source, err)
	}
	if len(probe) != len(c.labels) {
		return c, fmt.Errorf("model bundle %s: config.json declares %d labels but model.onnx outputs %d", b.Source, len(c.labels), len(probe))
	}
	return c, nil
}

// openSession loads ONNX Runtime and the bundle's model.
func (c *Classifier) openSession(b *bundle.Bundle, o options) error {
	lib, err := ortrt.FindLibrary(o.ortLib)
	if err != nil {
		return err
	}
	if err := ortrt.Acquire(lib); err != nil {
		return err
	}
	c.closers = append(c.closers, ortrt.Release)
	sess, err := ortrt.NewSession(b.Model, ortrt.SessionOptions{IntraOpThreads: o.threads, OutputName: outputName(b)})
	if err != nil {
		return fmt.Errorf("model bundle %s: %w", b.Source, err)
	}
	c.closers = append(c.closers, sess.Close)
	c.backend = sess
	if w := sess.Width(); w > 0 && int(w) != len(c.labels) {
		return fmt.Errorf("model bundle %s: config.json declares %d labels but model.onnx outputs %d", b.Source, len(c.labels), w)
	}
	return nil
}

func outputName(b *bundle.Bundle) string {
	if b.Config.Framing != nil {
		return b.Config.Framing.OutputName
	}
	return ""
}

// loadTokenizer prefers the compiled WordPiece encoder and falls back to
// sugarme for tokenizer.json files it does not cover (BPE, other normalisers).
func loadTokenizer(data []byte) (tokenize.Specials, Tokenizer, error) {
	wp, err := tokenize.FromJSON(data)
	if err == nil {
		return wp.Specials(), wp, nil
	}
	if !errors.Is(err, tokenize.ErrUnsupported) {
		return tokenize.Specials{}, nil, err
	}
	sg, err := tokenize.NewSugarme(data)
	if err != nil {
		return tokenize.Specials{}, nil, err
	}
	return sg.Specials(), sg, nil
}

// Labels are the model's frame ids in score order.
func (c *Classifier) Labels() []string { return slices.Clone(c.labels) }

// Thresholds are the per-label decision thresholds in score order.
func (c *Classifier) Thresholds() []float64 { return slices.Clone(c.thresholds) }

// Model names the model.
func (c *Classifier) Model() ModelInfo { return c.info }

// Close releases the session and the runtime; errors are joined.
func (c *Classifier) Close() error {
	var errs []error
	for i := len(c.closers) - 1; i >= 0; i-- {
		errs = append(errs, c.closers[i]())
	}
	c.closers = nil
	return errors.Join(errs...)
}

// Classify scores one article.
func (c *Classifier) Classify(ctx context.Context, text string) (*Result, error) {
	res, err := c.ClassifyBatch(ctx, []string{text})
	if err != nil {
		var be *BatchError
		if errors.As(err, &be) && len(be.Errs) == 1 {
			for _, e := range be.Errs {
				return nil, e
			}
		}
		return nil, err
	}
	return res[0], nil
}

// ScoreSentences scores texts that are already sentences (no splitting):
// evaluation feeds the corpus's gold sentences through the same tokenizer,
// windows and model as Classify. Scores are probabilities in Labels order.
func (c *Classifier) ScoreSentences(ctx context.Context, sentences []string) ([][]float32, error) {
	r := &Result{Sentences: make([]Sentence, len(sentences))}
	var wins []window
	var ids []int32
	for i, s := range sentences {
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("sentence %d: %w", i, ErrInvalidUTF8)
		}
		var err error
		if ids, err = c.tok.AppendIDs(ids[:0], s); err != nil {
			return nil, fmt.Errorf("sentence %d: %w", i, err)
		}
		wins = c.appendWindows(wins, 0, i, ids)
	}
	if err := c.score(ctx, wins, []*Result{r}); err != nil {
		return nil, err
	}
	out := make([][]float32, len(sentences))
	for i := range r.Sentences {
		out[i] = r.Sentences[i].Scores
	}
	return out, nil
}

// BatchError reports the texts of a batch that could not be classified, by
// index; the other results are valid.
type BatchError struct{ Errs map[int]error }

func (e *BatchError) Error() string {
	idx := make([]int, 0, len(e.Errs))
	for i := range e.Errs {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	return fmt.Sprintf("%d of the texts could not be classified; first, text %d: %v", len(idx), idx[0], e.Errs[idx[0]])
}

// window is one model input: a sentence or a piece of a long one.
type window struct {
	text, sent int // which text and sentence it belongs to
	ids        []int32
}

// ClassifyBatch scores many articles at once, batching their sentences
// together for the model. Texts that cannot be classified (empty, invalid
// UTF-8) leave a nil result and are reported in a *BatchError.
func (c *Classifier) ClassifyBatch(ctx context.Context, texts []string) ([]*Result, error) {
	results := make([]*Result, len(texts))
	var bad map[int]error
	var wins []window
	var spans []segment.Span
	var ids []int32
	for ti, text := range texts {
		if !utf8.ValidString(text) {
			bad = setErr(bad, ti, ErrInvalidUTF8)
			continue
		}
		spans = c.split.AppendSpans(spans[:0], text)
		if len(spans) == 0 {
			bad = setErr(bad, ti, ErrEmpty)
			continue
		}
		r := &Result{Model: c.info, frames: c.labels, Sentences: make([]Sentence, len(spans))}
		for si, sp := range spans {
			s := &r.Sentences[si]
			s.Start, s.End, s.Text = sp.Start, sp.End, text[sp.Start:sp.End]
			var err error
			ids, err = c.tok.AppendIDs(ids[:0], s.Text)
			if err != nil {
				bad = setErr(bad, ti, fmt.Errorf("sentence at bytes %d-%d: %w", sp.Start, sp.End, err))
				r = nil
				break
			}
			wins = c.appendWindows(wins, ti, si, ids)
		}
		results[ti] = r
	}
	for i := range bad {
		results[i] = nil
	}
	if err := c.score(ctx, wins, results); err != nil {
		return nil, err
	}
	for _, r := range results {
		if r != nil {
			c.aggregate(r)
		}
	}
	if bad != nil {
		return results, &BatchError{Errs: bad}
	}
	return results, nil
}

func setErr(m map[int]error, i int, err error) map[int]error {
	if m == nil {
		m = map[int]error{}
	}
	m[i] = err
	return m
}

// appendWindows cuts a sentence's ids into windows of the model's length;
// nothing is dropped: every token lands in some window.
func (c *Classifier) appendWindows(dst []window, ti, si int, ids []int32) []window {
	specials := 0
	if c.cls >= 0 {
		specials++
	}
	if c.sep >= 0 {
		specials++
	}
	room := max(c.maxTokens-specials, 1)
	for start := 0; start == 0 || start < len(ids); start += room {
		end := min(start+room, len(ids))
		w := make([]int32, 0, end-start+specials)
		if c.cls >= 0 {
			w = append(w, c.cls)
		}
		w = append(w, ids[start:end]...)
		if c.sep >= 0 {
			w = append(w, c.sep)
		}
		dst = append(dst, window{text: ti, sent: si, ids: w})
	}
	return dst
}

// score runs the windows through the backend in length-sorted batches (less
// padding) and max-pools window scores into their sentences.
func (c *Classifier) score(ctx context.Context, wins []window, results []*Result) error {
	order := make([]int, 0, len(wins))
	for i, w := range wins {
		if results[w.text] != nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(wins[a].ids) - len(wins[b].ids) })
	nl := len(c.labels)
	var ids, mask []int64
	var out []float32
	for lo := 0; lo < len(order); lo += c.batchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := order[lo:min(lo+c.batchSize, len(order))]
		cols := len(wins[batch[len(batch)-1]].ids)
		ids = slices.Grow(ids[:0], len(batch)*cols)[:len(batch)*cols]
		mask = slices.Grow(mask[:0], len(batch)*cols)[:len(batch)*cols]
		for r, wi := range batch {
			row, m := ids[r*cols:(r+1)*cols], mask[r*cols:(r+1)*cols]
			n := copy32(row, wins[wi].ids)
			for j := range row {
				if j >= n {
					row[j] = c.pad
				}
				m[j] = b2i(j < n)
			}
		}
		var err error
		out, err = c.backend.Run(ids, mask, len(batch), cols, out)
		if err != nil {
			return fmt.Errorf("running the model: %w", err)
		}
		if len(out) != len(batch)*nl {
			return fmt.Errorf("the model returned %d scores for %d windows of %d labels", len(out), len(batch), nl)
		}
		for r, wi := range batch {
			w := wins[wi]
			s := &results[w.text].Sentences[w.sent]
			if s.Scores == nil {
				s.Scores = make([]float32, nl)
				for l := range s.Scores {
					s.Scores[l] = float32(math.Inf(-1))
				}
			}
			for l, v := range out[r*nl : (r+1)*nl] {
				if c.logits {
					v = float32(1 / (1 + math.Exp(-float64(v))))
				}
				s.Scores[l] = max(s.Scores[l], v)
			}
		}
	}
	return nil
}

func copy32(dst []int64, src []int32) int {
	for i, v := range src {
		dst[i] = int64(v)
	}
	return len(src)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// aggregate applies thresholds per sentence and derives the article's
// frames: max-pooled scores against thresholds, and the dominant frame, the
// carried label with the largest summed sentence score.
func (c *Classifier) aggregate(r *Result) {
	rows := make([][]float32, len(r.Sentences))
	for i := range r.Sentences {
		s := &r.Sentences[i]
		s.frames = c.labels
		s.Labels = s.Labels[:0]
		for l, v := range s.Scores {
			if float64(v) >= c.thresholds[l] {
				s.Labels = append(s.Labels, c.labels[l])
			}
		}
		rows[i] = s.Scores
	}
	var carried []bool
	var best int
	r.Scores, carried, best = ArticleScores(rows, c.thresholds)
	for l, ok := range carried {
		if ok {
			r.Labels = append(r.Labels, c.labels[l])
		}
	}
	if best >= 0 {
		r.Dominant = c.labels[best]
	}
}

// ArticleScores is the article rule, exported so that evaluations and
// other scorers judge articles exactly as Classify does. An article's score
// for a label is its best sentence score (a frame used once is used); it
// carries the label when that score reaches the label's threshold; the
// dominant frame is the carried label with the largest summed sentence
// score (-1 when none is carried), so a frame that runs through the article
// beats one strong sentence.
func ArticleScores(sentences [][]float32, thresholds []float64) (scores []float32, carried []bool, dominant int) {
	scores = make([]float32, len(thresholds))
	carried = make([]bool, len(thresholds))
	sums := make([]float64, len(thresholds))
	for _, row := range sentences {
		for l, v := range row {
			scores[l] = max(scores[l], v)
			sums[l] += float64(v)
		}
	}
	dominant = -1
	for l, v := range scores {
		carried[l] = len(sentences) > 0 && float64(v) >= thresholds[l]
		if carried[l] && (dominant < 0 || sums[l] > sums[dominant]) {
			dominant = l
		}
	}
	return scores, carried, dominant
}
