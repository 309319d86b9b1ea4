package fix

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/internal/gittest"
)

// oracle is what git's own plumbing says about the bytecode of every
// commit reachable from any ref: the (commit, path) pairs where a commit
// has a bytecode path none of its parents has (git ls-tree of the commit
// and of each parent), and the blobs found at a bytecode path in some
// commit's tree.
type oracle struct {
	added map[string]bool // "<commit> <path>"
	blobs map[string]bool
}

func gitOracle(t *testing.T, r *gittest.Repo) oracle {
	t.Helper()
	o := oracle{added: map[string]bool{}, blobs: map[string]bool{}}
	trees := map[string]map[string]string{} // commit → path → "mode id"
	tree := func(c string) map[string]string {
		if m, ok := trees[c]; ok {
			return m
		}
		m := map[string]string{}
		for _, rec := range gittest.SplitZ(r.Git("ls-tree", "-r", "-z", "--full-tree", c)) {
			meta, p, _ := strings.Cut(rec, "\t")
			f := strings.Fields(meta)
			m[p] = f[0] + " " + f[2]
		}
		trees[c] = m
		return m
	}
	for _, line := range strings.Split(strings.TrimSpace(r.Git("rev-list", "--all", "--parents")), "\n") {
		f := strings.Fields(line)
		c, parents := f[0], f[1:]
		for p, entry := range tree(c) {
			if !bytecode.IsBytecode(p, false) {
				continue
			}
			mode, id, _ := strings.Cut(entry, " ")
			if mode != "160000" {
				o.blobs[id] = true
			}
			inParent := false
			for _, par := range parents {
				if _, ok := tree(par)[p]; ok {
					inParent = true
				}
			}
			if !inParent {
				o.added[c+" "+p] = true
			}
		}
	}
	return o
}

