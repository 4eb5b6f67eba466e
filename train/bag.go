package train

import (
	"math/rand/v2"
	"slices"

	"github.com/framing-project/framing/internal/onnxbuild"
)

// bag is the fastText-like model: the mean of the embeddings of the window's
// tokens and hashed token bigrams, then one linear layer and a sigmoid per label.
type bag struct {
	vocab, buckets, dim, labels int
	emb                         []float32 // (vocab+buckets) x dim
	w                           []float32 // dim x labels
	b                           []float32 // labels
	touched                     []bool    // rows any training example used

	optE, optW, optB *adam
	step             int
	// scratch
	feats  []int64
	hidden []float32
	dh     []float32
}

func newBag(vocab, buckets, dim, labels int, rng *rand.Rand) *bag {
	rows := vocab + buckets
	m := &bag{vocab: vocab, buckets: buckets, dim: dim, labels: labels,
		emb: make([]float32, rows*dim), w: make([]float32, dim*labels), b: make([]float32, labels),
		touched: make([]bool, rows)}
	scale := 1 / float32(dim)
	for i := range m.emb {
		m.emb[i] = (rng.Float32()*2 - 1) * scale
	}
	m.optE = newAdam(len(m.emb), dim, true)
	m.optW = newAdam(len(m.w), labels, false)
	m.optB = newAdam(len(m.b), labels, false)
	return m
}

func (m *bag) hiddenOf(w []int32) []float32 {
	m.feats = bagFeatures(m.feats[:0], w, int64(m.vocab), int64(m.buckets))
	if cap(m.hidden) < m.dim {
		m.hidden = make([]float32, m.dim)
	}
	h := m.hidden[:m.dim]
	clear(h)
	for _, f := range m.feats {
		row := m.emb[int(f)*m.dim : int(f+1)*m.dim]
		for j, v := range row {
			h[j] += v
		}
	}
	inv := 1 / float32(len(m.feats))
	for j := range h {
		h[j] *= inv
	}
	return h
}

func (m *bag) logits(w []int32, out []float32) {
	h := m.hiddenOf(w)
	for l := 0; l < m.labels; l++ {
		s := m.b[l]
		for j, v := range h {
			s += v * m.w[j*m.labels+l]
		}
		out[l] = s
	}
}

// Predict returns probabilities for one window.
func (m *bag) Predict(w []int32, out []float32) {
	m.logits(w, out)
	for i, z := range out {
		out[i] = sigmoid(z)
	}
}

// Fit takes one Adam step on a minibatch and returns its summed loss.
func (m *bag) Fit(batch []sample, lr float32, weights []float32, _ *rand.Rand) float64 {
	m.step++
	gw := make([]float32, len(m.w))
	gb := make([]float32, len(m.b))
	rowGrads := map[int64][]float32{}
	var order []int64
	z := make([]float32, m.labels)
	dz := make([]float32, m.labels)
	var loss float64
	for _, s := range batch {
		m.logits(s.window, z)
		loss += bceGrad(z, s.target, weights, dz)
		h := m.hidden[:m.dim]
		if cap(m.dh) < m.dim {
			m.dh = make([]float32, m.dim)
		}
		dh := m.dh[:m.dim]
		clear(dh)
		for j, hv := range h {
			for l, d := range dz {
				gw[j*m.labels+l] += hv * d
				dh[j] += m.w[j*m.labels+l] * d
			}
		}
		for l, d := range dz {
			gb[l] += d
		}
		inv := 1 / float32(len(m.feats))
		for _, f := range m.feats {
			g, ok := rowGrads[f]
			if !ok {
				g = make([]float32, m.dim)
				rowGrads[f] = g
				order = append(order, f)
			}
			for j, v := range dh {
				g[j] += v * inv
			}
		}
	}
	for _, f := range order { // first-use order keeps runs deterministic
		row := int(f)
		m.touched[row] = true
		m.optE.stepRow(m.emb[row*m.dim:(row+1)*m.dim], rowGrads[f], row, lr)
	}
	m.optW.step(m.w, gw, lr, m.step)
	m.optB.step(m.b, gb, lr, m.step)
	return loss
}

// finalize zeroes the rows no training example touched: they hold only their
// random start, which would be noise at inference and would keep the
// compacted table from dropping them.
func (m *bag) finalize() {
	for row, ok := range m.touched {
		if !ok {
			clear(m.emb[row*m.dim : (row+1)*m.dim])
		}
	}
}

func (m *bag) clone() network {
	c := *m
	c.emb = append([]float32(nil), m.emb...)
	c.w = append([]float32(nil), m.w...)
	c.b = append([]float32(nil), m.b...)
	c.touched = append([]bool(nil), m.touched...)
	c.optE, c.optW, c.optB = nil, nil, nil // a snapshot is never trained further
	c.feats, c.hidden, c.dh = nil, nil, nil
	return &c
}

func (m *bag) params() map[string]any {
	return map[string]any{"vocab": m.vocab, "bigram_buckets": m.buckets, "dim": m.dim, "bigram_prime": bigramPrime}
}

