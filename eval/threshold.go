package eval

import "sort"

// F1 is the harmonic mean of precision and recall from counts; 0 when undefined.
func F1(tp, fp, fn int) float64 {
	if tp == 0 {
		return 0
	}
	p := float64(tp) / float64(tp+fp)
	r := float64(tp) / float64(tp+fn)
	return 2 * p * r / (p + r)
}

// BestThreshold returns the decision threshold that maximises F1 for one
// label, given scores and gold 0/1 labels, and that F1. Ties between
// thresholds resolve to the midpoint of the widest best interval, which is
// more stable on new data than the edge of it.
func BestThreshold(scores []float32, gold []bool) (threshold, f1 float64) {
	type pair struct {
		s float32
		g bool
	}
	ps := make([]pair, len(scores))
	pos := 0
	for i := range scores {
		ps[i] = pair{scores[i], gold[i]}
		if gold[i] {
			pos++
		}
	}
	if pos == 0 {
		return 0.5, 0
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].s > ps[j].s })
	// Predict positive for the top k; F1 at each cut between distinct scores.
	bestF1, bestK := -1.0, 0
	tp := 0
	for k := 1; k <= len(ps); k++ {
		if ps[k-1].g {
			tp++
		}
		if k < len(ps) && ps[k].s == ps[k-1].s {
			continue
		}
		if f := F1(tp, k-tp, pos-tp); f > bestF1 {
			bestF1, bestK = f, k
		}
	}
	hi := float64(ps[bestK-1].s)
	lo := 0.0
	if bestK < len(ps) {
		lo = float64(ps[bestK].s)
	}
	t := (hi + lo) / 2
	if t <= 0 {
		t = hi / 2
	}
	if t <= 0 || t >= 1 {
		t = min(max(t, 1e-4), 1-1e-4)
	}
	return t, bestF1
}
