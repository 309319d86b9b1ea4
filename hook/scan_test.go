package hook

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// histFile is a file of a generated history: its mode and content.
type histFile struct {
	mode    string
	content string
}

// genHistory writes a random history into a fresh repository with git
// fast-import: several branches, merges (two and three parents), extra
// root commits, renames, type changes, deletions, and files copied from
// the branch being merged. It returns the repository.
func genHistory(t *testing.T, seed int64, commits int) *gittest.Repo {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	paths := []string{"a.py", "b.pyc", "c.pyo", "d/__pycache__/m.cpython-312.pyc", "d/m.py",
		"e$py.class", "f.txt", "g/h.pyc", "pyc/x.py", "__pycache__.py", "d/__pycache__/sub/n.txt"}
	contents := []string{"one\n", "two\n", "three\n", "\x00\x01bytes"}
	const nbranch = 3
	state := make([]map[string]histFile, nbranch) // branch → tree
	tip := make([]int, nbranch)                   // branch → mark of its tip, 0: none
	var b strings.Builder
	mark := 0
	for i := 0; i < commits; i++ {
		br := rng.Intn(nbranch)
		mark++
		var parents []int
		cur := map[string]histFile{}
		newRoot := tip[br] == 0 || rng.Intn(12) == 0
		if newRoot {
			fmt.Fprintf(&b, "reset refs/heads/b%d\n", br)
		} else {
			parents = append(parents, tip[br])
			for p, f := range state[br] {
				cur[p] = f
			}
		}
		fmt.Fprintf(&b, "commit refs/heads/b%d\nmark :%d\ncommitter T <t@example.com> %d +0000\ndata 0\n", br, mark, 1700000000+i)
		if len(parents) > 0 {
			fmt.Fprintf(&b, "from :%d\n", parents[0])
		}
		// Merge one or two other branches now and then.
		var merged []int
		if !newRoot && rng.Intn(3) == 0 {
			for o := 0; o < nbranch; o++ {
				if o != br && tip[o] != 0 && !slices.Contains(parents, tip[o]) && (len(merged) == 0 || rng.Intn(3) == 0) {
					fmt.Fprintf(&b, "merge :%d\n", tip[o])
					parents = append(parents, tip[o])
					merged = append(merged, o)
				}
			}
		}
		nops := 1 + rng.Intn(4)
		for j := 0; j < nops; j++ {
			p := paths[rng.Intn(len(paths))]
			switch op := rng.Intn(10); {
			case op < 4: // add or modify
				f := histFile{mode: "100644", content: contents[rng.Intn(len(contents))]}
				if rng.Intn(6) == 0 {
					f.mode = "100755"
				}
				if rng.Intn(8) == 0 {
					f.mode = "120000"
				}
				if conflictsWithDir(cur, p) {
					continue
				}
				cur[p] = f
				fmt.Fprintf(&b, "M %s inline %s\ndata %d\n%s\n", f.mode, p, len(f.content), f.content)
			case op < 6: // delete
				if _, ok := cur[p]; ok {
					delete(cur, p)
					fmt.Fprintf(&b, "D %s\n", p)
				}
			case op < 8: // rename an existing file onto p
				var src string
				for q := range cur {
					if src == "" || q < src {
						if rng.Intn(2) == 0 || src == "" {
							src = q
						}
					}
				}
				if src == "" || src == p || conflictsWithDir(cur, p) {
					continue
				}
				if _, exists := cur[p]; exists {
					continue
				}
				cur[p] = cur[src]
				delete(cur, src)
				fmt.Fprintf(&b, "R %s %s\n", src, p)
			default: // take the merged branch's version of p
				if len(merged) == 0 {
					continue
				}
				f, ok := state[merged[0]][p]
				if !ok || conflictsWithDir(cur, p) {
					continue
				}
				cur[p] = f
				fmt.Fprintf(&b, "M %s inline %s\ndata %d\n%s\n", f.mode, p, len(f.content), f.content)
			}
		}
		state[br], tip[br] = cur, mark
	}
	r := gittest.Init(t)
	r.GitIn([]byte(b.String()), "fast-import", "--quiet")
	return r
}

