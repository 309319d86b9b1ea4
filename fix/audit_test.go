package fix

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestAuditNumbersMatchGit checks audit's counts against git's own plumbing:
// tracked bytecode with git ls-files and git cat-file, history with git
// rev-list --objects --all and git cat-file --batch-check, commits with git
// log.
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

	repo, err := gitops.Discover(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	a, err := RunAudit(repo)
	if err != nil {
		t.Fatal(err)
	}

	// tracked: git ls-files -s + cat-file -s
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

	// history: rev-list --objects --all, bytecode names, cat-file sizes
	blobs := map[string]int64{}
	for _, line := range strings.Split(strings.TrimSpace(r.Git("rev-list", "--objects", "--all")), "\n") {
		h, p, ok := strings.Cut(line, " ")
		if !ok || !bytecode.IsBytecode(p, false) {
			continue
		}
		check := strings.Fields(r.GitIn([]byte(h+"\n"), "cat-file", "--batch-check"))
		if check[1] != "blob" {
			continue
		}
		n, _ := strconv.ParseInt(check[2], 10, 64)
		blobs[h] = n
	}
	var histBytes int64
	for _, n := range blobs {
		histBytes += n
	}
	if a.History.Blobs != len(blobs) || a.History.Bytes != histBytes {
		t.Errorf("history: %d blobs, %d bytes; git: %d blobs, %d bytes", a.History.Blobs, a.History.Bytes, len(blobs), histBytes)
	}
	if len(blobs) < 10 {
		t.Fatalf("the oracle found only %d blobs", len(blobs))
	}

	// commits that added bytecode: git log per commit, against the first parent
	wantCommits := 0
	for _, c := range strings.Fields(r.Git("rev-list", "--all")) {
		names := r.Git("diff-tree", "-r", "--root", "--no-renames", "--diff-filter=A", "--name-only", "-z", "--no-commit-id", c)
		for _, p := range gittest.SplitZ(names) {
			if bytecode.IsBytecode(p, false) {
				wantCommits++
				break
			}
		}
	}
	if a.History.CommitsTotal != wantCommits {
		t.Errorf("commits adding bytecode: %d, git: %d", a.History.CommitsTotal, wantCommits)
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
}
