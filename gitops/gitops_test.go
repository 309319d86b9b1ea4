package gitops

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/index"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// hostileNames are file names git stores byte for byte.
var hostileNames = []string{
	"with space.pyc",
	"caf\u00e9.pyc",         // NFC
	"cafe\u0301.pyc",        // NFD
	"new\nline.pyc",         // newline
	"back\\slash.pyc",       // backslash
	"-leading-dash.pyc",     // looks like an option
	"bad-\xff\xfe-utf8.pyc", // not UTF-8
	"tab\there.pyo",
	"quote\"d.pyc",
	"deep/er/__pycache__/m.cpython-312.pyc",
	"Foo$py.class",
	"src/ok.py",
	"x.pyc.txt",
	"my__pycache__/x",
}

func all(string) bool { return true }

func discover(t *testing.T, r *gittest.Repo) *Repo {
	t.Helper()
	repo, err := Open(r.Dir, r.Env)
	if err != nil {
		t.Fatalf("Open(%s): %v", r.Dir, err)
	}
	return repo
}

// lsFiles is git's own view of the index: "mode hash stage\tpath" records.
func lsFiles(t *testing.T, r *gittest.Repo) []string {
	return gittest.SplitZ(r.Git("ls-files", "-s", "-z"))
}

func formatEntries(es []IndexEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%06o %s %d\t%s", e.Mode, e.Hash, e.Stage, e.Path))
	}
	return out
}

// buildIndexRepo makes a repository whose index has every kind of entry:
// hostile names, a path longer than the 12-bit name length, assume-unchanged,
// skip-worktree, intent-to-add and an unmerged path.
func buildIndexRepo(t *testing.T) *gittest.Repo {
	r := gittest.Init(t)
	for i, n := range hostileNames {
		r.Write(n, "content "+strconv.Itoa(i))
	}
	// A path longer than the 12-bit name length field (and than the file
	// system allows) goes straight into the index.
	long := strings.Repeat("d123456789/", 420) + "long.pyc"
	blob := strings.TrimSpace(r.GitIn([]byte("long"), "hash-object", "-w", "--stdin"))
	r.Git("update-index", "--add", "--cacheinfo", "100644,"+blob+","+long)
	r.Write("conflict.pyc", "base")
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "other")
	r.Write("conflict.pyc", "other")
	r.Commit("other")
	r.Git("checkout", "-q", "main")
	r.Write("conflict.pyc", "main")
	r.Commit("main")
	if _, _, err := r.Run(nil, "merge", "-q", "other"); err == nil {
		t.Fatal("merge unexpectedly succeeded")
	}
	r.Git("update-index", "--assume-unchanged", "with space.pyc")
	r.Git("update-index", "--skip-worktree", "Foo$py.class")
	r.Write("ita.pyc", "intent")
	r.Git("add", "-N", "ita.pyc")
	return r
}

