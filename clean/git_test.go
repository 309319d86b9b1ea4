//go:build unix

package clean

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// trackedBytecode asks git which bytecode files r's index holds (the
// oracle), as paths relative to r.Dir.
func trackedBytecode(r *gittest.Repo) map[string]bool {
	set := map[string]bool{}
	for _, p := range gittest.SplitZ(r.Git("ls-files", "-z")) {
		if bytecode.IsBytecode(p, false) {
			set[p] = true
		}
	}
	return set
}

func gitRepoWithBytecode(t *testing.T) *gittest.Repo {
	r := gittest.Init(t)
	r.Write("pkg/m.py", "src")
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "tracked")
	r.Write("pkg/__pycache__/n.cpython-312.pyc", "untracked")
	r.Write("pkg/t.pyc", "tracked")
	r.Write("pkg/u.pyc", "untracked")
	r.Write("pkg/s.pyc", "staged, never committed")
	r.Write("other/__pycache__/o.pyc", "untracked")
	r.Write("we\nird/x.pyc", "tracked")
	r.Git("add", "pkg/m.py")
	r.Git("add", "-f", "pkg/__pycache__/m.cpython-312.pyc", "pkg/t.pyc", "we\nird/x.pyc")
	r.Git("commit", "-q", "-m", "legacy")
	r.Git("add", "-f", "pkg/s.pyc")
	// A nested repository with its own index.
	nested := r.At("vendor/lib")
	if err := os.MkdirAll(nested.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	nested.Git("init", "-q")
	nested.Write("x.pyc", "tracked in the nested repository")
	nested.Write("y.pyc", "untracked")
	nested.Git("add", "-f", "x.pyc")
	return r
}

// TestTrackedKept: bytecode in the index (committed or only staged, also in
// a nested repository) is kept and reported, the rest goes; --tracked
// removes it too.
func TestTrackedKept(t *testing.T) { forEachWalk(t, testTrackedKept) }

func testTrackedKept(t *testing.T, wk walk) {
	r := gitRepoWithBytecode(t)
	tracked := trackedBytecode(r)
	for p := range trackedBytecode(r.At("vendor/lib")) {
		tracked["vendor/lib/"+p] = true
	}
	if len(tracked) != 5 {
		t.Fatalf("setup: tracked %q", sortedKeys(tracked))
	}
	before := snapshot(t, r.Dir)
	want := model{tracked: tracked}.predict(before)
	res := mustRun(t, wk, Options{Dir: r.Dir, Env: r.Env, List: true})
	checkRemoved(t, before, snapshot(t, r.Dir), want)
	kept := map[string]bool{}
	for _, e := range res.KeptTracked {
		kept[e.Path] = true
	}
	sameSet(t, "kept tracked", kept, tracked)
	if len(res.Errors) > 0 {
		t.Errorf("errors: %v", res.Errors)
	}
	if got := trackedBytecode(r); len(got) != 4 {
		t.Errorf("the index changed: %q", sortedKeys(got))
	}

	// --tracked: everything goes; git sees the deletions.
	before = snapshot(t, r.Dir)
	res = mustRun(t, wk, Options{Dir: r.Dir, Env: r.Env, List: true, Tracked: true})
	checkRemoved(t, before, snapshot(t, r.Dir), model{}.predict(before))
	if res.Files != 5 || len(res.KeptTracked) != 0 {
		t.Errorf("--tracked: %d files, kept %v", res.Files, res.KeptTracked)
	}
	deleted := gittest.SplitZ(r.Git("ls-files", "-z", "--deleted"))
	sort.Strings(deleted)
	if len(deleted) != 4 {
		t.Errorf("git ls-files --deleted: %q", deleted)
	}
}

// TestTrackedFromSubdirAndSymlink: roots below the work tree top, reached
// through a symlinked path, still recognise tracked files.
func TestTrackedFromSubdirAndSymlink(t *testing.T) { forEachWalk(t, testTrackedFromSubdirAndSymlink) }

func testTrackedFromSubdirAndSymlink(t *testing.T, wk walk) {
	r := gitRepoWithBytecode(t)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(r.Dir, link); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, wk, Options{Dir: filepath.Join(link, "pkg"), Env: r.Env, List: true, DryRun: true})
	var got []string
	for _, e := range res.Removed {
		got = append(got, e.Path)
	}
	want := []string{"__pycache__/n.cpython-312.pyc", "u.pyc"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("removed %q, want %q", got, want)
	}
	if len(res.KeptTracked) != 3 {
		t.Errorf("kept %v", res.KeptTracked)
	}
}

