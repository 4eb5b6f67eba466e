// Package bundle reads and writes model bundles: a directory (or embedded file
// system) holding
//
//	model.onnx      the network; per-label probabilities or logits
//	tokenizer.json  Hugging Face tokenizers format
//	config.json     Hugging Face conventions plus framing's own "framing" block
//	manifest.json   provenance: data hashes, hyper-parameters, dev metrics
//
// A Hugging Face sequence-classification export (model.onnx, tokenizer.json,
// config.json with id2label) is a valid bundle as it is: the framing block and
// the manifest are optional, and sensible defaults stand in for them.
package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// File names inside a bundle.
const (
	ModelFile     = "model.onnx"
	TokenizerFile = "tokenizer.json"
	ConfigFile    = "config.json"
	ManifestFile  = "manifest.json"
)

// Output kinds a model may declare.
const (
	OutputProbabilities = "probabilities"
	OutputLogits        = "logits"
)

// Config is config.json.
type Config struct {
	Architectures         []string          `json:"architectures,omitempty"`
	ModelType             string            `json:"model_type,omitempty"`
	ProblemType           string            `json:"problem_type,omitempty"`
	ID2Label              map[string]string `json:"id2label"`
	Label2ID              map[string]int    `json:"label2id,omitempty"`
	MaxPositionEmbeddings int               `json:"max_position_embeddings,omitempty"`
	VocabSize             int               `json:"vocab_size,omitempty"`
	Framing               *Framing          `json:"framing,omitempty"`
}

// Framing is framing's own block in config.json.
type Framing struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Arch    string `json:"arch"`
	// Output says whether the model's output is already a probability or a
	// logit that needs a sigmoid.
	Output     string `json:"output"`
	OutputName string `json:"output_name,omitempty"`
	// MaxTokens bounds one window, special tokens included; longer sentences
	// are scored in several windows whose scores are max-pooled.
	MaxTokens  int                `json:"max_tokens"`
	Inputs     []string           `json:"inputs,omitempty"`
	Thresholds map[string]float64 `json:"thresholds"`
	// Arch-specific settings (bigram buckets, dimensions, ...), informative.
	Params map[string]any `json:"params,omitempty"`
}

// Manifest is manifest.json: where a bundle came from and how good it was on dev.
type Manifest struct {
	BundleVersion   int                `json:"bundle_version"`
	Name            string             `json:"name"`
	Version         string             `json:"version"`
	Created         string             `json:"created"`
	Arch            string             `json:"arch"`
	Seed            int64              `json:"seed"`
	Hyperparameters map[string]any     `json:"hyperparameters"`
	TrainSHA256     string             `json:"train_sha256"`
	DevSHA256       string             `json:"dev_sha256"`
	TrainExamples   int                `json:"train_examples"`
	DevExamples     int                `json:"dev_examples"`
	Epochs          int                `json:"epochs"`
	BestEpoch       int                `json:"best_epoch"`
	TrainingSeconds float64            `json:"training_seconds"`
	DevMacroF1      float64            `json:"dev_macro_f1"`
	DevMicroF1      float64            `json:"dev_micro_f1"`
	DevPerLabel     map[string]LabelF1 `json:"dev_per_label"`
	Files           map[string]int64   `json:"files"`
}

// LabelF1 is one label's dev figures.
type LabelF1 struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
	Threshold float64 `json:"threshold"`
}

// Bundle is a loaded bundle, validated.
type Bundle struct {
	// Source says where it was loaded from: "embedded:NAME" or a directory.
	Source    string
	Config    Config
	Manifest  *Manifest // nil when the bundle has none (e.g. a plain HF export)
	Model     []byte
	Tokenizer []byte
	// Labels are the output columns in order.
	Labels []string
	// Thresholds per output column, defaulting to 0.5.
	Thresholds []float64
}

// Name is the bundle's model name, falling back to its source.
func (b *Bundle) Name() string {
	if b.Config.Framing != nil && b.Config.Framing.Name != "" {
		return b.Config.Framing.Name
	}
	if b.Manifest != nil && b.Manifest.Name != "" {
		return b.Manifest.Name
	}
	return filepath.Base(b.Source)
}

// Version is the bundle's model version, or "" when it declares none.
func (b *Bundle) Version() string {
	if b.Config.Framing != nil && b.Config.Framing.Version != "" {
		return b.Config.Framing.Version
	}
	if b.Manifest != nil {
		return b.Manifest.Version
	}
	return ""
}

// Arch is the declared architecture, or the HF model_type.
func (b *Bundle) Arch() string {
	if b.Config.Framing != nil && b.Config.Framing.Arch != "" {
		return b.Config.Framing.Arch
	}
	return b.Config.ModelType
}

// OutputIsLogits reports whether a sigmoid must be applied to the output. HF
// exports emit logits.
func (b *Bundle) OutputIsLogits() bool {
	return b.Config.Framing == nil || b.Config.Framing.Output != OutputProbabilities
}

// MaxTokens is the window size in tokens, specials included.
func (b *Bundle) MaxTokens() int {
	if b.Config.Framing != nil && b.Config.Framing.MaxTokens > 0 {
		return b.Config.Framing.MaxTokens
	}
	if n := b.Config.MaxPositionEmbeddings; n > 0 {
		return n
	}
	return 512
}

