package classify

import (
	"encoding/json"
	"strconv"

	"github.com/framing-project/framing/internal/jsonenc"
)

// Result is one classified article.
type Result struct {
	Model ModelInfo
	// Labels are the frames the article carries: labels whose max-pooled
	// sentence score reaches the label's threshold, in taxonomy order.
	Labels []string
	// Dominant is the carried frame with the largest summed sentence score;
	// empty when the article carries none.
	Dominant string
	// Scores are the article's max-pooled scores, one per model label in
	// the order of Classifier.Labels.
	Scores    []float32
	Sentences []Sentence
	frames    []string
}

// Sentence is one sentence of the article.
type Sentence struct {
	// Start and End are byte offsets: text[Start:End] == Text.
	Start, End int
	Text       string
	Labels     []string
	Scores     []float32 // one per model label
	frames     []string
}

// Score returns the article's score for a frame id (0 when the model lacks it).
func (r *Result) Score(frame string) float32 { return scoreOf(r.frames, r.Scores, frame) }

// Score returns the sentence's score for a frame id.
func (s *Sentence) Score(frame string) float32 { return scoreOf(s.frames, s.Scores, frame) }

func scoreOf(frames []string, scores []float32, frame string) float32 {
	for i, f := range frames {
		if f == frame && i < len(scores) {
			return scores[i]
		}
	}
	return 0
}

// MarshalJSON writes the documented schema (README "JSON output"): scores as
// objects keyed by frame id, rounded to 4 decimals. It is hand-written
// because batch scoring encodes millions of these.
func (r *Result) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil, true), nil }

// AppendJSON appends the result's JSON; sentences are included when asked.
func (r *Result) AppendJSON(b []byte, sentences bool) []byte {
	b = append(b, `{"model":`...)
	m, _ := json.Marshal(r.Model)
	b = append(b, m...)
	b = append(b, `,"labels":`...)
	b = appendStrings(b, r.Labels)
	b = append(b, `,"dominant":`...)
	b = jsonenc.AppendString(b, r.Dominant)
	b = append(b, `,"scores":`...)
	b = appendScores(b, r.frames, r.Scores)
	if sentences {
		b = append(b, `,"sentences":[`...)
		for i := range r.Sentences {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Sentences[i].AppendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// MarshalJSON writes one sentence object.
func (s *Sentence) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

// AppendJSON appends the sentence's JSON.
func (s *Sentence) AppendJSON(b []byte) []byte {
	b = append(b, `{"start":`...)
	b = strconv.AppendInt(b, int64(s.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(s.End), 10)
	b = append(b, `,"text":`...)
	b = jsonenc.AppendString(b, s.Text)
	b = append(b, `,"labels":`...)
	b = appendStrings(b, s.Labels)
	b = append(b, `,"scores":`...)
	b = appendScores(b, s.frames, s.Scores)
	return append(b, '}')
}

func appendScores(b []byte, frames []string, scores []float32) []byte {
	b = append(b, '{')
	for i, f := range frames {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonenc.AppendString(b, f)
		b = append(b, ':')
		var v float32
		if i < len(scores) {
			v = scores[i]
		}
		b = strconv.AppendFloat(b, float64(int64(float64(v)*1e4+0.5))/1e4, 'f', -1, 64)
	}
	return append(b, '}')
}

func appendStrings(b []byte, xs []string) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonenc.AppendString(b, x)
	}
	return append(b, ']')
}
