package tokenize

import "testing"

func benchTexts(b *testing.B) []string {
	texts := corpusTexts(b)
	if len(texts) == 0 {
		b.Skip("no corpus")
	}
	return texts[:min(len(texts), 2000)]
}

func BenchmarkWordPiece(b *testing.B) {
	texts := benchTexts(b)
	wp, _ := pair(b, trainedJSON(b, texts, 12000))
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	var dst []int32
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst, _ = wp.AppendIDs(dst[:0], texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkSugarme(b *testing.B) {
	texts := benchTexts(b)
	_, sg := pair(b, trainedJSON(b, texts, 12000))
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	var dst []int32
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst, _ = sg.AppendIDs(dst[:0], texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}
