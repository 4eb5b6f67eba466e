package classify

import (
	"errors"
	"fmt"
)

// Option configures a Classifier.
type Option func(*options)

type options struct {
	ortLib     string
	threshold  float64
	threads    int
	batchSize  int
	backend    Backend
	tokenizer  Tokenizer
	overridden bool
}

// WithORTLibrary points at libonnxruntime.so; otherwise $FRAMING_ORT_LIB and
// the project's install cache are searched.
func WithORTLibrary(path string) Option { return func(o *options) { o.ortLib = path } }

// WithThreshold replaces every label's tuned threshold by t, for users who
// trade precision for recall across the board.
func WithThreshold(t float64) Option {
	return func(o *options) { o.threshold, o.overridden = t, true }
}

// WithIntraOpThreads sets ONNX Runtime's threads per run (0: its default).
// Batch scoring with many workers wants 1.
func WithIntraOpThreads(n int) Option { return func(o *options) { o.threads = n } }

// WithBatchSize sets how many token windows go to the model per run.
func WithBatchSize(n int) Option { return func(o *options) { o.batchSize = n } }

// WithBackend replaces ONNX Runtime with another model backend (tests use the
// trainer's own forward pass through it).
func WithBackend(b Backend) Option { return func(o *options) { o.backend = b } }

// WithTokenizer replaces the bundle's tokenizer.
func WithTokenizer(t Tokenizer) Option { return func(o *options) { o.tokenizer = t } }

func (o *options) validate() error {
	var errs []error
	if o.overridden && !(o.threshold > 0 && o.threshold < 1) {
		errs = append(errs, fmt.Errorf("threshold %v: want a value in (0, 1)", o.threshold))
	}
	if o.threads < 0 {
		errs = append(errs, fmt.Errorf("intra-op threads %d: want 0 or more", o.threads))
	}
	if o.batchSize < 0 || o.batchSize > 1<<16 {
		errs = append(errs, fmt.Errorf("batch size %d: want 1..65536", o.batchSize))
	}
	return errors.Join(errs...)
}