// TestOrphansTracked: --orphans removes exactly the orphans git does not
// track, after a branch switch left stale bytecode behind.
func TestOrphansAfterBranchSwitch(t *testing.T) { forEachWalk(t, testOrphansAfterBranchSwitch) }

func testOrphansAfterBranchSwitch(t *testing.T, wk walk) {
	r := gittest.Init(t)
	r.Write("app/keep.py", "")
	r.Write("README", "")
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write("app/feature.py", "")
	r.Write("app/legacy_feature.py", "")
	r.Commit("feature")
	// Python ran on the feature branch.
	for _, p := range []string{"app/__pycache__/keep.cpython-312.pyc", "app/__pycache__/feature.cpython-312.pyc",
		"app/__pycache__/feature.cpython-311.opt-1.pyc", "app/legacy_feature.pyc", "app/keep.pyc"} {
		r.Write(p, "bytecode")
	}
	r.Write("app/tracked_orphan.pyc", "tracked")
	r.Git("add", "-f", "app/tracked_orphan.pyc")
	r.Git("commit", "-q", "-m", "oops")
	r.Git("checkout", "-q", "main")
	r.Write("app/tracked_orphan.pyc", "tracked on main too")
	r.Git("add", "-f", "app/tracked_orphan.pyc")

	before := snapshot(t, r.Dir)
	want := map[string]bool{"app/__pycache__/feature.cpython-312.pyc": true, "app/__pycache__/feature.cpython-311.opt-1.pyc": true,
		"app/legacy_feature.pyc": true}
	sameSet(t, "model", model{orphans: true, tracked: trackedBytecode(r)}.predict(before), want)
	res := mustRun(t, wk, Options{Dir: r.Dir, Env: r.Env, Orphans: true, List: true})
	checkRemoved(t, before, snapshot(t, r.Dir), want)
	if len(res.KeptTracked) != 1 || len(res.Errors) != 0 {
		t.Errorf("kept %v, errors %v", res.KeptTracked, res.Errors)
	}
}

// TestGitFailureKeepsBytecode: when git cannot read a repository's index,
// its bytecode is kept and one error says why.
func TestGitFailureKeepsBytecode(t *testing.T) { forEachWalk(t, testGitFailureKeepsBytecode) }

