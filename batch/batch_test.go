package batch

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/models"
)

func classifier(t testing.TB) *classify.Classifier {
	t.Helper()
	b, err := models.Open(models.Default)
	if err != nil {
		t.Fatal(err)
	}
	c, err := classify.New(b, classify.WithIntraOpThreads(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

type line struct {
	ID, Source, Reason string
	Labels             []string
	Scores             map[string]float64
}

func readLines(t testing.TB, path string) []line {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []line
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s: invalid line %q", path, sc.Text())
		}
		out = append(out, l)
	}
	return out
}

// TestFormatsAndErrors runs every input format from testdata/batch and
// checks that every record lands in exactly one file, with the right reason.
func TestFormatsAndErrors(t *testing.T) {
	dir := t.TempDir()
	gz := filepath.Join(dir, "articles.jsonl.gz")
	data, err := os.ReadFile("../testdata/batch/articles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Create(gz)
	w := gzip.NewWriter(f)
	w.Write(data)
	w.Close()
	f.Close()
	inputs := []string{"../testdata/batch/articles.jsonl", gz, "../testdata/batch/articles.csv", "../testdata/batch/articles.tsv", "../testdata/batch/dir", filepath.Join(dir, "missing.jsonl"), "-"}
	stdin := strings.NewReader(`{"id":"s1","text":"Warsaw summoned the Belarusian charge d'affaires over the incident."}` + "\n")
	out, errs := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "errors.jsonl")
	sum, err := Run(context.Background(), classifier(t), inputs, stdin, out, errs, Options{Workers: 2, Chunk: 2})
	if err != nil {
		t.Fatal(err)
	}
	got, bad := readLines(t, out), readLines(t, errs)
	for _, b := range bad {
		t.Log(b.Source, b.Reason)
	}
	// jsonl: 4 good + 3 bad, twice (plain and gz); csv 2 good + 1 empty; tsv 1; dir 2 good + 1 binary; missing 1; stdin 1.
	if sum.Read != 7+7+3+1+3+1+1 || sum.Scored != len(got) || sum.Failed != len(bad) || len(got)+len(bad) != sum.Read {
		t.Fatalf("summary %+v, %d output, %d errors", sum, len(got), len(bad))
	}
	if len(got) != 4+4+2+1+2+1 {
		t.Errorf("got %d scored records", len(got))
	}
	reasons := map[string]int{}
	for _, b := range bad {
		switch {
		case strings.Contains(b.Reason, "invalid JSON"):
			reasons["json"]++
		case strings.Contains(b.Reason, `no "text" field`):
			reasons["field"]++
		case strings.Contains(b.Reason, "is empty"):
			reasons["empty"]++
		case strings.Contains(b.Reason, "binary"):
			reasons["binary"]++
		case strings.Contains(b.Reason, "no such file"):
			reasons["missing"]++
		default:
			t.Errorf("unexpected reason %q", b.Reason)
		}
	}
	want := map[string]int{"json": 2, "field": 2, "empty": 3, "binary": 1, "missing": 1}
	if fmt.Sprint(reasons) != fmt.Sprint(want) {
		t.Errorf("reasons %v, want %v", reasons, want)
	}
	// Input order is kept, and a missing id becomes file:line.
	if got[0].ID != "j1" || got[2].ID != "../testdata/batch/articles.jsonl:3" || got[3].ID != "6" {
		t.Errorf("order or ids: %v %v %v %v", got[0].ID, got[1].ID, got[2].ID, got[3].ID)
	}
	if len(got[0].Scores) != 10 {
		t.Errorf("scores: %v", got[0].Scores)
	}
}

// TestResumeRepairsTornLine simulates a crash mid-write: the output ends in
// half a line. A resumed run must repair it and add each missing record once.
func TestResumeRepairsTornLine(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	var sb strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&sb, `{"id":"r%d","text":"Guards patrolled the border near village number %d overnight."}`+"\n", i, i)
	}
	os.WriteFile(in, []byte(sb.String()), 0o644)
	out, errs := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "errors.jsonl")
	c := classifier(t)
	if _, err := Run(context.Background(), c, []string{in}, nil, out, errs, Options{Chunk: 8}); err != nil {
		t.Fatal(err)
	}
	full, _ := os.ReadFile(out)
	lines := strings.SplitAfter(string(full), "\n")
	torn := strings.Join(lines[:20], "") + lines[20][:len(lines[20])/2]
	os.WriteFile(out, []byte(torn), 0o644)
	if _, err := Run(context.Background(), c, []string{in}, nil, out, errs, Options{Chunk: 8}); err == nil {
		t.Fatal("a second run without --resume must refuse to overwrite")
	}
	sum, err := Run(context.Background(), c, []string{in}, nil, out, errs, Options{Chunk: 8, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 20 || sum.Scored != 30 {
		t.Fatalf("resume summary %+v", sum)
	}
	assertOnce(t, readLines(t, out), 50)
}

func assertOnce(t *testing.T, got []line, n int) {
	t.Helper()
	seen := map[string]int{}
	for _, l := range got {
		seen[l.ID]++
	}
	for i := 0; i < n; i++ {
		if c := seen[fmt.Sprintf("r%d", i)]; c != 1 {
			t.Errorf("record r%d appears %d times", i, c)
		}
	}
	if len(got) != n {
		t.Errorf("%d lines for %d records", len(got), n)
	}
}

// TestKillAndResume kills a real `framing batch` process with SIGKILL while
// it writes, resumes it, and checks every record is there exactly once.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "framing")
	build := exec.Command("go", "build", "-o", bin, "../cmd/framing")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	in := filepath.Join(dir, "in.jsonl")
	const n = 20000
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `{"id":"r%d","text":"Guards patrolled the border near village %d. Ministers met in Brussels to discuss sanctions. Aid workers described cold nights."}`+"\n", i, i)
	}
	os.WriteFile(in, []byte(sb.String()), 0o644)
	out := filepath.Join(dir, "out.jsonl")
	args := []string{"batch", "--input", in, "--output", out, "--workers", "2", "--chunk", "16"}
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err := os.Stat(out)
		if err == nil && st.Size() > 200_000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no output appeared")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	before := len(readLinesLenient(t, out))
	if before >= n {
		t.Skip("the run finished before it could be killed")
	}
	res := exec.Command(bin, append(args, "--resume")...)
	if msg, err := res.CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, msg)
	}
	assertOnce(t, readLines(t, out), n)
	t.Logf("killed after %d of %d records; resumed to %d", before, n, n)
}

