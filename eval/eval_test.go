package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/framing-project/framing/bundle"
	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/eval"
	"github.com/framing-project/framing/frames"
	"github.com/framing-project/framing/internal/testenv"
	"github.com/framing-project/framing/train"
)

var update = flag.Bool("update", false, "rewrite golden files")

// trainRows are invented sentences, one or two frames each, repeated into
// a train and a dev split so that every frame is learnable.
var trainRows = []struct {
	text   string
	labels []string
}{
	{"The regime flew in crowds and marched them to the fence as a weapon against us.", []string{"hybrid-attack"}},
	{"Diplomats say the operation was planned and paid for by a foreign ministry.", []string{"foreign-orchestration"}},
	{"The stunt was meant to sow discord inside the union and weaken its unity.", []string{"destabilization"}},
	{"State channels broadcast staged clips of crying toddlers to viewers at home.", []string{"information-warfare"}},
	{"Each side accused the other of provoking the clash at the checkpoint.", []string{"blame-shifting"}},
	{"Extra troops and guards were sent to protect the frontier overnight.", []string{"security-threat"}},
	{"Families huddled in the cold forest without food, water or blankets.", []string{"humanitarian-values"}},
	{"A judge ruled that sending people back without a hearing broke asylum law.", []string{"legality"}},
	{"The cabinet approved sanctions and voted to build a new barrier.", []string{"policy-response"}},
	{"The barrier will cost taxpayers millions and hurt local trade.", []string{"economic-cost"}},
	{"Troops were sent after the regime used crowds as a weapon at the fence.", []string{"hybrid-attack", "security-threat"}},
	{"The choir met on Thursday to rehearse carols in the library.", nil},
	{"Showers are forecast for the coast later in the week.", nil},
}

func tinySplits() (tr, dv []corpus.Example) {
	for rep := 0; rep < 3; rep++ {
		for i, r := range trainRows {
			ex := corpus.Example{ID: fmt.Sprintf("r%d-%02d", rep, i), Article: fmt.Sprintf("r%d", rep), Text: r.text, Labels: append([]string{}, r.labels...)}
			if rep < 2 {
				tr = append(tr, ex)
			} else {
				dv = append(dv, ex)
			}
		}
	}
	return tr, dv
}

// evalArticles is the fixed evaluation set: some training sentences
// verbatim, which the tiny models get right, and new invented paraphrases,
// which they mostly miss. No sentence is labelled economic-cost: a frame
// with no support.
var evalArticles = [][]struct {
	text   string
	labels []string
}{
	{
		{"The regime flew in crowds and marched them to the fence as a weapon against us.", []string{"hybrid-attack"}},
		{"Families waited in the cold forest with no blankets.", []string{"humanitarian-values"}},
		{"The weather stayed dry on Thursday.", nil},
	},
	{
		{"A judge ruled that sending people back without a hearing broke asylum law.", []string{"legality"}},
		{"The cabinet answered with sanctions and a new barrier.", []string{"policy-response"}},
	},
	{
		{"State channels broadcast staged clips of crying toddlers to viewers at home.", []string{"information-warfare"}},
		{"Officials said the operation was paid for by a foreign ministry.", []string{"foreign-orchestration"}},
		{"Both governments accused each other of provoking the clash.", []string{"blame-shifting"}},
		{"The aim, one analyst said, was to weaken the unity of the union.", []string{"destabilization"}},
	},
	{
		{"The choir met on Thursday to rehearse carols in the library.", nil},
		{"More troops were sent to the frontier to protect it.", []string{"security-threat"}},
	},
	{
		{"Extra troops and guards were sent to protect the frontier overnight.", []string{"security-threat"}},
		{"Children slept without food at the fence while guards watched.", []string{"humanitarian-values", "security-threat"}},
		{"Lawyers said sending them back without a hearing was unlawful.", []string{"legality"}},
	},
	{
		{"The cabinet approved sanctions and voted to build a new barrier.", []string{"policy-response"}},
		{"The clips on state channels were staged for viewers at home.", []string{"information-warfare"}},
		{"A local firm built the barrier for the town.", nil},
	},
}

