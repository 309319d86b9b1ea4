package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// isolate makes the git that pycguard runs in-process use the same
// isolated configuration as the test's own git.
func isolate(t *testing.T, r *gittest.Repo) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "GIT_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	for _, kv := range r.Env {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || k == "HOME" || k == "XDG_CONFIG_HOME" {
			t.Setenv(k, v)
		}
	}
}

func runPycguard(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(append([]string{"pycguard"}, args...), strings.NewReader(stdin), &o, &e)
	return o.String(), e.String(), code
}

// explainRepo has rules in every source and names that need quoting.
func explainRepo(t *testing.T) *gittest.Repo {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".gitignore", "\xef\xbb\xbf*.py[codz]\r\n__pycache__/\r\n!keep.pyc\r\nbuild/\r\ncafé\r\n*\tx\r\n")
	r.Write("sub/.gitignore", "/local\n!*.pyo\n")
	r.Write("build/.gitignore", "!*\n")
	r.Write(".git/info/exclude", "*.ie\n")
	for _, kv := range r.Env {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			if err := os.MkdirAll(filepath.Join(v, "git"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(v, "git", "ignore"), []byte("*.glob\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(r.Dir, "pkg", "__pycache__"), 0o755); err != nil {
		t.Fatal(err)
	}
	return r
}

var explainPaths = []string{
	"a.pyc", "keep.pyc", "sub/a.pyo", "sub/local", "local", "build/x", "build", "pkg/__pycache__",
	"pkg/__pycache__/m.pyc", "x.ie", "y.glob", "café", "a\tx", "plain.py", "./sub/../a.pyz", "ghost/",
}

// TestExplainMatchesGit compares pycguard explain with git check-ignore -v
// -n --no-index byte for byte: arguments, --stdin, -z, from a
// subdirectory.
func TestExplainMatchesGit(t *testing.T) {
	r := explainRepo(t)
	gitArgs := []string{"check-ignore", "--no-index", "-v", "-n"}

	t.Run("arguments", func(t *testing.T) {
		want := r.Git(append(gitArgs, explainPaths...)...)
		got, errOut, code := runPycguard(t, "", append([]string{"-C", r.Dir, "explain"}, explainPaths...)...)
		if got != want || code != 0 {
			t.Errorf("exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, got, want)
		}
	})
	t.Run("stdin", func(t *testing.T) {
		in := strings.Join(append(explainPaths, `"quoted\tx"`, `"caf\303\251"`), "\n") + "\n"
		want := r.GitIn([]byte(in), append(gitArgs, "--stdin")...)
		got, errOut, code := runPycguard(t, in, "-C", r.Dir, "explain", "--stdin")
		if got != want || code != 0 {
			t.Errorf("exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, got, want)
		}
	})
	t.Run("stdin -z", func(t *testing.T) {
		in := strings.Join(append(explainPaths, "new\nline.pyc", `"notquoted.pyc"`), "\x00") + "\x00"
		want := r.GitIn([]byte(in), append(gitArgs, "--stdin", "-z")...)
		got, errOut, code := runPycguard(t, in, "-C", r.Dir, "explain", "--stdin", "-z")
		if got != want || code != 0 {
			t.Errorf("exit %d %s\ngot:\n%q\nwant:\n%q", code, errOut, got, want)
		}
	})
	t.Run("subdirectory", func(t *testing.T) {
		// Paths resolve as git resolves them (gitops.RepoPath): "..",
		// trailing slashes and "/." (a directory), absolute paths, also
		// through a symbolic link to the work tree.
		via := filepath.Join(t.TempDir(), "via")
		if err := os.Symlink(r.Dir, via); err != nil {
			t.Fatal(err)
		}
		paths := []string{"local", "a.pyo", "../a.pyc", "../sub/local", filepath.Join(r.Dir, "keep.pyc"), ".",
			"..", "../", "../build/", "../build/.", "../build//x", "../pkg/__pycache__/.", "local/", "../ghost//",
			filepath.Join(r.Dir, "build") + "/", filepath.Join(via, "pkg", "__pycache__", "m.pyc"), filepath.Join(via, "build")}
		want := r.At("sub").Git(append(gitArgs, paths...)...)
		got, errOut, code := runPycguard(t, "", append([]string{"-C", filepath.Join(r.Dir, "sub"), "explain"}, paths...)...)
		if got != want || code != 0 {
			t.Errorf("exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, got, want)
		}
	})
}

func TestExplainExitCodes(t *testing.T) {
	r := explainRepo(t)
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"a.pyc"}, 0},
		{[]string{"plain.py"}, 1},
		{[]string{"plain.py", "a.pyc"}, 0},
		// A matching negation is printed, but the path is not ignored
		// (git check-ignore -v would exit 0 here; DESIGN.md says "exit 0
		// if any path is ignored").
		{[]string{"keep.pyc"}, 1},
		{[]string{}, 2},
		{[]string{"../outside"}, 2},
		{[]string{""}, 2},
		{[]string{"--coverage", "a.pyc"}, 2},
		{[]string{"--template", "x"}, 2},
	}
	for _, tc := range cases {
		_, errOut, code := runPycguard(t, "", append([]string{"-C", r.Dir, "explain"}, tc.args...)...)
		if code != tc.code {
			t.Errorf("explain %q: exit %d, want %d (%s)", tc.args, code, tc.code, errOut)
		}
	}
	if _, _, code := runPycguard(t, "plain.py\n", "-C", r.Dir, "explain", "--stdin", "x"); code != 2 {
		t.Errorf("--stdin with paths: exit %d", code)
	}
	if _, _, code := runPycguard(t, "\"bad\n", "-C", r.Dir, "explain", "--stdin"); code != 2 {
		t.Errorf("badly quoted stdin line: exit %d", code)
	}
}

// TestExplainCoverageAndAppend: the kinds of bytecode, the negation that
// keeps one kind's files on purpose without hiding the rest of that kind,
// the template's other lines as information; --append adds what fix would
// (repeating the negation after the new lines, keeping CRLF and adding
// the missing final newline first), after which nothing is missing.
func TestExplainCoverageAndAppend(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".gitignore", "*.pyc\r\n!keep$py.class")
	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "explain", "--coverage")
	want := []string{
		"missing\t__pycache__/\tignored by .gitignore:1:*.pyc; not ignored: __pycache__/m.cpython-312.pyc.4521803808, pkg/__pycache__/m.cpython-312.pyc.4521803808, ",
		"covered\t*.pyc\tignored by .gitignore:1:*.pyc\n",
		"missing\t*.pyo\tnot ignored: m.pyo, pkg/m.pyo, src/app/pkg/m.pyo, ",
		"missing\t*$py.class\tkept on purpose by .gitignore:2:!keep$py.class: keep$py.class, src/pkg/keep$py.class; not ignored: m$py.class, ",
		"info\t*.py[codz]\tthe current template's line; not ignored here: x.pyd, src/pkg/x.pyd, x.pyz, src/pkg/x.pyz (not bytecode: information only)\n",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("coverage output lacks %q", w)
		}
	}
	if code != 1 || strings.Count(out, "\n") != len(want) {
		t.Errorf("coverage: exit %d %s\n%s", code, errOut, out)
	}
	out, errOut, code = runPycguard(t, "", "-C", r.Dir, "explain", "--coverage", "--append")
	if code != 0 || !strings.Contains(out, "appended 4 line(s)") {
		t.Errorf("append: exit %d %s\n%s", code, errOut, out)
	}
	if got := readFile(t, filepath.Join(r.Dir, ".gitignore")); got != "*.pyc\r\n!keep$py.class\r\n\r\n# Byte-compiled / optimized / DLL files\r\n__pycache__/\r\n*.py[codz]\r\n*$py.class\r\n"+
		"\r\n# Repeated so that they still decide after the lines above (pycguard fix)\r\n!keep$py.class\r\n" {
		t.Errorf(".gitignore after append: %q", got)
	}
	out, _, code = runPycguard(t, "", "-C", r.Dir, "explain", "--coverage")
	if code != 0 || !strings.Contains(out, "kept\t*$py.class\t") {
		t.Errorf("after append: exit %d\n%s", code, out)
	}
	before := readFile(t, filepath.Join(r.Dir, ".gitignore"))
	out, _, code = runPycguard(t, "", "-C", r.Dir, "explain", "--coverage", "--append")
	if code != 0 || strings.Contains(out, "appended") || readFile(t, filepath.Join(r.Dir, ".gitignore")) != before {
		t.Errorf("second append: exit %d\n%s", code, out)
	}
}

