package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// runCLI runs pycguard in-process with args (without the program name).
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(append([]string{"pycguard"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// pycguard --version prints what pycguard version prints, exit 0, before
// or after the other global flags.
func TestVersionFlag(t *testing.T) {
	code, want, _ := runCLI("version")
	if code != 0 || !strings.HasPrefix(want, "pycguard ") {
		t.Fatalf("version: %d %q", code, want)
	}
	for _, args := range [][]string{{"--version"}, {"-version"}, {"-C", ".", "--version"}, {"--color", "never", "--version"}} {
		code, out, errs := runCLI(args...)
		if code != 0 || out != want || errs != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 0, %q", args, code, out, errs, want)
		}
	}
	if code, out, _ := runCLI("--help"); code != 0 || !strings.Contains(out, "--version") {
		t.Errorf("--help does not list --version:\n%s", out)
	}
}

// pycguard completion SHELL prints a completion script for bash, zsh,
// fish and PowerShell; the bash one is valid bash and, sourced, registers
// the completion of pycguard. The dynamic part answers with the commands.
func TestShellCompletion(t *testing.T) {
	want := map[string]string{
		"bash": "complete -o bashdefault -o default -F __pycguard_bash_autocomplete pycguard",
		"zsh":  "compdef",
		"fish": "complete -c pycguard",
		"pwsh": "Register-ArgumentCompleter",
	}
	dir := t.TempDir()
	for shell, marker := range want {
		code, out, errs := runCLI("completion", shell)
		if code != 0 || errs != "" || !strings.Contains(out, marker) || strings.Contains(out, "%!") {
			t.Fatalf("completion %s: exit %d, stderr %q, lacks %q or has a formatting error:\n%s", shell, code, errs, marker, out)
		}
		if err := os.WriteFile(filepath.Join(dir, shell), []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash is needed to check the bash completion script: %v", err)
	}
	script := filepath.Join(dir, "bash")
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	out, err := exec.Command(bash, "-c", "source \"$1\" && complete -p pycguard", "bash", script).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "__pycguard_bash_autocomplete") {
		t.Fatalf("sourcing the bash completion: %v\n%s", err, out)
	}
	// the other shells' syntax checkers, where installed
	for shell, check := range map[string][]string{"zsh": {"-n"}, "fish": {"--no-execute"}} {
		if p, err := exec.LookPath(shell); err == nil {
			if out, err := exec.Command(p, append(check, filepath.Join(dir, shell))...).CombinedOutput(); err != nil {
				t.Errorf("%s %v: %v\n%s", shell, check, err, out)
			}
		}
	}

	// what the scripts ask: the candidates after the words typed so far
	// (urfave/cli reads the root command's words from os.Args)
	saved := os.Args
	os.Args = []string{"pycguard", "--generate-shell-completion"}
	code, cands, _ := runCLI("--generate-shell-completion")
	os.Args = saved
	if code != 0 || !strings.Contains(cands, "check:") || !strings.Contains(cands, "install:") {
		t.Fatalf("completion of the command: %d\n%s", code, cands)
	}
}

// A completion request is recognised only as a completion script makes
// it: a trailing --generate-shell-completion after a path is a path.
func TestWantsCompletion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"pycguard"}, false},
		{[]string{"pycguard", "check"}, false},
		{[]string{"pycguard", "completion", "bash"}, true},
		{[]string{"pycguard", "-C", "completion", "check"}, false}, // -C's value, then the command
		{[]string{"pycguard", "-C", "dir", "completion", "zsh"}, true},
		{[]string{"pycguard", "--color=never", "completion", "fish"}, true},
		{[]string{"pycguard", "--generate-shell-completion"}, true},
		{[]string{"pycguard", "check", "--generate-shell-completion"}, true},
		{[]string{"pycguard", "check", "--all", "--generate-shell-completion"}, true},
		{[]string{"pycguard", "check", "a.pyc", "--generate-shell-completion"}, false},
		{[]string{"pycguard", "check", "--", "--generate-shell-completion"}, false},
		{[]string{"pycguard", "--generate-shell-completion", "check"}, false},
		{[]string{"pycguard", "explain", "completion"}, false},
	} {
		if got := wantsCompletion(tc.args); got != tc.want {
			t.Errorf("wantsCompletion(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// The pre-commit framework passes staged file names after `check`: a file
// named like the completion flag, last, does not turn the check into a
// completion answer that would let the bytecode before it through.
func TestCompletionFlagAsPathIsChecked(t *testing.T) {
	r := gittest.Init(t)
	r.Write("app.py", "print()\n")
	r.Commit("base")
	r.Write("a.pyc", "bytecode")
	r.Write("--generate-shell-completion", "a file")
	r.Git("add", "--", "a.pyc", "--generate-shell-completion")
	code, out, errs := runCLI("-C", r.Dir, "check", "a.pyc", "--generate-shell-completion")
	if code != 1 || !strings.Contains(out+errs, "a.pyc") {
		t.Fatalf("exit %d, want 1 naming a.pyc\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}
