package tokenize

import "testing"

// benchEncoder measures one encoder on up to 2,000 corpus sentences.
func benchEncoder(b *testing.B, pick func(*WordPiece, *Sugarme) interface {
	AppendIDs([]int32, string) ([]int32, error)
}) {
	texts := corpusTexts(b)
	if len(texts) == 0 {
		b.Skip("no corpus")
	}
	texts = texts[:min(len(texts), 2000)]
	enc := pick(pair(b, trainedJSON(b, texts, 12000)))
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	var dst []int32
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst, _ = enc.AppendIDs(dst[:0], texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

type encoder = interface {
	AppendIDs([]int32, string) ([]int32, error)
}

func BenchmarkWordPiece(b *testing.B) {
	benchEncoder(b, func(w *WordPiece, _ *Sugarme) encoder { return w })
}

func BenchmarkSugarme(b *testing.B) {
	benchEncoder(b, func(_ *WordPiece, s *Sugarme) encoder { return s })
}
