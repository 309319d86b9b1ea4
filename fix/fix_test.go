package fix

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// legacyRepo builds a repository with committed bytecode and, in the index,
// every kind of entry fix must keep: another staged change, assume-unchanged
// and skip-worktree bits (on bytecode and on sources), an intent-to-add
// entry, and an unmerged bytecode path.
func legacyRepo(t *testing.T) *gittest.Repo {
	r := gittest.Init(t)
	r.Write("src/app.py", "print()")
	r.Write("src/__pycache__/app.cpython-312.pyc", "bc1")
	r.Write("top.pyc", "bc2")
	r.Write("deep/er/old.pyo", "bc3")
	r.Write("lib/Foo$py.class", "bc4")
	r.Write("keep/assume.pyc", "bc5")
	r.Write("keep/skip.pyc", "bc6")
	r.Write("keep/source.py", "src")
	r.Write("with space/new\nline.pyc", "bc7")
	r.Write("conflict.pyc", "base")
	r.Commit("legacy")
	r.Git("checkout", "-q", "-b", "other")
	r.Write("conflict.pyc", "theirs")
	r.Commit("other")
	r.Git("checkout", "-q", "main")
	r.Write("conflict.pyc", "ours")
	r.Commit("ours")
	if _, _, err := r.Run(nil, "merge", "-q", "other"); err == nil {
		t.Fatal("expected a merge conflict")
	}
	r.Write("src/app.py", "print('staged change')")
	r.Git("add", "src/app.py")
	r.Git("update-index", "--assume-unchanged", "keep/assume.pyc", "keep/source.py")
	r.Git("update-index", "--skip-worktree", "keep/skip.pyc")
	r.Write("ita.py", "intent")
	r.Git("add", "-N", "ita.py")
	return r
}

// indexState is everything git shows of an index.
type indexState struct {
	stage, tags, cached string
}

func stateOf(t *testing.T, r *gittest.Repo) indexState {
	t.Helper()
	return indexState{
		stage:  r.Git("ls-files", "-s", "-z"),
		tags:   r.Git("ls-files", "-v", "-z"),
		cached: r.Git("diff", "--cached", "--name-status", "-z"),
	}
}

// trackedBytecode is the oracle's list: git ls-files, stage 0, filtered.
func trackedBytecode(t *testing.T, r *gittest.Repo) []string {
	var out []string
	for _, rec := range gittest.SplitZ(r.Git("ls-files", "-s", "-z")) {
		meta, p, _ := strings.Cut(rec, "\t")
		if bytecode.IsBytecode(p, false) && strings.HasSuffix(meta, " 0") {
			out = append(out, p)
		}
	}
	return out
}

