package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/frames"
)

// Scorer scores sentences as given (no re-splitting); one row of
// probabilities per sentence, in the candidate's Labels order.
// *classify.Classifier and *FastText implement it.
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

// Speed is measured in the same run, on the evaluation data: one scoring
// call per article (all its sentences), after one untimed warm-up call.
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

// Significant reports whether the interval excludes zero.
func (i Interval) Significant() bool { return i.Low > 0 || i.High < 0 }

// Comparison is B against A (the first model): every figure is B - A.
type Comparison struct {
	A               string             `json:"a"`
	B               string             `json:"b"`
	SentenceMicroF1 Interval           `json:"sentence_micro_f1"`
	SentenceMacroF1 Interval           `json:"sentence_macro_f1"`
	ArticleMicroF1  Interval           `json:"article_micro_f1"`
	ArticleMacroF1  Interval           `json:"article_macro_f1"`
	PerLabelF1      map[string]float64 `json:"per_label_f1_delta"`
	// PerLabel are the per-label sentence F1 differences with intervals:
	// with ~100 positives a label, a few points either way is often noise,
	// and this says which differences are not.
	PerLabel  map[string]Interval `json:"per_label_sentence_f1"`
	Verdict   string              `json:"verdict"`
	Resamples int                 `json:"resamples"`
	Seed      uint64              `json:"seed"`
}

// DataInfo describes the evaluation data.
type DataInfo struct {
	Path      string `json:"path"`
	Sentences int    `json:"sentences"`
	Articles  int    `json:"articles"`
}

