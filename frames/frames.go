// Package frames names the ten narrative frames of the taxonomy
// (shared/taxonomy.md v1.1). The ids are used verbatim in datasets, model
// configs and output, so they live in one place.
package frames

import "fmt"

// ids is in taxonomy order, which is also the output order of models trained
// by framing.
var ids = [...]string{
	"hybrid-attack",
	"foreign-orchestration",
	"destabilization",
	"information-warfare",
	"blame-shifting",
	"security-threat",
	"humanitarian-values",
	"legality",
	"policy-response",
	"economic-cost",
}

// Count is the number of frames in the taxonomy.
const Count = len(ids)

// All returns the frame ids in taxonomy order. The slice is a fresh copy.
func All() []string {
	out := make([]string, len(ids))
	copy(out, ids[:])
	return out
}

// Index returns the position of id in taxonomy order, or -1.
func Index(id string) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return -1
}

// Known reports whether id is one of the taxonomy's frame ids.
func Known(id string) bool { return Index(id) >= 0 }

// Validate returns an error naming every unknown id in labels.
func Validate(labels []string) error {
	for _, l := range labels {
		if !Known(l) {
			return fmt.Errorf("unknown frame %q (known: %v)", l, ids)
		}
	}
	return nil
}
