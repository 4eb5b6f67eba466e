package eval_test

import (
	"fmt"

	"github.com/framing-project/framing/eval"
)

// Two frames, three sentences: the model finds the legality sentence,
// misses one security-threat sentence and raises one false alarm.
func ExampleScore() {
	labels := []string{"legality", "security-threat"}
	gold := [][]bool{{true, false}, {false, true}, {false, false}}
	pred := [][]bool{{true, false}, {false, false}, {false, true}}
	m := eval.Score(labels, gold, pred)
	fmt.Printf("micro-F1 %.3f, macro-F1 %.3f, exact match %.3f\n", m.MicroF1, m.MacroF1, m.ExactMatch)
	fmt.Printf("security-threat: precision %.1f, recall %.1f, support %d\n",
		m.PerLabel["security-threat"].Precision, m.PerLabel["security-threat"].Recall, m.PerLabel["security-threat"].Support)
	// Output:
	// micro-F1 0.500, macro-F1 0.500, exact match 0.333
	// security-threat: precision 0.0, recall 0.0, support 1
}
