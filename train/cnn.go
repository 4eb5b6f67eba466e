package train

import (
	"math"
	"math/rand/v2"

	"github.com/framing-project/framing/internal/onnxbuild"
)

// cnn is the contextual model: token embeddings, one 1-D convolution over
// word order, ReLU, max over time, one linear layer. It takes BERT-style
// inputs and emits logits, so its bundle looks like a Hugging Face
// sequence-classification export.
type cnn struct {
	vocab, dim, filters, kernel, labels int
	dropout                             float32
	emb                                 []float32 // vocab x dim
	conv                                []float32 // filters x kernel x dim (compute layout)
	convB                               []float32 // filters
	w                                   []float32 // filters x labels
	b                                   []float32 // labels

	optE                    *adam
	optC, optCB, optW, optB *adam
	step                    int
}

func newCNN(vocab, dim, filters, kernel, labels int, rng *rand.Rand) *cnn {
	m := &cnn{vocab: vocab, dim: dim, filters: filters, kernel: kernel, labels: labels, dropout: 0.3,
		emb: make([]float32, vocab*dim), conv: make([]float32, filters*kernel*dim),
		convB: make([]float32, filters), w: make([]float32, filters*labels), b: make([]float32, labels)}
	for i := range m.emb {
		m.emb[i] = float32(rng.NormFloat64() * 0.1)
	}
	limit := math.Sqrt(6 / float64(kernel*dim+filters))
	for i := range m.conv {
		m.conv[i] = float32((rng.Float64()*2 - 1) * limit)
	}
	limit = math.Sqrt(6 / float64(filters+labels))
	for i := range m.w {
		m.w[i] = float32((rng.Float64()*2 - 1) * limit)
	}
	m.optE = newAdam(len(m.emb), dim, true)
	m.optC = newAdam(len(m.conv), 1, false)
	m.optCB = newAdam(len(m.convB), 1, false)
	m.optW = newAdam(len(m.w), 1, false)
	m.optB = newAdam(len(m.b), 1, false)
	return m
}

func (m *cnn) padLeft() int { return (m.kernel - 1) / 2 }

// pool runs embedding, convolution, ReLU and max over time; it returns the
// pooled features and, per filter, the position of the maximum (-1 when the
// maximum is the ReLU floor, which passes no gradient).
func (m *cnn) pool(w []int32, pooled []float32, arg []int) {
	n, pl := len(w), m.padLeft()
	for f := 0; f < m.filters; f++ {
		best, at := float32(0), -1
		for t := 0; t < n; t++ {
			s := m.convB[f]
			for k := 0; k < m.kernel; k++ {
				p := t + k - pl
				if p < 0 || p >= n {
					continue
				}
				x := m.emb[int(w[p])*m.dim : int(w[p]+1)*m.dim]
				wk := m.conv[(f*m.kernel+k)*m.dim : (f*m.kernel+k+1)*m.dim]
				for d, v := range x {
					s += wk[d] * v
				}
			}
			if s > best {
				best, at = s, t
			}
		}
		pooled[f], arg[f] = best, at
	}
}

func (m *cnn) logitsOf(pooled, out []float32) {
	for l := 0; l < m.labels; l++ {
		s := m.b[l]
		for f, p := range pooled {
			s += p * m.w[f*m.labels+l]
		}
		out[l] = s
	}
}

// Predict returns probabilities for one window.
func (m *cnn) Predict(w []int32, out []float32) {
	pooled := make([]float32, m.filters)
	arg := make([]int, m.filters)
	m.pool(w, pooled, arg)
	m.logitsOf(pooled, out)
	for i, z := range out {
		out[i] = sigmoid(z)
	}
}

// Fit takes one Adam step on a minibatch, with dropout on the pooled features.
func (m *cnn) Fit(batch []sample, lr float32, weights []float32, rng *rand.Rand) float64 {
	m.step++
	gC := make([]float32, len(m.conv))
	gCB := make([]float32, len(m.convB))
	gW := make([]float32, len(m.w))
	gB := make([]float32, len(m.b))
	rowGrads := map[int32][]float32{}
	var order []int32
	pooled := make([]float32, m.filters)
	arg := make([]int, m.filters)
	keep := make([]float32, m.filters)
	z := make([]float32, m.labels)
	dz := make([]float32, m.labels)
	var loss float64
	pl := m.padLeft()
	for _, s := range batch {
		m.pool(s.window, pooled, arg)
		for f := range pooled {
			keep[f] = 0
			if rng.Float32() >= m.dropout {
				keep[f] = 1 / (1 - m.dropout)
			}
			pooled[f] *= keep[f]
		}
		m.logitsOf(pooled, z)
		loss += bceGrad(z, s.target, weights, dz)
		for l, d := range dz {
			gB[l] += d
		}
		n := len(s.window)
		for f := 0; f < m.filters; f++ {
			var dp float32
			for l, d := range dz {
				gW[f*m.labels+l] += pooled[f] * d
				dp += m.w[f*m.labels+l] * d
			}
			t := arg[f]
			if t < 0 || keep[f] == 0 {
				continue
			}
			dc := dp * keep[f]
			gCB[f] += dc
			for k := 0; k < m.kernel; k++ {
				p := t + k - pl
				if p < 0 || p >= n {
					continue
				}
				id := s.window[p]
				x := m.emb[int(id)*m.dim : int(id+1)*m.dim]
				off := (f*m.kernel + k) * m.dim
				wk := m.conv[off : off+m.dim]
				gk := gC[off : off+m.dim]
				g, ok := rowGrads[id]
				if !ok {
					g = make([]float32, m.dim)
					rowGrads[id] = g
					order = append(order, id)
				}
				for d, v := range x {
					gk[d] += dc * v
					g[d] += dc * wk[d]
				}
			}
		}
	}
	for _, id := range order {
		m.optE.stepRow(m.emb[int(id)*m.dim:int(id+1)*m.dim], rowGrads[id], int(id), lr)
	}
	m.optC.step(m.conv, gC, lr, m.step)
	m.optCB.step(m.convB, gCB, lr, m.step)
	m.optW.step(m.w, gW, lr, m.step)
	m.optB.step(m.b, gB, lr, m.step)
	return loss
}