// auditAdds runs audit's history walk and returns its additions, and the
// History it counted.
func auditAdds(t *testing.T, repo *gitops.Repo, pol hook.Policy) (map[string]bool, History) {
	t.Helper()
	got := map[string]bool{}
	h, err := auditHistory(repo, pol, func(c, p string) {
		if got[c+" "+p] {
			t.Errorf("addition %q counted twice", c+" "+p)
		}
		got[c+" "+p] = true
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, h
}

// scanAdds returns scan --all's added (and renamed-to) findings.
func scanAdds(t *testing.T, repo *gitops.Repo) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	_, err := hook.Scan(repo, hook.ScanOptions{Revisions: gitops.Revisions{All: true}}, func(f hook.ScanFinding) error {
		if f.Action == gitops.Added || f.Action == gitops.Renamed {
			got[f.Commit+" "+f.Path] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func keys(m map[string]bool) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

func discover(t *testing.T, r *gittest.Repo) *gitops.Repo {
	t.Helper()
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// TestAuditHistoryDifferential builds random histories — merges where only
// the second parent adds bytecode, renames, copies, type changes,
// deleted-then-re-added bytecode, empty blobs shared with sources, names
// with newline, tab and invalid UTF-8, branches left unmerged — and
// requires audit's additions to equal scan --all's added findings and
// both to equal git's plumbing; audit's blob count equals the oracle's.
func TestAuditHistoryDifferential(t *testing.T) {
	names := []string{"a.pyc", "pkg/__pycache__/m.cpython-312.pyc", "new\nline.pyc", "tab\there.pyo",
		"bad\xff\xfeutf8.pyc", "J$py.class", "x/__pycache__/deep/y.txt", "src.py", "__init__.py", "0.py"}
	contents := []string{"", "", "one", "two", "three"}
	seeds := 4
	if testing.Short() {
		seeds = 1
	}
	for seed := 1; seed <= seeds; seed++ {
		t.Run(strconv.Itoa(seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(seed)))
			r := gittest.Init(t)
			r.Write("README", "x")
			r.Commit("root")
			branches := []string{"main"}
			pick := func(s []string) string { return s[rng.Intn(len(s))] }
			tracked := func() []string { return gittest.SplitZ(r.Git("ls-files", "-z")) }
			merge := func(other string) {
				if _, _, err := r.Run(nil, "merge", "-q", "--no-ff", "--no-edit", other); err != nil {
					// A conflict: take everything as it is on disk.
					r.Git("add", "-A")
					if _, _, err := r.Run(nil, "commit", "-q", "--no-edit"); err != nil {
						r.Run(nil, "merge", "--abort")
					}
				}
			}
			// One merge whose second parent alone adds bytecode, then a
			// random walk.
			r.Git("checkout", "-q", "-b", "feature")
			r.Write("feature/__pycache__/f.cpython-312.pyc", "feature")
			r.Commit("feature adds bytecode")
			r.Git("checkout", "-q", "main")
			r.Write("main.py", "main")
			r.Commit("main moves on")
			merge("feature")
			branches = append(branches, "feature")
			for step := 0; step < 30; step++ {
				switch op := rng.Intn(10); {
				case op < 3: // write (add or modify)
					r.Write(pick(names), pick(contents))
				case op == 3: // delete
					if ts := tracked(); len(ts) > 1 {
						r.Git("rm", "-q", "--", pick(ts))
					}
				case op == 4: // rename
					if ts := tracked(); len(ts) > 0 {
						from, to := pick(ts), pick(names)
						if from != to && !slices.Contains(ts, to) && !strings.HasPrefix(to, from+"/") {
							os.MkdirAll(filepath.Dir(filepath.Join(r.Dir, to)), 0o755)
							r.Git("mv", "-k", "--", from, to)
						}
					}
				case op == 5: // copy
					if ts := tracked(); len(ts) > 0 {
						from := pick(ts)
						if b, err := os.ReadFile(filepath.Join(r.Dir, from)); err == nil {
							r.Write(pick(names), string(b))
						}
					}
				case op == 6: // type change: a symlink at a bytecode path
					p := pick(names[:6])
					full := filepath.Join(r.Dir, p)
					os.RemoveAll(full)
					os.MkdirAll(filepath.Dir(full), 0o755)
					if err := os.Symlink("README", full); err != nil {
						t.Fatal(err)
					}
				case op == 7: // a new branch from here
					b := fmt.Sprintf("b%d", step)
					r.Git("checkout", "-q", "-b", b)
					branches = append(branches, b)
				case op == 8: // switch branch
					r.Git("add", "-A")
					r.Git("commit", "-q", "--allow-empty", "-m", fmt.Sprintf("step %d", step))
					r.Git("checkout", "-q", "-f", pick(branches))
					r.Git("clean", "-q", "-fdx")
				case op == 9: // merge another branch (its bytecode arrives by the second parent)
					r.Git("add", "-A")
					r.Git("commit", "-q", "--allow-empty", "-m", fmt.Sprintf("step %d", step))
					merge(pick(branches))
				}
				r.Git("add", "-A")
				r.Git("commit", "-q", "--allow-empty", "-m", fmt.Sprintf("step %d", step))
			}
			repo := discover(t, r)
			want := gitOracle(t, r)
			got, h := auditAdds(t, repo, hook.Policy{})
			scan := scanAdds(t, repo)
			if !slices.Equal(keys(got), keys(want.added)) {
				t.Errorf("audit's additions differ from git's\naudit: %q\ngit:   %q", keys(got), keys(want.added))
			}
			if !slices.Equal(keys(scan), keys(want.added)) {
				t.Errorf("scan --all's additions differ from git's\nscan: %q\ngit:  %q", keys(scan), keys(want.added))
			}
			if h.Blobs != len(want.blobs) || h.Paths != len(want.added) || !h.Complete() {
				t.Errorf("history %+v; git: %d blobs, %d additions", h, len(want.blobs), len(want.added))
			}
			commits := map[string]bool{}
			for k := range want.added {
				c, _, _ := strings.Cut(k, " ")
				commits[c] = true
			}
			if h.CommitsTotal != len(commits) {
				t.Errorf("%d commits add bytecode; git: %d", h.CommitsTotal, len(commits))
			}
			t.Logf("%d additions, %d blobs, %d commits adding, %d merges", len(want.added), len(want.blobs), len(commits), strings.Count(r.Git("rev-list", "--all", "--merges"), "\n"))
			if len(want.added) == 0 {
				t.Fatal("the random history added no bytecode: the test would prove nothing")
			}
		})
	}
}

// TestAuditNumbersMatchGit checks the whole report against git: tracked
// bytecode with git ls-files and git cat-file, history with the oracle.
func TestAuditNumbersMatchGit(t *testing.T) {
	r := gittest.Init(t)
	for i := 0; i < 6; i++ {
		r.Write(fmt.Sprintf("pkg%d/__pycache__/m.cpython-312.pyc", i%3), strings.Repeat("b", 10*i+1))
		r.Write(fmt.Sprintf("pkg%d/m.py", i%3), strconv.Itoa(i))
		r.Write(fmt.Sprintf("top%d.pyo", i), strings.Repeat("o", i+1))
		r.Commit(fmt.Sprintf("commit %d", i))
	}
	r.Git("checkout", "-q", "-b", "side")
	r.Write("side/x.pyc", "only on a branch")
	r.Commit("side")
	r.Git("checkout", "-q", "main")
	r.Git("rm", "-q", "--cached", "top0.pyo")
	r.Commit("untrack one")
	r.Write(".gitignore", "*.pyc\n")
	r.Commit("ignore")

	a, err := RunAudit(discover(t, r), AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wantFiles int
	var wantBytes int64
	for _, rec := range gittest.SplitZ(r.Git("ls-files", "-s", "-z")) {
		meta, p, _ := strings.Cut(rec, "\t")
		if !bytecode.IsBytecode(p, false) {
			continue
		}
		wantFiles++
		n, _ := strconv.ParseInt(strings.TrimSpace(r.Git("cat-file", "-s", strings.Fields(meta)[1])), 10, 64)
		wantBytes += n
	}
	if len(a.Tracked) != wantFiles || a.Bytes != wantBytes {
		t.Errorf("tracked: %d files, %d bytes; git: %d files, %d bytes", len(a.Tracked), a.Bytes, wantFiles, wantBytes)
	}
	want := gitOracle(t, r)
	var histBytes int64
	for id := range want.blobs {
		n, _ := strconv.ParseInt(strings.TrimSpace(r.Git("cat-file", "-s", id)), 10, 64)
		histBytes += n
	}
	if a.History.Blobs != len(want.blobs) || a.History.Bytes != histBytes || a.History.Unknown != 0 || !a.Complete() {
		t.Errorf("history: %+v; git: %d blobs, %d bytes", a.History, len(want.blobs), histBytes)
	}
	if len(want.blobs) < 10 {
		t.Fatalf("the oracle found only %d blobs", len(want.blobs))
	}
	if a.History.Paths != len(want.added) {
		t.Errorf("additions: %d, git: %d", a.History.Paths, len(want.added))
	}
	if !a.NeedsFix() {
		t.Error("NeedsFix false with tracked bytecode")
	}
	if a.Hooks.Installed() {
		t.Error("a hook reported where none is installed")
	}
	// *.pyc alone covers .pyc only: the other kinds are missing.
	if got, want := fmt.Sprint(a.Coverage.MissingKinds()), "[__pycache__/ *.pyo *$py.class]"; got != want {
		t.Errorf("missing kinds %s, want %s", got, want)
	}
	for _, c := range a.History.Commits {
		if c.Subject == "" || c.Paths == 0 {
			t.Errorf("top commit %+v", c)
		}
	}
}
