package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

func warning(kinds string) string {
	return "pycguard: warning: .gitignore does not cover Python bytecode; missing: " + kinds + "\n" +
		"  add them: pycguard fix (or pycguard explain --coverage --append)\n"
}

func TestWarnIgnoreCoverage(t *testing.T) {
	cases := []struct {
		name, gitignore, excludes, want string
	}{
		{"none", "", "", warning("__pycache__/ *.pyc *.pyo *$py.class")},
		{"pyc only", "*.pyc\n", "", warning("__pycache__/ *.pyo *$py.class")},
		// GitHub's older templates: every kind of bytecode is ignored;
		// .pyz (and .pyd) are information, never a warning.
		{"older template", "__pycache__/\n*.py[cod]\n*$py.class\n", "", ""},
		{"older template without d", "__pycache__/\n*.py[co]\n*$py.class\n", "", ""},
		// A negation keeps one file; other kinds still count as missing.
		{"negation hides nothing", "__pycache__/\n*.pyc\n!/jy/keep$py.class\n", "", warning("*.pyo *$py.class")},
		{"negation keeps legacy pyc", "*.pyc\n!static/legacy/*.pyc\n", "", warning("__pycache__/ *.pyo *$py.class")},
		{"complete", "__pycache__/\n*.py[codz]\n*$py.class\n", "", ""},
		{"deliberate negation", "__pycache__/\n*.py[codz]\n*$py.class\n!fixtures/*.pyc\n", "", ""},
		{"in the excludes file", "", "__pycache__/\n*.py[codz]\n*$py.class\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			isolate(t, r)
			if tc.gitignore != "" {
				r.Write(".gitignore", tc.gitignore)
			}
			if tc.excludes != "" {
				x := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "git", "ignore")
				os.MkdirAll(filepath.Dir(x), 0o755)
				if err := os.WriteFile(x, []byte(tc.excludes), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			repo, err := gitops.Open(r.Dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			g := &globals{stderr: &stderr}
			g.warnIgnoreCoverage(repo)
			if stderr.String() != tc.want {
				t.Errorf("stderr %q, want %q", stderr.String(), tc.want)
			}
		})
	}
}

// TestWarnIgnoreCoverageIgnoreCase: with core.ignorecase, a negation
// written in capitals un-ignores __pycache__ directories, so their
// contents are not ignored: the warning comes although the rules look
// complete without the configuration.
func TestWarnIgnoreCoverageIgnoreCase(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".gitignore", "__pycache__/\n*.py[co]\n*$py.class\n!__PYCACHE__/\n")
	repo, err := gitops.Open(r.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	(&globals{stderr: &stderr}).warnIgnoreCoverage(repo)
	if stderr.Len() != 0 {
		t.Errorf("case-sensitive: %q", stderr.String())
	}
	r.Git("config", "core.ignorecase", "true")
	repo, err = gitops.Open(r.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	(&globals{stderr: &stderr}).warnIgnoreCoverage(repo)
	if want := warning("__pycache__/"); stderr.String() != want {
		t.Errorf("ignorecase: %q, want %q", stderr.String(), want)
	}
}
