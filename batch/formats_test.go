package batch

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"

	"github.com/framing-project/framing/frames"
)

var paragraphs = []string{
	"Border guards detained eleven people near the river overnight, the interior ministry said on Tuesday morning.",
	"The ministry said the new fence along the frontier would be finished by winter, and that more patrols would follow.",
	"Aid workers described families sleeping in the forest at minus four degrees, with children among those found.",
	"Ministers met in Brussels to discuss new sanctions on the airline after flights to Minsk were traced by investigators.",
	"Opposition leaders accused the government of using the crisis to win votes before the local elections in the spring.",
}

// newsPage is a news page with navigation and footer around the article,
// as readability expects.
func newsPage(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>", title)
	b.WriteString(`<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav><main><article><h1>` + title + `</h1>`)
	for _, p := range paragraphs {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</article></main><footer>Copyright 2024 The Daily Example. All rights reserved.</footer></body></html>`)
	return b.String()
}

// warcRecord renders one WARC/1.1 record.
func warcRecord(typ, uri, contentType, block string) string {
	h := fmt.Sprintf("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-000000000000>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n", typ, len(block)+len(uri))
	if uri != "" {
		h += "WARC-Target-URI: " + uri + "\r\n"
	}
	return h + fmt.Sprintf("Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", contentType, len(block), block)
}

func httpResponse(status, contentType, body string) string {
	return fmt.Sprintf("HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", status, contentType, len(body), body)
}

// writeWARCGz writes each record as its own gzip member, as Common Crawl
// does, and returns the members' offsets.
func writeWARCGz(t testing.TB, path string, records []string) []int64 {
	t.Helper()
	var buf bytes.Buffer
	var offsets []int64
	for _, r := range records {
		offsets = append(offsets, int64(buf.Len()))
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(r))
		zw.Close()
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return offsets
}

// commonCrawl is a WARC with one article per 2xx HTML response and records
// that are not articles around them; it returns the articles' sources.
func commonCrawl(t testing.TB, path string) (ids, sources []string, notArticles int) {
	recs := []string{
		warcRecord("warcinfo", "", "application/warc-fields", "software: test\r\n"),
		warcRecord("request", "http://example.com/a", "application/http; msgtype=request", "GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n"),
		warcRecord("response", "http://example.com/a", "application/http; msgtype=response", httpResponse("200 OK", "text/html; charset=utf-8", newsPage("Guards detain eleven at the border"))),
		warcRecord("metadata", "http://example.com/a", "application/warc-fields", "fetchTimeMs: 12\r\n"),
		warcRecord("response", "http://example.com/missing", "application/http; msgtype=response", httpResponse("404 Not Found", "text/html", "<html><body>gone</body></html>")),
		warcRecord("response", "http://example.com/logo.png", "application/http; msgtype=response", httpResponse("200 OK", "image/png", "\x89PNG\r\n\x1a\n")),
		warcRecord("response", "http://example.com/b", "application/http; msgtype=response", httpResponse("200 OK", "text/html", newsPage("Sanctions on the airline"))),
	}
	off := writeWARCGz(t, path, recs)
	return []string{"http://example.com/a", "http://example.com/b"},
		[]string{fmt.Sprintf("%s:%d", path, off[2]), fmt.Sprintf("%s:%d", path, off[6])}, 5
}

type pqIn struct {
	ID   string `parquet:"id"`
	Body string `parquet:"body"`
}

func writeZst(t testing.TB, path string, data []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := zstd.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNewInputFormats reads .zst JSONL, HTML pages (alone and in a
// directory), a Common Crawl style .warc.gz and Parquet, and checks ids,
// sources and labels, and that every record ends in exactly one file.
func TestNewInputFormats(t *testing.T) {
	dir := t.TempDir()
	zst := filepath.Join(dir, "a.jsonl.zst")
	writeZst(t, zst, []byte(`{"id":"z1","text":"`+paragraphs[0]+`"}`+"\n"+`{"id":"z2","text":""}`+"\n"+`{"text":"`+paragraphs[3]+`","id":7}`+"\n"))
	page := filepath.Join(dir, "page.html")
	writeFile(t, page, newsPage("Guards detain eleven at the border"))
	site := filepath.Join(dir, "site")
	writeFile(t, filepath.Join(site, "a.html"), newsPage("Families in the forest"))
	writeFile(t, filepath.Join(site, "b", "c.htm"), newsPage("Sanctions on the airline"))
	writeFile(t, filepath.Join(site, "b", "d.txt"), paragraphs[4])
	writeFile(t, filepath.Join(site, "b", "skip.csv"), "not,an,article\n")
	warc := filepath.Join(dir, "cc.warc.gz")
	warcIDs, warcSources, notArticles := commonCrawl(t, warc)
	pq := filepath.Join(dir, "t.parquet")
	if err := parquet.WriteFile(pq, []pqIn{{"p1", paragraphs[1]}, {"p2", ""}, {"p3", paragraphs[2]}}); err != nil {
		t.Fatal(err)
	}
	out, errs := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "errors.jsonl")
	inputs := []string{zst, page, site, warc}
	c := classifier(t)
	sum, err := Run(context.Background(), c, inputs, nil, out, errs, Options{Chunk: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Parquet with its text under another name, in a second run.
	out2, errs2 := filepath.Join(dir, "out2.jsonl"), filepath.Join(dir, "errors2.jsonl")
	sum2, err := Run(context.Background(), c, []string{pq}, nil, out2, errs2, Options{Source: SourceOptions{TextField: "body"}})
	if err != nil {
		t.Fatal(err)
	}
	got := append(readLines(t, out), readLines(t, out2)...)
	bad := append(readLines(t, errs), readLines(t, errs2)...)
	if sum.Read+sum2.Read != len(got)+len(bad) || sum.Ignored != int64(notArticles)+1 {
		t.Fatalf("summaries %+v %+v: %d scored, %d errors", sum, sum2, len(got), len(bad))
	}
	want := []struct{ id, source string }{
		{"z1", zst + ":1"}, {"7", zst + ":3"},
		{page, page + ":0"},
		{filepath.Join(site, "a.html"), filepath.Join(site, "a.html") + ":0"},
		{filepath.Join(site, "b", "c.htm"), filepath.Join(site, "b", "c.htm") + ":0"},
		{filepath.Join(site, "b", "d.txt"), filepath.Join(site, "b", "d.txt") + ":0"},
	}
	for i := range warcIDs {
		want = append(want, struct{ id, source string }{warcIDs[i], warcSources[i]})
	}
	want = append(want, struct{ id, source string }{"p1", pq + ":1"}, struct{ id, source string }{"p3", pq + ":3"})
	if len(got) != len(want) {
		for _, g := range got {
			t.Log(g.ID, g.Source)
		}
		for _, b := range bad {
			t.Log(b.Source, b.Reason)
		}
		t.Fatalf("%d scored, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Source != w.source {
			t.Errorf("record %d: id %q source %q, want %q %q", i, got[i].ID, got[i].Source, w.id, w.source)
		}
		if len(got[i].Scores) != 10 {
			t.Errorf("record %d: scores %v", i, got[i].Scores)
		}
	}
	// The HTML articles are about borders and sanctions: they carry frames.
	for _, g := range got[2:] {
		if len(g.Labels) == 0 {
			t.Errorf("%s: no labels", g.Source)
		}
	}
	if len(bad) != 2 || bad[0].Source != zst+":2" || bad[1].Source != pq+":2" {
		t.Errorf("errors %+v", bad)
	}
}

// TestCorruptInputs: a broken WARC, Parquet or zstd file is one error
// naming the file and what is wrong, and the run goes on with the others.
func TestCorruptInputs(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	writeFile(t, good, `{"id":"g1","text":"`+paragraphs[0]+`"}`+"\n")
	warc := filepath.Join(dir, "bad.warc.gz")
	writeWARCGz(t, warc, []string{"this is not a WARC file\r\n\r\n"})
	truncWarc := filepath.Join(dir, "trunc.warc.gz")
	writeWARCGz(t, truncWarc, []string{warcRecord("response", "http://example.com/a", "application/http; msgtype=response", httpResponse("200 OK", "text/html", newsPage("Guards")))})
	data, _ := os.ReadFile(truncWarc)
	os.WriteFile(truncWarc, data[:len(data)/2], 0o644)
	pq := filepath.Join(dir, "bad.parquet")
	writeFile(t, pq, "PAR1 this is not parquet at all PAR1")
	zst := filepath.Join(dir, "bad.jsonl.zst")
	writeFile(t, zst, "\x28\xb5\x2f\xfd garbage garbage garbage")
	gz := filepath.Join(dir, "bad.csv.gz")
	writeFile(t, gz, "\x1f\x8b\x08 not gzip")
	inputs := []string{warc, truncWarc, pq, zst, gz, good}
	out, errs := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "errors.jsonl")
	sum, err := Run(context.Background(), classifier(t), inputs, nil, out, errs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, bad := readLines(t, out), readLines(t, errs)
	if len(got) != 1 || got[0].ID != "g1" {
		t.Errorf("output %+v", got)
	}
	if sum.Read != len(got)+len(bad) {
		t.Errorf("summary %+v, %d + %d lines", sum, len(got), len(bad))
	}
	files := map[string]string{}
	for _, b := range bad {
		file := b.Source[:strings.LastIndexByte(b.Source, ':')]
		files[file] = b.Reason
		t.Logf("%s: %s", b.Source, b.Reason)
	}
	for _, f := range inputs[:5] {
		if files[f] == "" {
			t.Errorf("%s: no error", f)
		}
	}
	for f, what := range map[string]string{pq: "Parquet", zst: "zstd", gz: "gzip", warc: "WARC", truncWarc: "WARC"} {
		if !strings.Contains(strings.ToLower(files[f]), strings.ToLower(what)) {
			t.Errorf("%s: reason %q does not say %s", f, files[f], what)
		}
	}
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestCSVOutputResume writes CSV, tears the last row, resumes, and checks
// the columns and that every record is there once.
func TestCSVOutputResume(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	var sb strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&sb, `{"id":"r%d","text":"Guards patrolled the border, near village \"number\" %d, overnight.\nMinisters met."}`+"\n", i, i)
	}
	writeFile(t, in, sb.String())
	out, errs := filepath.Join(dir, "out.csv"), filepath.Join(dir, "errors.jsonl")
	c := classifier(t)
	o := Options{Chunk: 8, Format: OutCSV, Sentences: true}
	if _, err := Run(context.Background(), c, []string{in}, nil, out, errs, o); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, out)
	head := slices.Concat([]string{"id", "source", "dominant", "labels"}, frames.All(), []string{"model"})
	if !slices.Equal(rows[0], head) || len(rows) != 41 {
		t.Fatalf("header %q, %d rows", rows[0], len(rows))
	}
	if rows[1][0] != "r0" || rows[1][1] != in+":1" || !strings.Contains(rows[1][len(head)-1], "@") {
		t.Errorf("row 1: %q", rows[1])
	}
	for _, r := range rows[1:] {
		if r[2] != "" && !slices.Contains(strings.Split(r[3], ";"), r[2]) {
			t.Errorf("dominant %q not among labels %q", r[2], r[3])
		}
	}
	full, _ := os.ReadFile(out)
	lines := strings.SplitAfter(string(full), "\n")
	torn := strings.Join(lines[:16], "") + lines[16][:len(lines[16])/2]
	os.WriteFile(out, []byte(torn), 0o644)
	o.Resume = true
	sum, err := Run(context.Background(), c, []string{in}, nil, out, errs, o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 15 || sum.Scored != 25 {
		t.Errorf("resume summary %+v", sum)
	}
	rows = readCSV(t, out)
	var got []line
	for _, r := range rows[1:] {
		got = append(got, line{ID: r[0]})
	}
	assertOnce(t, got, 40)
	if after, _ := os.ReadFile(out); !bytes.Equal(after, full) {
		t.Error("the resumed CSV differs from an uninterrupted run's")
	}
}

type pqOut struct {
	ID       string   `parquet:"id"`
	Source   string   `parquet:"source"`
	Dominant string   `parquet:"dominant"`
	Labels   []string `parquet:"labels,list"`
	Security float32  `parquet:"security-threat"`
	Model    string   `parquet:"model"`
}

// TestParquetOutputResume: a finished Parquet output is continued when its
// input grows, and a run cancelled midway leaves complete parts that a
// resume keeps; either way every record is there once.
func TestParquetOutputResume(t *testing.T) {
	if !frames.Known("security-threat") {
		t.Skip("the taxonomy has no security-threat frame")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	var lines []string
	for i := 0; i < 30; i++ {
		lines = append(lines, fmt.Sprintf(`{"id":"r%d","text":"Guards patrolled the border near village %d. Ministers met in Brussels."}`+"\n", i, i))
	}
	writeFile(t, in, strings.Join(lines[:12], ""))
	out, errs := filepath.Join(dir, "out.parquet"), filepath.Join(dir, "errors.jsonl")
	c := classifier(t)
	o := Options{Chunk: 4, Format: OutParquet}
	if _, err := Run(context.Background(), c, []string{in}, nil, out, errs, o); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), c, []string{in}, nil, out, errs, o); err == nil {
		t.Fatal("a second run without --resume must refuse to overwrite")
	}
	writeFile(t, in, strings.Join(lines, ""))
	o.Resume = true
	sum, err := Run(context.Background(), c, []string{in}, nil, out, errs, o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Scored != 18 || sum.Skipped != 12 {
		t.Errorf("summary %+v", sum)
	}
	if _, err := os.Stat(out + ".parts"); !os.IsNotExist(err) {
		t.Errorf("the parts folder is still there: %v", err)
	}
	rows, err := parquet.ReadFile[pqOut](out)
	if err != nil {
		t.Fatal(err)
	}
	var got []line
	for _, r := range rows {
		got = append(got, line{ID: r.ID})
	}
	assertOnce(t, got, 30)
	last := rows[len(rows)-1]
	if last.ID != "r29" || last.Source != in+":30" || !strings.Contains(last.Model, "@") || last.Dominant == "" || !slices.Contains(last.Labels, last.Dominant) {
		t.Errorf("last row %+v", last)
	}

	// Cancelled midway: standard input stalls after 10 records.
	out = filepath.Join(dir, "cut.parquet")
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.WriteString(pw, strings.Join(lines[:10], ""))
		time.Sleep(1500 * time.Millisecond)
		cancel()
		pw.Close()
	}()
	o.Resume = false
	if _, err := Run(ctx, c, []string{"-"}, pr, out, errs+"2", o); err == nil {
		t.Fatal("a cancelled run must say so")
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a cancelled run must not merge its parts into the output")
	}
	o.Resume = true
	sum, err = Run(context.Background(), c, []string{"-"}, strings.NewReader(strings.Join(lines, "")), out, errs+"2", o)
	if err != nil {
		t.Fatal(err)
	}
	rows, err = parquet.ReadFile[pqOut](out)
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, r := range rows {
		got = append(got, line{ID: r.ID})
	}
	assertOnce(t, got, 30)
	t.Logf("cancelled run kept %d records", sum.Skipped)
}

// FuzzCSV checks the streaming CSV reader: it terminates, keeps records
// within the limit, and agrees with encoding/csv on input without quotes.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("id,text\n1,\"a \"\"b\"\"\nc\"\n2,x\n"))
	f.Add([]byte("\ufeffid,text\r\n\r\n3,\"unterminated"))
	f.Add([]byte("a,b\n1,2,3\n\n4\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := newCSVReader(bytes.NewReader(data), ',', 64)
		var got [][]string
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatal("reader did not terminate")
			}
			fields, _, cut, err := r.read()
			if err != nil {
				break
			}
			n := 0
			var row []string
			for _, f := range fields {
				n += len(f)
				row = append(row, string(f))
			}
			if n > 64 || (n == 64 && cut < 0 && len(row) == 0) {
				t.Fatalf("record of %d bytes kept over a 64-byte limit", n)
			}
			if cut < 0 {
				got = append(got, row)
			}
		}
		if bytes.ContainsAny(data, "\"\r") || bytes.HasPrefix(data, []byte("\ufeff")) || len(data) > 64 {
			return
		}
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		want, err := cr.ReadAll()
		if err != nil {
			return
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Fatalf("%q: got %q, encoding/csv %q", data, got, want)
		}
	})
}

// FuzzSourceOf checks the resume scanner's fast path against encoding/json.
func FuzzSourceOf(f *testing.F) {
	f.Add([]byte(`{"id":"a","source":"f.jsonl:3","labels":[]}`))
	f.Add([]byte(`{"source":"x\"y:1","reason":"bad"}`))
	f.Add([]byte(`{"id":"a\\"","source":"q"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		got, ok := sourceOf(line)
		var v struct {
			Source *string `json:"source"`
		}
		if json.Unmarshal(line, &v) != nil || v.Source == nil {
			return // the fast path may accept lines encoding/json rejects; resume only reads framing's own
		}
		if !ok || got != *v.Source {
			t.Fatalf("%q: source %q %v, encoding/json says %q", line, got, ok, *v.Source)
		}
	})
}

