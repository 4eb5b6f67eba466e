// Package testenv finds what tests need from the machine, failing with the
// command that installs it rather than skipping: CI must run the real thing.
package testenv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/framing-project/framing/internal/ortrt"
)

// ORTLibrary returns the ONNX Runtime shared library: $FRAMING_ORT_LIB or
// the project's install cache (`make ort`).
func ORTLibrary(t testing.TB) string {
	t.Helper()
	lib, err := ortrt.FindLibrary("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lib); err != nil {
		t.Fatalf("%v: run `make ort`", err)
	}
	return filepath.Clean(lib)
}
