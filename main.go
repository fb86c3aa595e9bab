// Command ecsdash is a keyboard-driven terminal dashboard for Alibaba Cloud
// ECS, with a built-in local emulator of the Alibaba Cloud API.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/ecsdash/ecsdash/views/textsafe"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the process exit code:
// 0 success, 1 a failed operation, 2 bad usage or missing credentials,
// 3 a crash (a panic: a crash report is written, see crash.go), 128+N
// stopped by signal N (signals.go).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = reportCrash(stderr, v, debug.Stack(), args)
		}
	}()
	cmd := newRootCommand(stdout, stderr)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var crash *panicError
	if errors.As(err, &crash) {
		return reportCrash(stderr, crash.value, crash.stack, args)
	}
	if errors.Is(err, errFindings) {
		return 1 // the report itself says what was found
	}
	var stopped *signalStop
	if errors.As(err, &stopped) {
		fmt.Fprintln(stderr, "ecsdash:", err)
		return stopped.exitCode()
	}
	fmt.Fprintln(stderr, "ecsdash:", textsafe.Text(err.Error())) // it may quote the API's text
	var usage *usageError
	if errors.As(err, &usage) {
		return 2
	}
	return 1
}

// usageError is a mistake in how ecsdash was invoked (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }
