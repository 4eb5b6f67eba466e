package eval

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/frames"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestScoreHandComputed checks every figure against a case worked by hand:
// two labels, four items.
//
//	item  gold   pred
//	0     {a}    {a}      exact
//	1     {a,b}  {a}      b missed
//	2     {}     {b}      b false alarm
//	3     {}     {}       exact, empty
//
// a: tp 2 fp 0 fn 0 -> P 1 R 1 F1 1. b: tp 0 fp 1 fn 1 -> F1 0.
// micro: tp 2 fp 1 fn 1 -> P 2/3 R 2/3 F1 2/3. macro: 0.5.
// samples: item0 1, item1 F1(1,0,1)=2/3, item2 0, item3 1 -> 2.6667/4.
// exact 2/4; hamming 2 wrong of 8 = 0.25.
func TestScoreHandComputed(t *testing.T) {
	labels := []string{"a", "b"}
	gold := [][]bool{{true, false}, {true, true}, {false, false}, {false, false}}
	pred := [][]bool{{true, false}, {true, false}, {false, true}, {false, false}}
	m := Score(labels, gold, pred)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"micro", m.MicroF1, 2.0 / 3},
		{"macro", m.MacroF1, 0.5},
		{"samples", m.SamplesF1, (1 + 2.0/3 + 0 + 1) / 4},
		{"exact", m.ExactMatch, 0.5},
		{"hamming", m.HammingLoss, 0.25},
		{"a f1", m.PerLabel["a"].F1, 1},
		{"b precision", m.PerLabel["b"].Precision, 0},
		{"b recall", m.PerLabel["b"].Recall, 0},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if m.PerLabel["b"].Support != 1 || m.PerLabel["b"].Predicted != 1 {
		t.Errorf("b support/predicted %+v", m.PerLabel["b"])
	}
}

func TestScoreNoSupportAndEmptyPredictions(t *testing.T) {
	labels := []string{"a", "b"}
	gold := [][]bool{{true, false}, {false, false}}
	none := [][]bool{{false, false}, {false, false}}
	m := Score(labels, gold, none)
	if m.MicroF1 != 0 || m.MacroF1 != 0 || m.PerLabel["b"].Support != 0 || m.PerLabel["b"].F1 != 0 {
		t.Fatalf("empty predictions: %+v", m)
	}
	if !near(m.SamplesF1, 0.5) || !near(m.ExactMatch, 0.5) {
		t.Fatalf("samples %v exact %v", m.SamplesF1, m.ExactMatch)
	}
}

func TestCalibration(t *testing.T) {
	// Perfectly calibrated bins: scores 0.25 with 1 of 4 positive, 0.75 with 3 of 4.
	scores := [][]float32{{0.25}, {0.25}, {0.25}, {0.25}, {0.75}, {0.75}, {0.75}, {0.75}}
	gold := [][]bool{{true}, {false}, {false}, {false}, {true}, {true}, {true}, {false}}
	if c := Calibrate(scores, gold); c.ECE > 1e-6 {
		t.Fatalf("ECE %v, want 0", c.ECE)
	}
	// Overconfident: score 0.95, never positive -> ECE 0.95.
	if c := Calibrate([][]float32{{0.95}, {0.95}}, [][]bool{{false}, {false}}); !near(float64(float32(c.ECE)), float64(float32(0.95))) {
		t.Fatalf("ECE %v, want 0.95", c.ECE)
	}
}

// fixed is a Scorer that returns preset scores by sentence text.
type fixed map[string][]float32

func (f fixed) ScoreSentences(_ context.Context, s []string) ([][]float32, error) {
	out := make([][]float32, len(s))
	for i, t := range s {
		out[i] = f[t]
	}
	return out, nil
}

