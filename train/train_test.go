package train

import (
	"context"
	"github.com/framing-project/framing/internal/testenv"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framing-project/framing/bundle"
	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/frames"
)

// tinyCorpus is a handful of invented sentences; every label occurs in both
// splits so that training and threshold tuning are well defined.
func tinyCorpus() (train, dev []corpus.Example) {
	rows := []struct {
		text   string
		labels []string
	}{
		{"Smugglers were paid by the regime to push crowds at the fence as a weapon.", []string{"hybrid-attack", "foreign-orchestration"}},
		{"The neighbouring government secretly financed the bus convoys to the frontier.", []string{"foreign-orchestration"}},
		{"Analysts say the goal is to split the alliance and weaken its unity.", []string{"destabilization"}},
		{"State television aired staged footage of weeping children for viewers at home.", []string{"information-warfare"}},
		{"Officials accused the guards of causing the deaths in the forest.", []string{"blame-shifting"}},
		{"Soldiers and border guards were sent to patrol the frontier overnight.", []string{"security-threat"}},
		{"Families slept in the freezing woods without food or blankets.", []string{"humanitarian-values"}},
		{"The court ruled that turning people back without a hearing broke asylum law.", []string{"legality"}},
		{"Ministers adopted new sanctions and summoned the ambassador.", []string{"policy-response"}},
		{"The fence will cost taxpayers hundreds of millions in construction contracts.", []string{"economic-cost"}},
		{"The local choir rehearsed on Tuesday evening in the town hall.", nil},
		{"Rain is expected across the region for the rest of the week.", nil},
	}
	for rep := 0; rep < 3; rep++ {
		for i, r := range rows {
			ex := corpus.Example{ID: "x", Article: "a", Text: r.text, Labels: append([]string{}, r.labels...)}
			if rep < 2 {
				ex.ID = "t" + string(rune('a'+rep)) + string(rune('a'+i))
				train = append(train, ex)
			} else {
				ex.ID = "d" + string(rune('a'+i))
				dev = append(dev, ex)
			}
		}
	}
	return train, dev
}

func tinyOptions(arch string) Options {
	o := Defaults(arch)
	o.Epochs, o.Patience, o.VocabSize, o.BatchSize, o.LR = 60, 60, 200, 4, 0.05
	if arch == ArchCNN {
		o.Dim, o.Filters, o.LR = 16, 32, 0.02
	} else {
		o.Dim, o.Buckets = 16, 512
	}
	return o
}

func ortLib(t testing.TB) string { return testenv.ORTLibrary(t) }

// TestRoundTrip trains a tiny model of each architecture, writes the bundle,
// loads it through the normal loader, and classifies the training sentences:
// the labels it learned must come back, and ONNX Runtime must agree with the
// trainer's own forward pass.
func TestRoundTrip(t *testing.T) {
	tr, dv := tinyCorpus()
	for _, arch := range []string{ArchBag, ArchCNN} {
		t.Run(arch, func(t *testing.T) {
			m, err := Train(context.Background(), Data{Examples: tr}, Data{Examples: dv}, tinyOptions(arch))
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "bundle")
			if err := m.Write(dir, false); err != nil {
				t.Fatal(err)
			}
			if err := m.Write(dir, false); err == nil || !strings.Contains(err.Error(), "--force") {
				t.Fatalf("rewriting an existing bundle without force: got %v", err)
			}
			b, err := bundle.LoadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			clf, err := classify.New(b, classify.WithORTLibrary(ortLib(t)))
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := clf.Close(); err != nil {
					t.Error(err)
				}
			}()
			right := 0
			for _, ex := range dv {
				res, err := clf.Classify(context.Background(), ex.Text)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Sentences) != 1 {
					t.Fatalf("%q split into %d sentences", ex.Text, len(res.Sentences))
				}
				s := res.Sentences[0]
				if strings.Join(s.Labels, ",") == strings.Join(ex.Labels, ",") {
					right++
				}
				want, err := m.Predict(ex.Text)
				if err != nil {
					t.Fatal(err)
				}
				for l := range want {
					if d := math.Abs(float64(want[l] - s.Scores[l])); d > 1e-4 {
						t.Errorf("%s: %q label %s: trainer %.6f, ONNX Runtime %.6f", arch, ex.Text, frames.All()[l], want[l], s.Scores[l])
					}
				}
			}
			if right < len(dv)-1 {
				t.Errorf("%s: only %d of %d memorised sentences got back their exact labels", arch, right, len(dv))
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	tr, dv := tinyCorpus()
	o := tinyOptions(ArchBag)
	o.Epochs = 5
	a, err := Train(context.Background(), Data{Examples: tr}, Data{Examples: dv}, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(context.Background(), Data{Examples: tr}, Data{Examples: dv}, o)
	if err != nil {
		t.Fatal(err)
	}
	if string(a.ONNX) != string(b.ONNX) || string(a.Tokenizer) != string(b.Tokenizer) {
		t.Error("two runs with the same seed and data wrote different models")
	}
	o.Seed = 2
	c, err := Train(context.Background(), Data{Examples: tr}, Data{Examples: dv}, o)
	if err != nil {
		t.Fatal(err)
	}
	if string(a.ONNX) == string(c.ONNX) {
		t.Error("a different seed wrote the same model")
	}
}

func TestBadInput(t *testing.T) {
	tr, dv := tinyCorpus()
	var devNoLegality []corpus.Example
	for _, ex := range dv {
		if len(ex.Labels) == 1 && ex.Labels[0] == "legality" {
			continue
		}
		devNoLegality = append(devNoLegality, ex)
	}
	cases := []struct {
		name    string
		tr, dv  []corpus.Example
		mutate  func(*Options)
		wantErr string
	}{
		{"empty train", nil, dv, nil, "train split is empty"},
		{"empty dev", tr, nil, nil, "dev split is empty"},
		{"label missing from dev", tr, devNoLegality, nil, "dev split has no positive example of legality"},
		{"bad arch", tr, dv, func(o *Options) { o.Arch = "lstm" }, `arch "lstm"`},
		{"bad lr", tr, dv, func(o *Options) { o.LR = 5 }, "learning rate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := tinyOptions(ArchBag)
			if c.mutate != nil {
				c.mutate(&o)
			}
			_, err := Train(context.Background(), Data{Examples: c.tr}, Data{Examples: c.dv}, o)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, c.wantErr)
			}
		})
	}
}
