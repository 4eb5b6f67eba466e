package corpus

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/framing-project/framing/frames"
)

// Split is one named file of a corpus (train, dev, test, ...).
type Split struct {
	Name     string
	Examples []Example
}

// Stats counts one split.
type Stats struct {
	Sentences, Articles, Empty int
	PerLabel                   [frames.Count]int
}

// Finding is a problem the checker found.
type Finding struct {
	Kind   string // "article-overlap", "duplicate", "near-duplicate", "id-overlap"
	Detail string
}

// Report is the result of Check.
type Report struct {
	Splits   []string
	Stats    map[string]Stats
	Findings []Finding
}

// NearDuplicate is the Jaccard similarity of word 3-grams at or above which
// two sentences in different splits count as near duplicates.
const NearDuplicate = 0.8

// Check validates splits against each other: articles and ids must not
// cross splits, and no sentence may reappear (exactly or nearly) in another
// split, since that would leak training data into evaluation. Per-file
// validity (schema, labels, text) is already enforced by Read.
func Check(splits []Split) Report {
	rep := Report{Stats: map[string]Stats{}}
	articleSplit := map[string]string{}
	idSplit := map[string]string{}
	type entry struct {
		split string
		ex    *Example
		grams map[string]struct{}
	}
	byNorm := map[string]entry{}
	var all []entry
	index := map[string][]int{} // 3-gram -> entries
	for _, sp := range splits {
		rep.Splits = append(rep.Splits, sp.Name)
		var st Stats
		seenArticle := map[string]bool{}
		for i := range sp.Examples {
			ex := &sp.Examples[i]
			st.Sentences++
			if len(ex.Labels) == 0 {
				st.Empty++
			}
			for _, l := range ex.Labels {
				st.PerLabel[frames.Index(l)]++
			}
			if !seenArticle[ex.Article] {
				seenArticle[ex.Article] = true
				st.Articles++
				if other, ok := articleSplit[ex.Article]; ok && other != sp.Name {
					rep.Findings = append(rep.Findings, Finding{"article-overlap", fmt.Sprintf("article %s is in both %s and %s", ex.Article, other, sp.Name)})
				}
				articleSplit[ex.Article] = sp.Name
			}
			if other, ok := idSplit[ex.ID]; ok && other != sp.Name {
				rep.Findings = append(rep.Findings, Finding{"id-overlap", fmt.Sprintf("id %s is in both %s and %s", ex.ID, other, sp.Name)})
			}
			idSplit[ex.ID] = sp.Name
			norm := Normalize(ex.Text)
			if prev, ok := byNorm[norm]; ok {
				rep.Findings = append(rep.Findings, Finding{"duplicate", fmt.Sprintf("%s (%s) and %s (%s) have the same text: %q", prev.ex.ID, prev.split, ex.ID, sp.Name, clip(ex.Text))})
				continue
			}
			e := entry{split: sp.Name, ex: ex, grams: trigrams(norm)}
			byNorm[norm] = e
			// Near duplicates are only a leak across splits; candidates come
			// from the inverted index of 3-grams, so this stays near-linear.
			cands := map[int]bool{}
			for g := range e.grams {
				for _, j := range index[g] {
					if all[j].split != sp.Name {
						cands[j] = true
					}
				}
			}
			js := make([]int, 0, len(cands))
			for j := range cands {
				js = append(js, j)
			}
			sort.Ints(js)
			for _, j := range js {
				if s := jaccard(e.grams, all[j].grams); s >= NearDuplicate {
					rep.Findings = append(rep.Findings, Finding{"near-duplicate", fmt.Sprintf("%s (%s) and %s (%s) are %.0f%% alike: %q / %q", all[j].ex.ID, all[j].split, ex.ID, sp.Name, 100*s, clip(all[j].ex.Text), clip(ex.Text))})
				}
			}
			for g := range e.grams {
				index[g] = append(index[g], len(all))
			}
			all = append(all, e)
		}
		rep.Stats[sp.Name] = st
	}
	return rep
}

func clip(s string) string {
	if r := []rune(s); len(r) > 70 {
		return string(r[:67]) + "..."
	}
	return s
}

// Normalize lower-cases text and keeps only letters and digits as
// single-space separated words, so punctuation and spacing do not hide a
// duplicate.
func Normalize(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

func trigrams(norm string) map[string]struct{} {
	w := strings.Fields(norm)
	out := map[string]struct{}{}
	for i := 0; i+3 <= len(w); i++ {
		out[w[i]+" "+w[i+1]+" "+w[i+2]] = struct{}{}
	}
	return out
}

func jaccard(a, b map[string]struct{}) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for g := range a {
		if _, ok := b[g]; ok {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// OK reports whether the check found no problem.
func (r Report) OK() bool { return len(r.Findings) == 0 }

// WriteTable prints per-split counts and per-label positives as a table,
// then the findings.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	header := "\t"
	for _, s := range r.Splits {
		header += s + "\t"
	}
	fmt.Fprintln(tw, header+"total\t")
	row := func(name string, get func(Stats) int) {
		line := name + "\t"
		total := 0
		for _, s := range r.Splits {
			v := get(r.Stats[s])
			total += v
			line += fmt.Sprintf("%d\t", v)
		}
		fmt.Fprintln(tw, line+fmt.Sprintf("%d\t", total))
	}
	row("articles", func(s Stats) int { return s.Articles })
	row("sentences", func(s Stats) int { return s.Sentences })
	row("no frame", func(s Stats) int { return s.Empty })
	for i, l := range frames.All() {
		row(l, func(s Stats) int { return s.PerLabel[i] })
	}
	line := "no-frame share\t"
	var te, ts int
	for _, s := range r.Splits {
		st := r.Stats[s]
		te, ts = te+st.Empty, ts+st.Sentences
		line += fmt.Sprintf("%.1f%%\t", pct(st.Empty, st.Sentences))
	}
	fmt.Fprintln(tw, line+fmt.Sprintf("%.1f%%\t", pct(te, ts)))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Findings) == 0 {
		_, err := fmt.Fprintln(w, "\nno problems found: splits are article-disjoint, no duplicates or near duplicates across splits")
		return err
	}
	fmt.Fprintf(w, "\n%d problems:\n", len(r.Findings))
	for _, f := range r.Findings {
		fmt.Fprintf(w, "  %s: %s\n", f.Kind, f.Detail)
	}
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// WriteMarkdown prints the per-split counts as a Markdown table (the
// datasheet embeds it, and a test keeps it equal to the files).
func (r Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| |")
	for _, s := range r.Splits {
		b.WriteString(" " + s + " |")
	}
	b.WriteString(" total |\n|---|")
	for range r.Splits {
		b.WriteString("---:|")
	}
	b.WriteString("---:|\n")
	row := func(name string, get func(Stats) int) {
		b.WriteString("| " + name + " |")
		total := 0
		for _, s := range r.Splits {
			v := get(r.Stats[s])
			total += v
			fmt.Fprintf(&b, " %d |", v)
		}
		fmt.Fprintf(&b, " %d |\n", total)
	}
	row("articles", func(s Stats) int { return s.Articles })
	row("sentences", func(s Stats) int { return s.Sentences })
	row("no frame", func(s Stats) int { return s.Empty })
	for i, l := range frames.All() {
		row("`"+l+"`", func(s Stats) int { return s.PerLabel[i] })
	}
	_, err := io.WriteString(w, b.String())
	return err
}
