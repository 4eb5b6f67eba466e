package eval

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/frames"
)

func TestParseFastTextLine(t *testing.T) {
	cases := []struct {
		line    string
		want    map[string]float32
		wantErr string
	}{
		{"__label__legality 0.9 __label__none 0.2 __label__economic-cost 1.00001\n", map[string]float32{"legality": 0.9, "economic-cost": 1}, ""},
		{"\n", map[string]float32{}, ""},
		{"__label__legality\n", nil, "odd number"},
		{"legality 0.9\n", nil, "not a __label__"},
		{"__label__legality high\n", nil, "bad probability"},
		{"__label__legality -0.1\n", nil, "bad probability"},
		{"__label__legality NaN\n", nil, "bad probability"},
	}
	for _, c := range cases {
		row, err := parseFastTextLine(c.line)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%q: got %v, want an error containing %q", c.line, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.line, err)
			continue
		}
		for l, name := range frames.All() {
			if row[l] != c.want[name] {
				t.Errorf("%q: %s = %v, want %v", c.line, name, row[l], c.want[name])
			}
		}
	}
}

func FuzzParseFastTextLine(f *testing.F) {
	f.Add("__label__legality 0.9 __label__none 0.1\n")
	f.Add("__label__hybrid-attack 1e-05\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, line string) {
		row, err := parseFastTextLine(line)
		if err != nil {
			return
		}
		if len(row) != frames.Count {
			t.Fatalf("%d scores", len(row))
		}
		for _, v := range row {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("score %v out of [0, 1]", v)
			}
		}
	})
}

func TestFastTextText(t *testing.T) {
	for in, want := range map[string]string{
		"The Court said: \"No!\"\nAgain.": `the court said : " no ! " again .`,
		"  spaced\tout  ":                 "spaced out",
		"€5,000 — costs":                  "€ 5 , 000 — costs",
	} {
		got := FastTextText(in)
		if got != want {
			t.Errorf("FastTextText(%q) = %q, want %q", in, got, want)
		}
		if again := FastTextText(got); again != got {
			t.Errorf("not idempotent: %q -> %q", got, again)
		}
	}
}

