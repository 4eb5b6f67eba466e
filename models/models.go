// Package models ships framing's embedded model bundles and resolves a
// --model reference: an embedded name ("default"), a bundle directory, or
// the name of a bundle in the local models directory.
//
// The bundles are trained by `make model` from testdata/corpus and embedded
// with go:embed, so the binary classifies with no download.
package models

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/framing-project/framing/bundle"
)

//go:embed default cnn
var embedded embed.FS

// Default is the embedded model used when none is named.
const Default = "default"

// DirEnv names the environment variable of the local models directory.
const DirEnv = "FRAMING_MODELS_DIR"

// Embedded lists the names of the embedded bundles.
func Embedded() []string {
	entries, _ := fs.ReadDir(embedded, ".")
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// LocalDir is where `framing models` looks for bundles by name:
// $FRAMING_MODELS_DIR, else the user's data directory.
func LocalDir() string {
	if d := os.Getenv(DirEnv); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "framing", "models")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "framing", "models")
	}
	return ""
}

// Open resolves ref: "" or an embedded name, then a directory path, then a
// bundle of that name in LocalDir.
func Open(ref string) (*bundle.Bundle, error) {
	if ref == "" {
		ref = Default
	}
	for _, name := range Embedded() {
		if ref == name {
			return bundle.Load(embedded, name, "embedded:"+name)
		}
	}
	if st, err := os.Stat(ref); err == nil {
		if !st.IsDir() {
			return nil, fmt.Errorf("model %q is a file; a model is an embedded name or a bundle directory (model.onnx, tokenizer.json, config.json)", ref)
		}
		return bundle.LoadDir(ref)
	}
	if local := LocalDir(); local != "" && !strings.ContainsAny(ref, `/\`) {
		if st, err := os.Stat(filepath.Join(local, ref)); err == nil && st.IsDir() {
			return bundle.LoadDir(filepath.Join(local, ref))
		}
	}
	return nil, fmt.Errorf("unknown model %q: not an embedded model (%s), not a bundle directory, not in %s (see `framing models`)",
		ref, strings.Join(Embedded(), ", "), LocalDir())
}

// Info describes a bundle for listings.
type Info struct {
	Name       string  `json:"name"`
	Ref        string  `json:"ref"` // what to pass to --model
	Version    string  `json:"version"`
	Arch       string  `json:"arch"`
	Source     string  `json:"source"`
	Size       int64   `json:"size_bytes"`
	DevMacroF1 float64 `json:"dev_macro_f1"`
	Embedded   bool    `json:"embedded"`
	Err        string  `json:"error,omitempty"`
}

func infoOf(b *bundle.Bundle, ref string, emb bool) Info {
	in := Info{Name: b.Name(), Ref: ref, Version: b.Version(), Arch: b.Arch(), Source: b.Source, Size: b.Size(), Embedded: emb}
	if b.Manifest != nil {
		in.DevMacroF1 = b.Manifest.DevMacroF1
	}
	return in
}

// List describes the embedded bundles and every bundle directory directly
// under dirs. A broken local bundle is listed with its error rather than
// hiding the others.
func List(dirs ...string) ([]Info, error) {
	var out []Info
	for _, name := range Embedded() {
		b, err := Open(name)
		if err != nil {
			return nil, err
		}
		out = append(out, infoOf(b, name, true))
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return out, err
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			if !e.IsDir() {
				continue
			}
			if _, err := os.Stat(filepath.Join(path, bundle.ConfigFile)); err != nil {
				continue
			}
			b, err := bundle.LoadDir(path)
			if err != nil {
				out = append(out, Info{Name: e.Name(), Ref: path, Source: path, Err: err.Error()})
				continue
			}
			out = append(out, infoOf(b, path, false))
		}
	}
	return out, nil
}