// conflictsWithDir reports whether adding p would collide with a file
// that is a directory prefix of it or has p as a prefix (fast-import would
// replace one with the other, which the model does not follow).
func conflictsWithDir(cur map[string]histFile, p string) bool {
	for q := range cur {
		if strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
			return true
		}
	}
	return false
}

// oracleScan computes, with git plumbing only, the findings of a scan of
// revs: `git rev-list` for the commits; for a commit with at most one
// parent `git diff-tree -r --name-status -z --root --no-renames` (A, M, T
// are findings); for a merge a brute force over `git ls-tree -r -z` of the
// merge and every parent: a path is a finding when its mode or blob in the
// merge differs from every parent's (absent counts as different).
func oracleScan(t *testing.T, r *gittest.Repo, revs ...string) (commits int, findings []string) {
	t.Helper()

	for _, line := range strings.Split(strings.TrimSpace(r.Git(append([]string{"rev-list", "--parents"}, revs...)...)), "\n") {
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		c, parents := f[0], f[1:]
		commits++
		if len(parents) <= 1 {
			recs := gittest.SplitZ(r.Git("diff-tree", "--no-commit-id", "-r", "--name-status", "-z", "--root", "--no-renames", c))
			for i := 0; i+1 < len(recs); i += 2 {
				st, p := recs[i], recs[i+1]
				if st == "D" || !bytecode.IsBytecode(p, false) {
					continue
				}
				action := map[string]string{"A": "added", "M": "modified", "T": "typechange"}[st]
				findings = append(findings, c+" "+action+" "+p)
			}
			continue
		}
		merge := lsTree(r, c)
		var ps []map[string]string
		for _, p := range parents {
			ps = append(ps, lsTree(r, p))
		}
		for p, e := range merge {
			if !bytecode.IsBytecode(p, false) {
				continue
			}
			differs, inAny := true, false
			for _, pt := range ps {
				pe, ok := pt[p]
				inAny = inAny || ok
				if ok && pe == e {
					differs = false
				}
			}
			if differs {
				action := "modified"
				if !inAny {
					action = "added"
				}
				findings = append(findings, c+" "+action+" "+p)
			}
		}
	}
	sort.Strings(findings)
	return commits, findings
}

func lsTree(r *gittest.Repo, commit string) map[string]string {
	m := map[string]string{}
	for _, rec := range gittest.SplitZ(r.Git("ls-tree", "-r", "-z", "--full-tree", commit)) {
		meta, p, _ := strings.Cut(rec, "\t")
		f := strings.Fields(meta) // mode type id
		m[p] = f[0] + " " + f[2]
	}
	return m
}

