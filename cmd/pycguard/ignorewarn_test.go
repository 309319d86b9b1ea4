package main

import (
	"bytes"
	"testing"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

func warning(kinds string) string {
	return "pycguard: warning: .gitignore does not cover Python bytecode; missing: " + kinds + "\n" +
		"  add them: pycguard fix (or pycguard explain --coverage --append)\n"
}

// TestWarnIgnoreCoverage: the warning's words on stderr; which kinds are
// missing is hook.MissingBytecodeKinds' answer (hook/sources_test.go).
func TestWarnIgnoreCoverage(t *testing.T) {
	cases := []struct {
		name, gitignore, want string
	}{
		{"none", "", warning("__pycache__/ *.pyc *.pyo *$py.class")},
		{"pyc only", "*.pyc\n", warning("__pycache__/ *.pyo *$py.class")},
		{"complete", "__pycache__/\n*.py[codz]\n*$py.class\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			isolate(t, r)
			if tc.gitignore != "" {
				r.Write(".gitignore", tc.gitignore)
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