func TestScanIndexMatchesGit(t *testing.T) {
	r := buildIndexRepo(t)
	for _, version := range []string{"2", "3", "4"} {
		t.Run("v"+version, func(t *testing.T) {
			r.Git("update-index", "--index-version", version)
			repo := discover(t, r)
			scan, err := repo.scanIndexFile(nil, all)
			if err != nil {
				t.Fatal(err)
			}
			// Extended flags (skip-worktree, intent-to-add) make git write
			// version 3 when asked for 2.
			if got := strconv.Itoa(int(scan.version)); got != version && !(version == "2" && got == "3") {
				t.Fatalf("version = %d, want %s", scan.version, version)
			}
			got, want := formatEntries(scan.entries), lsFiles(t, r)
			if !slices.Equal(got, want) {
				t.Fatalf("scanner disagrees with git ls-files -s:\n got %q\nwant %q", got, want)
			}
			// Flags against go-git's full decoder.
			f, err := os.Open(repo.IndexFile)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var idx index.Index
			if err := index.NewDecoder(f).Decode(&idx); err != nil {
				t.Fatal(err)
			}
			if len(idx.Entries) != len(scan.entries) {
				t.Fatalf("go-git decoded %d entries, scanner %d", len(idx.Entries), len(scan.entries))
			}
			for i, e := range idx.Entries {
				s := scan.entries[i]
				if e.Name != s.Path || e.SkipWorktree != s.SkipWorktree || e.IntentToAdd != s.IntentToAdd ||
					int(e.Stage) != s.Stage || e.Size != s.Size {
					t.Errorf("entry %d: go-git %q skip=%v ita=%v stage=%d size=%d, scanner %q skip=%v ita=%v stage=%d size=%d",
						i, e.Name, e.SkipWorktree, e.IntentToAdd, e.Stage, e.Size, s.Path, s.SkipWorktree, s.IntentToAdd, s.Stage, s.Size)
				}
			}
			// git ls-files -v shows assume-unchanged as a lower-case tag.
			for _, line := range gittest.SplitZ(r.Git("ls-files", "-v", "-z")) {
				tag, path, _ := strings.Cut(line, " ")
				for _, s := range scan.entries {
					if s.Path == path && s.AssumeValid != (tag == strings.ToLower(tag) && tag != "S" && tag != "M") {
						t.Errorf("%q: assume-valid %v, git ls-files -v tag %q", path, s.AssumeValid, tag)
					}
				}
			}
			// Keeping only bytecode keeps exactly the bytecode entries.
			bc, err := repo.scanIndexFile(nil, func(p string) bool { return bytecode.IsBytecode(p, false) })
			if err != nil {
				t.Fatal(err)
			}
			var wantBC []string
			for _, rec := range want {
				_, p, _ := strings.Cut(rec, "\t")
				if bytecode.IsBytecode(p, false) {
					wantBC = append(wantBC, rec)
				}
			}
			if got := formatEntries(bc.entries); !slices.Equal(got, wantBC) {
				t.Fatalf("bytecode entries:\n got %q\nwant %q", got, wantBC)
			}
		})
	}
}

func TestScanIndexCorrupt(t *testing.T) {
	r := gittest.Init(t)
	r.Write("a.pyc", "x")
	r.Write("b/c.py", "y")
	r.Commit("c")
	good, err := os.ReadFile(filepath.Join(r.Dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"truncated header":  good[:10],
		"truncated entries": good[:40],
		"cut in the middle": good[:len(good)/2],
		"bad signature":     append([]byte("XXXX"), good[4:]...),
		"huge count":        append(append(append([]byte(nil), good[:8]...), 0x7f, 0xff, 0xff, 0xff), good[12:]...),
		"no checksum":       good[:len(good)-20],
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := scanIndex(data, sha1Len, nil, all)
			if !errors.Is(err, ErrCorruptIndex) {
				t.Fatalf("err = %v, want ErrCorruptIndex", err)
			}
		})
	}
	if _, err := scanIndex(good, sha1Len, nil, all); err != nil {
		t.Fatalf("good index: %v", err)
	}
}

