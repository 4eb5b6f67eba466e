package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalData is a small labelled set of invented sentences in three articles.
const evalData = `{"id": "x1-s1", "article": "x1", "text": "Border guards said the regime pushed crowds to the fence as a weapon.", "labels": ["hybrid-attack", "security-threat"]}
{"id": "x1-s2", "article": "x1", "text": "Families spent the night in the freezing forest.", "labels": ["humanitarian-values"]}
{"id": "x2-s1", "article": "x2", "text": "A judge ruled that the expulsions broke asylum law.", "labels": ["legality"]}
{"id": "x2-s2", "article": "x2", "text": "The government answered with sanctions and a new fence.", "labels": ["policy-response"]}
{"id": "x3-s1", "article": "x3", "text": "The fence will cost taxpayers millions.", "labels": ["economic-cost"]}
{"id": "x3-s2", "article": "x3", "text": "The town choir sang on Sunday.", "labels": []}
`

func writeEvalData(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "set.jsonl")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEvalReports runs eval on the embedded models and checks the shape of
// every format, not the figures (they belong to whichever model is embedded).
func TestEvalReports(t *testing.T) {
	data := writeEvalData(t, evalData)
	out, stderr, code := framing(t, "", "eval", "--model", "default", "--model", "cnn", "--data", data, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Data   struct{ Sentences, Articles int }
		Models []struct {
			Name     string
			Sentence struct {
				MicroF1  *float64                  `json:"micro_f1"`
				PerLabel map[string]map[string]any `json:"per_label"`
			}
		}
		Comparisons []struct {
			Verdict   string
			Resamples int
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Data.Sentences != 6 || rep.Data.Articles != 3 || len(rep.Models) != 2 || len(rep.Comparisons) != 1 {
		t.Fatalf("report: %+v", rep)
	}
	if rep.Models[0].Sentence.MicroF1 == nil || len(rep.Models[0].Sentence.PerLabel) != 10 {
		t.Errorf("sentence metrics: %+v", rep.Models[0].Sentence)
	}
	if c := rep.Comparisons[0]; c.Resamples != 1000 || !strings.Contains(c.Verdict, rep.Models[0].Name) {
		t.Errorf("comparison: %+v", c)
	}

	dir := filepath.Join(t.TempDir(), "report")
	out, stderr, code = framing(t, "", "eval", "--model", "default", "--data", data, "--out", dir, "--seed", "7")
	if code != 0 || !strings.Contains(out, "sent macro-F1") || !strings.Contains(stderr, dir) {
		t.Fatalf("exit %d, stderr %s, stdout:\n%s", code, stderr, out)
	}
	for file, want := range map[string]string{"report.txt": "sent macro-F1", "report.json": `"macro_f1"`, "report.md": "| model |", "report.html": "<svg"} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s (%v) lacks %q", file, err, want)
		}
	}
	out, _, code = framing(t, "", "eval", "--data", data, "--format", "html")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "legality") {
		t.Errorf("html to stdout: exit %d, %.200q", code, out)
	}
}

func TestEvalBadInput(t *testing.T) {
	data := writeEvalData(t, evalData)
	badLine := writeEvalData(t, evalData+"{\"id\": \"x4-s1\", \"article\": \"x4\", \"text\": \"Snow.\", \"labels\": [\"weather\"]}\n")
	badJSON := writeEvalData(t, evalData[:strings.Index(evalData, "\n")+1]+"{not json\n")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown label names the line", []string{"--data", badLine}, `set.jsonl:7: x4-s1: unknown label "weather"`},
		{"bad JSON names the line", []string{"--data", badJSON}, "set.jsonl:2: invalid JSON"},
		{"missing data", []string{"--data", filepath.Join(t.TempDir(), "none.jsonl")}, "no such file"},
		{"too few resamples", []string{"--data", data, "--resamples", "100"}, "--resamples 100: want at least 1000"},
		{"bad format", []string{"--data", data, "--format", "pdf"}, `--format "pdf"`},
		{"unknown model", []string{"--data", data, "--model", "no-such-model"}, `unknown model "no-such-model"`},
		{"missing fastText model", []string{"--data", data, "--model", "fasttext:" + filepath.Join(t.TempDir(), "ft.bin")}, "ft.bin"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := framing(t, "", append([]string{"eval"}, c.args...)...)
			if code != exitUsage || !strings.Contains(stderr, c.want) || out != "" {
				t.Fatalf("exit %d, stderr %q (want %q), stdout %.100q", code, stderr, c.want, out)
			}
		})
	}
	out, _, code := framing(t, "", "eval", "--help")
	if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "fasttext:") {
		t.Errorf("eval --help:\n%s", out)
	}
}
