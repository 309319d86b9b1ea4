package gitops

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestGitignoreReader: the .gitignore files of a commit are the regular
// files git ls-tree lists there, with git cat-file's contents; a symbolic
// link or a submodule named .gitignore, a directory without one, a path
// that is a file and a file over the limit have none.
func TestGitignoreReader(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.pyc\n!keep.pyc\n")
	r.Write("pkg/.gitignore", "!*.pyo\n")
	r.Write("pkg/deep/.gitignore", "")
	r.Write("exe/.gitignore", "exe\n")
	if err := os.Chmod(filepath.Join(r.Dir, "exe", ".gitignore"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.Write("big/.gitignore", strings.Repeat("x\n", 100))
	r.Write("lnk/target", "*.py\n")
	if err := os.Symlink("target", filepath.Join(r.Dir, "lnk", ".gitignore")); err != nil {
		t.Fatal(err)
	}
	r.Write("plain/m.py", "")
	r.Write("file", "")
	r.Commit("one")
	sub := gittest.Init(t)
	sub.Commit("sub")
	r.Git("update-index", "--add", "--cacheinfo", "160000,"+strings.TrimSpace(sub.Git("rev-parse", "HEAD"))+",gl/.gitignore")
	r.Git("commit", "-q", "-m", "gitlink")
	commit := strings.TrimSpace(r.Git("rev-parse", "HEAD"))

	repo, err := Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{"", "pkg", "pkg/deep", "exe", "big", "lnk", "plain", "file", "absent", "gl"}
	gr := repo.GitignoreReader(100)
	defer gr.Close()
	got, err := gr.Read(commit, dirs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, d := range dirs {
		name := strings.TrimPrefix(d+"/.gitignore", "/")
		ls := r.Git("ls-tree", commit, "--", name)
		if strings.HasPrefix(ls, "100644 blob ") || strings.HasPrefix(ls, "100755 blob ") {
			if content := r.Git("cat-file", "blob", commit+":"+name); len(content) <= 100 {
				want[name] = content
			}
		}
	}
	if len(want) != 4 {
		t.Fatalf("the oracle lists %d files, want 4: %q", len(want), want)
	}
	if len(got) != len(want) {
		t.Errorf("got %d files, git lists %d: %q", len(got), len(want), got)
	}
	for name, content := range want {
		if g, ok := got[name]; !ok || string(g) != content {
			t.Errorf("%s: %q (%v), git says %q", name, g, ok, content)
		}
	}
	// The in-process answer is the one git cat-file gives.
	if direct, err := gr.readDirect(commit, dirs); err != nil || !maps.EqualFunc(direct, got, bytes.Equal) {
		t.Errorf("in-process: %q, %v; Read gave %q", direct, err, got)
	}
	if viaGit, err := gr.readViaGit(commit, dirs); err != nil || !maps.EqualFunc(viaGit, got, bytes.Equal) {
		t.Errorf("through git: %q, %v; Read gave %q", viaGit, err, got)
	}
	if _, err := gr.Read(strings.Repeat("ab", 20), []string{""}); err == nil {
		t.Error("an unknown commit: no error")
	}
	if _, err := gr.readViaGit(strings.Repeat("ab", 20), []string{""}); err == nil {
		t.Error("an unknown commit through git: no error")
	}
	// An old tree's 100664 is a regular file to git (ls-tree shows 100644).
	blob := strings.TrimSpace(r.GitIn([]byte("!x.pyc\n"), "hash-object", "-w", "--stdin"))
	tree := strings.TrimSpace(r.GitIn([]byte("100664 blob "+blob+"\t.gitignore\n"), "mktree"))
	old := strings.TrimSpace(r.Git("commit-tree", "-m", "old mode", tree))
	if ls := r.Git("ls-tree", old); !strings.HasPrefix(ls, "100644 blob ") {
		t.Fatalf("git ls-tree: %q", ls)
	}
	for name, read := range map[string]func(string, []string) (map[string][]byte, error){"Read": gr.Read, "through git": gr.readViaGit} {
		if got, err := read(old, []string{""}); err != nil || string(got[".gitignore"]) != "!x.pyc\n" {
			t.Errorf("%s of a 100664 .gitignore: %q, %v", name, got, err)
		}
	}
	// The store stays open between commits and answers the next one.
	first := strings.TrimSpace(r.Git("rev-parse", "HEAD~1"))
	again, err := gr.Read(first, []string{"", "pkg"})
	if err != nil || string(again[".gitignore"]) != want[".gitignore"] || string(again["pkg/.gitignore"]) != want["pkg/.gitignore"] {
		t.Errorf("HEAD~1: %q, %v", again, err)
	}
}
