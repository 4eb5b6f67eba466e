package eval

import (
	"context"
	"math"
	"testing"

	"github.com/framing-project/framing/corpus"
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
