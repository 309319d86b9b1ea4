package hook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestKeptByNegationReadsConfigOnlyForNegations: a blocking commit in a
// repository whose .gitignore files have no "!" rule starts no git process
// to decide that nothing is kept (GIT_TRACE shows none); with a negation the
// configuration is read, and it matters: a core.excludesFile that ignores
// the directory makes git ignore the file whatever the negation says, so
// it is not kept, as git check-ignore confirms.
func TestKeptByNegationReadsConfigOnlyForNegations(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "__pycache__/\n*.pyc\n")
	r.Commit("rules")
	trace := filepath.Join(t.TempDir(), "trace")
	repo, err := gitops.Open(r.Dir, append(r.Env, "GIT_TRACE="+trace))
	if err != nil {
		t.Fatal(err)
	}
	kept := KeptByNegation(repo)
	if kept("pkg/__pycache__/m.cpython-312.pyc") || kept("x.pyc") {
		t.Error("kept without any negation")
	}
	if _, err := os.Stat(trace); !os.IsNotExist(err) {
		t.Errorf("git was started without a negation in any .gitignore (trace: %v)", err)
	}

	r.Write("legacy/.gitignore", "!keep.pyc\n")
	global := filepath.Join(t.TempDir(), "global-ignore")
	if err := os.WriteFile(global, []byte("legacy/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Git("config", "core.excludesFile", global)
	r.Write("legacy/keep.pyc", "x")
	r.Write("other/keep.pyc", "x")
	repo, err = gitops.Open(r.Dir, append(r.Env, "GIT_TRACE="+trace))
	if err != nil {
		t.Fatal(err)
	}
	kept = KeptByNegation(repo)
	// git ignores legacy/ through core.excludesFile: legacy/.gitignore is
	// never read, so its negation keeps nothing.
	if out, _, err := r.Run(nil, "check-ignore", "-v", "--no-index", "legacy/keep.pyc"); err != nil || len(out) == 0 {
		t.Fatalf("git check-ignore: %q %v", out, err)
	}
	if kept("legacy/keep.pyc") {
		t.Error("legacy/keep.pyc kept, though git ignores its directory through core.excludesFile")
	}
	if _, err := os.Stat(trace); err != nil {
		t.Errorf("with a negation the configuration was not read: %v", err)
	}

	// Without the global rule the negation decides.
	r.Git("config", "--unset", "core.excludesFile")
	repo, err = gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	if !KeptByNegation(repo)("legacy/keep.pyc") {
		t.Error("legacy/keep.pyc not kept by legacy/.gitignore's negation")
	}
}
