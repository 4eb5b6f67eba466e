package tokenize

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchJSON is bert-base-uncased, the vocabulary the shipped models use, or
// one trained on news when the project's copy is missing.
func benchJSON(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join("..", "models", "vocab", "bert-base-uncased-vocab.txt"))
	if err != nil {
		return trainedJSON(b, news, 2000)
	}
	return vocabJSON(b, strings.Split(strings.TrimRight(string(data), "\n"), "\n"), JSONOptions{})
}

type encoder interface {
	AppendIDs([]int32, string) ([]int32, error)
}

// benchEncode encodes the news sentences round robin, one per op, into a
// reused dst.
func benchEncode(b *testing.B, enc encoder) {
	size := 0
	for _, s := range news {
		size += len(s)
	}
	b.SetBytes(int64(size / len(news)))
	b.ReportAllocs()
	var dst []int32
	var err error
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if dst, err = enc.AppendIDs(dst[:0], news[i%len(news)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkWordPiece(b *testing.B) {
	wp, err := FromJSON(benchJSON(b))
	if err != nil {
		b.Fatal(err)
	}
	benchEncode(b, wp)
}

func BenchmarkSugarme(b *testing.B) {
	sg, err := NewSugarme(benchJSON(b))
	if err != nil {
		b.Fatal(err)
	}
	benchEncode(b, sg)
}

// BenchmarkWordPieceParallel is one encoder shared by every core, as batch
// scoring uses it.
func BenchmarkWordPieceParallel(b *testing.B) {
	wp, err := FromJSON(benchJSON(b))
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, s := range news {
		size += len(s)
	}
	b.SetBytes(int64(size / len(news)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var dst []int32
		for i := 0; pb.Next(); i++ {
			dst, _ = wp.AppendIDs(dst[:0], news[i%len(news)])
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkFromJSON is the load a one-article run pays for.
func BenchmarkFromJSON(b *testing.B) {
	data := benchJSON(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrainWordPiece(b *testing.B) {
	texts := corpusTexts(b)
	if len(texts) == 0 {
		texts = news
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TrainWordPiece(texts, TrainOptions{VocabSize: 8000}); err != nil {
			b.Fatal(err)
		}
	}
}
