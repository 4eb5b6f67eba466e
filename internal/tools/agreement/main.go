// Command agreement computes Cohen's kappa between the corpus labels and a
// blind second labelling of a sample ({"id", "labels"} per line), per frame
// and pooled over frames, and lists the disagreements to resolve.
//
//	go run ./internal/tools/agreement -second relabel.jsonl [-corpus testdata/corpus/test.jsonl]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/frames"
)

func main() {
	first := flag.String("corpus", "testdata/corpus/test.jsonl", "first labelling (corpus JSONL)")
	second := flag.String("second", "", "second labelling: {\"id\", \"labels\"} per line")
	flag.Parse()
	if err := run(*first, *second); err != nil {
		fmt.Fprintln(os.Stderr, "agreement:", err)
		os.Exit(1)
	}
}

// kappa is Cohen's kappa for two binary raters from a 2x2 table.
func kappa(yy, yn, ny, nn int) float64 {
	n := float64(yy + yn + ny + nn)
	po := float64(yy+nn) / n
	pe := (float64(yy+yn)*float64(yy+ny) + float64(ny+nn)*float64(yn+nn)) / (n * n)
	if pe == 1 {
		return 1
	}
	return (po - pe) / (1 - pe)
}

func run(firstPath, secondPath string) error {
	exs, err := corpus.ReadFile(firstPath)
	if err != nil {
		return err
	}
	byID := map[string]corpus.Example{}
	for _, ex := range exs {
		byID[ex.ID] = ex
	}
	f, err := os.Open(secondPath)
	if err != nil {
		return err
	}
	defer f.Close()
	type pair struct{ a, b []string }
	var pairs []pair
	var ids []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var row struct {
			ID     string   `json:"id"`
			Labels []string `json:"labels"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return fmt.Errorf("%s:%d: %v", secondPath, n, err)
		}
		if err := frames.Validate(row.Labels); err != nil {
			return fmt.Errorf("%s:%d: %v", secondPath, n, err)
		}
		ex, ok := byID[row.ID]
		if !ok {
			return fmt.Errorf("%s:%d: id %q is not in %s", secondPath, n, row.ID, firstPath)
		}
		pairs = append(pairs, pair{ex.Labels, row.Labels})
		ids = append(ids, row.ID)
	}
	var tot [4]int
	var sumF1 float64
	// F1 of the second labelling scored against the first is what a model
	// scored against the corpus labels is measured by: a human ceiling.
	fmt.Printf("| frame | both | first only | second only | kappa | F1 |\n|---|---:|---:|---:|---:|---:|\n")
	for _, l := range frames.All() {
		var t [4]int
		for _, p := range pairs {
			a, b := slices.Contains(p.a, l), slices.Contains(p.b, l)
			switch {
			case a && b:
				t[0]++
			case a:
				t[1]++
			case b:
				t[2]++
			default:
				t[3]++
			}
		}
		for i := range t {
			tot[i] += t[i]
		}
		f1 := 2 * float64(t[0]) / float64(max(1, 2*t[0]+t[1]+t[2]))
		sumF1 += f1
		fmt.Printf("| `%s` | %d | %d | %d | %.2f | %.2f |\n", l, t[0], t[1], t[2], kappa(t[0], t[1], t[2], t[3]), f1)
	}
	exact := 0
	for _, p := range pairs {
		if strings.Join(p.a, ",") == strings.Join(sorted(p.b), ",") || sameSet(p.a, p.b) {
			exact++
		}
	}
	fmt.Printf("| pooled over frames (F1: macro) | %d | %d | %d | %.2f | %.2f |\n\n", tot[0], tot[1], tot[2], kappa(tot[0], tot[1], tot[2], tot[3]), sumF1/float64(len(frames.All())))
	fmt.Printf("%d sentences; identical label sets: %d (%.0f%%)\n\nDisagreements:\n", len(pairs), exact, 100*float64(exact)/float64(len(pairs)))
	for i, p := range pairs {
		if !sameSet(p.a, p.b) {
			fmt.Printf("%s\tfirst %v\tsecond %v\t%s\n", ids[i], p.a, p.b, byID[ids[i]].Text)
		}
	}
	return nil
}

func sorted(xs []string) []string { ys := slices.Clone(xs); slices.Sort(ys); return ys }

func sameSet(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }
