// Command corpusbuild derives the published corpus from the writers' source
// files: testdata/corpus/raw/*.jsonl (one sentence per line with article,
// paragraph, genre and topic) become train/dev/test.jsonl in the corpus
// schema, meta.jsonl (one line per article) and the whole-article texts in
// testdata/articles. It only reorganises; it never writes a sentence.
//
// Article ids are stable: writer N's article MM becomes aNMMM (a + writer
// number + three-digit article number), so adding articles later keeps every
// existing id. For writers 1-9, splits are assigned by article number, the
// same way for every writer, so each split spans every writer, genre and
// topic. Writers 10 and later only add to train: dev and test stay as they
// were when first frozen, so model versions scored on them stay comparable.
//
//	go run ./internal/tools/corpusbuild
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/framing-project/framing/corpus"
	"github.com/framing-project/framing/frames"
)

type line struct {
	Article string   `json:"article"`
	Para    int      `json:"para"`
	Genre   string   `json:"genre"`
	Topic   string   `json:"topic"`
	Text    string   `json:"text"`
	Labels  []string `json:"labels"`
}

type meta struct {
	Article   string `json:"article"`
	Source    string `json:"source"`
	Genre     string `json:"genre"`
	Topic     string `json:"topic"`
	Split     string `json:"split"`
	Sentences int    `json:"sentences"`
	File      string `json:"file,omitempty"`
}

// forcedSplit pins articles whose split matters: the showcase article that
// the README classifies is held out, so the demo shows generalisation.
var forcedSplit = map[string]string{"w7-01": "test"}

// articleFiles are the source articles also published whole in testdata/articles.
var articleFiles = map[string]string{"w7-01": "showcase.txt"}

// extraArticles picks a few more whole articles per writer for splitter tests.
const extraArticlesPerWriter = 3

var sourceID = regexp.MustCompile(`^w([1-9][0-9]?)-(\d{2,3})$`)

// firstTrainOnlyWriter is the first writer whose articles all go to train.
const firstTrainOnlyWriter = 10

func splitOf(n int) string {
	switch r := n % 20; {
	case r < 12:
		return "train"
	case r < 15:
		return "dev"
	default:
		return "test"
	}
}

func main() {
	src := flag.String("source", "testdata/corpus/raw", "writers' source files")
	out := flag.String("out", "testdata/corpus", "where train/dev/test.jsonl and meta.jsonl go")
	articles := flag.String("articles", "testdata/articles", "where whole articles go")
	flag.Parse()
	if err := run(*src, *out, *articles); err != nil {
		fmt.Fprintln(os.Stderr, "corpusbuild:", err)
		os.Exit(1)
	}
}

func run(srcDir, outDir, articleDir string) error {
	files, err := filepath.Glob(filepath.Join(srcDir, "*.jsonl"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no source files in %s", srcDir)
	}
	sort.Strings(files)
	splits := map[string][]corpus.Example{}
	var metas []meta
	texts := map[string]*strings.Builder{}
	perWriterExtra := map[string]int{}
	for _, f := range files {
		lines, err := readSource(f)
		if err != nil {
			return err
		}
		var order []string
		byArticle := map[string][]line{}
		for _, l := range lines {
			if _, ok := byArticle[l.Article]; !ok {
				order = append(order, l.Article)
			}
			byArticle[l.Article] = append(byArticle[l.Article], l)
		}
		for _, src := range order {
			m := sourceID.FindStringSubmatch(src)
			if m == nil {
				return fmt.Errorf("%s: article id %q is not wN-NN", f, src)
			}
			n, _ := strconv.Atoi(m[2])
			id := fmt.Sprintf("a%s%03d", m[1], n)
			split := splitOf(n)
			if w, _ := strconv.Atoi(m[1]); w >= firstTrainOnlyWriter {
				split = "train"
			}
			if s, ok := forcedSplit[src]; ok {
				split = s
			}
			ls := byArticle[src]
			md := meta{Article: id, Source: src, Genre: ls[0].Genre, Topic: ls[0].Topic, Split: split, Sentences: len(ls)}
			name, whole := articleFiles[src]
			if !whole && split == "test" && ls[0].Genre != "off-topic-news" && perWriterExtra[m[1]] < extraArticlesPerWriter && len(ls) >= 8 {
				perWriterExtra[m[1]]++
				name, whole = id+".txt", true
			}
			var b strings.Builder
			for i, l := range ls {
				splits[split] = append(splits[split], corpus.Example{
					ID: fmt.Sprintf("%s-s%02d", id, i+1), Article: id, Text: strings.TrimSpace(l.Text), Labels: l.Labels,
				})
				if i > 0 {
					if l.Para != ls[i-1].Para {
						b.WriteString("\n\n")
					} else {
						b.WriteString(" ")
					}
				}
				b.WriteString(strings.TrimSpace(l.Text))
			}
			if whole {
				md.File = name
				b.WriteString("\n")
				texts[name] = &b
			}
			metas = append(metas, md)
		}
	}
	for _, s := range []string{"train", "dev", "test"} {
		if err := writeJSONL(filepath.Join(outDir, s+".jsonl"), func(w *bufio.Writer) error { return corpus.Write(w, splits[s]) }); err != nil {
			return err
		}
	}
	if err := writeJSONL(filepath.Join(outDir, "meta.jsonl"), func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, m := range metas {
			if err := enc.Encode(m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := os.MkdirAll(articleDir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(articleDir, "*.txt"))
	for _, o := range old {
		os.Remove(o)
	}
	for name, b := range texts {
		if err := os.WriteFile(filepath.Join(articleDir, name), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	if err := updateDatasheet(filepath.Join(filepath.Dir(outDir), "DATASHEET.md"), splits); err != nil {
		return err
	}
	fmt.Printf("train %d, dev %d, test %d sentences; %d articles; %d whole articles\n",
		len(splits["train"]), len(splits["dev"]), len(splits["test"]), len(metas), len(texts))
	return nil
}

func readSource(path string) ([]line, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []line
	n := 0
	for sc.Scan() {
		n++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if err := frames.Validate(l.Labels); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if l.Labels == nil {
			l.Labels = []string{}
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

func writeJSONL(path string, fill func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Markers around the generated counts table in the datasheet.
const (
	countsStart = "<!-- counts:start (generated by internal/tools/corpusbuild) -->"
	countsEnd   = "<!-- counts:end -->"
)

// updateDatasheet replaces the counts table between the markers, if the
// datasheet exists, so its figures always match the files.
func updateDatasheet(path string, splits map[string][]corpus.Example) error {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	s := string(data)
	i, j := strings.Index(s, countsStart), strings.Index(s, countsEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s: counts markers missing", path)
	}
	var b strings.Builder
	rep := corpus.Check([]corpus.Split{{Name: "train", Examples: splits["train"]}, {Name: "dev", Examples: splits["dev"]}, {Name: "test", Examples: splits["test"]}})
	if err := rep.WriteMarkdown(&b); err != nil {
		return err
	}
	s = s[:i+len(countsStart)] + "\n" + b.String() + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
