package eval

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var htmlTemplate string

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"f3":     func(x float64) string { return fmt.Sprintf("%.3f", x) },
	"f2":     func(x float64) string { return fmt.Sprintf("%.2f", x) },
	"colour": colour,
	"iv": func(i Interval) string {
		return fmt.Sprintf("%+.3f [%+.3f, %+.3f]", i.Delta, i.Low, i.High)
	},
	"sig": func(i Interval) string {
		switch {
		case i.Low > 0:
			return "up"
		case i.High < 0:
			return "down"
		}
		return "flat"
	},
}).Parse(htmlTemplate))

// htmlModel is one model's column in the HTML tables.
type htmlModel struct {
	*ModelReport
	Colour string
}

type htmlLabelRow struct {
	Label    string
	Sentence []LabelMetrics // per model
	Article  []LabelMetrics
	Sweeps   []htmlSweep
}

type htmlSweep struct {
	Has           bool
	Threshold, F1 float64
	Best          Sweep
}

type htmlErrors struct {
	Label  string
	Models []htmlModelErrors
	Count  int
}

type htmlModelErrors struct {
	Name, Colour string
	LabelErrors
}

type htmlComparison struct {
	Comparison
	Forest   template.HTML
	PerLabel []htmlDelta
	Class    string
}

type htmlDelta struct {
	Label string
	Interval
}

type htmlBin struct {
	Range string
	Bins  []Bin
}

type htmlView struct {
	*Report
	Models      []htmlModel
	Comparisons []htmlComparison
	LabelRows   []htmlLabelRow
	Errors      []htmlErrors
	Bins        []htmlBin
	SentenceF1  template.HTML
	ArticleF1   template.HTML
	PRCurves    []template.HTML
	Reliability template.HTML
}

// WriteHTML writes one self-contained page (inline CSS and SVG charts, no
// scripts, nothing fetched): headline table and verdicts, per-label F1 bars,
// precision-recall curves, a reliability diagram, the comparisons with
// their intervals, thresholds and the worst errors.
func (r *Report) WriteHTML(w io.Writer) error {
	v := htmlView{Report: r}
	names := make([]string, len(r.Models))
	for i := range r.Models {
		v.Models = append(v.Models, htmlModel{&r.Models[i], colour(i)})
		names[i] = r.Models[i].Name
	}
	sent, art := make([][]float64, len(r.Models)), make([][]float64, len(r.Models))
	for mi, m := range r.Models {
		for _, l := range r.Labels {
			sent[mi] = append(sent[mi], m.Sentence.PerLabel[l].F1)
			art[mi] = append(art[mi], m.Article.PerLabel[l].F1)
		}
	}
	v.SentenceF1 = template.HTML(barChart("Sentence F1 per frame", r.Labels, names, sent))
	v.ArticleF1 = template.HTML(barChart("Article F1 per frame", r.Labels, names, art))
	for _, l := range r.Labels {
		row := htmlLabelRow{Label: l}
		c := xyChart{Title: l, XLabel: "recall", YLabel: "precision", W: 300, H: 250}
		ec := htmlErrors{Label: l}
		for mi, m := range r.Models {
			lm := m.Sentence.PerLabel[l]
			row.Sentence = append(row.Sentence, lm)
			row.Article = append(row.Article, m.Article.PerLabel[l])
			t, has := m.Thresholds[l]
			row.Sweeps = append(row.Sweeps, htmlSweep{Has: has, Threshold: t, F1: lm.F1, Best: m.Sweeps[l]})
			sr := xySeries{Name: m.Name, Colour: colour(mi)}
			for _, p := range m.Sweeps[l].Curve {
				if p.Precision == 0 && p.Recall == 0 { // nothing predicted at this threshold
					continue
				}
				sr.X, sr.Y = append(sr.X, p.Recall), append(sr.Y, p.Precision)
			}
			if has && lm.Predicted > 0 {
				sr.Mark = &[2]float64{lm.Recall, lm.Precision}
			}
			c.Series = append(c.Series, sr)
			e := m.Errors[l]
			ec.Models = append(ec.Models, htmlModelErrors{m.Name, colour(mi), e})
			ec.Count += len(e.FalsePositives) + len(e.FalseNegatives)
		}
		v.LabelRows = append(v.LabelRows, row)
		v.PRCurves = append(v.PRCurves, template.HTML(c.svg()))
		v.Errors = append(v.Errors, ec)
	}
	rel := xyChart{Title: "Reliability: positive rate against mean score (all frames)", XLabel: "mean predicted score in bin", YLabel: "share of gold positives",
		W: 520, H: 440, Diagonal: true, Legend: true}
	for mi, m := range r.Models {
		sr := xySeries{Name: fmt.Sprintf("%s (ECE %.3f)", m.Name, m.Calibration.ECE), Colour: colour(mi)}
		total := 0
		for _, b := range m.Calibration.Reliability {
			total += b.Count
		}
		for _, b := range m.Calibration.Reliability {
			if b.Count == 0 {
				continue
			}
			sr.X, sr.Y = append(sr.X, b.MeanScore), append(sr.Y, b.PosRate)
			sr.Sizes = append(sr.Sizes, float64(b.Count)/float64(total))
		}
		rel.Series = append(rel.Series, sr)
	}
	v.Reliability = template.HTML(rel.svg())
	if len(r.Models) > 0 {
		for bi, b := range r.Models[0].Calibration.Reliability {
			hb := htmlBin{Range: b.Range}
			for _, m := range r.Models {
				if bi < len(m.Calibration.Reliability) {
					hb.Bins = append(hb.Bins, m.Calibration.Reliability[bi])
				}
			}
			v.Bins = append(v.Bins, hb)
		}
	}
	for _, c := range r.Comparisons {
		hc := htmlComparison{Comparison: c, Class: "tie"}
		switch {
		case c.SentenceMacroF1.Low > 0:
			hc.Class = "up"
		case c.SentenceMacroF1.High < 0:
			hc.Class = "down"
		}
		rows := []forestRow{
			{"sentence macro-F1", c.SentenceMacroF1.Delta, c.SentenceMacroF1.Low, c.SentenceMacroF1.High},
			{"sentence micro-F1", c.SentenceMicroF1.Delta, c.SentenceMicroF1.Low, c.SentenceMicroF1.High},
			{"article macro-F1", c.ArticleMacroF1.Delta, c.ArticleMacroF1.Low, c.ArticleMacroF1.High},
			{"article micro-F1", c.ArticleMicroF1.Delta, c.ArticleMicroF1.Low, c.ArticleMicroF1.High},
		}
		for _, l := range r.Labels {
			iv := c.PerLabel[l]
			rows = append(rows, forestRow{l, iv.Delta, iv.Low, iv.High})
			hc.PerLabel = append(hc.PerLabel, htmlDelta{l, iv})
		}
		hc.Forest = template.HTML(forestChart(c.B+" − "+c.A+" (dot: observed; bar: 95% CI)", rows))
		v.Comparisons = append(v.Comparisons, hc)
	}
	var b strings.Builder
	if err := htmlReport.Execute(&b, v); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