func FuzzScanIndex(f *testing.F) {
	r := gittest.Init(f)
	r.Write("a.pyc", "x")
	r.Write("b/__pycache__/c.pyc", "y")
	r.Write("b/c.py", "z")
	r.Commit("c")
	for _, v := range []string{"2", "3", "4"} {
		r.Git("update-index", "--index-version", v)
		data, err := os.ReadFile(filepath.Join(r.Dir, ".git", "index"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scanIndex(data, sha1Len, nil, all)
		if err != nil {
			return
		}
		for _, e := range s.entries {
			if e.Path == "" {
				t.Fatal("empty path accepted")
			}
		}
	})
}

func TestDiscoverErrors(t *testing.T) {
	dir := t.TempDir()
	env := gittest.IsolatedEnv(t.TempDir())
	env = append(env, "GIT_CEILING_DIRECTORIES="+filepath.Dir(dir))
	if _, err := Open(dir, env); !errors.Is(err, ErrNotRepository) {
		t.Errorf("plain directory: err = %v, want ErrNotRepository", err)
	}
	bare := gittest.Init(t, "--bare")
	repo := discover(t, bare)
	if !repo.Bare {
		t.Error("bare repository not reported as bare")
	}
	if _, err := repo.StagedChanges(nil, all); !errors.Is(err, ErrBareRepository) {
		t.Errorf("StagedChanges in bare repository: err = %v, want ErrBareRepository", err)
	}
	r := gittest.Init(t)
	inGitDir, err := Open(filepath.Join(r.Dir, ".git"), r.Env)
	if err != nil {
		t.Fatal(err)
	}
	if err := inGitDir.RequireWorkTree(); !errors.Is(err, ErrNoWorkTree) {
		t.Errorf("inside .git: err = %v, want ErrNoWorkTree", err)
	}
}

// TestStagedChangesMatchGit compares StagedChanges, filtered to bytecode,
// with git diff --cached in a series of states of one repository, reading
// the index both with the scanner and (forced) through git plumbing.
func TestStagedChangesMatchGit(t *testing.T) {
	r := gittest.Init(t)
	repoBC := func(p string) bool { return bytecode.IsBytecode(p, false) }
	check := func(step string) {
		t.Helper()
		repo := discover(t, r)
		want := gitStaged(t, r, repoBC)
		res, err := repo.StagedChanges(nil, repoBC)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if got := formatChanges(res.Changes); !slices.Equal(got, want) {
			t.Errorf("%s: scanner\n got %q\nwant %q", step, got, want)
		}
		viaGit, err := repo.stagedViaGit(repoBC, "test")
		if err != nil {
			t.Fatalf("%s: via git: %v", step, err)
		}
		if got := formatChanges(viaGit.Changes); !slices.Equal(got, want) {
			t.Errorf("%s: via git\n got %q\nwant %q", step, got, want)
		}
	}
	check("empty repository")
	r.Write("a.pyc", "a")
	r.Write("deep/x/__pycache__/m.cpython-312.pyc", "m")
	r.Write("src/app.py", "print()")
	r.Git("add", "-A")
	check("initial commit stages bytecode")
	r.Git("commit", "-qm", "one")
	check("clean after commit")
	r.Write("a.pyc", "changed")
	check("modified in work tree only")
	r.Git("add", "a.pyc")
	check("modified and staged")
	r.Git("commit", "-qm", "two")
	r.Git("mv", "src/app.py", "src/app.pyc")
	check("renamed to bytecode")
	r.Git("reset", "-q")
	r.Git("checkout", "-q", "--", ".")
	r.Git("clean", "-qfd")
	r.Git("rm", "-q", "--cached", "a.pyc")
	check("staged deletion passes")
	r.Git("reset", "-q")
	r.Write("lookalike/x.pyc.txt", "l")
	r.Write("pyc/y.py", "l")
	r.Write("__pycache__.py", "l")
	r.Git("add", "-A")
	check("lookalikes")
	r.Git("commit", "-qm", "three")
	r.Write("ita.pyc", "i")
	r.Git("add", "-N", "ita.pyc")
	check("intent-to-add")
	r.Git("rm", "-q", "--cached", "ita.pyc")
	if err := os.Remove(filepath.Join(r.Dir, "a.pyc")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target", filepath.Join(r.Dir, "a.pyc")); err != nil {
		t.Fatal(err)
	}
	r.Git("add", "a.pyc")
	check("type change")
	r.Git("commit", "-qm", "four")
	r.Git("update-index", "--chmod=+x", "deep/x/__pycache__/m.cpython-312.pyc")
	check("mode change")
	r.Write("deep/x/__pycache__/m.cpython-312.pyc", "m2")
	r.Write("deep/y/new.pyo", "n")
	r.Git("add", "-A")
	check("staged in a subtree")
	for _, v := range []string{"4", "2"} {
		r.Git("update-index", "--index-version", v)
		check("index version " + v)
	}
	r.Git("update-index", "--split-index")
	repo := discover(t, r)
	res, err := repo.StagedChanges(nil, repoBC)
	if err != nil {
		t.Fatal(err)
	}
	if res.ViaGit == "" {
		t.Error("split index was not read through git")
	}
	check("split index")
}

func formatChanges(cs []StagedChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Status)+" "+c.Path)
	}
	return out
}

