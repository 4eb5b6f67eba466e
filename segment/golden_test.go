package segment

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files from the current output")

// TestGolden pins the split of the benchmark's 30 news paragraphs, one
// quoted sentence per line in testdata/news.golden. Review the diff after
// go test -run TestGolden -update.
func TestGolden(t *testing.T) {
	text := benchText()
	var b strings.Builder
	for _, s := range spanTexts(text, mustNew(t).Split(text)) {
		b.WriteString(strconv.Quote(s))
		b.WriteByte('\n')
	}
	path := filepath.Join("testdata", "news.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	got := strings.Split(b.String(), "\n")
	lines := strings.Split(string(want), "\n")
	for i := 0; i < max(len(got), len(lines)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(lines) {
			w = lines[i]
		}
		if g != w {
			t.Fatalf("line %d differs from %s\n got: %s\nwant: %s", i+1, path, g, w)
		}
	}
}
