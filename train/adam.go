package train

import "math"

// adam holds Adam's moments for one parameter tensor. Rows of embedding
// tables are updated lazily (only rows seen in the step), which is what makes
// a 100k-row table cheap to train.
type adam struct {
	m, v []float32
	t    []int32 // per-row step count for lazy updates; nil for dense
	cols int
}

func newAdam(n, cols int, lazy bool) *adam {
	a := &adam{m: make([]float32, n), v: make([]float32, n), cols: cols}
	if lazy {
		a.t = make([]int32, n/cols)
	}
	return a
}

const (
	beta1 = 0.9
	beta2 = 0.999
	eps   = 1e-8
)

// step applies grad to w for the whole tensor (dense) with global step t.
func (a *adam) step(w, grad []float32, lr float32, t int) {
	c1 := 1 - math.Pow(beta1, float64(t))
	c2 := 1 - math.Pow(beta2, float64(t))
	alpha := float32(float64(lr) * math.Sqrt(c2) / c1)
	for i, g := range grad {
		a.m[i] = beta1*a.m[i] + (1-beta1)*g
		a.v[i] = beta2*a.v[i] + (1-beta2)*g*g
		w[i] -= alpha * a.m[i] / (float32(math.Sqrt(float64(a.v[i]))) + eps)
	}
}

// stepRow applies grad to one row of w (lazy Adam: the row's own step count).
func (a *adam) stepRow(w, grad []float32, row int, lr float32) {
	a.t[row]++
	t := float64(a.t[row])
	c1 := 1 - math.Pow(beta1, t)
	c2 := 1 - math.Pow(beta2, t)
	alpha := float32(float64(lr) * math.Sqrt(c2) / c1)
	off := row * a.cols
	for j, g := range grad {
		i := off + j
		a.m[i] = beta1*a.m[i] + (1-beta1)*g
		a.v[i] = beta2*a.v[i] + (1-beta2)*g*g
		w[j] -= alpha * a.m[i] / (float32(math.Sqrt(float64(a.v[i]))) + eps)
	}
}

func sigmoid(x float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(x))))
}
