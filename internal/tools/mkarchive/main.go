// Command mkarchive writes a synthetic archive for throughput benchmarks:
// N articles of 8-25 sentences drawn (seeded) from the corpus's own
// sentences, as gzip-compressed JSONL with "id" and "text". Recombining our
// sentences is fine for speed figures; it measures nothing about accuracy.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/framing-project/framing/corpus"
)

func main() {
	n := flag.Int("n", 100_000, "articles")
	out := flag.String("out", ".cache/bench/archive.jsonl.gz", "output file")
	flag.Parse()
	var texts []string
	for _, s := range []string{"train", "dev", "test"} {
		exs, err := corpus.ReadFile("testdata/corpus/" + s + ".jsonl")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, ex := range exs {
			texts = append(texts, ex.Text)
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	gz := gzip.NewWriter(f)
	w := bufio.NewWriter(gz)
	rng := rand.New(rand.NewPCG(1, 2))
	sentences, size := 0, 0
	for i := 0; i < *n; i++ {
		k := 8 + rng.IntN(18)
		var b strings.Builder
		for j := 0; j < k; j++ {
			if j > 0 {
				if j%3 == 0 {
					b.WriteString("\n\n")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(texts[rng.IntN(len(texts))])
		}
		sentences += k
		size += b.Len()
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("b%06d", i), "text": b.String()})
		w.Write(line)
		w.WriteByte('\n')
	}
	w.Flush()
	gz.Close()
	f.Close()
	fmt.Printf("%s: %d articles, %d sentences, %.1f MB of text\n", *out, *n, sentences, float64(size)/1e6)
}
