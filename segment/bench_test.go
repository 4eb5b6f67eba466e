package segment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func BenchmarkSplit(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "articles", "*.txt"))
	if len(files) == 0 {
		b.Skip("no articles")
	}
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
		sb.WriteString("\n\n")
	}
	text := sb.String()
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	n := len(s.Split(text))
	var dst []Span
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = s.AppendSpans(dst[:0], text)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkSplitNoPunctuation10MB(b *testing.B) {
	text := strings.Repeat("word ", 2_000_000)
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		s.Split(text)
	}
}
