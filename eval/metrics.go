// Package eval measures classifiers against the hand-labelled corpus:
// per-label and averaged figures at sentence and article level, calibration,
// speed, error examples, and paired-bootstrap comparisons between models.
package eval

import (
	"math"
	"sort"
)

// LabelMetrics are one label's figures.
type LabelMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
	Predicted int     `json:"predicted"`
}

// Metrics are multi-label figures over a set of items (sentences or articles).
type Metrics struct {
	Items       int                     `json:"items"`
	MicroF1     float64                 `json:"micro_f1"`
	MacroF1     float64                 `json:"macro_f1"`
	SamplesF1   float64                 `json:"samples_f1"`
	ExactMatch  float64                 `json:"exact_match"`
	HammingLoss float64                 `json:"hamming_loss"`
	PerLabel    map[string]LabelMetrics `json:"per_label"`
}

// Score computes Metrics from gold and predicted label sets, one []bool per
// item, in labels order. A label with no support and no prediction has F1 0
// and still counts in the macro average: a model that never learned a label
// should not look better for it.
func Score(labels []string, gold, pred [][]bool) Metrics {
	m := Metrics{Items: len(gold), PerLabel: map[string]LabelMetrics{}}
	n := len(labels)
	tp, fp, fn := make([]int, n), make([]int, n), make([]int, n)
	var exact, wrong int
	var samples float64
	for i := range gold {
		var itp, ifp, ifn int
		for l := 0; l < n; l++ {
			g, p := gold[i][l], pred[i][l]
			switch {
			case g && p:
				tp[l]++
				itp++
			case p:
				fp[l]++
				ifp++
				wrong++
			case g:
				fn[l]++
				ifn++
				wrong++
			}
		}
		if ifp == 0 && ifn == 0 {
			exact++
		}
		// samples-F1: an item with neither gold nor predicted labels is a
		// perfect answer (1), as in scikit-learn's zero_division=1.
		if itp+ifp+ifn == 0 {
			samples++
		} else {
			samples += F1(itp, ifp, ifn)
		}
	}
	var TP, FP, FN int
	for l, name := range labels {
		lm := LabelMetrics{F1: F1(tp[l], fp[l], fn[l]), Support: tp[l] + fn[l], Predicted: tp[l] + fp[l]}
		if lm.Predicted > 0 {
			lm.Precision = float64(tp[l]) / float64(lm.Predicted)
		}
		if lm.Support > 0 {
			lm.Recall = float64(tp[l]) / float64(lm.Support)
		}
		m.PerLabel[name] = lm
		m.MacroF1 += lm.F1
		TP, FP, FN = TP+tp[l], FP+fp[l], FN+fn[l]
	}
	if n > 0 {
		m.MacroF1 /= float64(n)
	}
	m.MicroF1 = F1(TP, FP, FN)
	if len(gold) > 0 {
		m.ExactMatch = float64(exact) / float64(len(gold))
		m.SamplesF1 = samples / float64(len(gold))
		m.HammingLoss = float64(wrong) / float64(len(gold)*n)
	}
	return m
}

// Bin is one row of a reliability table.
type Bin struct {
	Lo, Hi    float64 `json:"-"`
	Range     string  `json:"range"`
	Count     int     `json:"count"`
	MeanScore float64 `json:"mean_score"`
	PosRate   float64 `json:"positive_rate"`
}

// Calibration is the expected calibration error over every (item, label)
// score and its reliability table (10 equal-width bins).
type Calibration struct {
	ECE         float64 `json:"ece"`
	Reliability []Bin   `json:"reliability"`
}

// Calibrate computes ECE: the count-weighted mean gap between mean score
// and positive rate per bin.
func Calibrate(scores [][]float32, gold [][]bool) Calibration {
	const bins = 10
	var c Calibration
	count := make([]int, bins)
	sum := make([]float64, bins)
	pos := make([]int, bins)
	total := 0
	for i := range scores {
		for l, s := range scores[i] {
			b := min(int(float64(s)*bins), bins-1)
			count[b]++
			sum[b] += float64(s)
			if gold[i][l] {
				pos[b]++
			}
			total++
		}
	}
	for b := 0; b < bins; b++ {
		bin := Bin{Lo: float64(b) / bins, Hi: float64(b+1) / bins, Count: count[b]}
		bin.Range = rangeLabel(bin.Lo, bin.Hi)
		if count[b] > 0 {
			bin.MeanScore = sum[b] / float64(count[b])
			bin.PosRate = float64(pos[b]) / float64(count[b])
			c.ECE += float64(count[b]) / float64(total) * math.Abs(bin.MeanScore-bin.PosRate)
		}
		c.Reliability = append(c.Reliability, bin)
	}
	return c
}

func rangeLabel(lo, hi float64) string {
	return fmtF(lo) + "-" + fmtF(hi)
}

func fmtF(x float64) string {
	s := []byte{'0', '.', byte('0' + int(math.Round(x*10))%10)}
	if x >= 1 {
		return "1.0"
	}
	return string(s)
}

// PRPoint is one point of a precision-recall curve: predicting the label
// when the score is at least Threshold gives this precision and recall.
type PRPoint struct {
	Threshold float64 `json:"threshold"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// Sweep is one label's threshold sweep: the F1-optimal threshold on this
// data and the precision-recall curve.
type Sweep struct {
	BestThreshold float64   `json:"best_threshold"`
	BestF1        float64   `json:"best_f1"`
	Curve         []PRPoint `json:"pr_curve"`
}

// Curve resolution: a point is kept when recall moved by prStep or
// precision by 2*prStep since the last kept one, so a curve has at most a
// few dozen points however many items there are.
const prStep = 0.02

// SweepLabel computes a label's threshold sweep. The curve is cut at the
// scores themselves, not at fixed steps: models differ wildly in where
// their scores fall (a bag model's thresholds can all sit below 0.1), and
// a fixed grid would miss the part of the curve where a model operates.
// Points run from the highest threshold (lowest recall) down; a label with
// no positives has an empty curve.
func SweepLabel(scores []float32, gold []bool) Sweep {
	sw := Sweep{Curve: []PRPoint{}}
	sw.BestThreshold, sw.BestF1 = BestThreshold(scores, gold)
	order := make([]int, len(scores))
	pos := 0
	for i := range order {
		order[i] = i
		if gold[i] {
			pos++
		}
	}
	if pos == 0 {
		return sw
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
	tp := 0
	var last PRPoint
	for k, i := range order {
		if gold[i] {
			tp++
		}
		if k+1 < len(order) && scores[order[k+1]] == scores[i] {
			continue // not a cut: the next item has the same score
		}
		pt := PRPoint{Threshold: float64(scores[i]), Precision: float64(tp) / float64(k+1), Recall: float64(tp) / float64(pos)}
		end := k+1 == len(order)
		if len(sw.Curve) == 0 || end || pt.Recall-last.Recall >= prStep || math.Abs(pt.Precision-last.Precision) >= 2*prStep {
			sw.Curve = append(sw.Curve, pt)
			last = pt
		}
	}
	return sw
}

// percentile of sorted values, nearest rank.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func sortedCopy(xs []float64) []float64 {
	out := append([]float64(nil), xs...)
	sort.Float64s(out)
	return out
}
