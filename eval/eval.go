package eval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/frames"
)

// Scorer scores sentences as given (no re-splitting); one row of
// probabilities per sentence, in the candidate's Labels order.
type Scorer interface {
	ScoreSentences(ctx context.Context, sentences []string) ([][]float32, error)
}

// Candidate is a model under evaluation.
type Candidate struct {
	Name, Version, Source string
	Labels                []string
	Thresholds            []float64
	Scorer                Scorer
}

// Options tune Run.
type Options struct {
	Seed        uint64 // bootstrap seed
	Resamples   int    // bootstrap resamples (default 1000)
	ErrorsShown int    // worst false positives and negatives per label (default 3)
}

// ErrorExample is a sentence the model got wrong.
type ErrorExample struct {
	ID    string  `json:"id"`
	Text  string  `json:"text"`
	Score float64 `json:"score"`
}

// LabelErrors are a label's worst mistakes.
type LabelErrors struct {
	FalsePositives []ErrorExample `json:"false_positives"`
	FalseNegatives []ErrorExample `json:"false_negatives"`
}

// Speed is measured in the same run, on the evaluation data.
type Speed struct {
	SentencesPerSecond float64 `json:"sentences_per_second"`
	ArticleP50Ms       float64 `json:"article_latency_p50_ms"`
	ArticleP95Ms       float64 `json:"article_latency_p95_ms"`
}

// ModelReport is one candidate's results.
type ModelReport struct {
	Name        string                 `json:"name"`
	Version     string                 `json:"version"`
	Source      string                 `json:"source"`
	Sentence    Metrics                `json:"sentence"`
	Article     Metrics                `json:"article"`
	Calibration Calibration            `json:"calibration"`
	Thresholds  map[string]float64     `json:"thresholds"`
	Sweeps      map[string]Sweep       `json:"threshold_sweep"`
	Speed       Speed                  `json:"speed"`
	Errors      map[string]LabelErrors `json:"errors"`

	counts counts // per-article counts for the bootstrap
}

// Interval is a bootstrap confidence interval of a difference.
type Interval struct {
	Delta float64 `json:"delta"`
	Low   float64 `json:"ci95_low"`
	High  float64 `json:"ci95_high"`
}

// Comparison is B against A (the first model).
type Comparison struct {
	A               string             `json:"a"`
	B               string             `json:"b"`
	SentenceMicroF1 Interval           `json:"sentence_micro_f1"`
	SentenceMacroF1 Interval           `json:"sentence_macro_f1"`
	ArticleMicroF1  Interval           `json:"article_micro_f1"`
	ArticleMacroF1  Interval           `json:"article_macro_f1"`
	PerLabelF1      map[string]float64 `json:"per_label_f1_delta"`
	Verdict         string             `json:"verdict"`
	Resamples       int                `json:"resamples"`
	Seed            uint64             `json:"seed"`
}

// DataInfo describes the evaluation data.
type DataInfo struct {
	Path      string `json:"path"`
	Sentences int    `json:"sentences"`
	Articles  int    `json:"articles"`
}

// Report is everything `framing eval` prints.
type Report struct {
	Data        DataInfo      `json:"data"`
	Labels      []string      `json:"labels"`
	Models      []ModelReport `json:"models"`
	Comparisons []Comparison  `json:"comparisons"`
}

// Run evaluates every candidate on the examples and compares each later
// candidate with the first.
func Run(ctx context.Context, path string, examples []corpus.Example, cands []Candidate, o Options) (*Report, error) {
	if o.Resamples <= 0 {
		o.Resamples = 1000
	}
	if o.ErrorsShown <= 0 {
		o.ErrorsShown = 3
	}
	labels := frames.All()
	arts := corpus.Articles(examples)
	rep := &Report{Data: DataInfo{Path: path, Sentences: len(examples), Articles: len(arts)}, Labels: labels}
	names := map[string]int{}
	for _, c := range cands {
		names[c.Name]++
	}
	for _, c := range cands {
		if names[c.Name] > 1 { // two versions of one model: tell them apart
			c.Name = c.Name + " (" + c.Source + ")"
		}
		mr, err := evaluate(ctx, labels, arts, c, o)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		rep.Models = append(rep.Models, *mr)
	}
	for i := 1; i < len(rep.Models); i++ {
		rep.Comparisons = append(rep.Comparisons, compare(labels, &rep.Models[0], &rep.Models[i], o))
	}
	return rep, nil
}

