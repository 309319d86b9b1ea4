package gittest

import (
	"os"
	"strings"
	"testing"
)

// Runs counts the git processes running command (a git subcommand such
// as "config") that the GIT_TRACE file trace records; a trace file that
// was never written records none.
func Runs(t testing.TB, trace, command string) int {
	t.Helper()
	b, err := os.ReadFile(trace)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "trace: built-in: git "+command+" ")
}
