package main

import (
	"path/filepath"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestCheckReadsSettingsOnlyWhenNeeded: the pre-commit hook's hot path.
// With a complete .gitignore that has no negation, check — passing or
// blocking — starts no git config process (GIT_TRACE records none): the
// repository's settings are read only when an answer needs them. A
// negation needs them (core.excludesFile could ignore the directory the
// negation is in), and then check reads them once.
func TestCheckReadsSettingsOnlyWhenNeeded(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".gitignore", "__pycache__/\n*.py[codz]\n*$py.class\n")
	r.Write("app.py", "print(1)\n")
	r.Commit("rules")
	trace := filepath.Join(t.TempDir(), "trace")
	t.Setenv("GIT_TRACE", trace)

	r.Write("app.py", "print(2)\n")
	r.Git("add", "app.py")
	if out, errOut, code := runPycguard(t, "", "-C", r.Dir, "check"); code != 0 {
		t.Fatalf("clean commit: exit %d\n%s%s", code, out, errOut)
	}
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "x")
	r.Git("add", "-f", "pkg/__pycache__/m.cpython-312.pyc")
	if out, errOut, code := runPycguard(t, "", "-C", r.Dir, "check"); code != 1 {
		t.Fatalf("blocking commit: exit %d\n%s%s", code, out, errOut)
	}
	if n := gittest.Runs(t, trace, "config"); n != 0 {
		t.Errorf("check ran git config %d times without a negation in any .gitignore", n)
	}

	r.Write("pkg/.gitignore", "!keep.pyc\n")
	if out, errOut, code := runPycguard(t, "", "-C", r.Dir, "check"); code != 1 {
		t.Fatalf("blocking commit with a negation: exit %d\n%s%s", code, out, errOut)
	}
	if n := gittest.Runs(t, trace, "config"); n != 1 {
		t.Errorf("with a negation check ran git config %d times, want 1", n)
	}
}
