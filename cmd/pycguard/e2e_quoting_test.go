package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestHostileNamesPrintAlikeInEveryCommand commits bytecode whose names hold
// a tab, a newline, a quote, a backslash, invalid UTF-8, a leading dash and
// a terminal escape, and checks that check, fix, audit, scan and explain
// print each name exactly as `git ls-files` quotes it, and that no output
// carries a raw control byte or a byte >= 0x80 to the terminal.
func TestHostileNamesPrintAlikeInEveryCommand(t *testing.T) {
	r := gittest.Init(t)
	r.Write("base.py", "base")
	r.Commit("base")
	components := []string{"tab\there", "new\nline", `q"uote`, `back\slash`, "bad\xff\xfeutf8", "-dash", "esc\x1b[31mred"}
	var files []string
	for i, c := range components {
		files = append(files, c+".pyc", c+"/m.pyc")
		r.Write(c+".pyc", strings.Repeat("x", i+1))
		r.Write(filepath.Join(c, "m.pyc"), strings.Repeat("y", i+1))
	}
	r.Git("add", "-A")
	subject := "add \x1b]0;owned\x07 bytecode\tnow"
	r.Git("commit", "-q", "-m", subject)

	// git's own quoting of each name is the oracle
	listed := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSuffix(r.Git("ls-files"), "\n"), "\n") {
		listed[l] = true
	}
	for _, f := range files {
		if !listed[gitops.QuotePath(f)] {
			t.Fatalf("git ls-files does not print %q as %s", f, gitops.QuotePath(f))
		}
	}

	run := func(args ...string) string {
		out, errOut, _ := runIn(r, pycguardExe, args...)
		all := out + errOut
		for i := 0; i < len(all); i++ {
			if c := all[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
				t.Errorf("pycguard %s printed the raw byte %#x:\n%s", args[0], c, all)
				break
			}
		}
		return all
	}
	expect := func(cmd, out string, names ...string) {
		t.Helper()
		for _, n := range names {
			if !strings.Contains(out, gitops.QuotePath(n)) {
				t.Errorf("pycguard %s does not print %q as git does (%s):\n%s", cmd, n, gitops.QuotePath(n), out)
			}
		}
	}
	expect("check", run("check", "--all"), files...)
	expect("scan", run("scan", "--range", "HEAD~1..HEAD"), files...)
	expect("audit", run("audit"), append(components, subject)...)
	for _, f := range files {
		expect("explain", run("explain", "--", f), f)
	}
	expect("fix", run("fix"), files...)
}
