package train

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPlattFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct{ a, c float64 }{{2, -1}, {0.3, 0.5}, {1, 0}}
	for _, tt := range tests {
		z := make([]float64, 20000)
		y := make([]bool, len(z))
		for i := range z {
			z[i] = rng.Float64()*16 - 8
			y[i] = rng.Float64() < 1/(1+math.Exp(-(tt.a*z[i]+tt.c)))
		}
		a, c := plattFit(z, y)
		if math.Abs(a-tt.a) > 0.1*tt.a || math.Abs(c-tt.c) > 0.15 {
			t.Errorf("data from a=%v c=%v: fitted a=%.3f c=%.3f", tt.a, tt.c, a, c)
		}
	}
}

// Saturated, overconfident scores (logits at the float32 clamp) are what a
// model trained to zero loss gives; the fit must stay finite and keep the
// ranking (a > 0).
func TestPlattFitSaturated(t *testing.T) {
	var z []float64
	var y []bool
	for i := range 1000 {
		v := 16.0
		if i%2 == 0 {
			v = -16
		}
		z = append(z, v)
		y = append(y, (i%2 == 1) != (i%10 == 1)) // 20% of the confident positives are wrong
	}
	a, c := plattFit(z, y)
	if !(a > 0) || a > 1 || math.IsNaN(c) {
		t.Fatalf("a=%v c=%v: want 0 < a <= 1 (less confident), finite c", a, c)
	}
	p := 1 / (1 + math.Exp(-(a*16 + c)))
	if p > 0.95 || p < 0.6 {
		t.Errorf("a confident positive that is right 60%% of the time scores %.3f", p)
	}
}

func TestRescaleLinear(t *testing.T) {
	w := []float32{1, 2, 3, 4} // 2 hidden x 2 labels
	b := []float32{0.5, -1}
	rescaleLinear(w, b, 2, []float64{2, 0.5}, []float64{1, 0})
	want := []float32{2, 1, 6, 2}
	for i := range w {
		if w[i] != want[i] {
			t.Fatalf("w = %v, want %v", w, want)
		}
	}
	if b[0] != 2 || b[1] != -0.5 {
		t.Errorf("b = %v, want [2 -0.5]", b)
	}
}
