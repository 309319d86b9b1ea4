package report

import (
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/ignore"
)

func TestDetectShell(t *testing.T) {
	win, posix := gitops.Platform{Windows: true}, gitops.Platform{}
	// PSModulePath as Windows sets it for every process, and as
	// PowerShell extends it at start-up with the user's module directory.
	const system = `C:\Program Files\WindowsPowerShell\Modules;C:\WINDOWS\system32\WindowsPowerShell\v1.0\Modules`
	const profile = `C:\Users\me`
	cases := []struct {
		p    gitops.Platform
		env  map[string]string
		want Shell
	}{
		{posix, map[string]string{"PSModulePath": profile + `\Documents\PowerShell\Modules;` + system, "USERPROFILE": profile}, POSIX},
		{win, map[string]string{"PSModulePath": system, "USERPROFILE": profile}, Cmd},
		{win, map[string]string{}, Cmd},
		{win, map[string]string{"PSModulePath": profile + `\Documents\WindowsPowerShell\Modules;` + system, "USERPROFILE": profile}, PowerShell},
		{win, map[string]string{"PSModulePath": `c:\users\ME\OneDrive\Documents\PowerShell\Modules;` + system, "USERPROFILE": profile + `\`}, PowerShell},
		{win, map[string]string{"PSModulePath": profile + `X\Modules;` + system, "USERPROFILE": profile}, Cmd}, // another user's profile
		// Git for Windows runs hooks in its own sh, whatever started git.
		{win, map[string]string{"PSModulePath": profile + `\Documents\PowerShell\Modules`, "USERPROFILE": profile, "GIT_INDEX_FILE": ".git/index"}, POSIX},
		{win, map[string]string{"GIT_DIR": ".git"}, POSIX},
		// Git Bash.
		{win, map[string]string{"MSYSTEM": "MINGW64", "PSModulePath": system}, POSIX},
	}
	for _, c := range cases {
		if got := DetectShell(c.p, func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("DetectShell(windows=%v, %v) = %s, want %s", c.p.Windows, c.env, got, c.want)
		}
	}
}

func TestShellQuoteWindows(t *testing.T) {
	cases := []struct {
		sh   Shell
		in   string
		want string
		ok   bool
	}{
		{PowerShell, "pkg/__pycache__/m.cpython-312.pyc", "pkg/__pycache__/m.cpython-312.pyc", true},
		{PowerShell, "a b.pyc", "'a b.pyc'", true},
		{PowerShell, "it's.pyc", "'it''s.pyc'", true},
		{PowerShell, "$x.pyc", "'$x.pyc'", true},
		{PowerShell, "-x.pyc", "'-x.pyc'", true},
		{PowerShell, "a@b(c).pyc", "'a@b(c).pyc'", true},
		{PowerShell, "café.pyc", "'café.pyc'", true},
		{PowerShell, "tab\there$`.pyc", "\"tab`there`$``.pyc\"", true},
		{PowerShell, "new\nline.pyc", "\"new`nline.pyc\"", true},
		{PowerShell, "bell\a.pyc", "\"bell`u{7}.pyc\"", true},
		{PowerShell, `q"uote.pyc`, `'q"uote.pyc'`, false},
		{PowerShell, "\xff.pyc", "\"\ufffd.pyc\"", false},
		{Cmd, "pkg/m.pyc", "pkg/m.pyc", true},
		{Cmd, "a b&c.pyc", `"a b&c.pyc"`, true},
		{Cmd, "it's.pyc", `"it's.pyc"`, true},
		{Cmd, "100%.pyc", `"100%.pyc"`, false},
		{Cmd, "tab\t.pyc", `"tab\t.pyc"`, false},
		{Cmd, "esc\x1b[31m.pyc", `"esc\x1b[31m.pyc"`, false},
		{Cmd, "*.pyc", `"*.pyc"`, true},
		{POSIX, "a b.pyc", "'a b.pyc'", true},
		{POSIX, "new\nline.pyc", `$'new\nline.pyc'`, true},
	}
	for _, c := range cases {
		if got, ok := c.sh.Quote(c.in); got != c.want || ok != c.ok {
			t.Errorf("%s.Quote(%q) = %q, %v; want %q, %v", c.sh, c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestAdviceInTheUsersShell: check's, fix's and audit's commands are
// written in the words of the shell pycguard runs from.
func TestAdviceInTheUsersShell(t *testing.T) {
	findings := []hook.Finding{{Path: "a b.pyc", Status: "added", Kind: bytecode.Pyc}, {Path: `q"uote.pyc`, Status: "added", Kind: bytecode.Pyc}}
	cases := []struct {
		sh        Shell
		want, not []string
	}{
		{POSIX, []string{"git rm --cached -- 'a b.pyc' 'q\"uote.pyc'\n", "export PYTHONDONTWRITEBYTECODE=1\n",
			`PYTHONPYCACHEPREFIX="$HOME/.cache/pycache"`}, []string{"cannot be typed"}},
		{PowerShell, []string{"git rm --cached -- 'a b.pyc'\n", "(1 of the names cannot be typed in PowerShell: pycguard fix untracks them)",
			"$env:PYTHONDONTWRITEBYTECODE=1\n", `$env:PYTHONPYCACHEPREFIX="$env:LOCALAPPDATA\pycache"`}, []string{"export", "$HOME"}},
		{Cmd, []string{"git rm --cached -- \"a b.pyc\"\n", "set PYTHONDONTWRITEBYTECODE=1\n", `set PYTHONPYCACHEPREFIX=%LOCALAPPDATA%\pycache`},
			[]string{"export", "$HOME", "'"}},
	}
	cov, err := ignore.Bytecode(ignore.Sources{WorkTree: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		var b, f, a strings.Builder
		text := func(w *strings.Builder) Reporter {
			r, err := New("text", Options{Stdout: w, Shell: c.sh})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if err := text(&b).Check(&hook.CheckRun{Result: &hook.Result{Mode: hook.Staged, Findings: findings}}); err != nil {
			t.Fatal(err)
		}
		if err := text(&f).Fix(&fix.Plan{AppendLines: []string{"*.pyc"}, Unmerged: []string{"u m.pyc"}}, false); err != nil {
			t.Fatal(err)
		}
		if err := text(&a).Audit(&fix.Audit{Coverage: cov, History: fix.History{Blobs: 1}}); err != nil {
			t.Fatal(err)
		}
		word, _ := c.sh.Quote("u m.pyc")
		gi, _ := c.sh.Quote(".gitignore")
		glob, _ := c.sh.Quote("*$py.class")
		out := b.String()
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: check advice lacks %q:\n%s", c.sh, w, out)
			}
		}
		for _, w := range c.not {
			if strings.Contains(out, w) {
				t.Errorf("%s: check advice has %q:\n%s", c.sh, w, out)
			}
		}
		if !strings.Contains(f.String(), "git rm --cached -- "+word+")") || !strings.Contains(f.String(), "git add -- "+gi+"\n") {
			t.Errorf("%s: fix advice:\n%s", c.sh, f.String())
		}
		if !strings.Contains(a.String(), "--path-glob "+glob+" ") {
			t.Errorf("%s: audit advice:\n%s", c.sh, a.String())
		}
	}
}