// TestExplainTemplateCoversItself: --template with GitHub's Python
// template on a repository whose .gitignore is that file: all covered.
func TestExplainTemplateCoversItself(t *testing.T) {
	tmpl, err := filepath.Abs("../../ignore/testdata/Python.gitignore")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatalf("reading the Python template: %v", err)
	}
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".gitignore", string(data))
	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "explain", "--coverage", "--template", tmpl)
	if code != 0 {
		t.Errorf("exit %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 90 {
		t.Errorf("only %d lines reported", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "covered\t") {
			t.Errorf("not covered: %s", l)
		}
	}
}

func TestExplainAppendRefuses(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	gi := filepath.Join(r.Dir, ".gitignore")
	if err := os.WriteFile(gi, []byte("*.log\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runPycguard(t, "", "-C", r.Dir, "explain", "--coverage", "--append")
	if code != 2 || !strings.Contains(errOut, "read-only") {
		t.Errorf("read-only: exit %d, %s", code, errOut)
	}
	if got := readFile(t, gi); got != "*.log\n" {
		t.Errorf("read-only file changed: %q", got)
	}
	os.Remove(gi)
	if err := os.Mkdir(gi, 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runPycguard(t, "", "-C", r.Dir, "explain", "--coverage", "--append")
	if code != 2 || !strings.Contains(errOut, "not a regular file") {
		t.Errorf("directory: exit %d, %s", code, errOut)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExplainConfiguredSources: core.excludesFile with "~/" and
// core.ignorecase come from git's configuration, as git reads them.
func TestExplainConfiguredSources(t *testing.T) {
	base := gittest.Init(t)
	r := base.With("GIT_CONFIG_COUNT=5",
		"GIT_CONFIG_KEY_3=core.excludesFile", "GIT_CONFIG_VALUE_3=~/custom.ignore",
		"GIT_CONFIG_KEY_4=core.ignorecase", "GIT_CONFIG_VALUE_4=true")
	isolate(t, r)
	home := os.Getenv("HOME")
	if err := os.WriteFile(filepath.Join(home, "custom.ignore"), []byte("*.Custom\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Write(".gitignore", "*.PYC\n[A-C]x\n")
	paths := []string{"a.pyc", "A.PYC", "x.custom", "X.CUSTOM", "bx", "Bx", "dx"}
	want := r.Git(append([]string{"check-ignore", "--no-index", "-v", "-n"}, paths...)...)
	got, errOut, code := runPycguard(t, "", append([]string{"-C", r.Dir, "explain"}, paths...)...)
	if got != want || code != 0 {
		t.Errorf("exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, got, want)
	}
	if !strings.Contains(got, home+"/custom.ignore:1:*.Custom\tX.CUSTOM") {
		t.Errorf("the configured excludes file is not used:\n%s", got)
	}
}

// TestExplainLinkedWorktree: info/exclude comes from the common directory
// and is named by its absolute path, as git names it there.
func TestExplainLinkedWorktree(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".gitignore", "*.log\n")
	r.Write(".git/info/exclude", "*.ie\n")
	r.Commit("init")
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", wt)
	paths := []string{"a.ie", "a.log", "a.txt"}
	want := r.At(wt).Git(append([]string{"check-ignore", "--no-index", "-v", "-n"}, paths...)...)
	got, errOut, code := runPycguard(t, "", append([]string{"-C", wt, "explain"}, paths...)...)
	if got != want || code != 0 {
		t.Errorf("exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, got, want)
	}
}

// TestExplainStdinAnswersEachLine: explain --stdin answers each path as
// soon as it is read (the output is flushed whenever no more input waits),
// so that a program can write one path, read its answer, then write the
// next, as it can with git check-ignore --stdin -n.
func TestExplainStdinAnswersEachLine(t *testing.T) {
	r := explainRepo(t)
	in, feed := io.Pipe()
	outR, outW := io.Pipe()
	code := make(chan int, 1)
	go func() {
		var errOut bytes.Buffer
		code <- run([]string{"pycguard", "-C", r.Dir, "explain", "--stdin"}, in, outW, &errOut)
		outW.Close()
	}()
	answers := bufio.NewReader(outR)
	for _, p := range []string{"a.pyc", "plain.py", "keep.pyc"} {
		want, _, err := r.Run(nil, "check-ignore", "--no-index", "-v", "-n", p) // exit 1: not ignored
		if len(want) == 0 {
			t.Fatalf("git check-ignore %s: %v", p, err)
		}
		if _, err := io.WriteString(feed, p+"\n"); err != nil {
			t.Fatal(err)
		}
		got, err := answers.ReadString('\n') // blocks until the answer is flushed
		if err != nil || got != string(want) {
			t.Fatalf("%s: %q %v, want %q", p, got, err, want)
		}
	}
	feed.Close()
	if rest, _ := io.ReadAll(answers); len(rest) > 0 {
		t.Errorf("more output: %q", rest)
	}
	if c := <-code; c != 0 {
		t.Errorf("exit %d", c)
	}
}
