// Command pycguard keeps Python bytecode out of git repositories.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code instead of exiting so
// that deferred clean-ups run and tests can call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if code, ok := g.runHookCommand(args); ok {
		return code
	}
	return g.run(args)
}
