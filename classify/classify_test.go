package classify_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/framing-project/framing/internal/testenv"

	"github.com/framing-project/framing/bundle"
	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/models"
	"github.com/framing-project/framing/tokenize"
)

func ortLib(t testing.TB) string { return testenv.ORTLibrary(t) }

func defaultClassifier(t testing.TB, opts ...classify.Option) *classify.Classifier {
	t.Helper()
	b, err := models.Open(models.Default)
	if err != nil {
		t.Fatal(err)
	}
	c, err := classify.New(b, append([]classify.Option{classify.WithORTLibrary(ortLib(t))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

const article = `Minsk is steering migrants to the fence to pressure Warsaw

Polish officials said on Tuesday that Belarusian forces had escorted groups of migrants to the border overnight. "This is a deliberate operation," a deputy minister told reporters.

Aid workers described families sleeping in the forest in sub-zero temperatures.`

func TestOffsetsCoverSentences(t *testing.T) {
	c := defaultClassifier(t)
	res, err := c.Classify(context.Background(), article)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Sentences) != 4 {
		for _, s := range res.Sentences {
			t.Logf("%q", s.Text)
		}
		t.Fatalf("got %d sentences, want 4 (headline, two in the second paragraph, one in the third)", len(res.Sentences))
	}
	prev := 0
	for _, s := range res.Sentences {
		if s.Start < prev || s.End <= s.Start || article[s.Start:s.End] != s.Text {
			t.Fatalf("bad offsets %d-%d for %q", s.Start, s.End, s.Text)
		}
		prev = s.End
		if len(s.Scores) != len(c.Labels()) {
			t.Fatalf("sentence has %d scores for %d labels", len(s.Scores), len(c.Labels()))
		}
	}
	// Article scores are the max over sentences.
	for l := range c.Labels() {
		var m float32
		for _, s := range res.Sentences {
			m = max(m, s.Scores[l])
		}
		if res.Scores[l] != m {
			t.Errorf("article score %v for label %d, max of sentences %v", res.Scores[l], l, m)
		}
	}
	if res.Dominant != "" {
		found := false
		for _, l := range res.Labels {
			found = found || l == res.Dominant
		}
		if !found {
			t.Errorf("dominant %q is not among the article's labels %v", res.Dominant, res.Labels)
		}
	}
}

func TestJSONSchema(t *testing.T) {
	c := defaultClassifier(t)
	res, err := c.Classify(context.Background(), article)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Model     map[string]string  `json:"model"`
		Labels    []string           `json:"labels"`
		Dominant  *string            `json:"dominant"`
		Scores    map[string]float64 `json:"scores"`
		Sentences []struct {
			Start, End int
			Text       string
			Labels     []string
			Scores     map[string]float64
		} `json:"sentences"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	if doc.Model["name"] == "" || doc.Model["source"] != "embedded:default" || doc.Dominant == nil || doc.Labels == nil {
		t.Fatalf("missing fields: %s", data)
	}
	if len(doc.Scores) != 10 || len(doc.Sentences) != len(res.Sentences) || len(doc.Sentences[0].Scores) != 10 {
		t.Fatalf("scores or sentences missing: %s", data)
	}
	if doc.Sentences[1].Text != res.Sentences[1].Text || article[doc.Sentences[1].Start:doc.Sentences[1].End] != doc.Sentences[1].Text {
		t.Fatal("sentence text or offsets do not survive JSON")
	}
}

func TestLongSentenceIsWindowedNotDropped(t *testing.T) {
	c := defaultClassifier(t)
	b, err := models.Open(models.Default)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenize.FromJSON(b.Tokenizer)
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := tok.AppendIDs(nil, "the"); len(ids) != 1 {
		t.Fatalf("filler word is %d tokens", len(ids))
	}
	// One "sentence" with no punctuation: three windows' worth of a
	// one-token filler, then a frame-bearing clause that starts the fourth
	// window exactly. Its window is then identical to the clause scored
	// alone, and max-pooling must surface that score.
	room := b.MaxTokens() - 2
	clause := "the regime financed and directed the smugglers who pushed crowds at the fence"
	text := strings.Repeat("the ", 3*room) + clause
	res, err := c.Classify(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Sentences) != 1 {
		t.Fatalf("got %d sentences", len(res.Sentences))
	}
	alone, err := c.Classify(context.Background(), clause)
	if err != nil {
		t.Fatal(err)
	}
	filler, err := c.Classify(context.Background(), strings.TrimSpace(strings.Repeat("the ", room)))
	if err != nil {
		t.Fatal(err)
	}
	for l, name := range c.Labels() {
		want := max(alone.Scores[l], filler.Scores[l])
		if d := res.Scores[l] - want; d > 1e-5 || d < -1e-5 {
			t.Errorf("%s: long sentence %.6f, want max(clause %.6f, filler %.6f)", name, res.Scores[l], alone.Scores[l], filler.Scores[l])
		}
	}
}

func TestBadInput(t *testing.T) {
	c := defaultClassifier(t)
	cases := []struct {
		name string
		text string
		want error
	}{
		{"empty", "", classify.ErrEmpty},
		{"white space", " \n\t\n  ", classify.ErrEmpty},
		{"invalid utf-8", "Border \xff\xfe guards", classify.ErrInvalidUTF8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Classify(context.Background(), tc.text)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	res, err := c.ClassifyBatch(context.Background(), []string{"Guards patrolled the border.", "", "Courts ruled on asylum."})
	var be *classify.BatchError
	if !errors.As(err, &be) || len(be.Errs) != 1 || be.Errs[1] == nil {
		t.Fatalf("batch with one empty text: %v", err)
	}
	if res[0] == nil || res[1] != nil || res[2] == nil {
		t.Fatal("the good texts of a batch must still be classified")
	}
}

func TestBadBundles(t *testing.T) {
	good, err := models.Open(models.Default)
	if err != nil {
		t.Fatal(err)
	}
	corrupt := *good
	corrupt.Model = []byte("this is not an onnx model")
	wrongWidth := *good
	wrongWidth.Labels = good.Labels[:9]
	wrongWidth.Thresholds = good.Thresholds[:9]
	cases := []struct {
		name string
		b    *bundle.Bundle
		opts []classify.Option
		want string
	}{
		{"corrupt model.onnx", &corrupt, nil, "model.onnx"},
		{"label count differs", &wrongWidth, nil, "declares 9 labels but model.onnx outputs 10"},
		{"missing ORT library", good, []classify.Option{classify.WithORTLibrary("/nonexistent/libonnxruntime.so")}, "make ort"},
		{"bad threshold", good, []classify.Option{classify.WithThreshold(1.5)}, "threshold 1.5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			if opts == nil {
				opts = []classify.Option{classify.WithORTLibrary(ortLib(t))}
			}
			c, err := classify.New(tc.b, opts...)
			if err == nil {
				c.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	c := defaultClassifier(t)
	want, err := c.Classify(context.Background(), article)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				got, err := c.Classify(context.Background(), article)
				if err != nil {
					errs <- err
					return
				}
				if string(got.AppendJSON(nil, true)) != string(want.AppendJSON(nil, true)) {
					errs <- errors.New("concurrent result differs")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestThresholdOverride(t *testing.T) {
	prev := -1
	for _, th := range []float64{0.9, 0.5, 0.01} {
		c := defaultClassifier(t, classify.WithThreshold(th))
		res, err := c.Classify(context.Background(), article)
		if err != nil {
			t.Fatal(err)
		}
		labels := c.Labels()
		count := 0
		for _, s := range append(res.Sentences, classify.Sentence{Labels: res.Labels, Scores: res.Scores}) {
			var want []string
			for l, v := range s.Scores {
				if float64(v) >= th {
					want = append(want, labels[l])
				}
			}
			if strings.Join(s.Labels, ",") != strings.Join(want, ",") {
				t.Errorf("threshold %v: labels %v, want %v", th, s.Labels, want)
			}
			count += len(s.Labels)
		}
		if count < prev {
			t.Errorf("lowering the threshold to %v removed labels (%d < %d)", th, count, prev)
		}
		prev = count
	}
}

func TestArticleScores(t *testing.T) {
	tests := []struct {
		name      string
		sentences [][]float32
		th        []float64
		scores    []float32
		carried   []bool
		dominant  int
	}{
		{"max-pooled, equal carries", [][]float32{{0.1, 0.7, 0.2}, {0.4, 0.1, 0.2}}, []float64{0.4, 0.8, 0.5},
			[]float32{0.4, 0.7, 0.2}, []bool{true, false, false}, 0},
		{"sum beats peak", [][]float32{{0.9, 0.6}, {0.0, 0.6}, {0.0, 0.6}}, []float64{0.5, 0.5},
			[]float32{0.9, 0.6}, []bool{true, true}, 1},
		{"uncarried label never dominant", [][]float32{{0.3, 0.6}, {0.3, 0.0}, {0.3, 0.0}}, []float64{0.5, 0.5},
			[]float32{0.3, 0.6}, []bool{false, true}, 1},
		{"nothing carried", [][]float32{{0.1, 0.2}}, []float64{0.5, 0.5}, []float32{0.1, 0.2}, []bool{false, false}, -1},
		{"no sentences", nil, []float64{0}, []float32{0}, []bool{false}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c, d := classify.ArticleScores(tt.sentences, tt.th)
			if !slices.Equal(s, tt.scores) || !slices.Equal(c, tt.carried) || d != tt.dominant {
				t.Errorf("got %v %v %d, want %v %v %d", s, c, d, tt.scores, tt.carried, tt.dominant)
			}
		})
	}
}
