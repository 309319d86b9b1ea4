package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

func warning(kinds string) string {
	return "pycguard: warning: .gitignore does not cover Python bytecode; missing: " + kinds + "\n" +
		"  add them: pycguard fix (or pycguard explain --coverage --append)\n"
}

// TestCheckWarnsIgnoreCoverage: check's warning's words on stderr, after
// the verdict; which kinds are missing is hook.MissingBytecodeKinds'
// answer (hook/sources_test.go).
func TestCheckWarnsIgnoreCoverage(t *testing.T) {
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
			for _, format := range []string{"text", "json", "sarif"} {
				code, _, stderr := runCLI("-C", r.Dir, "check", "--format", format)
				if code != 0 || stderr != tc.want {
					t.Errorf("%s: exit %d, stderr %q, want 0, %q", format, code, stderr, tc.want)
				}
			}
		})
	}
}

// TestCheckWarningsOrder: on one stream, the shadowed configuration's
// warning comes before the verdict and the coverage warning after it; when
// the check fails after reading the configuration, the configuration's
// warning still comes before the error.
func TestCheckWarningsOrder(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".pycguard.toml", "")
	r.Write("pyproject.toml", "[tool.pycguard]\n")
	r.Write("m.pyc", "x")
	r.Git("add", "--", "m.pyc")
	shadowed := "pycguard: warning: using .pycguard.toml; the [tool.pycguard] table in pyproject.toml is ignored (remove one of them)\n"

	var both bytes.Buffer
	code := run([]string{"pycguard", "-C", r.Dir, "--color", "never", "check"}, strings.NewReader(""), &both, &both)
	out := both.String()
	verdict := "pycguard: commit blocked: this commit stages 1 bytecode file:\n"
	if code != 1 || !strings.HasPrefix(out, shadowed+verdict) || !strings.HasSuffix(out, warning("__pycache__/ *.pyc *.pyo *$py.class")) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}

	// A damaged index fails the check after the configuration is read.
	if err := os.WriteFile(filepath.Join(r.Dir, ".git", "index"), []byte("not an index"), 0o644); err != nil {
		t.Fatal(err)
	}
	both.Reset()
	code = run([]string{"pycguard", "-C", r.Dir, "check"}, strings.NewReader(""), &both, &both)
	if out := both.String(); code != 2 || !strings.HasPrefix(out, shadowed+"pycguard: ") || strings.Count(out, "warning") != 1 {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
