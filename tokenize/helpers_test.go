package tokenize

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// corpusDir is the project's labelled corpus; others write to it, so the
// tests read whatever *.jsonl is there when they run.
var corpusDir = filepath.Join("..", "testdata", "corpus")

// corpusTexts reads every "text" of every *.jsonl under corpusDir, once
// each, in a fixed order; nil when there is none.
func corpusTexts(t testing.TB) []string {
	t.Helper()
	seen := map[string]bool{}
	var texts []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".jsonl") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var row struct {
				Text string `json:"text"`
			}
			// A line being written right now may be cut short: skip it.
			if json.Unmarshal(sc.Bytes(), &row) == nil && row.Text != "" && !seen[row.Text] {
				seen[row.Text] = true
				texts = append(texts, row.Text)
			}
		}
		return sc.Err()
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	slices.Sort(texts)
	return texts
}

// handVocab is a small vocabulary written by hand for tricky, where each
// input's tokens can be worked out on paper.
var handVocab = []string{
	"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
	"the", "border", "guard", "##s", "said", ".", ",", "“", "”", "—", ":", "/", "?", "=", "-",
	"łódź", "żółć", "istanbul", "ı", "##i", "straße", "東", "京", "ok", "##🙂", "e", "é",
	"1", "000", "50", "https", "example", "org", "a", "##a", "[", "]", "then", "ė", "##ų",
	"k", "$", "%", "##b", "b", "ų", "##ė",
}

// handMaxChars keeps over-long words short enough to write out.
const handMaxChars = 10

func vocabJSON(t testing.TB, vocab []string, o JSONOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, vocab, o); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func handJSON(t testing.TB) []byte {
	return vocabJSON(t, handVocab, JSONOptions{MaxInputCharsPerWord: handMaxChars})
}

func trainedJSON(t testing.TB, texts []string, size int) []byte {
	t.Helper()
	vocab, err := TrainWordPiece(texts, TrainOptions{VocabSize: size})
	if err != nil {
		t.Fatal(err)
	}
	return vocabJSON(t, vocab, JSONOptions{})
}

// bertVocab is bert-base-uncased's vocabulary as the project keeps it (a
// copy of the one inside the sugarme module).
func bertVocab(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "models", "vocab", "bert-base-uncased-vocab.txt"))
	if err != nil {
		t.Skipf("no bert-base-uncased vocabulary: %v", err)
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

func pair(t testing.TB, data []byte) (*WordPiece, *Sugarme) {
	t.Helper()
	wp, err := FromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	sg, err := NewSugarme(data)
	if err != nil {
		t.Fatal(err)
	}
	return wp, sg
}

// mismatch is one text the two encoders disagree on.
type mismatch struct {
	text      string
	got, want []int32
	err       error
}

// compareAll encodes texts with both, sugarme on every core (it is slow),
// and returns the disagreements in text order.
func compareAll(wp *WordPiece, sg *Sugarme, texts []string) []mismatch {
	out := make([]*mismatch, len(texts))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				got, _ := wp.AppendIDs(nil, texts[i])
				want, err := sg.AppendIDs(nil, texts[i])
				if err != nil || !slices.Equal(got, want) {
					out[i] = &mismatch{texts[i], got, want, err}
				}
			}
		}()
	}
	for i := range texts {
		next <- i
	}
	close(next)
	wg.Wait()
	var bad []mismatch
	for _, m := range out {
		if m != nil {
			bad = append(bad, *m)
		}
	}
	return bad
}

// tokens turns ids back into vocabulary entries.
func tokens(vocab []string, ids []int32) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = vocab[id]
	}
	return out
}
