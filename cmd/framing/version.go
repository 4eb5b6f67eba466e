package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/internal/ortrt"
)

// Set by the Makefile with -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = ""
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print framing's version, commit, Go version and ONNX Runtime version",
		Description: `Examples:
   framing version`,
		Action: func(c *cli.Context) error {
			rev := commit
			if bi, ok := debug.ReadBuildInfo(); ok && rev == "" {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						rev = s.Value
					}
				}
			}
			if rev == "" {
				rev = "unknown"
			}
			w := c.App.Writer
			fmt.Fprintf(w, "framing %s\ncommit  %s\ngo      %s %s/%s\n", version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			ortLine := "not found: run `" + ortrt.InstallHint + "`"
			if lib, err := ortrt.FindLibrary(c.String("ort-lib")); err == nil {
				if err := ortrt.Acquire(lib); err != nil {
					ortLine = err.Error()
				} else {
					ortLine = ortrt.RuntimeVersion() + " (" + lib + ")"
					if err := ortrt.Release(); err != nil {
						return err
					}
				}
			}
			fmt.Fprintf(w, "onnxruntime %s (expects %s)\n", ortLine, ortrt.Version)
			return nil
		},
	}
}
