package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestHookCommandAsCLI: `pycguard check` run without building the command
// tree (runHookCommand) prints the same bytes on stdout and stderr and
// exits with the same status as through urfave/cli, in every state a hook
// meets: nothing staged, bytecode staged, file names as the pre-commit
// framework passes them (odd ones too), a bad configuration, a bare
// repository, no repository. Argument lists the fast path must leave to
// urfave/cli (flags, help, anything starting with "-") are checked to be
// declined.
func TestHookCommandAsCLI(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write("ok.py", "x = 1\n")
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "bytecode")
	r.Git("add", "ok.py")
	r.Commit("first")

	bare := gittest.Init(t, "--bare")
	outside := t.TempDir()

	pathArgs := [][]string{
		{"check", "ok.py"},
		{"check", "a.pyc", "ok.py", "pkg/__pycache__/m.cpython-312.pyc"},
		{"check", "sub/../x.pyc"},
		{"check", "."},
		{"check", ""},
		{"check", "tab\there.pyc", "new\nline.pyc", "quote\"d.pyc", "back\\slash.pyc", "caf\xe9.pyc"},
		{"check", "../outside.pyc"},
		{"check", "X.PYC"},
	}
	type state struct {
		name  string
		dir   string
		setup func()
		args  [][]string
	}
	states := []state{
		{"nothing staged", r.Dir, func() {}, append([][]string{{"check"}}, pathArgs...)},
		{"bytecode staged", r.Dir, func() { r.Git("add", "-f", "pkg/__pycache__/m.cpython-312.pyc") }, append([][]string{{"check"}}, pathArgs...)},
		{"in a subdirectory", filepath.Join(r.Dir, "pkg"), func() {}, [][]string{{"check"}, {"check", "__pycache__/m.cpython-312.pyc"}}},
		{"no .gitignore coverage, ignore case", r.Dir, func() { r.Git("config", "core.ignorecase", "true") }, [][]string{{"check"}, {"check", "X.PYC"}}},
		{"bad configuration", r.Dir, func() { r.Write(".pycguard.toml", "[tool\nallow = 3\n") }, [][]string{{"check"}, {"check", "a.pyc"}}},
		{"bare repository", bare.Dir, func() {}, [][]string{{"check"}, {"check", "a.pyc"}}},
		{"no repository", outside, func() {}, [][]string{{"check"}, {"check", "a.pyc"}}},
	}
	for _, st := range states {
		st.setup()
		t.Chdir(st.dir)
		for _, args := range st.args {
			argv := append([]string{"pycguard"}, args...)
			var fo, fe bytes.Buffer
			fg := &globals{stdin: strings.NewReader(""), stdout: &fo, stderr: &fe, getenv: os.Getenv}
			fcode, ok := fg.runHookCommand(argv)
			if !ok {
				t.Fatalf("%s: %q: the fast path declined", st.name, args)
			}
			var co, ce bytes.Buffer
			cg := &globals{stdin: strings.NewReader(""), stdout: &co, stderr: &ce, getenv: os.Getenv}
			ccode := cg.run(argv)
			if fcode != ccode || fo.String() != co.String() || fe.String() != ce.String() {
				t.Errorf("%s: %q:\nfast: exit %d\n%s%s\ncli:  exit %d\n%s%s", st.name, args,
					fcode, fo.String(), fe.String(), ccode, co.String(), ce.String())
			}
		}
	}

	for _, args := range [][]string{
		{},
		{"version"},
		{"check", "--all"},
		{"check", "-h"},
		{"check", "--help"},
		{"check", "--"},
		{"check", "ok.py", "--"},
		{"check", "ok.py", "--all.pyc", "--format", "json"},
		{"check", "--format", "json"},
		{"check", "a.pyc", "--generate-shell-completion"},
		{"-C", ".", "check"},
		{"--color", "never", "check"},
		{"checks"},
		{"Check"},
	} {
		g := &globals{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: os.Getenv}
		if _, ok := g.runHookCommand(append([]string{"pycguard"}, args...)); ok {
			t.Errorf("%q: the fast path took an argument list urfave/cli must parse", args)
		}
	}
}