// export writes the ONNX graph: the same computation as hiddenOf and logits,
// on padded [batch, tokens] inputs.
func (m *bag) export(g *onnxbuild.Graph) {
	ids := g.Input("input_ids", onnxbuild.Int64, "batch", "tokens")
	mask := g.Input("attention_mask", onnxbuild.Int64, "batch", "tokens")
	g.Output("probabilities", onnxbuild.Float, "batch", m.labels)

	start0 := g.Int64s("start0", []int64{1}, []int64{0})
	start1 := g.Int64s("start1", []int64{1}, []int64{1})
	endLast := g.Int64s("end_last", []int64{1}, []int64{-1})
	endAll := g.Int64s("end_all", []int64{1}, []int64{1 << 62})
	axis1 := g.Int64s("axis1", []int64{1}, []int64{1})
	axis2 := g.Int64s("axis2", []int64{1}, []int64{2})
	prime := g.Int64s("prime", nil, []int64{bigramPrime})
	buckets := g.Int64s("buckets", nil, []int64{int64(m.buckets)})
	vocab := g.Int64s("vocab", nil, []int64{int64(m.vocab)})
	one := g.Floats("one", nil, []float32{1})

	left := g.Node("Slice", nil, ids, start0, endLast, axis1)
	right := g.Node("Slice", nil, ids, start1, endAll, axis1)
	pair := g.Node("Add", nil, g.Node("Mul", nil, left, prime), right)
	bucket := g.Node("Add", nil, g.Node("Mod", nil, pair, buckets), vocab)
	allIDs := g.Node("Concat", []onnxbuild.Attr{onnxbuild.Int("axis", 1)}, ids, bucket)

	maskF := g.Node("Cast", []onnxbuild.Attr{onnxbuild.Int("to", int64(onnxbuild.Float))}, mask)
	pairMask := g.Node("Mul", nil,
		g.Node("Slice", nil, maskF, start0, endLast, axis1),
		g.Node("Slice", nil, maskF, start1, endAll, axis1))
	allMask := g.Node("Concat", []onnxbuild.Attr{onnxbuild.Int("axis", 1)}, maskF, pairMask)

	// The mean and the linear layer commute, so the table ships already
	// multiplied by the classifier: one row of per-label logit contributions
	// per token or bigram. ONNX Runtime then gathers labels-wide rows instead
	// of dim-wide ones (6x less memory traffic, the model's whole cost) and
	// the bundle holds fewer numbers.
	//
	// Most rows are zero (tokens and bigrams no training sentence had), so
	// the table is compacted: row 0 is the shared zero row, an int32 index
	// maps every id to its compact row; ONNX Runtime's session start-up grows
	// with model size.
	index, compact := m.compactTable()
	rowOf := g.Int32s("embedding_rows", []int64{int64(len(index))}, index)
	table := g.Floats("label_embeddings", []int64{int64(len(compact) / m.labels), int64(m.labels)}, compact)
	rows := g.Node("Gather", []onnxbuild.Attr{onnxbuild.Int("axis", 0)}, rowOf, allIDs)
	contrib := g.Node("Gather", []onnxbuild.Attr{onnxbuild.Int("axis", 0)}, table, rows)
	masked := g.Node("Mul", nil, contrib, g.Node("Unsqueeze", nil, allMask, axis2))
	sum := g.Node("ReduceSum", []onnxbuild.Attr{onnxbuild.Int("keepdims", 0)}, masked, axis1)
	count := g.Node("Max", nil, g.Node("ReduceSum", []onnxbuild.Attr{onnxbuild.Int("keepdims", 1)}, allMask, axis1), one)
	b := g.Floats("classifier.bias", []int64{int64(m.labels)}, m.b)
	logits := g.Node("Add", nil, g.Node("Div", nil, sum, count), b)
	g.NodeTo("Sigmoid", "probabilities", nil, logits)
}

// compactTable returns, for every row id, its row in a compact table of
// label contributions (the embedding row times the classifier weights) that
// keeps only the non-zero rows, after one shared zero row.
func (m *bag) compactTable() ([]int32, []float32) {
	rows := m.vocab + m.buckets
	index := make([]int32, rows)
	compact := make([]float32, m.labels, m.labels*(rows/4+1)) // row 0: zeros
	for r := 0; r < rows; r++ {
		row := m.emb[r*m.dim : (r+1)*m.dim]
		if !slices.ContainsFunc(row, func(v float32) bool { return v != 0 }) {
			continue
		}
		index[r] = int32(len(compact) / m.labels)
		for l := 0; l < m.labels; l++ {
			var s float64
			for j, v := range row {
				s += float64(v) * float64(m.w[j*m.labels+l])
			}
			compact = append(compact, float32(s))
		}
	}
	return index, compact
}

func (m *bag) rescale(scale, shift []float64) { rescaleLinear(m.w, m.b, m.labels, scale, shift) }
