package train

import (
	"math"

	"github.com/framing-project/framing/frames"
)

// Models trained to a near-zero loss are overconfident: their scores sit at
// 0 or 1 and the F1-optimal thresholds end up at 0.01 or 0.001, which users
// cannot read. calibrate fits Platt scaling per label on dev — p' =
// sigmoid(a·z + c) for the model's logit z — and folds it into the final
// linear layer, so the shipped model outputs calibrated scores at no cost.
// With a > 0 the ranking, and so the F1 at a tuned threshold, is unchanged.

// plattFit returns a and c minimising the logistic loss of sigmoid(a·z+c)
// against y, with a light ridge towards a=1, c=0: Newton's method with a
// backtracking line search (saturated scores make the Hessian tiny, and a
// full step would overshoot).
func plattFit(z []float64, y []bool) (a, c float64) {
	const ridge = 1e-3
	n := float64(len(z))
	loss := func(a, c float64) float64 {
		var l float64
		for i, zi := range z {
			s := a*zi + c
			if !y[i] {
				s = -s
			}
			l += math.Log1p(math.Exp(-s)) // -log sigmoid(s), stable for s > -700
		}
		return l + ridge*n/2*((a-1)*(a-1)+c*c)
	}
	a, c = 1, 0
	cur := loss(a, c)
	for iter := 0; iter < 100; iter++ {
		var ga, gc, haa, hac, hcc float64
		for i, zi := range z {
			p := 1 / (1 + math.Exp(-(a*zi + c)))
			d := p
			if y[i] {
				d = p - 1
			}
			w := p * (1 - p)
			ga += d * zi
			gc += d
			haa += w * zi * zi
			hac += w * zi
			hcc += w
		}
		ga, gc = ga+ridge*n*(a-1), gc+ridge*n*c
		haa, hcc = haa+ridge*n, hcc+ridge*n
		det := haa*hcc - hac*hac
		if det <= 0 {
			break
		}
		da := (hcc*ga - hac*gc) / det
		dc := (haa*gc - hac*ga) / det
		step, improved := 1.0, false
		for k := 0; k < 30; k++ {
			na, nc := a-step*da, c-step*dc
			if l := loss(na, nc); l < cur {
				a, c, cur, improved = na, nc, l, true
				break
			}
			step /= 2
		}
		if !improved || (math.Abs(step*da) < 1e-9 && math.Abs(step*dc) < 1e-9) {
			break
		}
	}
	if !(a > 0) || math.IsInf(a, 0) || math.IsNaN(c) { // never invert or break a ranking
		return 1, 0
	}
	return a, c
}

// logit recovers a score's logit; scores saturated in float32 are clamped,
// they are far from any threshold.
func logit(p float32) float64 {
	q := math.Min(math.Max(float64(p), 1e-7), 1-1e-7)
	return math.Log(q / (1 - q))
}

// calibrate fits Platt scaling on set and folds it into net's last layer.
func calibrate(net network, set []sample) (scale, shift []float64) {
	scores := predictAll(net, set)
	scale, shift = make([]float64, frames.Count), make([]float64, frames.Count)
	z := make([]float64, len(set))
	y := make([]bool, len(set))
	for l := range scale {
		for i := range set {
			z[i], y[i] = logit(scores[i][l]), set[i].target[l] == 1
		}
		scale[l], shift[l] = plattFit(z, y)
	}
	net.rescale(scale, shift)
	return scale, shift
}

// rescaleLinear turns the logits of a last layer w [hidden x labels], b
// [labels] into a·z + c per label.
func rescaleLinear(w, b []float32, labels int, scale, shift []float64) {
	for i := range w {
		w[i] = float32(float64(w[i]) * scale[i%labels])
	}
	for l := range b {
		b[l] = float32(float64(b[l])*scale[l] + shift[l])
	}
}