// Report is everything `framing eval` prints. Figures are rounded to four
// decimals, well below their sampling error on any corpus of this size.
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
	if len(examples) == 0 {
		return nil, fmt.Errorf("%s: no examples to evaluate on", path)
	}
	if len(cands) == 0 {
		return nil, errors.New("no model to evaluate")
	}
	labels := frames.All()
	for _, ex := range examples {
		for _, l := range ex.Labels {
			if !frames.Known(l) {
				return nil, fmt.Errorf("%s: %s: unknown label %q", path, ex.ID, l)
			}
		}
	}
	arts := corpus.Articles(examples)
	rep := &Report{Data: DataInfo{Path: path, Sentences: len(examples), Articles: len(arts)}, Labels: labels, Comparisons: []Comparison{}}
	names := map[string]int{}
	for _, c := range cands {
		names[c.Name]++
	}
	for _, c := range cands {
		if names[c.Name] > 1 { // two versions of one model: tell them apart
			c.Name = c.Name + " (" + c.Source + ")"
		}
		if len(c.Labels) != len(c.Thresholds) {
			return nil, fmt.Errorf("%s: %d labels but %d thresholds", c.Name, len(c.Labels), len(c.Thresholds))
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
	rep.round()
	return rep, nil
}

func evaluate(ctx context.Context, labels []string, arts [][]corpus.Example, c Candidate, o Options) (*ModelReport, error) {
	// Map the candidate's columns onto taxonomy order; a label the model
	// lacks scores 0 and is never predicted (threshold above any score).
	col := make([]int, len(labels))
	th := make([]float64, len(labels))
	for l, name := range labels {
		col[l] = slices.Index(c.Labels, name)
		th[l] = math.Inf(1)
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
	texts := func(art []corpus.Example) []string {
		out := make([]string, len(art))
		for i, ex := range art {
			out[i] = ex.Text
		}
		return out
	}
	// Warm up (first-call allocations, a peer's process start) untimed.
	if _, err := c.Scorer.ScoreSentences(ctx, texts(arts[0])); err != nil {
		return nil, fmt.Errorf("article %s: %w", arts[0][0].Article, err)
	}
	var sGold, sPred, aGold, aPred [][]bool
	var sScores [][]float32
	var ids, sents []string
	var lat []float64
	var total time.Duration
	mr.counts = newCounts(len(arts), len(labels))
	for ai, art := range arts {
		start := time.Now()
		raw, err := c.Scorer.ScoreSentences(ctx, texts(art))
		d := time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", art[0].Article, err)
		}
		if len(raw) != len(art) {
			return nil, fmt.Errorf("article %s: %d score rows for %d sentences", art[0].Article, len(raw), len(art))
		}
		total += d
		lat = append(lat, float64(d.Nanoseconds())/1e6)
		ag := make([]bool, len(labels))
		rows := make([][]float32, len(art))
		for i, ex := range art {
			if len(raw[i]) != len(c.Labels) {
				return nil, fmt.Errorf("sentence %s: %d scores for %d labels", ex.ID, len(raw[i]), len(c.Labels))
			}
			g := make([]bool, len(labels))
			for _, name := range ex.Labels {
				g[frames.Index(name)] = true
			}
			s := make([]float32, len(labels))
			p := make([]bool, len(labels))
			for l := range labels {
				if col[l] >= 0 {
					s[l] = raw[i][col[l]]
				}
				p[l] = float64(s[l]) >= th[l]
				ag[l] = ag[l] || g[l]
				mr.counts.addSentence(ai, l, g[l], p[l])
			}
			rows[i] = s
			sGold, sPred, sScores = append(sGold, g), append(sPred, p), append(sScores, s)
			ids, sents = append(ids, ex.ID), append(sents, ex.Text)
		}
		_, ap, _ := classify.ArticleScores(rows, th)
		for l := range labels {
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
		mr.Errors[name] = worst(ids, sents, colScores, colGold, th[l], o.ErrorsShown)
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

// f1s returns per-label, micro and macro F1 over the given articles (with
// repeats); per is scratch space of one entry per label.
func f1s(tab [][3]int, per [][3]int, perF1 []float64, sample []int) (micro, macro float64) {
	labels := len(per)
	clear(per)
	for _, a := range sample {
		for l := 0; l < labels; l++ {
			c := tab[a*labels+l]
			per[l][0] += c[0]
			per[l][1] += c[1]
			per[l][2] += c[2]
		}
	}
	var TP, FP, FN int
	for l, c := range per {
		perF1[l] = F1(c[0], c[1], c[2])
		macro += perF1[l]
		TP, FP, FN = TP+c[0], FP+c[1], FN+c[2]
	}
	return F1(TP, FP, FN), macro / float64(labels)
}

// compare runs a paired bootstrap over articles: both models are scored on
// the same resampled articles, so article difficulty cancels out. The
// interval is the 2.5th to 97.5th percentile of the resampled differences.
func compare(labels []string, a, b *ModelReport, o Options) Comparison {
	nl := len(labels)
	n := len(a.counts.sentence) / nl
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	per := make([][3]int, nl)
	aF1, bF1, scratch := make([]float64, nl), make([]float64, nl), make([]float64, nl)
	const headline = 4 // sentence micro, sentence macro, article micro, article macro
	deltas := func(sample []int, out []float64) {
		as1, as2 := f1s(a.counts.sentence, per, aF1, sample)
		bs1, bs2 := f1s(b.counts.sentence, per, bF1, sample)
		aa1, aa2 := f1s(a.counts.article, per, scratch, sample)
		ba1, ba2 := f1s(b.counts.article, per, scratch, sample)
		out[0], out[1], out[2], out[3] = bs1-as1, bs2-as2, ba1-aa1, ba2-aa2
		for l := range labels {
			out[headline+l] = bF1[l] - aF1[l]
		}
	}
	obs := make([]float64, headline+nl)
	deltas(all, obs)
	rng := rand.New(rand.NewPCG(o.Seed, 0x626f6f74))
	draws := make([][]float64, headline+nl) // [statistic][resample]
	for i := range draws {
		draws[i] = make([]float64, o.Resamples)
	}
	sample := make([]int, n)
	d := make([]float64, headline+nl)
	for r := 0; r < o.Resamples; r++ {
		for i := range sample {
			sample[i] = rng.IntN(n)
		}
		deltas(sample, d)
		for i, v := range d {
			draws[i][r] = v
		}
	}
	iv := func(i int) Interval {
		s := sortedCopy(draws[i])
		return Interval{Delta: obs[i], Low: percentile(s, 0.025), High: percentile(s, 0.975)}
	}
	c := Comparison{A: a.Name, B: b.Name, Resamples: o.Resamples, Seed: o.Seed,
		SentenceMicroF1: iv(0), SentenceMacroF1: iv(1), ArticleMicroF1: iv(2), ArticleMacroF1: iv(3),
		PerLabelF1: map[string]float64{}, PerLabel: map[string]Interval{}}
	for l, name := range labels {
		c.PerLabelF1[name] = obs[headline+l]
		c.PerLabel[name] = iv(headline + l)
	}
	c.Verdict = verdict(a.Name, b.Name, c.SentenceMacroF1)
	return c
}

// verdict rests on sentence macro-F1, the project's headline figure: a
// model beats another only when the whole interval is on its side.
func verdict(a, b string, m Interval) string {
	switch {
	case m.Low > 0:
		return fmt.Sprintf("%s beats %s (sentence macro-F1 %+.3f, 95%% CI %+.3f..%+.3f)", b, a, m.Delta, m.Low, m.High)
	case m.High < 0:
		return fmt.Sprintf("%s beats %s (sentence macro-F1 %+.3f, 95%% CI %+.3f..%+.3f)", a, b, -m.Delta, -m.High, -m.Low)
	default:
		return fmt.Sprintf("no significant difference between %s and %s (sentence macro-F1 %+.3f, 95%% CI %+.3f..%+.3f)", b, a, m.Delta, m.Low, m.High)
	}
}

func round4(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	return math.Round(x*1e4) / 1e4
}

func (m *Metrics) round() {
	for _, p := range []*float64{&m.MicroF1, &m.MacroF1, &m.SamplesF1, &m.ExactMatch, &m.HammingLoss} {
		*p = round4(*p)
	}
	for l, lm := range m.PerLabel {
		lm.Precision, lm.Recall, lm.F1 = round4(lm.Precision), round4(lm.Recall), round4(lm.F1)
		m.PerLabel[l] = lm
	}
}

func (i *Interval) round() { i.Delta, i.Low, i.High = round4(i.Delta), round4(i.Low), round4(i.High) }

// round rounds every reported figure to four decimals, so that reports are
// readable and golden files do not hinge on the last bits of a float.
func (r *Report) round() {
	for mi := range r.Models {
		m := &r.Models[mi]
		m.Sentence.round()
		m.Article.round()
		m.Calibration.ECE = round4(m.Calibration.ECE)
		for i := range m.Calibration.Reliability {
			b := &m.Calibration.Reliability[i]
			b.MeanScore, b.PosRate = round4(b.MeanScore), round4(b.PosRate)
		}
		for l, t := range m.Thresholds {
			m.Thresholds[l] = round4(t)
		}
		for l, sw := range m.Sweeps {
			sw.BestThreshold, sw.BestF1 = round4(sw.BestThreshold), round4(sw.BestF1)
			for i := range sw.Curve {
				p := &sw.Curve[i]
				p.Threshold, p.Precision, p.Recall = round4(p.Threshold), round4(p.Precision), round4(p.Recall)
			}
			m.Sweeps[l] = sw
		}
		for l, e := range m.Errors {
			for i := range e.FalsePositives {
				e.FalsePositives[i].Score = round4(e.FalsePositives[i].Score)
			}
			for i := range e.FalseNegatives {
				e.FalseNegatives[i].Score = round4(e.FalseNegatives[i].Score)
			}
			m.Errors[l] = e
		}
		sp := &m.Speed
		sp.SentencesPerSecond, sp.ArticleP50Ms, sp.ArticleP95Ms = math.Round(sp.SentencesPerSecond), round4(sp.ArticleP50Ms), round4(sp.ArticleP95Ms)
	}
	for ci := range r.Comparisons {
		c := &r.Comparisons[ci]
		for _, iv := range []*Interval{&c.SentenceMicroF1, &c.SentenceMacroF1, &c.ArticleMicroF1, &c.ArticleMacroF1} {
			iv.round()
		}
		for l, d := range c.PerLabelF1 {
			c.PerLabelF1[l] = round4(d)
		}
		for l, iv := range c.PerLabel {
			iv.round()
			c.PerLabel[l] = iv
		}
	}
}