// FuzzWARC and FuzzParquet feed damaged files to the readers: each must
// end, and never panic.
func FuzzWARC(f *testing.F) {
	f.Add([]byte(warcRecord("response", "http://e/a", "application/http; msgtype=response", httpResponse("200 OK", "text/html", "<p>x</p>"))))
	f.Add([]byte(warcRecord("resource", "http://e/b", "text/plain", "plain text")))
	var gz bytes.Buffer
	for _, r := range []string{warcRecord("resource", "http://e/c", "text/plain", "one"), "not a record\r\n", warcRecord("resource", "http://e/d", "text/plain", "two")} {
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(r))
		zw.Close()
	}
	f.Add(gz.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		// As a file: damaged records are skipped by re-reading at the next
		// record start.
		s := newWARCFile(bytes.NewReader(data), bytes.NewReader(data), "fuzz.warc", SourceOptions{MaxBytes: 1 << 10}, &inputStats{})
		for i := 0; i < 1000; i++ {
			r, err := s.Next()
			if err != nil {
				return
			}
			if r.Err == nil && r.Kind == htmlPage {
				decode(&r, SourceOptions{})
			}
		}
		t.Fatal("reader did not terminate")
	})
}

func FuzzParquet(f *testing.F) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqIn](&buf)
	w.Write([]pqIn{{"a", "text one"}, {"b", ""}})
	w.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := NewParquet(bytes.NewReader(data), int64(len(data)), "fuzz.parquet", SourceOptions{TextField: "body", MaxBytes: 1 << 10})
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			if _, err := s.Next(); err != nil {
				return
			}
		}
		t.Fatal("reader did not terminate")
	})
}

