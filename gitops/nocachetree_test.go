package gitops

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestStagedChangesWithoutCacheTree: a clone made by init + fetch + reset
// (as CI checkouts and some tools make one) has an index without its TREE
// extension, so no directory is proved unchanged and every bytecode entry is
// compared with HEAD's trees. The in-process answer, the fallback through
// git plumbing and git diff --cached agree, in several states.
func TestStagedChangesWithoutCacheTree(t *testing.T) {
	src := gittest.Init(t)
	for _, d := range []string{"a", "a/b", "c/d/e", "f"} {
		src.Write(d+"/m.py", "m")
		src.Write(d+"/__pycache__/m.cpython-312.pyc", "bytecode of "+d)
		src.Write(d+"/old.pyo", "o")
	}
	src.Commit("tracked bytecode")
	clone := src.At(filepath.Join(t.TempDir(), "clone"))
	src.Git("init", "-q", clone.Dir)
	clone.Git("fetch", "-q", src.Dir, "main")
	clone.Git("reset", "-q", "FETCH_HEAD")
	clone.Git("checkout", "-q", "-f", "--", ".")
	index, err := os.ReadFile(filepath.Join(clone.Dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(index, []byte("TREE")) {
		t.Fatal("the clone's index has a cache-tree; the test would not test what it says")
	}
	match := func(p string) bool { return bytecode.IsBytecode(p, false) }
	check := func(step string) {
		t.Helper()
		repo := discover(t, clone)
		want := gitStaged(t, clone, match)
		res, err := repo.StagedChanges(nil, match)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if res.ViaGit != "" {
			t.Errorf("%s: read through git (%s), not in-process", step, res.ViaGit)
		}
		if got := formatChanges(res.Changes); !slices.Equal(got, want) {
			t.Errorf("%s: in-process\n got %q\nwant %q", step, got, want)
		}
		viaGit, err := repo.stagedViaGit(match, "test")
		if err != nil {
			t.Fatalf("%s: via git: %v", step, err)
		}
		if got := formatChanges(viaGit.Changes); !slices.Equal(got, want) {
			t.Errorf("%s: via git\n got %q\nwant %q", step, got, want)
		}
	}
	check("fresh clone")
	clone.Write("a/b/__pycache__/new.cpython-312.pyc", "new")
	clone.Git("add", "-f", "a/b/__pycache__/new.cpython-312.pyc")
	check("one new .pyc")
	clone.Write("c/d/e/old.pyo", "changed")
	clone.Git("add", "-f", "c/d/e/old.pyo")
	clone.Git("rm", "-q", "--cached", "f/__pycache__/m.cpython-312.pyc")
	check("modified and deleted")
	clone.Git("update-index", "--index-version", "4")
	check("index version 4")
}
