package gitops

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestGermanGit: with git translated (LANGUAGE=de), repository discovery,
// bad revisions and a locked index are told apart exactly as in English —
// every decision comes from git's plumbing answers and exit codes, or from
// its messages in the C locale startGit fixes (issue: a translated git
// broke scan --all in a bare repository).
func TestGermanGit(t *testing.T) {
	gittest.RequireGerman(t)
	r := gittest.Init(t).With(gittest.GermanVars...)
	r.Write("a.py", "x\n")
	r.Commit("one")
	bare := gittest.Dir(t, t.TempDir()).With(gittest.GermanVars...)
	bare.Git("clone", "-q", "--bare", r.Dir, bare.Dir)

	repo, err := Open(bare.Dir, bare.Env)
	if err != nil || !repo.Bare || repo.WorkTree != "" || repo.GitDir == "" {
		t.Fatalf("bare: %+v, %v", repo, err)
	}
	inGitDir, err := Open(filepath.Join(r.Dir, ".git"), r.Env)
	if err != nil || inGitDir.WorkTree != "" || inGitDir.Bare {
		t.Fatalf("inside .git: %+v, %v", inGitDir, err)
	}
	top, err := Open(r.Dir, r.Env)
	if err != nil || top.WorkTree == "" {
		t.Fatalf("work tree: %+v, %v", top, err)
	}

	outside := t.TempDir()
	env := append(append([]string(nil), r.Env...), "GIT_CEILING_DIRECTORIES="+filepath.Dir(outside))
	if _, err := Open(outside, env); !errors.Is(err, ErrNotRepository) {
		t.Fatalf("outside a repository: %v, want ErrNotRepository", err)
	}

	walk := func(revs Revisions) error {
		return repo.WalkHistory(revs, func(string) bool { return true }, func(*HistoryCommit) error { return nil })
	}
	if err := walk(Revisions{All: true}); err != nil {
		t.Fatalf("walk --all in a bare repository: %v", err)
	}
	for _, rev := range []string{"nope..main", "main..nope", "nope", "main~5"} {
		if err := walk(Revisions{Tips: []string{rev}}); !errors.Is(err, ErrBadRevision) {
			t.Errorf("%q: %v, want ErrBadRevision", rev, err)
		}
	}

	// A lock taken between the check and git's own attempt: ErrIndexLocked.
	top.dir = r.Dir
	lock := top.IndexFile + ".lock"
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := top.Untrack([]string{"a.py"}); !errors.Is(err, ErrIndexLocked) {
		t.Fatalf("untrack with index.lock: %v, want ErrIndexLocked", err)
	}
}

// TestGitEnvFixesLocale: every git pycguard starts gets LC_ALL=C and an
// empty LANGUAGE, whatever the caller's environment says.
func TestGitEnvFixesLocale(t *testing.T) {
	env := gitEnv([]string{"LANGUAGE=de", "LC_ALL=de_DE.UTF-8", "LANG=de_DE.UTF-8", "HOME=/h"})
	got := map[string]int{}
	for _, kv := range env {
		got[kv]++
	}
	if got["LC_ALL=C"] != 1 || got["LANGUAGE="] != 1 || got["LANGUAGE=de"] != 0 || got["LC_ALL=de_DE.UTF-8"] != 0 || got["HOME=/h"] != 1 {
		t.Fatalf("gitEnv: %q", env)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := RunGit(t.TempDir(), nil, nil, "version"); !errors.Is(err, ErrGitMissing) {
		t.Fatalf("git not on PATH: %v, want ErrGitMissing", err)
	}
}