// Size is the bundle's byte size (model and tokenizer).
func (b *Bundle) Size() int64 { return int64(len(b.Model) + len(b.Tokenizer)) }

// LoadDir loads a bundle directory.
func LoadDir(dir string) (*Bundle, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("model bundle %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("model bundle %s: not a directory", dir)
	}
	return Load(os.DirFS(dir), ".", dir)
}

// Load loads the bundle in directory dir of fsys; source names it in errors.
func Load(fsys fs.FS, dir, source string) (*Bundle, error) {
	read := func(name string, required bool) ([]byte, error) {
		data, err := fs.ReadFile(fsys, filepath.ToSlash(filepath.Join(dir, name)))
		if err != nil {
			if !required && errors.Is(err, fs.ErrNotExist) {
				return nil, nil
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("model bundle %s: missing %s", source, name)
			}
			return nil, fmt.Errorf("model bundle %s: %w", source, err)
		}
		if required && len(data) == 0 {
			return nil, fmt.Errorf("model bundle %s: %s is empty", source, name)
		}
		return data, nil
	}
	b := &Bundle{Source: source}
	var errs []error
	var cfg, man []byte
	var err error
	if b.Model, err = read(ModelFile, true); err != nil {
		errs = append(errs, err)
	}
	if b.Tokenizer, err = read(TokenizerFile, true); err != nil {
		errs = append(errs, err)
	}
	if cfg, err = read(ConfigFile, true); err != nil {
		errs = append(errs, err)
	}
	if man, err = read(ManifestFile, false); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := json.Unmarshal(cfg, &b.Config); err != nil {
		return nil, fmt.Errorf("model bundle %s: %s: %v", source, ConfigFile, err)
	}
	if man != nil {
		b.Manifest = new(Manifest)
		if err := json.Unmarshal(man, b.Manifest); err != nil {
			return nil, fmt.Errorf("model bundle %s: %s: %v", source, ManifestFile, err)
		}
	}
	if err := b.resolveLabels(); err != nil {
		return nil, fmt.Errorf("model bundle %s: %s: %w", source, ConfigFile, err)
	}
	return b, nil
}

// resolveLabels orders labels by output column and reads thresholds.
func (b *Bundle) resolveLabels() error {
	n := len(b.Config.ID2Label)
	if n == 0 {
		return errors.New("id2label is empty: the bundle does not say what its outputs mean")
	}
	b.Labels = make([]string, n)
	for k, v := range b.Config.ID2Label {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= n {
			return fmt.Errorf("id2label key %q is not an index in 0..%d", k, n-1)
		}
		if v == "" {
			return fmt.Errorf("id2label[%s] is empty", k)
		}
		b.Labels[i] = v
	}
	seen := map[string]bool{}
	for _, l := range b.Labels {
		if seen[l] {
			return fmt.Errorf("label %q appears twice in id2label", l)
		}
		seen[l] = true
	}
	for l, i := range b.Config.Label2ID {
		if i < 0 || i >= n || b.Labels[i] != l {
			return fmt.Errorf("label2id[%q] = %d disagrees with id2label", l, i)
		}
	}
	b.Thresholds = make([]float64, n)
	for i := range b.Thresholds {
		b.Thresholds[i] = 0.5
	}
	if f := b.Config.Framing; f != nil {
		if f.Output != "" && f.Output != OutputProbabilities && f.Output != OutputLogits {
			return fmt.Errorf("framing.output %q: want %q or %q", f.Output, OutputProbabilities, OutputLogits)
		}
		if f.MaxTokens < 0 || (f.MaxTokens > 0 && f.MaxTokens < 3) {
			return fmt.Errorf("framing.max_tokens %d: want at least 3", f.MaxTokens)
		}
		keys := make([]string, 0, len(f.Thresholds))
		for k := range f.Thresholds {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, l := range keys {
			t := f.Thresholds[l]
			i := indexOf(b.Labels, l)
			if i < 0 {
				return fmt.Errorf("threshold for %q, which is not a label of this model", l)
			}
			if !(t > 0 && t < 1) {
				return fmt.Errorf("threshold for %q is %v: want a value in (0, 1)", l, t)
			}
			b.Thresholds[i] = t
		}
	}
	return nil
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// Write writes a bundle directory. It refuses to overwrite an existing
// non-empty directory unless force is set, so a retrain never silently
// replaces a model someone evaluated.
func Write(dir string, force bool, model, tokenizer []byte, cfg Config, man *Manifest) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 && !force {
		return fmt.Errorf("output directory %s exists and is not empty (use --force to replace it)", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cfgJSON, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{ModelFile: model, TokenizerFile: tokenizer, ConfigFile: append(cfgJSON, '\n')}
	if man != nil {
		man.Files = map[string]int64{}
		for name, data := range files {
			man.Files[name] = int64(len(data))
		}
		manJSON, err := json.MarshalIndent(man, "", "  ")
		if err != nil {
			return err
		}
		files[ManifestFile] = append(manJSON, '\n')
	}
	for name, data := range files {
		tmp := filepath.Join(dir, "."+name+".tmp")
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// LabelConfig fills id2label and label2id for labels in output order.
func LabelConfig(labels []string) (map[string]string, map[string]int) {
	id2 := make(map[string]string, len(labels))
	l2 := make(map[string]int, len(labels))
	for i, l := range labels {
		id2[strconv.Itoa(i)] = l
		l2[l] = i
	}
	return id2, l2
}