// gitStaged is the oracle: git diff --cached --name-status (added, copied,
// modified, renamed-to, type-changed, unmerged), filtered by match.
func gitStaged(t *testing.T, r *gittest.Repo, match func(string) bool) []string {
	t.Helper()
	against := "HEAD"
	if _, _, err := r.Run(nil, "rev-parse", "--verify", "-q", "HEAD"); err != nil {
		against = strings.TrimSpace(r.GitIn([]byte{}, "hash-object", "-t", "tree", "--stdin"))
	}
	recs := gittest.SplitZ(r.Git("diff", "--cached", "--name-status", "-z", "--no-renames", "--diff-filter=ACMTU", against))
	var out []string
	seen := map[string]bool{}
	for i := 0; i+1 < len(recs); i += 2 {
		status, path := recs[i], recs[i+1]
		if !match(path) || seen[path] {
			continue
		}
		seen[path] = true
		word := map[string]string{"A": "added", "C": "added", "M": "modified", "T": "typechange", "U": "unmerged"}[status[:1]]
		out = append(out, word+" "+path)
	}
	// diff lists paths in index order; so does StagedChanges.
	return out
}

func TestStagedChangesHostileNames(t *testing.T) {
	r := gittest.Init(t)
	r.Write("keep.py", "k")
	r.Commit("base")
	for i, n := range hostileNames {
		r.Write(n, "c"+strconv.Itoa(i))
	}
	r.Git("add", "-A")
	match := func(p string) bool { return bytecode.IsBytecode(p, false) }
	want := gitStaged(t, r, match)
	if len(want) < 8 {
		t.Fatalf("oracle found only %d bytecode paths: %q", len(want), want)
	}
	res, err := discover(t, r).StagedChanges(nil, match)
	if err != nil {
		t.Fatal(err)
	}
	if got := formatChanges(res.Changes); !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestSparseIndexFallsBackToGit(t *testing.T) {
	r := gittest.Init(t)
	r.Write("in/a.py", "a")
	r.Write("out/b.pyc", "b")
	r.Write("out/c/d.py", "d")
	r.Commit("base")
	r.Git("sparse-checkout", "init", "--cone")
	r.Git("config", "index.sparse", "true")
	r.Git("sparse-checkout", "set", "in")
	r.Write("in/new.pyc", "n")
	r.Git("add", "in/new.pyc")
	match := func(p string) bool { return bytecode.IsBytecode(p, false) }
	repo := discover(t, r)
	res, err := repo.StagedChanges(nil, match)
	if err != nil {
		t.Fatal(err)
	}
	if res.ViaGit == "" {
		t.Error("sparse index not read through git")
	}
	if got, want := formatChanges(res.Changes), gitStaged(t, r, match); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	tr, err := repo.Tracked(nil, match)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range tr.Entries {
		paths = append(paths, e.Path)
	}
	if want := []string{"in/new.pyc", "out/b.pyc"}; !slices.Equal(paths, want) {
		t.Errorf("Tracked = %q, want %q (sparse directories expanded)", paths, want)
	}
}

func TestStagedChangesUnreadableIndex(t *testing.T) {
	r := gittest.Init(t)
	r.Write("a.pyc", "a")
	r.Git("add", "a.pyc")
	repo := discover(t, r)
	if err := os.WriteFile(repo.IndexFile, []byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x05garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := repo.StagedChanges(nil, all)
	var ie *IndexError
	if !errors.As(err, &ie) || !errors.Is(err, ErrCorruptIndex) || ie.Path != repo.IndexFile {
		t.Fatalf("err = %v, want *IndexError naming %s wrapping ErrCorruptIndex", err, repo.IndexFile)
	}
	if err := os.Remove(repo.IndexFile); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(repo.IndexFile, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.StagedChanges(nil, all); err == nil {
		t.Fatal("index that is a directory: no error")
	}
}

func TestCacheTreePrunesTreeReads(t *testing.T) {
	r := gittest.Init(t)
	for i := 0; i < 20; i++ {
		r.Write(fmt.Sprintf("pkg%d/__pycache__/m.pyc", i), "m")
	}
	r.Commit("tracked bytecode")
	r.Write("new.pyc", "n")
	r.Git("add", "new.pyc")
	repo := discover(t, r)
	scan, err := repo.scanIndexFile(nil, func(p string) bool { return bytecode.IsBytecode(p, false) })
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.headTree()
	if err != nil {
		t.Fatal(err)
	}
	memo := map[string]bool{}
	for _, e := range scan.entries {
		if e.Path == "new.pyc" {
			continue
		}
		same, err := coveredByCacheTree(e.Path, scan.valid, head, memo)
		if err != nil || !same {
			t.Fatalf("%s: covered = %v, %v; want true", e.Path, same, err)
		}
	}
	// Only the root tree was read: every pkgN subtree hash came from it.
	if len(head.trees) != 1 {
		t.Errorf("read %d trees, want 1", len(head.trees))
	}
}

// TestStagedChangesObjectsElsewhere covers object stores beyond the
// repository's own: alternates written by git clone --shared, and
// GIT_ALTERNATE_OBJECT_DIRECTORIES (how a pre-receive hook sees a push's
// quarantine); both are read in-process, as git reads them.
func TestStagedChangesObjectsElsewhere(t *testing.T) {
	origin := gittest.Init(t)
	origin.Write("a.pyc", "a")
	origin.Write("b.py", "b")
	origin.Commit("base")
	origin.Git("gc", "-q")
	match := func(p string) bool { return bytecode.IsBytecode(p, false) }

	sharedDir := filepath.Join(t.TempDir(), "shared")
	origin.Git("clone", "-q", "--shared", origin.Dir, sharedDir)
	shared := origin.At(sharedDir)
	shared.Write("a.pyc", "changed")
	shared.Git("add", "a.pyc")
	res, err := discover(t, shared).StagedChanges(nil, match)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := formatChanges(res.Changes), gitStaged(t, shared, match); !slices.Equal(got, want) || res.ViaGit != "" {
		t.Errorf("clone --shared: got %q (via git: %q), want %q in-process", got, res.ViaGit, want)
	}

	// A repository whose commit objects live only in a directory named by
	// GIT_ALTERNATE_OBJECT_DIRECTORIES.
	objs := filepath.Join(origin.Dir, ".git", "objects")
	env := origin.With("GIT_ALTERNATE_OBJECT_DIRECTORIES=" + objs)
	bare := gittest.Dir(t, t.TempDir())
	bare.Git("init", "-q")
	head := strings.TrimSpace(origin.Git("rev-parse", "HEAD"))
	other := &gittest.Repo{T: t, Dir: bare.Dir, Env: env.Env}
	other.Git("update-ref", "refs/heads/main", head)
	other.Git("read-tree", "HEAD")
	other.Write("a.pyc", "changed again")
	other.Git("add", "a.pyc")
	res, err = discover(t, other).StagedChanges(nil, match)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := formatChanges(res.Changes), gitStaged(t, other, match); !slices.Equal(got, want) || len(got) != 1 {
		t.Errorf("alternate object directories: got %q, want %q", got, want)
	}
	if res.ViaGit != "" {
		t.Errorf("alternate object directories: read through git (%s), want in-process", res.ViaGit)
	}
}

// TestScanIndexKeepMayRetainPaths: the keep callback may hold on to the
// strings it is given (the ignore engine caches them). They must stay valid
// after the index is unmapped and must not change when later entries are
// read (index v4 builds each path in a scratch buffer).
func TestScanIndexKeepMayRetainPaths(t *testing.T) {
	r := buildIndexRepo(t)
	for _, version := range []string{"2", "4"} {
		r.Git("update-index", "--index-version", version)
		repo := discover(t, r)
		var kept []string
		if _, err := repo.scanIndexFile(nil, func(p string) bool { kept = append(kept, p); return false }); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.scanIndexFile(nil, all); err != nil { // map and unmap again
			t.Fatal(err)
		}
		var want []string
		for _, rec := range lsFiles(t, r) {
			_, p, _ := strings.Cut(rec, "\t")
			want = append(want, p)
		}
		if !slices.Equal(kept, want) {
			t.Fatalf("v%s: retained paths changed:\n got %q\nwant %q", version, kept, want)
		}
	}
}