func TestBootstrapDeterministicAndVerdict(t *testing.T) {
	var exs []corpus.Example
	good, bad := fixed{}, fixed{}
	for a := 0; a < 30; a++ {
		for s := 0; s < 4; s++ {
			text := string(rune('A'+a%26)) + string(rune('a'+s)) + string(rune('0'+a/26))
			label := []string{}
			g := make([]float32, 10)
			b := make([]float32, 10)
			if s%2 == 0 {
				label = []string{"legality"}
				g[7] = 0.9
				b[7] = 0.1
			} else {
				b[7] = 0.9
			}
			good[text], bad[text] = g, b
			exs = append(exs, corpus.Example{ID: text, Article: string(rune('A'+a%26)) + string(rune('0'+a/26)), Text: text, Labels: label})
		}
	}
	labels := []string{"hybrid-attack", "foreign-orchestration", "destabilization", "information-warfare", "blame-shifting",
		"security-threat", "humanitarian-values", "legality", "policy-response", "economic-cost"}
	th := make([]float64, 10)
	for i := range th {
		th[i] = 0.5
	}
	cands := []Candidate{{Name: "bad", Labels: labels, Thresholds: th, Scorer: bad}, {Name: "good", Labels: labels, Thresholds: th, Scorer: good}}
	r1, err := Run(context.Background(), "mem", exs, cands, Options{Seed: 7, Resamples: 200})
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := Run(context.Background(), "mem", exs, cands, Options{Seed: 7, Resamples: 200})
	if r1.Comparisons[0].SentenceMacroF1 != r2.Comparisons[0].SentenceMacroF1 {
		t.Fatal("same seed, different intervals")
	}
	c := r1.Comparisons[0]
	if c.SentenceMicroF1.Low <= 0 || c.Verdict[:4] != "good" {
		t.Fatalf("good should beat bad: %+v", c)
	}
	if r1.Models[1].Sentence.PerLabel["legality"].F1 != 1 || r1.Models[0].Sentence.PerLabel["legality"].F1 != 0 {
		t.Fatalf("per-label F1: %+v", r1.Models[1].Sentence.PerLabel["legality"])
	}
	if len(r1.Models[0].Errors["legality"].FalsePositives) != 3 {
		t.Fatalf("errors: %+v", r1.Models[0].Errors["legality"])
	}
}

// TestSweepLabelHandComputed: five items, scores and gold
//
//	0.9 +   0.8 -   0.6 +   0.6 -   0.1 +
//
// Cuts fall between distinct scores only (the two 0.6s go together):
// >=0.9: P 1/1 R 1/3; >=0.8: P 1/2 R 1/3; >=0.6: P 2/4 R 2/3; >=0.1: P 3/5 R 1.
// Best F1 is at the last cut: F1(3,2,0) = 0.75.
func TestSweepLabelHandComputed(t *testing.T) {
	sw := SweepLabel([]float32{0.9, 0.8, 0.6, 0.6, 0.1}, []bool{true, false, true, false, true})
	want := []PRPoint{{0.9, 1, 1.0 / 3}, {0.8, 0.5, 1.0 / 3}, {0.6, 0.5, 2.0 / 3}, {0.1, 0.6, 1}}
	if len(sw.Curve) != len(want) {
		t.Fatalf("curve %+v, want %+v", sw.Curve, want)
	}
	for i, p := range sw.Curve {
		if !near(float64(float32(p.Threshold)), float64(float32(want[i].Threshold))) || !near(p.Precision, want[i].Precision) || !near(p.Recall, want[i].Recall) {
			t.Errorf("point %d: %+v, want %+v", i, p, want[i])
		}
	}
	if !near(sw.BestF1, 0.75) || sw.BestThreshold <= 0 || sw.BestThreshold > 0.1 {
		t.Errorf("best %v at %v, want 0.75 at a threshold in (0, 0.1]", sw.BestF1, sw.BestThreshold)
	}
	// No positives: no curve, and no error.
	if sw := SweepLabel([]float32{0.3, 0.2}, []bool{false, false}); len(sw.Curve) != 0 || sw.BestF1 != 0 {
		t.Errorf("no support: %+v", sw)
	}
	// Many items: the curve is thinned, but keeps both ends.
	n := 5000
	scores, gold := make([]float32, n), make([]bool, n)
	for i := range scores {
		scores[i] = float32(i) / float32(n)
		gold[i] = i%3 == 0
	}
	sw = SweepLabel(scores, gold)
	if len(sw.Curve) > 120 || sw.Curve[len(sw.Curve)-1].Recall != 1 || sw.Curve[0].Recall > 0.01 {
		t.Errorf("thinned curve: %d points, first %+v, last %+v", len(sw.Curve), sw.Curve[0], sw.Curve[len(sw.Curve)-1])
	}
}