func evaluate(ctx context.Context, labels []string, arts [][]corpus.Example, c Candidate, o Options) (*ModelReport, error) {
	// Map the candidate's columns onto taxonomy order; a label the model
	// lacks scores 0 and is never predicted.
	col := make([]int, len(labels))
	th := make([]float64, len(labels))
	for l, name := range labels {
		col[l] = slices.Index(c.Labels, name)
		th[l] = 2
		if col[l] >= 0 {
			th[l] = c.Thresholds[col[l]]
		}
	}
	mr := &ModelReport{Name: c.Name, Version: c.Version, Source: c.Source, Thresholds: map[string]float64{},
		Sweeps: map[string]Sweep{}, Errors: map[string]LabelErrors{}}
	for l, name := range labels {
		if col[l] >= 0 {
			mr.Thresholds[name] = th[l]
		}
	}
	var sGold, sPred, aGold, aPred [][]bool
	var sScores [][]float32
	var ids, texts []string
	var lat []float64
	var total time.Duration
	mr.counts = newCounts(len(arts), len(labels))
	for ai, art := range arts {
		sents := make([]string, len(art))
		for i, ex := range art {
			sents[i] = ex.Text
		}
		start := time.Now()
		raw, err := c.Scorer.ScoreSentences(ctx, sents)
		d := time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", art[0].Article, err)
		}
		total += d
		lat = append(lat, float64(d.Microseconds())/1000)
		ag := make([]bool, len(labels))
		amax := make([]float32, len(labels))
		for i, ex := range art {
			g := make([]bool, len(labels))
			for _, name := range ex.Labels {
				g[slices.Index(labels, name)] = true
			}
			s := make([]float32, len(labels))
			p := make([]bool, len(labels))
			for l := range labels {
				if col[l] >= 0 {
					s[l] = raw[i][col[l]]
				}
				p[l] = float64(s[l]) >= th[l]
				ag[l] = ag[l] || g[l]
				amax[l] = max(amax[l], s[l])
				mr.counts.addSentence(ai, l, g[l], p[l])
			}
			sGold, sPred, sScores = append(sGold, g), append(sPred, p), append(sScores, s)
			ids, texts = append(ids, ex.ID), append(texts, ex.Text)
		}
		ap := make([]bool, len(labels))
		for l := range labels {
			ap[l] = float64(amax[l]) >= th[l]
			mr.counts.addArticle(ai, l, ag[l], ap[l])
		}
		aGold, aPred = append(aGold, ag), append(aPred, ap)
	}
	mr.Sentence = Score(labels, sGold, sPred)
	mr.Article = Score(labels, aGold, aPred)
	mr.Calibration = Calibrate(sScores, sGold)
	for l, name := range labels {
		colScores := make([]float32, len(sScores))
		colGold := make([]bool, len(sScores))
		for i := range sScores {
			colScores[i], colGold[i] = sScores[i][l], sGold[i][l]
		}
		mr.Sweeps[name] = SweepLabel(colScores, colGold)
		mr.Errors[name] = worst(ids, texts, colScores, colGold, th[l], o.ErrorsShown)
	}
	sorted := sortedCopy(lat)
	mr.Speed = Speed{ArticleP50Ms: percentile(sorted, 0.5), ArticleP95Ms: percentile(sorted, 0.95)}
	if total > 0 {
		mr.Speed.SentencesPerSecond = float64(len(sScores)) / total.Seconds()
	}
	return mr, nil
}

// worst picks the highest-scored false positives and lowest-scored false
// negatives: the mistakes a reader learns most from.
func worst(ids, texts []string, scores []float32, gold []bool, th float64, n int) LabelErrors {
	var fps, fns []int
	for i, s := range scores {
		p := float64(s) >= th
		switch {
		case p && !gold[i]:
			fps = append(fps, i)
		case !p && gold[i]:
			fns = append(fns, i)
		}
	}
	sort.SliceStable(fps, func(a, b int) bool { return scores[fps[a]] > scores[fps[b]] })
	sort.SliceStable(fns, func(a, b int) bool { return scores[fns[a]] < scores[fns[b]] })
	pick := func(idx []int) []ErrorExample {
		out := []ErrorExample{}
		for _, i := range idx[:min(n, len(idx))] {
			out = append(out, ErrorExample{ID: ids[i], Text: texts[i], Score: float64(scores[i])})
		}
		return out
	}
	return LabelErrors{FalsePositives: pick(fps), FalseNegatives: pick(fns)}
}

