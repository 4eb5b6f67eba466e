package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/framing-project/framing/frames"
)

// FastText scores sentences with a fastText supervised model through the
// `fasttext predict-prob` command (Debian's fasttext 0.9.2), the peer users
// would otherwise pick. Labels are "__label__<frame id>".
type FastText struct {
	Bin, Model string
}

// FastTextCandidate makes a candidate of a fastText model. Per-label
// thresholds come from MODEL.thresholds.json when present (written by
// scripts/bench-peers.sh after tuning on dev), else 0.5.
func FastTextCandidate(model string) (Candidate, error) {
	bin, err := exec.LookPath("fasttext")
	if err != nil {
		return Candidate{}, fmt.Errorf("fasttext:%s: the fasttext command is not installed (apt-get install fasttext, or `make bench-peers`)", model)
	}
	if _, err := os.Stat(model); err != nil {
		return Candidate{}, fmt.Errorf("fasttext:%s: %w", model, err)
	}
	labels := frames.All()
	th := make([]float64, len(labels))
	for i := range th {
		th[i] = 0.5
	}
	if data, err := os.ReadFile(model + ".thresholds.json"); err == nil {
		var m map[string]float64
		if err := json.Unmarshal(data, &m); err != nil {
			return Candidate{}, fmt.Errorf("%s.thresholds.json: %w", model, err)
		}
		for i, l := range labels {
			if v, ok := m[l]; ok {
				th[i] = v
			}
		}
	}
	return Candidate{Name: "fasttext", Version: "0.9.2", Source: "fasttext:" + model, Labels: labels, Thresholds: th,
		Scorer: &FastText{Bin: bin, Model: model}}, nil
}

// ScoreSentences runs one predict-prob process over the sentences.
func (f *FastText) ScoreSentences(ctx context.Context, sentences []string) ([][]float32, error) {
	labels := frames.All()
	var in bytes.Buffer
	for _, s := range sentences {
		in.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "\r", " "))
		in.WriteByte('\n')
	}
	cmd := exec.CommandContext(ctx, f.Bin, "predict-prob", f.Model, "-", strconv.Itoa(len(labels)), "0")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("fasttext predict-prob: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res [][]float32
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		row := make([]float32, len(labels))
		fields := strings.Fields(sc.Text())
		for i := 0; i+1 < len(fields); i += 2 {
			l := frames.Index(strings.TrimPrefix(fields[i], "__label__"))
			p, err := strconv.ParseFloat(fields[i+1], 32)
			if l >= 0 && err == nil {
				row[l] = float32(p)
			}
		}
		res = append(res, row)
	}
	if len(res) != len(sentences) {
		return nil, fmt.Errorf("fasttext predict-prob returned %d lines for %d sentences", len(res), len(sentences))
	}
	return res, nil
}