func evalSet() []corpus.Example {
	var out []corpus.Example
	for a, art := range evalArticles {
		for s, r := range art {
			out = append(out, corpus.Example{ID: fmt.Sprintf("e%d-s%d", a, s), Article: fmt.Sprintf("e%d", a), Text: r.text, Labels: append([]string{}, r.labels...)})
		}
	}
	return out
}

type tinyModel struct {
	clf  *classify.Classifier
	cand eval.Candidate
}

var (
	tinyOnce   sync.Once
	tinyModels []tinyModel
	tinyErr    error
)

// tinyCandidates trains a tiny bag and a tiny cnn bundle once per test
// binary and loads each through classify, as `framing eval` does.
func tinyCandidates(t *testing.T) []eval.Candidate {
	t.Helper()
	lib := testenv.ORTLibrary(t)
	tinyOnce.Do(func() {
		tr, dv := tinySplits()
		dir, err := os.MkdirTemp("", "eval-tiny-")
		if err != nil {
			tinyErr = err
			return
		}
		defer os.RemoveAll(dir) // the classifiers hold what they need in memory
		for _, arch := range []string{train.ArchBag, train.ArchCNN} {
			o := train.Defaults(arch)
			o.Epochs, o.Patience, o.VocabSize, o.BatchSize, o.LR = 40, 40, 200, 4, 0.05
			if arch == train.ArchCNN {
				o.Dim, o.Filters, o.LR, o.Epochs = 16, 32, 0.02, 25
			} else {
				o.Dim, o.Buckets = 16, 512
			}
			o.Name = "tiny-" + arch
			m, err := train.Train(context.Background(), train.Data{Examples: tr}, train.Data{Examples: dv}, o)
			if err != nil {
				tinyErr = err
				return
			}
			out := filepath.Join(dir, arch)
			if err := m.Write(out, false); err != nil {
				tinyErr = err
				return
			}
			b, err := bundle.LoadDir(out)
			if err != nil {
				tinyErr = err
				return
			}
			clf, err := classify.New(b, classify.WithORTLibrary(lib), classify.WithIntraOpThreads(1))
			if err != nil {
				tinyErr = err
				return
			}
			info := clf.Model()
			tinyModels = append(tinyModels, tinyModel{clf, eval.Candidate{Name: info.Name, Version: info.Version,
				Source: "test:" + arch, Labels: clf.Labels(), Thresholds: clf.Thresholds(), Scorer: clf}})
		}
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	var out []eval.Candidate
	for _, m := range tinyModels {
		out = append(out, m.cand)
	}
	return out
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	for _, tm := range tinyModels {
		tm.clf.Close()
	}
	os.Exit(code)
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./eval -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./eval -update to accept):\n%s", name, got)
	}
}

