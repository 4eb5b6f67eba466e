package bundle_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/framing-project/framing/bundle"
)

// fsWith is a bundle directory whose config.json is cfg; model and tokenizer
// are placeholders, since Load only checks that they are present.
func fsWith(cfg string) fstest.MapFS {
	return fstest.MapFS{
		"b/model.onnx":     {Data: []byte("onnx")},
		"b/tokenizer.json": {Data: []byte("{}")},
		"b/config.json":    {Data: []byte(cfg)},
	}
}

const labels2 = `"id2label": {"0": "legality", "1": "economic-cost"}, "label2id": {"legality": 0, "economic-cost": 1}`

func TestThresholds(t *testing.T) {
	tests := []struct {
		name string
		cfg  string
		want []float64
		err  string
	}{
		{"plain HF config: 0.5 everywhere", `{` + labels2 + `}`, []float64{0.5, 0.5}, ""},
		{"thresholds read per label", `{` + labels2 + `, "framing": {"thresholds": {"economic-cost": 0.3}}}`, []float64{0.5, 0.3}, ""},
		{"threshold out of range", `{` + labels2 + `, "framing": {"thresholds": {"legality": 1.2}}}`, nil,
			`threshold for "legality" is 1.2`},
		{"threshold for an unknown label", `{` + labels2 + `, "framing": {"thresholds": {"orchestra": 0.4}}}`, nil,
			`threshold for "orchestra", which is not a label`},
		{"labels disagree", `{"id2label": {"0": "legality"}, "label2id": {"legality": 1}}`, nil, "disagrees with id2label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := bundle.Load(fsWith(tt.cfg), "b", "test-bundle")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "test-bundle") {
					t.Fatalf("error %v, want one naming the bundle and %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(b.Thresholds, tt.want) {
				t.Errorf("thresholds %v, want %v", b.Thresholds, tt.want)
			}
		})
	}
}