// equivalentToGitRm checks, in r as it is now, that fix --no-gitignore
// leaves the index exactly as git rm --cached on the same paths does.
func equivalentToGitRm(t *testing.T, r *gittest.Repo) {
	t.Helper()
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(repo.IndexFile)
	if err != nil {
		t.Fatal(err)
	}
	// git's answer, from the top of the work tree
	top := r.At(repo.WorkTree)
	paths := trackedBytecode(t, top)
	if len(paths) == 0 {
		t.Fatal("test repository has no tracked bytecode")
	}
	top.GitIn([]byte(strings.Join(paths, "\x00")), "rm", "-q", "--cached", "--pathspec-from-file=-", "--pathspec-file-nul", "--sparse")
	want := stateOf(t, top)
	if err := os.WriteFile(repo.IndexFile, saved, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Untrack: true}
	plan, err := Prepare(repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(repo, plan, opts); err != nil {
		t.Fatal(err)
	}
	got := stateOf(t, top)
	if got != want {
		t.Errorf("index after fix differs from git rm --cached:\nls-files -s  got %q\n             want %q\nls-files -v  got %q\n             want %q\ndiff --cached got %q\n             want %q",
			got.stage, want.stage, got.tags, want.tags, got.cached, want.cached)
	}
	var untracked []string
	for _, e := range plan.Untrack {
		untracked = append(untracked, e.Path)
	}
	if !slices.Equal(untracked, paths) {
		t.Errorf("untracked %q, git ls-files says %q", untracked, paths)
	}
	r.Git("fsck", "--no-progress")
}

func TestFixEquivalentToGitRmCached(t *testing.T) {
	for _, layout := range []string{"v2", "v3", "v4", "split", "subdirectory"} {
		t.Run(layout, func(t *testing.T) {
			r := legacyRepo(t)
			switch layout {
			case "v2", "v3", "v4":
				r.Git("update-index", "--index-version", layout[1:])
			case "split":
				r.Git("update-index", "--split-index")
			case "subdirectory":
				r = r.At("deep")
			}
			equivalentToGitRm(t, r)
			repo, _ := gitops.Open(r.Dir, r.Env)
			plan, err := Prepare(repo, Options{Untrack: true})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(plan.Unmerged, []string{"conflict.pyc"}) {
				t.Errorf("unmerged = %q, want [conflict.pyc]", plan.Unmerged)
			}
			if !strings.Contains(r.Git("ls-files", "-u", "--", ":/"), "conflict.pyc") {
				t.Error("the unmerged bytecode path was resolved")
			}
		})
	}
}

func TestFixEquivalentInOtherLayouts(t *testing.T) {
	t.Run("sparse index", func(t *testing.T) {
		r := gittest.Init(t)
		r.Write("in/a.py", "a")
		r.Write("in/__pycache__/a.cpython-312.pyc", "a")
		r.Write("out/deep/b.pyc", "b")
		r.Write("out/c.py", "c")
		r.Commit("base")
		r.Git("sparse-checkout", "init", "--cone")
		r.Git("config", "index.sparse", "true")
		r.Git("sparse-checkout", "set", "in")
		equivalentToGitRm(t, r)
	})
	t.Run("linked worktree", func(t *testing.T) {
		r := gittest.Init(t)
		r.Write("a.pyc", "a")
		r.Write("a.py", "a")
		r.Commit("base")
		wt := filepath.Join(t.TempDir(), "wt")
		r.Git("worktree", "add", "-q", wt, "-b", "side")
		w := r.At(wt)
		w.Write("b.pyc", "b")
		w.Git("add", "b.pyc")
		mainIndex := r.Git("ls-files", "-s")
		equivalentToGitRm(t, w)
		if got := r.Git("ls-files", "-s"); got != mainIndex {
			t.Errorf("the main worktree's index changed:\n%s", got)
		}
	})
	t.Run("submodule", func(t *testing.T) {
		other := gittest.Init(t)
		other.Write("o.pyc", "o")
		other.Write("o.py", "o")
		other.Commit("o")
		super := gittest.Init(t)
		super.Write("s.pyc", "s")
		super.Commit("s")
		super.Git("submodule", "add", "-q", other.Dir, "sub")
		super.Commit("sub")
		superIndex := super.Git("ls-files", "-s")
		equivalentToGitRm(t, super.At("sub"))
		if got := super.Git("ls-files", "-s"); got != superIndex {
			t.Errorf("the superproject's index changed:\n%s", got)
		}
	})
}

// snapshot records every file's bytes and mode below dir, skipping .git.
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		v := fi.Mode().String()
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		snap[rel] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestFixChangesNothingElse(t *testing.T) {
	for _, del := range []bool{false, true} {
		t.Run(fmt.Sprintf("delete=%v", del), func(t *testing.T) {
			r := legacyRepo(t)
			r.Write(".gitignore", "# mine\r\n*.log\r\n!keep.log") // CRLF, no final newline
			r.Write("untracked.pyc", "not tracked: fix leaves it")
			if err := os.Symlink("src/app.py", filepath.Join(r.Dir, "link.pyc")); err != nil {
				t.Fatal(err)
			}
			r.Git("add", "-f", "link.pyc")
			before := snapshotTree(t, r.Dir)
			oldIgnore, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
			repo, err := gitops.Open(r.Dir, r.Env)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Gitignore: true, Untrack: true, Delete: del}
			plan, err := Prepare(repo, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := Apply(repo, plan, opts); err != nil {
				t.Fatal(err)
			}
			after := snapshotTree(t, r.Dir)
			removed := map[string]bool{}
			for _, p := range plan.Deleted {
				removed[filepath.FromSlash(p)] = true
			}
			for p, v := range before {
				switch {
				case p == ".gitignore":
				case removed[p]:
					if _, ok := after[p]; ok {
						t.Errorf("%s was reported deleted but is still there", p)
					}
					if !bytecode.IsBytecode(filepath.ToSlash(p), false) {
						t.Errorf("deleted %s, which is not bytecode", p)
					}
				case after[p] != v:
					// __pycache__ directories emptied by --delete go too.
					if del && strings.HasSuffix(p, "__pycache__") && after[p] == "" {
						continue
					}
					t.Errorf("%s changed: %q -> %q", p, v, after[p])
				}
			}
			for p := range after {
				if _, ok := before[p]; !ok {
					t.Errorf("%s appeared", p)
				}
			}
			newIgnore, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
			if !bytes.HasPrefix(newIgnore, oldIgnore) || len(newIgnore) == len(oldIgnore) {
				t.Errorf(".gitignore was not only appended to:\n%q\n%q", oldIgnore, newIgnore)
			}
			if !bytes.Contains(newIgnore, []byte("\r\n__pycache__/\r\n")) {
				t.Errorf(".gitignore lost its CRLF line endings: %q", newIgnore)
			}
			if del != (len(plan.Deleted) > 0) {
				t.Errorf("delete=%v but deleted %q", del, plan.Deleted)
			}
			if _, err := os.Stat(filepath.Join(r.Dir, "untracked.pyc")); err != nil {
				t.Errorf("untracked bytecode was touched: %v", err)
			}
			if _, err := os.Stat(filepath.Join(r.Dir, "src", "app.py")); err != nil {
				t.Errorf("the symlink's target was touched: %v", err)
			}
		})
	}
}

func TestFixRefusesAndChangesNothing(t *testing.T) {
	type setup func(t *testing.T, r *gittest.Repo) *gittest.Repo
	cases := map[string]struct {
		setup setup
		want  error
	}{
		"index.lock held": {func(t *testing.T, r *gittest.Repo) *gittest.Repo {
			r.Write(".git/index.lock", "")
			return r
		}, gitops.ErrIndexLocked},
		"hook's temporary index": {func(t *testing.T, r *gittest.Repo) *gittest.Repo {
			b, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "index"))
			os.WriteFile(filepath.Join(r.Dir, ".git", "next-index-1.lock"), b, 0o644)
			return r.With("GIT_INDEX_FILE=.git/next-index-1.lock")
		}, gitops.ErrHookIndex},
		"read-only .gitignore": {func(t *testing.T, r *gittest.Repo) *gittest.Repo {
			os.Chmod(filepath.Join(r.Dir, ".gitignore"), 0o444)
			return r
		}, nil},
		".gitignore is a directory": {func(t *testing.T, r *gittest.Repo) *gittest.Repo {
			os.Remove(filepath.Join(r.Dir, ".gitignore"))
			os.Mkdir(filepath.Join(r.Dir, ".gitignore"), 0o755)
			return r
		}, nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := gittest.Init(t)
			r.Write(".gitignore", "*.log\n")
			r.Write("a.pyc", "a")
			r.Commit("legacy")
			r = c.setup(t, r)
			before := stateOf(t, r)
			snap := snapshotTree(t, r.Dir)
			repo, err := gitops.Open(r.Dir, r.Env)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Gitignore: true, Untrack: true}
			plan, err := Prepare(repo, opts)
			if err == nil {
				err = Apply(repo, plan, opts)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if after := stateOf(t, r); after != before {
				t.Error("the index changed")
			}
			if after := snapshotTree(t, r.Dir); !mapsEqual(after, snap) {
				t.Error("the work tree changed")
			}
		})
	}
}

// TestFixRestoresGitignoreWhenGitFails makes git's index write fail after
// .gitignore was appended: .gitignore must come back byte for byte.
func TestFixRestoresGitignoreWhenGitFails(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "\ufeff*.log") // BOM, no final newline
	r.Write("a.pyc", "a")
	r.Commit("legacy")
	before, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Gitignore: true, Untrack: true}
	plan, err := Prepare(repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Another git process takes the lock between planning and applying.
	r.Write(".git/index.lock", "")
	if err := Apply(repo, plan, opts); !errors.Is(err, gitops.ErrIndexLocked) {
		t.Fatalf("err = %v, want ErrIndexLocked", err)
	}
	after, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
	if !bytes.Equal(before, after) {
		t.Fatalf(".gitignore not restored: %q -> %q", before, after)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
