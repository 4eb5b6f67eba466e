package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the report as indented JSON (schema in the README).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteText writes terminal tables: headline figures per model, per-label
// F1, comparisons with their intervals and verdicts, then error examples.
func (r *Report) WriteText(w io.Writer) error {
	return r.write(w, false)
}

// WriteMarkdown writes the same content as Markdown tables, for pull requests.
func (r *Report) WriteMarkdown(w io.Writer) error {
	return r.write(w, true)
}

func (r *Report) write(w io.Writer, md bool) error {
	var b strings.Builder
	table := func(header []string, rows [][]string) {
		if md {
			b.WriteString("| " + strings.Join(header, " | ") + " |\n|" + strings.Repeat("---|", len(header)) + "\n")
			for _, row := range rows {
				b.WriteString("| " + strings.Join(row, " | ") + " |\n")
			}
			b.WriteString("\n")
			return
		}
		tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(header, "\t"))
		for _, row := range rows {
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
		b.WriteString("\n")
	}
	heading := func(s string) {
		if md {
			b.WriteString("### " + s + "\n\n")
		} else {
			b.WriteString(strings.ToUpper(s) + "\n")
		}
	}
	f := func(x float64) string { return fmt.Sprintf("%.3f", x) }
	heading(fmt.Sprintf("Evaluation on %s (%d sentences, %d articles)", r.Data.Path, r.Data.Sentences, r.Data.Articles))
	var rows [][]string
	for _, m := range r.Models {
		rows = append(rows, []string{m.Name + " " + m.Version, f(m.Sentence.MacroF1), f(m.Sentence.MicroF1), f(m.Sentence.SamplesF1),
			f(m.Sentence.ExactMatch), f(m.Sentence.HammingLoss), f(m.Article.MacroF1), f(m.Article.MicroF1), f(m.Calibration.ECE),
			fmt.Sprintf("%.0f", m.Speed.SentencesPerSecond), fmt.Sprintf("%.2f/%.2f", m.Speed.ArticleP50Ms, m.Speed.ArticleP95Ms)})
	}
	table([]string{"model", "sent macro-F1", "sent micro-F1", "samples-F1", "exact", "hamming", "art macro-F1", "art micro-F1", "ECE", "sent/s", "article p50/p95 ms"}, rows)

	heading("Per-label sentence F1 (precision / recall, support)")
	header := []string{"label"}
	for _, m := range r.Models {
		header = append(header, m.Name)
	}
	perLabel := func(level func(ModelReport) Metrics) [][]string {
		var rows [][]string
		for _, l := range r.Labels {
			row := []string{l}
			for _, m := range r.Models {
				lm := level(m).PerLabel[l]
				row = append(row, fmt.Sprintf("%.3f (%.2f/%.2f, %d)", lm.F1, lm.Precision, lm.Recall, lm.Support))
			}
			rows = append(rows, row)
		}
		return rows
	}
	table(header, perLabel(func(m ModelReport) Metrics { return m.Sentence }))

	heading("Per-label article F1 (precision / recall, support)")
	table(header, perLabel(func(m ModelReport) Metrics { return m.Article }))

	heading("Thresholds: the model's -> F1-optimal on this data (sentence F1 at each)")
	rows = nil
	for _, l := range r.Labels {
		row := []string{l}
		for _, m := range r.Models {
			sw := m.Sweeps[l]
			t, ok := m.Thresholds[l]
			if !ok {
				row = append(row, "(label missing)")
				continue
			}
			row = append(row, fmt.Sprintf("%.3f (%.3f) -> %.3f (%.3f)", t, m.Sentence.PerLabel[l].F1, sw.BestThreshold, sw.BestF1))
		}
		rows = append(rows, row)
	}
	table(header, rows)

	heading("Calibration: mean score / positive rate (count) per score bin, all labels")
	rows = nil
	for bi := range r.Models[0].Calibration.Reliability {
		row := []string{r.Models[0].Calibration.Reliability[bi].Range}
		for _, m := range r.Models {
			b := m.Calibration.Reliability[bi]
			row = append(row, fmt.Sprintf("%.3f / %.3f (%d)", b.MeanScore, b.PosRate, b.Count))
		}
		rows = append(rows, row)
	}
	ece := []string{"ECE"}
	for _, m := range r.Models {
		ece = append(ece, f(m.Calibration.ECE))
	}
	rows = append(rows, ece)
	table(append([]string{"bin"}, header[1:]...), rows)

	if len(r.Comparisons) > 0 {
		heading(fmt.Sprintf("Comparisons (B - A, 95%% paired bootstrap over articles, %d resamples, seed %d)", r.Comparisons[0].Resamples, r.Comparisons[0].Seed))
		rows = nil
		iv := func(i Interval) string {
			s := fmt.Sprintf("%+.3f [%+.3f, %+.3f]", i.Delta, i.Low, i.High)
			if i.Significant() {
				s += " *"
			}
			return s
		}
		for _, c := range r.Comparisons {
			rows = append(rows, []string{c.B + " vs " + c.A, iv(c.SentenceMacroF1), iv(c.SentenceMicroF1), iv(c.ArticleMacroF1), iv(c.ArticleMicroF1)})
		}
		table([]string{"B vs A", "sent macro-F1", "sent micro-F1", "art macro-F1", "art micro-F1"}, rows)
		for _, c := range r.Comparisons {
			b.WriteString("verdict: " + c.Verdict + "\n")
		}
		b.WriteString("\n")
		heading("Per-label sentence F1 differences (B - A, 95% CI; * = interval excludes 0)")
		header := []string{"label"}
		for _, c := range r.Comparisons {
			header = append(header, c.B+" vs "+c.A)
		}
		rows = nil
		for _, l := range r.Labels {
			row := []string{l}
			for _, c := range r.Comparisons {
				row = append(row, iv(c.PerLabel[l]))
			}
			rows = append(rows, row)
		}
		table(header, rows)
	}
	for _, m := range r.Models {
		heading("Worst errors of " + m.Name)
		rows = nil
		for _, l := range r.Labels {
			e := m.Errors[l]
			for _, x := range e.FalsePositives {
				rows = append(rows, []string{l, "FP", fmt.Sprintf("%.2f", x.Score), x.ID, clip(x.Text)})
			}
			for _, x := range e.FalseNegatives {
				rows = append(rows, []string{l, "FN", fmt.Sprintf("%.2f", x.Score), x.ID, clip(x.Text)})
			}
		}
		table([]string{"label", "kind", "score", "id", "text"}, rows)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func clip(s string) string {
	s = strings.ReplaceAll(s, "|", "/")
	if r := []rune(s); len(r) > 90 {
		return string(r[:87]) + "..."
	}
	return s
}
