package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// framing runs the CLI in-process and returns stdout, stderr and the exit code.
func framing(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"framing"}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/framing -update to accept):\n%s", name, got)
	}
}

const article = "testdata/article.txt"

func TestClassifyGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := framing(t, "", "classify", "--format", format, article)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, "article."+format, out)
		})
	}
}

func TestClassifyStdin(t *testing.T) {
	data, err := os.ReadFile(article)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, _, _ := framing(t, "", "classify", "--format", "jsonl", article)
	fromStdin, stderr, code := framing(t, string(data), "classify", "--format", "jsonl", "-")
	if code != 0 || fromFile != fromStdin {
		t.Fatalf("stdin and file differ (exit %d, %s)", code, stderr)
	}
}

func TestBadInputExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.txt", nil)
	blank := write("blank.txt", []byte("  \n\n\t "))
	binary := write("image.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"))
	latin1 := write("latin1.txt", []byte("Border guards in \xc6\xd8 said the crossing is closed."))
	long := write("long.txt", bytes.Repeat([]byte("word "), 2_000_000))
	polish := write("pl.txt", []byte("Straż Graniczna poinformowała w poniedziałek, że przejście graniczne pozostanie zamknięte do końca tygodnia, a ciężarówki powinny korzystać z innej trasy przez most."))
	cases := []struct {
		name     string
		args     []string
		code     int
		stderr   string
		stdoutOK bool
	}{
		{"missing file", []string{"classify", filepath.Join(dir, "nope.txt")}, exitUsage, "nope.txt: no such file", false},
		{"empty file", []string{"classify", empty}, exitUsage, "empty.txt is empty", false},
		{"white space", []string{"classify", blank}, exitUsage, "blank.txt contains only white space", false},
		{"binary", []string{"classify", binary}, exitUsage, "image.png looks like binary data", false},
		{"directory", []string{"classify", dir}, exitUsage, "is a directory", false},
		{"unknown model", []string{"classify", "--model", "no-such-model", polish}, exitUsage, `unknown model "no-such-model"`, false},
		{"missing ORT", []string{"--ort-lib", filepath.Join(dir, "libonnxruntime.so"), "classify", polish}, exitError, "make ort", false},
		{"bad format", []string{"classify", "--format", "xml", polish}, exitUsage, `--format "xml"`, false},
		{"invalid UTF-8 is replaced with a warning", []string{"classify", latin1}, 0, "invalid UTF-8", true},
		{"non-English is classified with a warning", []string{"classify", polish}, 0, "does not look like English", true},
		{"10 MB without punctuation", []string{"classify", "--format", "jsonl", long}, 0, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := framing(t, "", c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, c.code, stderr)
			}
			if !strings.Contains(stderr, c.stderr) {
				t.Fatalf("stderr %q lacks %q", stderr, c.stderr)
			}
			if c.stdoutOK != (out != "") {
				t.Fatalf("stdout: %.200q", out)
			}
		})
	}
}

func TestHelpHasExamples(t *testing.T) {
	for _, cmd := range []string{"classify", "train", "models", "version"} {
		out, _, code := framing(t, "", cmd, "--help")
		if code != 0 || !strings.Contains(out, "Examples:") {
			t.Errorf("%s --help (exit %d) lacks examples:\n%s", cmd, code, out)
		}
	}
}

func TestModelsAndVersion(t *testing.T) {
	out, stderr, code := framing(t, "", "models")
	if code != 0 || !strings.Contains(out, "default") || !strings.Contains(out, "framing-bag") || !strings.Contains(out, "cnn") {
		t.Fatalf("models (exit %d, %s):\n%s", code, stderr, out)
	}
	out, _, code = framing(t, "", "version")
	if code != 0 || !strings.Contains(out, "onnxruntime 1.24.1") {
		t.Fatalf("version:\n%s", out)
	}
}
