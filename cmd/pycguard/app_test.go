package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// The command line's contract, as far as the argument parser decides it:
// usage errors are exit 2 with one line on stderr in Go's flag wording,
// global flags go before the command, help goes to stdout.
func TestCLIUsage(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout []string // substrings
		stderr string   // exact
	}{
		{args: []string{"--bogus"}, code: 2,
			stderr: "pycguard: flag provided but not defined: -bogus\n"},
		{args: []string{"check", "--bogus"}, code: 2,
			stderr: "pycguard: check: flag provided but not defined: -bogus (see pycguard check --help)\n"},
		{args: []string{"check", "--format"}, code: 2,
			stderr: "pycguard: check: flag needs an argument: -format (see pycguard check --help)\n"},
		{args: []string{"check", "--all=x"}, code: 2,
			stderr: "pycguard: check: invalid boolean value \"x\" for -all: parse error (see pycguard check --help)\n"},
		{args: []string{"--color"}, code: 2,
			stderr: "pycguard: flag needs an argument: -color\n"},
		// Global flags belong before the command.
		{args: []string{"check", "-C", "."}, code: 2,
			stderr: "pycguard: check: flag provided but not defined: -C (see pycguard check --help)\n"},
		{args: []string{"--color", "sometimes", "version"}, code: 2,
			stderr: "pycguard: --color must be auto, always or never, not \"sometimes\"\n"},
		// Flags end at the first argument.
		{args: []string{"version", "extra", "--bogus"}, code: 2,
			stderr: "pycguard: version takes no arguments\n"},
		{args: []string{"no-such", "--bogus"}, code: 2,
			stderr: "pycguard: unknown command \"no-such\" (see pycguard --help)\n"},
		// No help command; shell completion only when asked for (see
		// TestShellCompletion).
		{args: []string{"help"}, code: 2,
			stderr: "pycguard: unknown command \"help\" (see pycguard --help)\n"},
		{args: []string{"check", "--help", "x"}, code: 2,
			stderr: "pycguard: unknown command \"x\" (see pycguard --help)\n"},
		{args: []string{"--generate-shell-completion", "x"}, code: 2,
			stderr: "pycguard: flag provided but not defined: -generate-shell-completion\n"},
		{args: []string{"version"}, code: 0, stdout: []string{"pycguard "}},
		{args: []string{}, code: 0, stdout: []string{"\nCOMMANDS:\n   check  "}},
		{args: []string{"--help"}, code: 0, stdout: []string{
			"USAGE:\n   pycguard [global options] command [command options]\n",
			"\n   -C DIR         run as if pycguard was started in DIR (like git -C)\n",
			"\n   --color value  colour output: auto, always or never (default: \"auto\")\n",
			"\n   --help, -h     show help\n",
		}},
		{args: []string{"--help", "clean"}, code: 0, stdout: []string{
			"USAGE:\n   pycguard clean [command options] [PATH...]\n",
			"\n   --dry-run, -n                            list what would be removed, remove nothing (default: false)\n",
			"\n   --include NAME [ --include NAME ]        enter directories",
			"\n   --format value                           output format: text or json (default: \"text\")\n",
		}},
		{args: []string{"version", "-h"}, code: 0, stdout: []string{"USAGE:\n   pycguard version [command options]\n"}},
	} {
		out, errOut, code := runPycguard(t, "", tc.args...)
		if code != tc.code || errOut != tc.stderr {
			t.Errorf("%q: exit %d, stderr %q; want exit %d, stderr %q", tc.args, code, errOut, tc.code, tc.stderr)
		}
		if tc.stdout == nil && out != "" {
			t.Errorf("%q: stdout %q", tc.args, out)
		}
		for _, s := range tc.stdout {
			if !strings.Contains(out, s) {
				t.Errorf("%q: stdout lacks %q:\n%s", tc.args, s, out)
			}
		}
	}
}

// What follows a command's first argument is an argument even when it looks
// like a flag: the pre-commit framework passes file names as they are.
func TestCLIArgumentsAfterTheFirstAreNotFlags(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "check", "ok.py", "--all.pyc", "--format", "json")
	// Text, not JSON: --format was a path.
	if code != 1 || !strings.Contains(out, "named      --all.pyc\n") || strings.HasPrefix(out, "{") || strings.Contains(errOut, "flag") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// A repeatable flag's values (and their comma-separated parts) lose the
// white space around them.
func TestCLIRepeatableFlagsTrimSpace(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write("a.pyc", "a")
	r.Write("b.pyc", "b")
	r.Write("c.pyc", "c")
	r.Git("add", "-f", "a.pyc", "b.pyc", "c.pyc")
	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "fix", "-n", "--format", "json", "--allow", " a.pyc , b.pyc", "--allow", " c.pyc")
	var doc struct {
		Untracked []struct{ Path string }
		Allowed   []struct{ Path string }
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || len(doc.Untracked) != 0 || len(doc.Allowed) != 3 {
		t.Errorf("exit %d, %v\n%s%s", code, err, out, errOut)
	}
}
