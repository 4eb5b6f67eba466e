package classify_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// article800 is an ~800-word article made of the showcase article repeated,
// the size the classify issue sets its latency target on.
func article800(b *testing.B) string {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "articles", "showcase.txt"))
	if err != nil {
		b.Fatal(err)
	}
	words := 0
	var sb strings.Builder
	for words < 800 {
		sb.Write(data)
		sb.WriteString("\n")
		words += len(strings.Fields(string(data)))
	}
	return sb.String()
}

// BenchmarkClassifyArticle measures warm classification of one ~800-word
// article and reports its p50 and p95 latency.
func BenchmarkClassifyArticle(b *testing.B) {
	c := defaultClassifier(b)
	text := article800(b)
	ctx := context.Background()
	if _, err := c.Classify(ctx, text); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := c.Classify(ctx, text); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkClassifyBatch scores 64 articles per call, as batch scoring does.
func BenchmarkClassifyBatch(b *testing.B) {
	c := defaultClassifier(b)
	data, err := os.ReadFile(filepath.Join("..", "testdata", "articles", "showcase.txt"))
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, 64)
	for i := range texts {
		texts[i] = string(data)
	}
	res, err := c.ClassifyBatch(context.Background(), texts)
	if err != nil {
		b.Fatal(err)
	}
	sentences := 0
	for _, r := range res {
		sentences += len(r.Sentences)
	}
	b.SetBytes(int64(len(data) * len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.ClassifyBatch(context.Background(), texts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sentences*b.N)/b.Elapsed().Seconds(), "sentences/s")
}
