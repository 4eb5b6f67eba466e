// Command benchpeers measures framing against fastText, the peer users would
// pick for a fast text classifier, on the same data in the same run:
//
//  1. trains Debian's fasttext 0.9.2 on the train split (multi-label, -loss
//     ova, word bigrams), picks epochs and learning rate by dev macro-F1 and
//     tunes per-label thresholds on dev (written beside the model);
//  2. scores both on the test split with framing's evaluator;
//  3. times `fasttext predict-prob` (one thread) and `framing batch` (all
//     cores) on one file of at least 200,000 one-sentence records, and prints
//     both throughputs, their ratio and the test macro-F1 of both.
//
// Run it with `make bench-peers`.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/framing-project/framing/classify"
	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/eval"
	"github.com/framing-project/framing/models"
)

func main() {
	corpusDir := flag.String("corpus", "testdata/corpus", "corpus directory")
	work := flag.String("work", ".cache/peers", "working directory")
	bin := flag.String("framing", "bin/framing", "framing binary")
	lines := flag.Int("lines", 200_000, "records in the throughput file")
	flag.Parse()
	if err := run(*corpusDir, *work, *bin, *lines); err != nil {
		fmt.Fprintln(os.Stderr, "benchpeers:", err)
		os.Exit(1)
	}
}

