// Package ortrt owns the process's ONNX Runtime environment and wraps its
// sessions for framing's models.
//
// ONNX Runtime's environment is process-wide (onnxruntime_go keeps it in a
// package variable), so this package is its one owner: Acquire/Release count
// users, the first initialises the environment and the last destroys it. That
// reference count is the only process-wide state in framing, and it exists
// because the library underneath is process-wide.
package ortrt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// Version of the ONNX Runtime shared library the project installs; it matches
// the C API that onnxruntime_go v1.27.0 is built against.
const Version = "1.24.1"

// LibraryEnv names the environment variable that points at the shared library.
const LibraryEnv = "FRAMING_ORT_LIB"

// InstallHint is the command that installs the library into the project cache.
const InstallHint = "make ort"

// CacheRelPath is the library's place in the project's install cache.
var cacheRelPath = filepath.Join(".cache", "ort", Version, "libonnxruntime.so.1")

var env struct {
	sync.Mutex
	refs int
	lib  string
}

// FindLibrary resolves the shared library: explicit path (option or --ort-lib),
// then $FRAMING_ORT_LIB, then the project's install cache, looked for beside
// the working directory and its parents and beside the executable.
func FindLibrary(explicit string) (string, error) {
	if explicit != "" {
		return checkLib(explicit, "--ort-lib")
	}
	if p := os.Getenv(LibraryEnv); p != "" {
		return checkLib(p, "$"+LibraryEnv)
	}
	var tried []string
	for _, dir := range cacheRoots() {
		p := filepath.Join(dir, cacheRelPath)
		tried = append(tried, p)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("ONNX Runtime %s library not found (set %s or --ort-lib; looked in %s): run `%s` in the framing repository to install it",
		Version, LibraryEnv, firstN(tried, 3), InstallHint)
}

func firstN(xs []string, n int) string {
	if len(xs) > n {
		xs = append(xs[:n:n], "...")
	}
	return fmt.Sprint(xs)
}

func checkLib(p, from string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("ONNX Runtime library %s (from %s): %w; run `%s` in the framing repository to install it", p, from, errors.Unwrap(err), InstallHint)
	}
	if st.IsDir() {
		return "", fmt.Errorf("ONNX Runtime library %s (from %s) is a directory, want the libonnxruntime.so file", p, from)
	}
	return p, nil
}

func cacheRoots() []string {
	var roots []string
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			roots = append(roots, d)
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		d := filepath.Dir(exe)
		roots = append(roots, d, filepath.Dir(d))
	}
	if c, err := os.UserCacheDir(); err == nil {
		roots = append(roots, filepath.Join(c, "framing"))
	}
	return roots
}

// Acquire makes sure the environment is initialised with the library at
// path lib and counts one more user. Every successful Acquire must be paired
// with one Release. Asking for a different library than the one already
// loaded is an error: a process can load only one.
func Acquire(lib string) error {
	env.Lock()
	defer env.Unlock()
	if env.refs > 0 {
		if lib != env.lib {
			return fmt.Errorf("ONNX Runtime already loaded from %s; cannot also load %s in the same process", env.lib, lib)
		}
		env.refs++
		return nil
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("loading ONNX Runtime from %s: %w (is it the %s library? run `%s`)", lib, err, Version, InstallHint)
	}
	env.refs, env.lib = 1, lib
	return nil
}

// Release drops one user; the last one destroys the environment.
func Release() error {
	env.Lock()
	defer env.Unlock()
	if env.refs == 0 {
		return errors.New("ortrt: Release without Acquire")
	}
	env.refs--
	if env.refs > 0 {
		return nil
	}
	env.lib = ""
	return ort.DestroyEnvironment()
}

// RuntimeVersion is the loaded library's version string, or "" when none is loaded.
func RuntimeVersion() string {
	env.Lock()
	defer env.Unlock()
	if env.refs == 0 {
		return ""
	}
	return ort.GetVersion()
}
