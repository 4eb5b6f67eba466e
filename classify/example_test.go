package classify_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/models"
)

func Example() {
	b, err := models.Open("default") // the embedded bundle
	if err != nil {
		log.Fatal(err)
	}
	c, err := classify.New(b, classify.WithORTLibrary(os.Getenv("FRAMING_ORT_LIB")))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	text := "Border guards detained eleven people near the river overnight.\n\nIt rained all day."
	res, err := c.Classify(context.Background(), text)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.Sentences {
		fmt.Printf("%d-%d %q\n", s.Start, s.End, text[s.Start:s.End])
	}
	// Output:
	// 0-62 "Border guards detained eleven people near the river overnight."
	// 64-82 "It rained all day."
}

// An article carries a frame when its best sentence reaches the frame's
// threshold; the dominant frame is the carried one with the most score
// summed over sentences.
func ExampleArticleScores() {
	sentences := [][]float32{{0.10, 0.70, 0.30}, {0.45, 0.20, 0.30}, {0.40, 0.10, 0.35}}
	scores, carried, dominant := classify.ArticleScores(sentences, []float64{0.4, 0.6, 0.5})
	fmt.Println(scores, carried, dominant)
	// Output: [0.45 0.7 0.35] [true true false] 1
}