func run(corpusDir, work, bin string, lines int) error {
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	read := func(name string) ([]corpus.Example, error) {
		return corpus.ReadFile(filepath.Join(corpusDir, name+".jsonl"))
	}
	train, err := read("train")
	if err != nil {
		return err
	}
	dev, err := read("dev")
	if err != nil {
		return err
	}
	test, err := read("test")
	if err != nil {
		return err
	}
	trainFile := filepath.Join(work, "train.ft")
	f, err := os.Create(trainFile)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, ex := range train {
		labels := ex.Labels
		if len(labels) == 0 {
			labels = []string{"none"} // fastText drops unlabelled lines; keep the negatives
		}
		for _, l := range labels {
			fmt.Fprintf(w, "__label__%s ", l)
		}
		fmt.Fprintln(w, eval.FastTextText(ex.Text))
	}
	w.Flush()
	f.Close()

	// fastText reads raw sentences; the scorer passes the text through, so
	// feed it the same preprocessing as training.
	prep := func(exs []corpus.Example) []corpus.Example {
		out := make([]corpus.Example, len(exs))
		for i, ex := range exs {
			ex.Text = eval.FastTextText(ex.Text)
			out[i] = ex
		}
		return out
	}
	ctx := context.Background()
	model := filepath.Join(work, "fasttext")
	best, bestF1 := "", -1.0
	var bestRep *eval.Report
	for _, epoch := range []string{"10", "25", "50"} {
		for _, lr := range []string{"0.2", "0.5", "1.0"} {
			out := fmt.Sprintf("%s-e%s-lr%s", model, epoch, lr)
			cmd := exec.Command("fasttext", "supervised", "-input", trainFile, "-output", out, "-loss", "ova",
				"-wordNgrams", "2", "-dim", "64", "-bucket", "200000", "-epoch", epoch, "-lr", lr, "-thread", "1", "-seed", "1", "-verbose", "0")
			if msg, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("fasttext supervised: %v\n%s", err, msg)
			}
			os.Remove(out + ".bin.thresholds.json")
			cand, err := eval.FastTextCandidate(out + ".bin")
			if err != nil {
				return err
			}
			rep, err := eval.Run(ctx, "dev", prep(dev), []eval.Candidate{cand}, eval.Options{Resamples: 1})
			if err != nil {
				return err
			}
			var tuned float64
			for _, sw := range rep.Models[0].Sweeps {
				tuned += sw.BestF1
			}
			tuned /= float64(len(rep.Models[0].Sweeps))
			fmt.Printf("fastText epoch %-3s lr %-4s dev macro-F1 (tuned thresholds) %.4f\n", epoch, lr, tuned)
			if tuned > bestF1 {
				best, bestF1, bestRep = out+".bin", tuned, rep
			}
		}
	}
	th := map[string]float64{}
	for l, sw := range bestRep.Models[0].Sweeps {
		th[l] = sw.BestThreshold
	}
	data, _ := json.MarshalIndent(th, "", "  ")
	if err := os.WriteFile(best+".thresholds.json", data, 0o644); err != nil {
		return err
	}
	final := model + ".bin"
	if err := copyFile(best, final); err != nil {
		return err
	}
	if err := copyFile(best+".thresholds.json", final+".thresholds.json"); err != nil {
		return err
	}
	fmt.Printf("chose %s\n\n", best)

	// Accuracy on test, side by side.
	b, err := models.Open(models.Default)
	if err != nil {
		return err
	}
	clf, err := classify.New(b, classify.WithIntraOpThreads(1))
	if err != nil {
		return err
	}
	defer clf.Close()
	m := clf.Model()
	fw, err := eval.Run(ctx, "test", test, []eval.Candidate{{Name: m.Name, Version: m.Version, Labels: clf.Labels(), Thresholds: clf.Thresholds(), Scorer: clf}}, eval.Options{Resamples: 1})
	if err != nil {
		return err
	}
	ftCand, err := eval.FastTextCandidate(final)
	if err != nil {
		return err
	}
	ft, err := eval.Run(ctx, "test", prep(test), []eval.Candidate{ftCand}, eval.Options{Resamples: 1})
	if err != nil {
		return err
	}

	// Throughput on one file of one-sentence records.
	all := append(append(append([]corpus.Example{}, train...), dev...), test...)
	txt, jsonl := filepath.Join(work, "throughput.txt"), filepath.Join(work, "throughput.jsonl")
	ft1, _ := os.Create(txt)
	fj, _ := os.Create(jsonl)
	wt, wj := bufio.NewWriter(ft1), bufio.NewWriter(fj)
	var size int64
	for i := 0; i < lines; i++ {
		ex := all[i%len(all)]
		fmt.Fprintln(wt, eval.FastTextText(ex.Text))
		rec, _ := json.Marshal(map[string]string{"id": fmt.Sprint(i), "text": ex.Text})
		wj.Write(rec)
		wj.WriteByte('\n')
		size += int64(len(ex.Text) + 1)
	}
	wt.Flush()
	wj.Flush()
	ft1.Close()
	fj.Close()
	start := time.Now()
	// Its output goes to /dev/null, as framing's would go to a file.
	cmd := exec.Command("fasttext", "predict-prob", final, txt, "10")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("fasttext predict-prob: %v: %s", err, stderr.String())
	}
	ftSecs := time.Since(start).Seconds()
	out := filepath.Join(work, "framing-out.jsonl")
	os.Remove(out)
	os.Remove(out + ".errors.jsonl")
	start = time.Now()
	if msg, err := exec.Command(bin, "batch", "--input", jsonl, "--output", out).CombinedOutput(); err != nil {
		return fmt.Errorf("framing batch: %v\n%s", err, msg)
	}
	frSecs := time.Since(start).Seconds()

	ftRate, frRate := float64(lines)/ftSecs, float64(lines)/frSecs
	fmt.Printf("%-28s %14s %10s %16s %16s\n", "", "sentences/s", "MB/s", "test macro-F1", "test art micro-F1")
	fmt.Printf("%-28s %14.0f %10.1f %16.4f %16.4f\n", "fastText 0.9.2 (1 thread)", ftRate, float64(size)/1e6/ftSecs, ft.Models[0].Sentence.MacroF1, ft.Models[0].Article.MicroF1)
	fmt.Printf("%-28s %14.0f %10.1f %16.4f %16.4f\n", "framing batch (all cores)", frRate, float64(size)/1e6/frSecs, fw.Models[0].Sentence.MacroF1, fw.Models[0].Article.MicroF1)
	fmt.Printf("\nframing / fastText throughput: %.2fx on %d one-sentence records (%.1f MB)\n", frRate/ftRate, lines, float64(size)/1e6)
	return nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
