// Command framing reads news articles and says, sentence by sentence, which
// narrative frames they use.
//
// Each subcommand lives in its own file and is a thin layer over a package:
// classify (classify), train (train), eval (eval), batch (batch), models
// (models), data (corpus).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/urfave/cli/v2"
)

// Exit codes.
const (
	exitOK      = 0
	exitError   = 1 // the run failed
	exitUsage   = 2 // bad flags or unusable input
	exitPartial = 3 // batch: some records failed, the rest were written
)

// exitError carries an exit code through urfave/cli.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &codedError{exitUsage, fmt.Errorf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it with their own streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "framing: %v\n", err)
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	return exitError
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:  "framing",
		Usage: "find the narrative frames of news articles, sentence by sentence",
		Description: `framing splits an article into sentences and scores each one for ten narrative
frames (hybrid-attack, foreign-orchestration, destabilization, information-warfare,
blame-shifting, security-threat, humanitarian-values, legality, policy-response,
economic-cost), then derives the article's frames and its dominant frame.

Examples:
   framing classify testdata/articles/showcase.txt
   curl -s https://example.org/article.txt | framing classify --format json -
   framing batch --input archive.jsonl.gz --output scores.jsonl
   framing eval --model default --model ./my-bundle --data testdata/corpus/test.jsonl
   framing train --train train.jsonl --dev dev.jsonl --arch bag --out ./my-bundle`,
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		HideHelpCommand:      true,
		EnableBashCompletion: true,
		ExitErrHandler:       func(*cli.Context, error) {}, // run() reports errors and picks the code
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &codedError{exitUsage, err}
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile (go tool pprof) to this file", TakesFile: true},
			&cli.StringFlag{Name: "ort-lib", Usage: "path to libonnxruntime.so (default: $FRAMING_ORT_LIB, then the project cache from `make ort`)", EnvVars: []string{"FRAMING_ORT_LIB"}},
		},
		Before: startProfile,
		After:  stopProfile,
		Commands: []*cli.Command{
			classifyCommand(),
			batchCommand(),
			evalCommand(),
			trainCommand(),
			modelsCommand(),
			dataCommand(),
			versionCommand(),
		},
	}
}

// startProfile starts the --cpuprofile, so that users can send us one from
// their own archive.
func startProfile(c *cli.Context) error {
	path := c.String("cpuprofile")
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return usageErr("--cpuprofile: %v", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	c.App.Metadata = map[string]any{"cpuprofile": f}
	return nil
}

func stopProfile(c *cli.Context) error {
	f, ok := c.App.Metadata["cpuprofile"].(*os.File)
	if !ok {
		return nil
	}
	pprof.StopCPUProfile()
	return f.Close()
}
