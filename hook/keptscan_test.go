package hook

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestScanAgreesWithCheckOnNegations: a bytecode file that a "!" rule of
// the repository's .gitignore files keeps on purpose passes check; the
// commit that carries it then passes scan (and so pre-receive and audit,
// which judge history with Scan). Each commit is staged, judged by check
// as the pre-commit hook would (what it blocks is the oracle), committed
// anyway, and the whole history scanned: scan reports exactly the
// (commit, path) pairs check blocked. The cases: a negation in the top
// .gitignore and in a deeper one, one inside an ignored directory (which
// git never reads), one behind a symbolic link (which git does not
// follow), a negation removed by a later commit (the file modified after
// it blocks), and a deeper .gitignore that un-ignores a __pycache__
// directory the top one ignores.
func TestScanAgreesWithCheckOnNegations(t *testing.T) {
	r := gittest.Init(t)
	r.UseEnv(t)
	steps := []func(){
		func() {
			r.Write(".gitignore", "*.pyc\n__pycache__/\n!fixtures/*.pyc\nbuild/\n")
			r.Write("fixtures/a.pyc", "a")
			r.Write("top.pyc", "t")
		},
		func() {
			r.Write("pkg/.gitignore", "!keep.pyc\n")
			r.Write("pkg/keep.pyc", "k")
			r.Write("pkg/other.pyc", "o")
			r.Write("build/.gitignore", "!x.pyc\n")
			r.Write("build/x.pyc", "x")
		},
		func() {
			r.Write("lnk/rules", "!l.pyc\n")
			if err := os.Symlink("rules", filepath.Join(r.Dir, "lnk", ".gitignore")); err != nil {
				t.Fatal(err)
			}
			r.Write("lnk/l.pyc", "l")
			r.Write("fixtures/a.pyc", "a, modified")
		},
		func() {
			r.Write(".gitignore", "*.pyc\n__pycache__/\nbuild/\n")
			r.Write("fixtures/a.pyc", "a, modified again")
			r.Write("pkg/keep.pyc", "k, modified")
		},
		func() {
			r.Write("new/.gitignore", "!__pycache__/\n!__pycache__/*\n")
			r.Write("new/__pycache__/n.cpython-312.pyc", "n")
		},
	}
	var blocked []string
	for i, step := range steps {
		step()
		r.Git("add", "-A", "-f")
		run, err := RunCheck(CheckRequest{Dir: r.Dir, Mode: Staged})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		r.Git("commit", "-q", "--no-verify", "-m", "step")
		head := strings.TrimSpace(r.Git("rev-parse", "HEAD"))
		for _, f := range run.Result.Findings {
			blocked = append(blocked, head[:7]+" "+f.Path)
		}
	}
	// The oracle itself: what check blocks and keeps in these cases.
	var paths []string
	for _, b := range blocked {
		paths = append(paths, b[8:])
	}
	sort.Strings(paths)
	if want := []string{"build/x.pyc", "fixtures/a.pyc", "lnk/l.pyc", "pkg/other.pyc", "top.pyc"}; !slices.Equal(paths, want) {
		t.Fatalf("check blocked %q, want %q: the cases do not test what they say", blocked, want)
	}

	repo, err := gitops.Open(r.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var scanned []string
	sum, err := Scan(repo, ScanOptions{Revisions: gitops.Revisions{All: true}, KeptByTree: true}, func(f ScanFinding) error {
		scanned = append(scanned, f.Commit[:7]+" "+f.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(blocked)
	sort.Strings(scanned)
	if !slices.Equal(scanned, blocked) {
		t.Errorf("scan reports\n  %q\ncheck blocked\n  %q", scanned, blocked)
	}
	if sum.Findings != len(blocked) {
		t.Errorf("%d findings counted, %d reported", sum.Findings, len(blocked))
	}
}

// TestScanIgnoresHugeGitignore: a commit's .gitignore over
// maxCommitGitignore is not read, so its negation keeps nothing and the
// file it names still blocks; one byte less is read.
func TestScanIgnoresHugeGitignore(t *testing.T) {
	for _, c := range []struct {
		size  int
		found int
	}{{maxCommitGitignore, 0}, {maxCommitGitignore + 1, 1}} {
		r := gittest.Init(t)
		rules := "*.pyc\n!kept.pyc\n"
		r.Write(".gitignore", rules+strings.Repeat("#", c.size-len(rules)-1)+"\n")
		r.Write("kept.pyc", "k")
		r.Git("add", "-f", ".gitignore", "kept.pyc")
		r.Git("commit", "-q", "-m", "kept")
		repo, err := gitops.Open(r.Dir, r.Env)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := Scan(repo, ScanOptions{Revisions: gitops.Revisions{All: true}, KeptByTree: true}, func(ScanFinding) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if sum.Findings != c.found {
			t.Errorf(".gitignore of %d bytes: %d findings, want %d", c.size, sum.Findings, c.found)
		}
	}
}

// TestScanNegationsFoldCaseAsCheck: with core.ignorecase a negation keeps
// a file whatever its case, in check and in scan alike; without it,
// neither keeps it.
func TestScanNegationsFoldCaseAsCheck(t *testing.T) {
	for _, fold := range []bool{true, false} {
		r := gittest.Init(t)
		r.UseEnv(t)
		r.Git("config", "core.ignorecase", strconv.FormatBool(fold))
		r.Write(".gitignore", "*.pyc\n!Keep.pyc\n")
		r.Write("keep.pyc", "k")
		r.Git("add", "-f", ".gitignore", "keep.pyc")
		run, err := RunCheck(CheckRequest{Dir: r.Dir, Mode: Staged})
		if err != nil {
			t.Fatal(err)
		}
		if run.Result.Blocked() == fold {
			t.Fatalf("core.ignorecase=%v: check blocked=%v", fold, run.Result.Blocked())
		}
		r.Git("commit", "-q", "--no-verify", "-m", "keep")
		repo, err := gitops.Open(r.Dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := Scan(repo, ScanOptions{Revisions: gitops.Revisions{All: true}, KeptByTree: true}, func(ScanFinding) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if sum.Blocked() != run.Result.Blocked() {
			t.Errorf("core.ignorecase=%v: scan blocked=%v, check blocked=%v", fold, sum.Blocked(), run.Result.Blocked())
		}
	}
}