// scanFindings runs Scan and renders its findings like oracleScan's
// (a rename is an addition to git diff-tree --no-renames; a merge's type
// change is a modification to the brute force).
func scanFindings(t *testing.T, r *gittest.Repo, revs gitops.Revisions) (int, []string) {
	t.Helper()
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	sum, err := Scan(repo, ScanOptions{Revisions: revs}, func(f ScanFinding) error {
		a := string(f.Action)
		if a == "renamed" {
			a = "added"
		}
		if f.Merge && a == "typechange" {
			a = "modified"
		}
		got = append(got, f.Commit+" "+a+" "+f.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Findings != len(got) {
		t.Errorf("summary counts %d findings, %d emitted", sum.Findings, len(got))
	}
	sort.Strings(got)
	return sum.Commits, got
}

// TestScanMatchesGit compares Scan with the git oracle on random histories
// with merges (including octopus merges), renames, type changes and
// several root commits, over the whole history and over random ranges.
func TestScanMatchesGit(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	var merges, octopus, roots, renames int
	defer func() {
		// The generator must have produced what the test claims to cover.
		if !t.Failed() && (merges == 0 || octopus == 0 || roots <= seeds || renames == 0) {
			t.Errorf("histories lacked coverage: %d merges with findings, %d octopus merges, %d roots, %d renames",
				merges, octopus, roots, renames)
		}
	}()
	for seed := int64(1); seed <= int64(seeds); seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := genHistory(t, seed, 40)
			roots += len(strings.Fields(r.Git("rev-list", "--max-parents=0", "--all")))
			octopus += len(strings.Fields(r.Git("rev-list", "--min-parents=3", "--all")))
			repo, err := gitops.Open(r.Dir, r.Env)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Scan(repo, ScanOptions{Revisions: gitops.Revisions{All: true}}, func(f ScanFinding) error {
				if f.Merge {
					merges++
				}
				if f.Action == gitops.Renamed {
					renames++
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			wantN, want := oracleScan(t, r, "--all")
			gotN, got := scanFindings(t, r, gitops.Revisions{All: true})
			if wantN != gotN || !slices.Equal(want, got) {
				t.Fatalf("--all: scan judged %d commits, git %d\nscan: %q\ngit:  %q", gotN, wantN, got, want)
			}
			// A range between two branches, and everything of one branch
			// not reachable from the others (pre-receive's question).
			rng := "b0..b1"
			wantN, want = oracleScan(t, r, rng)
			gotN, got = scanFindings(t, r, gitops.Revisions{Tips: []string{rng}})
			if wantN != gotN || !slices.Equal(want, got) {
				t.Fatalf("%s: scan judged %d commits, git %d\nscan: %q\ngit:  %q", rng, gotN, wantN, got, want)
			}
			wantN, want = oracleScan(t, r, "b2", "^b0", "^b1")
			gotN, got = scanFindings(t, r, gitops.Revisions{Tips: []string{"b2"}, Exclude: []string{"b0", "b1"}})
			if wantN != gotN || !slices.Equal(want, got) {
				t.Fatalf("b2 ^b0 ^b1: scan judged %d commits, git %d\nscan: %q\ngit:  %q", gotN, wantN, got, want)
			}
		})
	}
}

// TestScanRenamesAndMerges pins actions on a small hand-made history.
func TestScanRenamesAndMerges(t *testing.T) {
	r := gittest.Init(t)
	r.Write("a.pyc", "x")
	r.Write("m.py", "src")
	r.Commit("root with bytecode")
	r.Git("mv", "a.pyc", "b.pyc")
	if err := os.Mkdir(filepath.Join(r.Dir, "__pycache__"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.Git("mv", "m.py", "__pycache__/m.pyc")
	r.Commit("renames")
	r.Git("mv", "b.pyc", "b.py")
	r.Commit("rename out of bytecode")
	r.Git("rm", "-q", "__pycache__/m.pyc")
	r.Commit("delete")
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	sum, err := Scan(repo, ScanOptions{Revisions: gitops.Revisions{Tips: []string{"HEAD"}}}, func(f ScanFinding) error {
		got = append(got, fmt.Sprintf("%s %s %s<%s", r.Git("log", "-1", "--format=%s", f.Commit)[:4], f.Action, f.Path, f.From))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"rena renamed __pycache__/m.pyc<m.py", "rena renamed b.pyc<a.pyc", "root added a.pyc<"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if sum.Commits != 4 || sum.BadCommits != 2 || r.Git("log", "-1", "--format=%s", sum.Oldest) != "root with bytecode\n" {
		t.Fatalf("summary %+v", sum)
	}
}

// TestScanBadRevision: a revision git cannot resolve is ErrBadRevision, and
// an option-looking one never reaches git's option parser.
func TestScanBadRevision(t *testing.T) {
	r := gittest.Init(t)
	r.Commit("one")
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{"nope..HEAD", "--output=x", "HEAD\nHEAD", ""} {
		_, err := Scan(repo, ScanOptions{Revisions: gitops.Revisions{Tips: []string{rev}}}, func(ScanFinding) error { return nil })
		if !errorsIs(err, gitops.ErrBadRevision) {
			t.Errorf("%q: %v, want ErrBadRevision", rev, err)
		}
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
