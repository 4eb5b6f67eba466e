package train

// Windows are what every framing model reads: [CLS] tokens [SEP], at most
// maxTokens long. The classifier builds them the same way at inference, so
// training and serving cannot drift apart.

// Specials are the ids the window needs.
type Specials struct{ CLS, SEP, PAD int32 }

// window wraps ids (without specials) into one training window, truncating
// long sentences: at inference they are windowed and max-pooled, but one
// window per example is enough to learn from.
func window(ids []int32, sp Specials, maxTokens int) []int32 {
	if n := maxTokens - 2; len(ids) > n {
		ids = ids[:n]
	}
	w := make([]int32, 0, len(ids)+2)
	w = append(w, sp.CLS)
	w = append(w, ids...)
	return append(w, sp.SEP)
}

// bigramPrime spreads bigram pairs over the hash buckets; the ONNX graph
// computes the same (a*prime + b) mod buckets with int64 arithmetic.
const bigramPrime = 1000003

// bagFeatures appends the bag model's rows for one window: every token id,
// then one hashed bucket per adjacent pair, offset past the vocabulary.
func bagFeatures(dst []int64, w []int32, vocab, buckets int64) []int64 {
	for _, id := range w {
		dst = append(dst, int64(id))
	}
	for i := 0; i+1 < len(w); i++ {
		h := (int64(w[i])*bigramPrime + int64(w[i+1])) % buckets
		dst = append(dst, vocab+h)
	}
	return dst
}