// fakeFastText writes a stand-in for `fasttext predict-prob MODEL - -1 0`
// that answers each line: legality 0.9 when it contains "court", else 0.1;
// with die > 0 it exits after that many lines; with hang it never answers.
func fakeFastText(t *testing.T, die int, hang bool) *FastText {
	t.Helper()
	dir := t.TempDir()
	script := fmt.Sprintf(`#!/bin/sh
[ "$1" = predict-prob ] && [ "$3" = - ] && [ "$4" = -1 ] || { echo "usage: bad arguments $*" >&2; exit 2; }
n=0
%s
while IFS= read -r line; do
  n=$((n+1))
  if [ %d -gt 0 ] && [ $n -gt %d ]; then echo "fake fasttext: segmentation fault" >&2; exit 139; fi
  case "$line" in
    *court*) echo "__label__legality 0.9 __label__none 0.1" ;;
    *) echo "__label__none 0.8 __label__legality 0.1" ;;
  esac
done
`, map[bool]string{true: "sleep 60", false: ""}[hang], die, die)
	bin := filepath.Join(dir, "fasttext")
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model.bin")
	if err := os.WriteFile(model, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &FastText{bin: bin, model: model}
}

func TestFastTextProtocol(t *testing.T) {
	ft := fakeFastText(t, 0, false)
	defer func() {
		if err := ft.Close(); err != nil {
			t.Error(err)
		}
	}()
	ctx := context.Background()
	legality := frames.Index("legality")
	// Many sentences in one call: the writer must not deadlock on full pipes.
	var sents []string
	for i := 0; i < 8000; i++ {
		if i%2 == 0 {
			sents = append(sents, fmt.Sprintf("The COURT ruled on case %d.\nIt was late.", i))
		} else {
			sents = append(sents, fmt.Sprintf("Rain fell on day %d.", i))
		}
	}
	for call := 0; call < 3; call++ { // one process serves every call
		out, err := ft.ScoreSentences(ctx, sents[:len(sents)>>call])
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range out {
			want := float32(0.1)
			if i%2 == 0 {
				want = 0.9
			}
			if row[legality] != want {
				t.Fatalf("call %d, sentence %d: legality %v, want %v", call, i, row[legality], want)
			}
		}
	}
}

func TestFastTextFailures(t *testing.T) {
	t.Run("process dies", func(t *testing.T) {
		ft := fakeFastText(t, 3, false)
		defer ft.Close()
		_, err := ft.ScoreSentences(context.Background(), []string{"a", "b", "c", "d", "e"})
		if err == nil || !strings.Contains(err.Error(), "sentence 3") || !strings.Contains(err.Error(), "segmentation fault") {
			t.Fatalf("got %v, want the failing sentence and the process's last words", err)
		}
		if _, err2 := ft.ScoreSentences(context.Background(), []string{"a"}); err2 == nil {
			t.Fatal("a dead process answered")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ft := fakeFastText(t, 0, true)
		defer ft.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := ft.ScoreSentences(ctx, []string{"a"})
		if err == nil || ctx.Err() == nil || time.Since(start) > 10*time.Second {
			t.Fatalf("got %v after %v, want the context's error promptly", err, time.Since(start))
		}
	})
}

func TestFastTextCandidate(t *testing.T) {
	if _, err := exec.LookPath("fasttext"); err != nil {
		t.Skip("fasttext is not installed (apt-get install fasttext)")
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "m.bin")
	if _, err := FastTextCandidate(model); err == nil || !strings.Contains(err.Error(), "m.bin") {
		t.Fatalf("missing model: %v", err)
	}
	os.WriteFile(model, []byte("x"), 0o644)
	side := model + ".thresholds.json"
	for body, want := range map[string]string{
		`{"weather": 0.3}`:  `unknown label "weather"`,
		`{"legality": 0}`:   "want (0, 1]",
		`{"legality": 0.3`:  "thresholds.json",
		`{"legality": 0.3}`: "",
	} {
		os.WriteFile(side, []byte(body), 0o644)
		c, err := FastTextCandidate(model)
		if want != "" {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %v, want %q", body, err, want)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.Thresholds[frames.Index("legality")] != 0.3 || c.Thresholds[0] != 0.5 {
			t.Errorf("thresholds %v", c.Thresholds)
		}
	}
}

// TestFastTextReal trains a real fastText model on a few invented
// sentences and evaluates it through the process, when fasttext is there.
func TestFastTextReal(t *testing.T) {
	if _, err := exec.LookPath("fasttext"); err != nil {
		t.Skip("fasttext is not installed (apt-get install fasttext)")
	}
	dir := t.TempDir()
	rows := map[string]string{
		"The court ruled that the pushbacks broke asylum law.":   "legality",
		"A judge said the expulsions were unlawful.":             "legality",
		"Ministers approved sanctions and a new fence.":          "policy-response",
		"The cabinet voted for sanctions against the regime.":    "policy-response",
		"The fence will cost taxpayers millions in contracts.":   "economic-cost",
		"Traders lost money when the crossing closed for weeks.": "economic-cost",
	}
	var train strings.Builder
	var exs []corpus.Example
	i := 0
	for text, label := range rows {
		for rep := 0; rep < 20; rep++ {
			fmt.Fprintf(&train, "__label__%s %s\n", label, FastTextText(text))
		}
		exs = append(exs, corpus.Example{ID: fmt.Sprint(i), Article: fmt.Sprint(i / 2), Text: text, Labels: []string{label}})
		i++
	}
	in := filepath.Join(dir, "train.txt")
	os.WriteFile(in, []byte(train.String()), 0o644)
	out := filepath.Join(dir, "ft")
	cmd := exec.Command("fasttext", "supervised", "-input", in, "-output", out, "-loss", "ova", "-wordNgrams", "2",
		"-epoch", "30", "-lr", "0.5", "-dim", "10", "-bucket", "10000", "-thread", "1", "-seed", "1", "-verbose", "0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fasttext supervised: %v\n%s", err, msg)
	}
	cand, err := FastTextCandidate(out + ".bin")
	if err != nil {
		t.Fatal(err)
	}
	defer cand.Scorer.(*FastText).Close()
	rep, err := Run(context.Background(), "mem", exs, []Candidate{cand}, Options{Resamples: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if f := rep.Models[0].Sentence.MicroF1; f < 0.9 {
		t.Errorf("fastText on its own training sentences: micro-F1 %.3f", f)
	}
	if rep.Models[0].Source != "fasttext:"+out+".bin" {
		t.Errorf("source %q", rep.Models[0].Source)
	}
}