func readLinesLenient(t *testing.T, path string) []string {
	data, _ := os.ReadFile(path)
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"x"}` + "\n" + `{bad` + "\n"))
	f.Add([]byte("\n\n{}\n"))
	f.Add([]byte(`{"text":"a\u00e9\"b","id":12,"x":[1,{"text":2}]}` + "\r\n"))
	o := SourceOptions{IDField: "id", TextField: "text", MaxBytes: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewJSONL(strings.NewReader(string(data)), "fuzz", o)
		for i := 0; i < 10000; i++ {
			r, err := s.Next()
			if err != nil {
				return
			}
			if r.Err != nil {
				continue
			}
			if len(r.Body) > 64 {
				t.Fatal("record over the size limit accepted")
			}
			id, text, err := decode(&r, o)
			if err != nil {
				continue
			}
			// The fast field scanner must agree with encoding/json.
			var want struct {
				Text *string `json:"text"`
			}
			if jerr := json.Unmarshal(r.Body, &want); jerr != nil || want.Text == nil {
				t.Fatalf("decoded %q from %q, which encoding/json rejects (%v)", text, r.Body, jerr)
			}
			if string(text) != *want.Text && strings.ToValidUTF8(*want.Text, "\uFFFD") != strings.ToValidUTF8(string(text), "\uFFFD") {
				t.Fatalf("text %q, encoding/json says %q (line %q)", text, *want.Text, r.Body)
			}
			if id == "" {
				t.Fatal("empty id")
			}
		}
		t.Fatal("reader did not terminate")
	})
}