// counts hold per-article, per-label tp/fp/fn at sentence and article
// level, so a bootstrap resample only sums integers.
type counts struct {
	labels   int
	sentence [][3]int // [article*labels+label] -> tp, fp, fn
	article  [][3]int
}

func newCounts(articles, labels int) counts {
	return counts{labels: labels, sentence: make([][3]int, articles*labels), article: make([][3]int, articles*labels)}
}

func bump(c *[3]int, gold, pred bool) {
	switch {
	case gold && pred:
		c[0]++
	case pred:
		c[1]++
	case gold:
		c[2]++
	}
}

func (c *counts) addSentence(a, l int, gold, pred bool) { bump(&c.sentence[a*c.labels+l], gold, pred) }
func (c *counts) addArticle(a, l int, gold, pred bool)  { bump(&c.article[a*c.labels+l], gold, pred) }

// f1s returns micro and macro F1 over the given articles (with repeats).
func f1s(tab [][3]int, labels int, sample []int) (micro, macro float64) {
	per := make([][3]int, labels)
	for _, a := range sample {
		for l := 0; l < labels; l++ {
			c := tab[a*labels+l]
			per[l][0] += c[0]
			per[l][1] += c[1]
			per[l][2] += c[2]
		}
	}
	var TP, FP, FN int
	for _, c := range per {
		macro += F1(c[0], c[1], c[2])
		TP, FP, FN = TP+c[0], FP+c[1], FN+c[2]
	}
	return F1(TP, FP, FN), macro / float64(labels)
}

// compare runs a paired bootstrap over articles: both models are scored on
// the same resampled articles, so article difficulty cancels out.
func compare(labels []string, a, b *ModelReport, o Options) Comparison {
	n := len(a.counts.sentence) / len(labels)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	type stat struct{ sMicro, sMacro, aMicro, aMacro float64 }
	deltas := func(sample []int) stat {
		as1, as2 := f1s(a.counts.sentence, len(labels), sample)
		bs1, bs2 := f1s(b.counts.sentence, len(labels), sample)
		aa1, aa2 := f1s(a.counts.article, len(labels), sample)
		ba1, ba2 := f1s(b.counts.article, len(labels), sample)
		return stat{bs1 - as1, bs2 - as2, ba1 - aa1, ba2 - aa2}
	}
	obs := deltas(all)
	rng := rand.New(rand.NewPCG(o.Seed, 0x626f6f74))
	var d [4][]float64
	sample := make([]int, n)
	for r := 0; r < o.Resamples; r++ {
		for i := range sample {
			sample[i] = rng.IntN(n)
		}
		s := deltas(sample)
		d[0], d[1], d[2], d[3] = append(d[0], s.sMicro), append(d[1], s.sMacro), append(d[2], s.aMicro), append(d[3], s.aMacro)
	}
	iv := func(delta float64, xs []float64) Interval {
		s := sortedCopy(xs)
		return Interval{Delta: delta, Low: percentile(s, 0.025), High: percentile(s, 0.975)}
	}
	c := Comparison{A: a.Name, B: b.Name, Resamples: o.Resamples, Seed: o.Seed,
		SentenceMicroF1: iv(obs.sMicro, d[0]), SentenceMacroF1: iv(obs.sMacro, d[1]),
		ArticleMicroF1: iv(obs.aMicro, d[2]), ArticleMacroF1: iv(obs.aMacro, d[3]),
		PerLabelF1: map[string]float64{}}
	for _, l := range labels {
		c.PerLabelF1[l] = b.Sentence.PerLabel[l].F1 - a.Sentence.PerLabel[l].F1
	}
	// The verdict rests on sentence macro-F1, the project's headline figure.
	switch m := c.SentenceMacroF1; {
	case m.Low > 0:
		c.Verdict = fmt.Sprintf("%s beats %s (sentence macro-F1 %+.3f, 95%% CI %+.3f..%+.3f)", b.Name, a.Name, m.Delta, m.Low, m.High)
	case m.High < 0:
		c.Verdict = fmt.Sprintf("%s beats %s (sentence macro-F1 %+.3f, 95%% CI %+.3f..%+.3f)", a.Name, b.Name, -m.Delta, -m.High, -m.Low)
	default:
		c.Verdict = fmt.Sprintf("no significant difference between %s and %s (sentence macro-F1 %+.3f, 95%% CI %+.3f..%+.3f)", a.Name, b.Name, m.Delta, m.Low, m.High)
	}
	return c
}