func testGitFailureKeepsBytecode(t *testing.T, wk walk) {
	r := gittest.Init(t)
	r.Write("a.pyc", "")
	r.Write("b.pyc", "")
	if err := os.WriteFile(filepath.Join(r.Dir, ".git", "index"), []byte("DIRC garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, wk, Options{Dir: r.Dir, Env: r.Env})
	if res.Files != 0 || len(res.Errors) != 1 || !errors.Is(res.Errors[0], ErrNotTrackable) {
		t.Errorf("removed %d files, errors %v", res.Files, res.Errors)
	}
	if res := mustRun(t, wk, Options{Dir: r.Dir, Env: r.Env, Tracked: true}); res.Files != 2 || len(res.Errors) != 0 {
		t.Errorf("--tracked: removed %d, errors %v", res.Files, res.Errors)
	}
}

// TestIgnoreCase: names that are bytecode only when folded (X.PYC,
// __PYCACHE__) are removed when the repository has core.ignorecase=true,
// as git would ignore them, and kept otherwise.
func TestIgnoreCase(t *testing.T) { forEachWalk(t, testIgnoreCase) }

func testIgnoreCase(t *testing.T, wk walk) {
	for _, fold := range []bool{false, true} {
		r := gittest.Init(t)
		if fold {
			r.Git("config", "core.ignorecase", "true")
		}
		r.Write("X.PYC", "")
		r.Write("Y$PY.CLASS", "")
		r.Write("__PYCACHE__/m.cpython-312.pyc", "")
		r.Write("__PYCACHE__/notes", "")
		r.Write("a.pyc", "")
		r.Write("T.PYC", "tracked")
		r.Git("add", "-f", "T.PYC")
		res := mustRun(t, wk, Options{Dir: r.Dir, Env: r.Env, List: true})
		var got []string
		for _, e := range res.Removed {
			got = append(got, e.Path)
		}
		want := "[__PYCACHE__/m.cpython-312.pyc a.pyc]"
		if fold {
			want = "[X.PYC Y$PY.CLASS __PYCACHE__ __PYCACHE__/m.cpython-312.pyc __PYCACHE__/notes a.pyc]"
			if len(res.KeptTracked) != 1 {
				t.Errorf("kept %v", res.KeptTracked)
			}
		}
		if fmt.Sprint(got) != want {
			t.Errorf("ignorecase=%v: removed %q, want %s", fold, got, want)
		}
	}
}

// TestNestedRepositoryInsidePycache: a git repository nested inside a
// __pycache__ (a ".git" directory or file) is judged by its own index like
// any other nested repository: what it tracks is kept, bytecode or not,
// whatever the walk's entry point; the rest of the cache goes.
func TestNestedRepositoryInsidePycache(t *testing.T) {
	forEachWalk(t, testNestedRepositoryInsidePycache)
}

func testNestedRepositoryInsidePycache(t *testing.T, wk walk) {
	r := gittest.Init(t)
	r.Write("pkg/m.py", "src")
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "untracked")
	r.Git("add", "pkg/m.py")
	r.Git("commit", "-q", "-m", "base")
	nested := r.At("pkg/__pycache__/vendored")
	if err := os.MkdirAll(nested.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	nested.Git("init", "-q")
	nested.Write("tracked.pyc", "tracked by the nested repository")
	nested.Write("tracked.txt", "tracked by the nested repository")
	nested.Write("deep/tracked.txt", "tracked")
	nested.Write("loose.pyc", "untracked")
	nested.Git("add", "-f", "tracked.pyc", "tracked.txt", "deep/tracked.txt")
	nested.Git("commit", "-q", "-m", "vendored")
	// A linked worktree (".git" is a file) of another repository.
	other := gittest.Init(t)
	other.Write("w.pyc", "tracked by the worktree's repository")
	other.Git("add", "-f", "w.pyc")
	other.Git("commit", "-q", "-m", "w")
	other.Git("worktree", "add", "-q", filepath.Join(r.Dir, "pkg/__pycache__/wt"), "-b", "side")
	r.Write("pkg/__pycache__/wt/x.pyc", "untracked in the worktree")

	keep := map[string]bool{}
	for _, p := range gittest.SplitZ(nested.Git("ls-files", "-z")) {
		keep["pkg/__pycache__/vendored/"+p] = true
	}
	keep["pkg/__pycache__/wt/w.pyc"] = true
	if len(keep) != 4 {
		t.Fatalf("setup: git tracks %q", sortedKeys(keep))
	}
	gone := map[string]bool{"pkg/__pycache__/m.cpython-312.pyc": true, "pkg/__pycache__/vendored/loose.pyc": true,
		"pkg/__pycache__/wt/x.pyc": true}
	for _, dir := range []string{"", "pkg", "pkg/__pycache__", "pkg/__pycache__/vendored"} {
		for _, dry := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/dry=%v", dir, dry), func(t *testing.T) {
				for p := range gone {
					r.Write(p, "again")
				}
				before := snapshot(t, r.Dir)
				res := mustRun(t, wk, Options{Dir: filepath.Join(r.Dir, dir), Env: r.Env, List: true, DryRun: dry})
				if len(res.Errors) > 0 {
					t.Errorf("errors: %v", res.Errors)
				}
				for p := range keep {
					if !exists(filepath.Join(r.Dir, p)) {
						t.Errorf("removed %s, which a nested repository tracks", p)
					}
				}
				kept := map[string]bool{}
				for _, e := range res.KeptTracked {
					kept[filepath.ToSlash(filepath.Join(dir, e.Path))] = true
				}
				// Reported are the files the walk takes for bytecode: below
				// a root inside the nested repository, only names count (a
				// __pycache__ above the root does not).
				wantKept := map[string]bool{}
				for p := range keep {
					inRoot := strings.HasPrefix(p, dir+"/") || dir == ""
					if inRoot && (!strings.HasPrefix(dir, "pkg/__pycache__/") || bytecode.IsBytecode(path.Base(p), false)) {
						wantKept[p] = true
					}
				}
				sameSet(t, "kept tracked", kept, wantKept)
				removed := map[string]bool{}
				for _, e := range res.Removed {
					removed[filepath.ToSlash(filepath.Join(dir, e.Path))] = true
				}
				wantGone := map[string]bool{}
				for p := range gone {
					if strings.HasPrefix(p, dir+"/") || dir == "" {
						wantGone[p] = true
					}
				}
				sameSet(t, "removed", removed, wantGone)
				if dry {
					checkUnchanged(t, "the tree after a dry run", before, snapshot(t, r.Dir))
				}
				for _, p := range []string{"pkg/__pycache__/vendored/.git/HEAD", "pkg/__pycache__/wt/.git"} {
					if !exists(filepath.Join(r.Dir, p)) {
						t.Errorf("%s is gone", p)
					}
				}
			})
		}
	}
}
