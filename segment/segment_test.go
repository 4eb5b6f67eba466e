package segment

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func texts(text string, spans []Span) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = text[s.Start:s.End]
	}
	return out
}

func TestNewsRules(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, text string
		want       []string
	}{
		{"paragraph break always ends a sentence",
			"The talks began in 2014.\n\nThat was the view of one analyst.",
			[]string{"The talks began in 2014.", "That was the view of one analyst."}},
		{"paragraph break without a full stop",
			"Guards were sent north\n\nNobody expected it",
			[]string{"Guards were sent north", "Nobody expected it"}},
		{"headline on its own line",
			"Lithuania extends emergency at the frontier\nVILNIUS — The parliament voted on Tuesday to extend the measure.",
			[]string{"Lithuania extends emergency at the frontier", "VILNIUS — The parliament voted on Tuesday to extend the measure."}},
		{"titles and initials",
			"Mr. Kowalski met Gen. J. R. Nowak in the U.S. capital. They spoke for an hour.",
			[]string{"Mr. Kowalski met Gen. J. R. Nowak in the U.S. capital.", "They spoke for an hour."}},
		{"decimals and months",
			"Prices rose 2.5 percent in Sept. and fell later. Analysts were surprised.",
			[]string{"Prices rose 2.5 percent in Sept. and fell later.", "Analysts were surprised."}},
		{"quote then attribution",
			"“We will not be blackmailed,” the minister said. The talks went on.",
			[]string{"“We will not be blackmailed,” the minister said.", "The talks went on."}},
		{"sentence ending inside quotes",
			"He said: “The border is closed.” Then he left.",
			[]string{"He said: “The border is closed.”", "Then he left."}},
		{"dash does not end a sentence",
			"The crossing — closed since May — will reopen on Friday. Trucks are queuing.",
			[]string{"The crossing — closed since May — will reopen on Friday.", "Trucks are queuing."}},
		{"year at the end of a sentence",
			"The tour is its first since 2012. The programme pairs old and new works. Did it change in 2020? Lawyers say no.",
			[]string{"The tour is its first since 2012.", "The programme pairs old and new works.", "Did it change in 2020?", "Lawyers say no."}},
		{"decimals and numbered references stay whole",
			"Growth was 2.5 percent in 2021, against 3.1 percent a year earlier. Article 78(3) applies.",
			[]string{"Growth was 2.5 percent in 2021, against 3.1 percent a year earlier.", "Article 78(3) applies."}},
		{"list items",
			"The measures include:\n- a ban on flights\n- frozen assets\n- travel bans for officials",
			[]string{"The measures include:", "- a ban on flights", "- frozen assets", "- travel bans for officials"}},
		{"wrapped paragraph joins lines",
			"The ministry said the fence would be finished\nby the end of the year, according to the plan.",
			[]string{"The ministry said the fence would be finished\nby the end of the year, according to the plan."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := texts(c.text, s.Split(c.text))
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func checkInvariants(t *testing.T, text string, spans []Span) {
	t.Helper()
	prev := 0
	for _, sp := range spans {
		if sp.Start < prev || sp.End <= sp.Start || sp.End > len(text) {
			t.Fatalf("span %v out of order or bounds (prev end %d, len %d)", sp, prev, len(text))
		}
		if !utf8.RuneStart(text[sp.Start]) || (sp.End < len(text) && !utf8.RuneStart(text[sp.End])) {
			t.Fatalf("span %v not on rune boundaries", sp)
		}
		s := text[sp.Start:sp.End]
		if strings.TrimSpace(s) != s {
			t.Fatalf("span %v not trimmed: %q", sp, s)
		}
		if gap := text[prev:sp.Start]; strings.TrimFunc(gap, unicode.IsSpace) != "" {
			t.Fatalf("text lost between spans: %q", gap)
		}
		prev = sp.End
	}
	if tail := text[prev:]; strings.TrimFunc(tail, unicode.IsSpace) != "" {
		t.Fatalf("text lost at the end: %q", tail)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "a", "Mr. A. B.\n\n- x\n1. y", "“Hi.” ‘x’ — y… z?!", "\xff\x00 broken\n\n\n", "東京。北京。"} {
		f.Add(s)
	}
	sp, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // callers clean invalid UTF-8 first (textcheck)
		}
		checkInvariants(t, text, sp.Split(text))
	})
}

func TestNoPunctuationIsLinear(t *testing.T) {
	sp, err := New()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("word ", 200_000) // 1 MB, no punctuation
	spans := sp.Split(text)
	checkInvariants(t, text, spans)
	if len(spans) != 1 {
		t.Fatalf("got %d spans", len(spans))
	}
}

// TestCorpusArticles rebuilds the corpus articles from the writers' files
// and checks that the splitter cuts them where the writers did.
func TestCorpusArticles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "corpus", "raw", "*.jsonl"))
	if len(files) == 0 {
		t.Skip("no corpus source files")
	}
	type row struct {
		Article string
		Para    int
		Text    string
	}
	sp, err := New()
	if err != nil {
		t.Fatal(err)
	}
	total, exact := 0, 0
	var misses []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		arts := map[string][]row{}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r row
			if json.Unmarshal(sc.Bytes(), &r) != nil {
				continue
			}
			if _, ok := arts[r.Article]; !ok {
				order = append(order, r.Article)
			}
			arts[r.Article] = append(arts[r.Article], r)
		}
		fh.Close()
		for _, a := range order {
			rows := arts[a]
			var b strings.Builder
			var want []string
			for i, r := range rows {
				if i > 0 {
					if r.Para != rows[i-1].Para {
						b.WriteString("\n\n")
					} else {
						b.WriteString(" ")
					}
				}
				b.WriteString(strings.TrimSpace(r.Text))
				want = append(want, strings.TrimSpace(r.Text))
			}
			text := b.String()
			spans := sp.Split(text)
			checkInvariants(t, text, spans)
			got := texts(text, spans)
			total++
			if strings.Join(got, "\x00") == strings.Join(want, "\x00") {
				exact++
			} else if len(misses) < 200 {
				misses = append(misses, fmt.Sprintf("%s: %d sentences, want %d", a, len(got), len(want)))
			}
		}
	}
	sort.Strings(misses)
	share := float64(exact) / float64(total)
	t.Logf("%d of %d corpus articles split exactly as written (%.1f%%)", exact, total, 100*share)
	for _, m := range misses[:min(len(misses), 10)] {
		t.Log(m)
	}
	if share < 0.95 {
		t.Errorf("only %.1f%% of articles split exactly", 100*share)
	}
}