func TestBootstrapSeedMatters(t *testing.T) {
	exs, cands := noisyPair()
	a, err := Run(context.Background(), "mem", exs, cands, Options{Seed: 1, Resamples: 1000})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Run(context.Background(), "mem", exs, cands, Options{Seed: 2, Resamples: 1000})
	ca, cb := a.Comparisons[0], b.Comparisons[0]
	if ca.SentenceMicroF1.Delta != cb.SentenceMicroF1.Delta {
		t.Error("the observed difference depends on the seed")
	}
	if ca.SentenceMicroF1 == cb.SentenceMicroF1 && ca.ArticleMacroF1 == cb.ArticleMacroF1 {
		t.Error("different seeds gave identical intervals")
	}
	for _, c := range []Comparison{ca, cb} {
		for _, iv := range []Interval{c.SentenceMicroF1, c.SentenceMacroF1, c.ArticleMicroF1, c.ArticleMacroF1, c.PerLabel["legality"]} {
			if iv.Low > iv.High || iv.Low > iv.Delta+0.05 || iv.High < iv.Delta-0.05 {
				t.Errorf("interval %+v does not bracket its delta", iv)
			}
		}
		if !strings.HasPrefix(c.Verdict, "no significant difference") {
			t.Errorf("near-identical models: verdict %q", c.Verdict)
		}
	}
}

// noisyPair is two models that differ on a few sentences only.
func noisyPair() ([]corpus.Example, []Candidate) {
	var exs []corpus.Example
	a, b := fixed{}, fixed{}
	for art := 0; art < 40; art++ {
		for s := 0; s < 5; s++ {
			text := fmt.Sprintf("article %d sentence %d", art, s)
			gold := (art+s)%3 == 0
			ex := corpus.Example{ID: text, Article: fmt.Sprint(art), Text: text, Labels: []string{}}
			if gold {
				ex.Labels = []string{"legality"}
			}
			ra, rb := make([]float32, 10), make([]float32, 10)
			hit := func(wrong bool) float32 {
				if gold != wrong {
					return 0.9
				}
				return 0.1
			}
			ra[7] = hit((art*7+s)%5 == 0)
			rb[7] = hit((art*11+s)%5 == 0)
			a[text], b[text] = ra, rb
			exs = append(exs, ex)
		}
	}
	th := make([]float64, 10)
	for i := range th {
		th[i] = 0.5
	}
	return exs, []Candidate{{Name: "a", Labels: frames.All(), Thresholds: th, Scorer: a}, {Name: "b", Labels: frames.All(), Thresholds: th, Scorer: b}}
}

func BenchmarkBootstrap(b *testing.B) {
	exs, cands := noisyPair()
	rep, err := Run(context.Background(), "mem", exs, cands, Options{Resamples: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		compare(frames.All(), &rep.Models[0], &rep.Models[1], Options{Resamples: 1000})
	}
}

func TestRunRejects(t *testing.T) {
	good := Candidate{Name: "m", Labels: frames.All(), Thresholds: make([]float64, frames.Count), Scorer: fixed{}}
	exs := []corpus.Example{{ID: "a", Article: "x", Text: "Some text.", Labels: []string{}}}
	cases := []struct {
		name  string
		exs   []corpus.Example
		cands []Candidate
		want  string
	}{
		{"no examples", nil, []Candidate{good}, "no examples"},
		{"no model", exs, nil, "no model"},
		{"unknown label", []corpus.Example{{ID: "a", Article: "x", Text: "t", Labels: []string{"weather"}}}, []Candidate{good}, `unknown label "weather"`},
		{"thresholds mismatch", exs, []Candidate{{Name: "m", Labels: frames.All(), Thresholds: []float64{0.5}, Scorer: fixed{}}}, "10 labels but 1 thresholds"},
		{"short score rows", exs, []Candidate{{Name: "m", Labels: frames.All(), Thresholds: make([]float64, frames.Count), Scorer: fixed{"Some text.": {0.5}}}}, "1 scores for 10 labels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), "set", c.exs, c.cands, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}