// TestGoldenJSON evaluates two tiny trained models on a fixed set and
// compares the whole JSON report, timings zeroed, with the golden file.
func TestGoldenJSON(t *testing.T) {
	cands := tinyCandidates(t)
	rep, err := eval.Run(context.Background(), "eval-set", evalSet(), cands, eval.Options{Seed: 3, Resamples: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rep.Models {
		if s := rep.Models[i].Speed; s.SentencesPerSecond <= 0 || s.ArticleP50Ms <= 0 || s.ArticleP95Ms < s.ArticleP50Ms {
			t.Errorf("%s: implausible speed %+v", rep.Models[i].Name, s)
		}
		rep.Models[i].Speed = eval.Speed{} // timings vary run to run
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden.json", b.Bytes())

	// The schema the README documents, read back generically.
	var doc struct {
		Data   map[string]any `json:"data"`
		Models []struct {
			Name        string         `json:"name"`
			Version     string         `json:"version"`
			Sentence    map[string]any `json:"sentence"`
			Article     map[string]any `json:"article"`
			Calibration map[string]any `json:"calibration"`
			Speed       map[string]any `json:"speed"`
		} `json:"models"`
		Comparisons []map[string]any `json:"comparisons"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Data["articles"] != float64(len(evalArticles)) || len(doc.Models) != 2 || len(doc.Comparisons) != 1 {
		t.Fatalf("report shape: data %v, %d models, %d comparisons", doc.Data, len(doc.Models), len(doc.Comparisons))
	}
	for _, m := range doc.Models {
		for _, level := range []map[string]any{m.Sentence, m.Article} {
			per, _ := level["per_label"].(map[string]any)
			for _, key := range []string{"micro_f1", "macro_f1", "samples_f1", "exact_match", "hamming_loss"} {
				if _, ok := level[key]; !ok {
					t.Errorf("%s: missing %s", m.Name, key)
				}
			}
			for _, l := range frames.All() {
				lm, _ := per[l].(map[string]any)
				for _, key := range []string{"precision", "recall", "f1", "support"} {
					if _, ok := lm[key]; !ok {
						t.Errorf("%s: %s lacks %s", m.Name, l, key)
					}
				}
			}
		}
		if _, ok := m.Calibration["ece"]; !ok || m.Speed == nil {
			t.Errorf("%s: calibration %v speed %v", m.Name, m.Calibration, m.Speed)
		}
	}
}

// TestArticleLevelMatchesClassify checks that evaluation's article rule is
// classify's: for an article whose joined text the splitter cuts back into
// the same sentences, Classify must carry exactly the frames Aggregate does.
func TestArticleLevelMatchesClassify(t *testing.T) {
	tinyCandidates(t)
	ctx := context.Background()
	checked := 0
	for _, tm := range tinyModels {
		for _, art := range corpus.Articles(evalSet()) {
			texts := make([]string, len(art))
			for i, ex := range art {
				texts[i] = ex.Text
			}
			res, err := tm.clf.Classify(ctx, strings.Join(texts, " "))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Sentences) != len(texts) {
				continue
			}
			scores, err := tm.clf.ScoreSentences(ctx, texts)
			if err != nil {
				t.Fatal(err)
			}
			_, carried, _ := classify.ArticleScores(scores, tm.clf.Thresholds())
			var got []string
			for l, c := range carried {
				if c {
					got = append(got, tm.clf.Labels()[l])
				}
			}
			if !slices.Equal(got, res.Labels) {
				t.Errorf("%s, article %s: Aggregate carries %v, Classify %v", tm.cand.Name, art[0].Article, got, res.Labels)
			}
			checked++
		}
	}
	if checked < len(evalArticles) {
		t.Fatalf("only %d articles split back into their sentences", checked)
	}
}

// TestHTMLReport: the page holds every model and frame, one chart per
// kind, the comparison with its interval and the error examples, and
// fetches nothing.
func TestHTMLReport(t *testing.T) {
	cands := tinyCandidates(t)
	rep, err := eval.Run(context.Background(), "eval-set", evalSet(), cands, eval.Options{Seed: 1, Resamples: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	raw := b.String()
	page := html.UnescapeString(raw) // html/template writes + as &#43;
	for _, m := range rep.Models {
		if !strings.Contains(page, ">"+m.Name+" ") && !strings.Contains(page, ">"+m.Name+"<") {
			t.Errorf("model %q missing", m.Name)
		}
	}
	for _, l := range rep.Labels {
		if strings.Count(page, l) < 6 { // bars, tables, PR title, thresholds, errors
			t.Errorf("frame %q appears only %d times", l, strings.Count(page, l))
		}
	}
	c := rep.Comparisons[0]
	for _, want := range []string{
		"Sentence F1 per frame", "Article F1 per frame", "Reliability", "recall", "precision",
		c.Verdict, fmt.Sprintf("%+.3f [%+.3f, %+.3f]", c.SentenceMacroF1.Delta, c.SentenceMacroF1.Low, c.SentenceMacroF1.High),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg"); n != 2+len(rep.Labels)+1+len(rep.Comparisons) {
		t.Errorf("%d charts, want %d", n, 2+len(rep.Labels)+1+len(rep.Comparisons))
	}
	errs := 0
	for _, m := range rep.Models {
		for _, e := range m.Errors {
			for _, x := range append(e.FalsePositives, e.FalseNegatives...) {
				errs++
				if !strings.Contains(page, x.ID) {
					t.Errorf("error example %s missing", x.ID)
				}
			}
		}
	}
	if errs == 0 {
		t.Error("the tiny models made no mistakes: the set no longer tests error examples")
	}
	for _, bad := range []string{"<script", " src=", "href=\"http", "url(http", "@import"} {
		if strings.Contains(raw, bad) {
			t.Errorf("page is not self-contained: has %q", bad)
		}
	}
}