// TestWARCSkipsDamagedRecord damages the middle record of a .warc.gz (a
// member that is not a WARC record) and of a plain WARC (a broken version
// line): the damaged record is one error naming where reading went on, and
// the records after it are scored.
func TestWARCSkipsDamagedRecord(t *testing.T) {
	dir := t.TempDir()
	page := func(uri, title string) string {
		return warcRecord("response", uri, "application/http; msgtype=response", httpResponse("200 OK", "text/html", newsPage(title)))
	}
	first, third := page("http://example.com/1", "Guards detain eleven at the border"), page("http://example.com/3", "Sanctions on the airline")
	gz := filepath.Join(dir, "cc.warc.gz")
	offsets := writeWARCGz(t, gz, []string{first, "this member is not a WARC record at all\r\n\r\n", third})
	plain := filepath.Join(dir, "plain.warc")
	damaged := strings.Replace(page("http://example.com/2", "Ministers meet"), "WARC/1.1", "WARX/9.9", 1)
	writeFile(t, plain, first+damaged+third)
	for _, tt := range []struct {
		path   string
		skipTo int64
	}{{gz, offsets[2]}, {plain, int64(len(first) + len(damaged))}} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			out, errs := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "errors.jsonl")
			os.Remove(out)
			os.Remove(errs)
			if _, err := Run(context.Background(), classifier(t), []string{tt.path}, nil, out, errs, Options{}); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, l := range readLines(t, out) {
				ids = append(ids, l.ID)
			}
			if want := []string{"http://example.com/1", "http://example.com/3"}; !slices.Equal(ids, want) {
				t.Errorf("scored %v, want %v", ids, want)
			}
			bad := readLines(t, errs)
			if len(bad) != 1 {
				t.Fatalf("%d errors, want 1: %+v", len(bad), bad)
			}
			if want := fmt.Sprintf("next readable record, at offset %d", tt.skipTo); !strings.Contains(bad[0].Reason, want) {
				t.Errorf("reason %q does not say %q", bad[0].Reason, want)
			}
		})
	}
}