func (m *cnn) finalize() {}

func (m *cnn) clone() network {
	c := *m
	c.emb = append([]float32(nil), m.emb...)
	c.conv = append([]float32(nil), m.conv...)
	c.convB = append([]float32(nil), m.convB...)
	c.w = append([]float32(nil), m.w...)
	c.b = append([]float32(nil), m.b...)
	c.optE, c.optC, c.optCB, c.optW, c.optB = nil, nil, nil, nil, nil
	return &c
}

func (m *cnn) params() map[string]any {
	return map[string]any{"vocab": m.vocab, "dim": m.dim, "filters": m.filters, "kernel": m.kernel, "dropout": m.dropout}
}

// export writes the graph: masked embeddings, Conv with "same" zero padding
// (padding tokens are zeroed by the mask, so a padded batch computes what
// one unpadded window does), ReLU, masked max over time, linear -> logits.
func (m *cnn) export(g *onnxbuild.Graph) {
	ids := g.Input("input_ids", onnxbuild.Int64, "batch", "sequence")
	mask := g.Input("attention_mask", onnxbuild.Int64, "batch", "sequence")
	g.Output("logits", onnxbuild.Float, "batch", m.labels)
	axis1 := g.Int64s("axis1", []int64{1}, []int64{1})
	axis2 := g.Int64s("axis2", []int64{1}, []int64{2})

	maskF := g.Node("Cast", []onnxbuild.Attr{onnxbuild.Int("to", int64(onnxbuild.Float))}, mask)
	table := g.Floats("embeddings.word_embeddings.weight", []int64{int64(m.vocab), int64(m.dim)}, m.emb)
	emb := g.Node("Gather", []onnxbuild.Attr{onnxbuild.Int("axis", 0)}, table, ids)
	emb = g.Node("Mul", nil, emb, g.Node("Unsqueeze", nil, maskF, axis2))
	x := g.Node("Transpose", []onnxbuild.Attr{onnxbuild.Ints("perm", 0, 2, 1)}, emb)

	// ONNX Conv wants [filters, channels, kernel].
	w := make([]float32, len(m.conv))
	for f := 0; f < m.filters; f++ {
		for k := 0; k < m.kernel; k++ {
			for d := 0; d < m.dim; d++ {
				w[(f*m.dim+d)*m.kernel+k] = m.conv[(f*m.kernel+k)*m.dim+d]
			}
		}
	}
	cw := g.Floats("conv.weight", []int64{int64(m.filters), int64(m.dim), int64(m.kernel)}, w)
	cb := g.Floats("conv.bias", []int64{int64(m.filters)}, m.convB)
	pl := int64(m.padLeft())
	pr := int64(m.kernel-1) - pl
	conv := g.Node("Conv", []onnxbuild.Attr{
		onnxbuild.Ints("kernel_shape", int64(m.kernel)), onnxbuild.Ints("pads", pl, pr),
	}, x, cw, cb)
	act := g.Node("Mul", nil, g.Node("Relu", nil, conv), g.Node("Unsqueeze", nil, maskF, axis1))
	pooled := g.Node("ReduceMax", []onnxbuild.Attr{onnxbuild.Ints("axes", 2), onnxbuild.Int("keepdims", 0)}, act)

	ow := g.Floats("classifier.weight", []int64{int64(m.filters), int64(m.labels)}, m.w)
	ob := g.Floats("classifier.bias", []int64{int64(m.labels)}, m.b)
	g.NodeTo("Add", "logits", nil, g.Node("MatMul", nil, pooled, ow), ob)
}

func (m *cnn) rescale(scale, shift []float64) { rescaleLinear(m.w, m.b, m.labels, scale, shift) }
