package gitops

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestOpenInProcessAgreesWithGit builds every layout the suite knows and
// asks both ways of opening a repository. Opening through git finds the
// work tree and the index git itself uses (rev-parse --show-toplevel,
// --git-path index); where the in-process discovery
// answers, its answer equals git's field for field; where it must not
// answer (anything but the top of a plain work tree), it declines. The
// cases it is meant for are required to take the fast path, so the test
// fails if the fast path silently stops being used.
func TestOpenInProcessAgreesWithGit(t *testing.T) {
	main := gittest.Init(t)
	main.Write("sub/dir/x.py", "x")
	main.Commit("one")
	other := gittest.Init(t)
	other.Write("o.py", "o")
	other.Commit("o")
	main.Git("submodule", "add", "-q", other.Dir, "modules/other")
	main.Commit("sub")
	wtDir := filepath.Join(t.TempDir(), "wt")
	main.Git("worktree", "add", "-q", wtDir, "-b", "side")

	gitDir := filepath.Join(t.TempDir(), "dot.git")
	home := t.TempDir()
	dot := gittest.Dir(t, home)
	dot.Git("init", "-q", "--bare", gitDir)

	sep := gittest.Dir(t, t.TempDir())
	sepGit := filepath.Join(t.TempDir(), "sep.git")
	sepWT := t.TempDir()
	sep.Git("init", "-q", "--separate-git-dir", sepGit, sep.Dir)
	sep.At(sepGit).Git("config", "core.worktree", sepWT)

	// A work tree whose own config moves the work tree elsewhere.
	moved := gittest.Init(t)
	moved.Git("config", "core.worktree", t.TempDir())

	// The same repository reached through a symbolic link.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(main.Dir, link); err != nil {
		t.Fatal(err)
	}
	indexLink := filepath.Join(t.TempDir(), "idxdir")
	if err := os.Symlink(filepath.Join(main.Dir, ".git"), indexLink); err != nil {
		t.Fatal(err)
	}

	sha256 := gittest.Init(t, "--object-format=sha256")
	sha256.Write("a.py", "a")
	sha256.Commit("a")

	included := gittest.Init(t)
	included.Write("inc.cfg", "[core]\n\tbare = false\n")
	included.Git("config", "include.path", filepath.Join(included.Dir, "inc.cfg"))

	wtConfig := gittest.Init(t)
	wtConfig.Git("config", "extensions.worktreeConfig", "true")

	bareFalseQuoted := gittest.Init(t)
	bareFalseQuoted.Git("config", "core.bare", "no")

	bare := gittest.Init(t, "--bare")

	cases := []struct {
		name string
		r    *gittest.Repo
		fast bool // the in-process discovery must answer
	}{
		{"root", main, true},
		{"GIT_INDEX_FILE relative", main.With("GIT_INDEX_FILE=.git/index.lock"), true},
		{"GIT_INDEX_FILE absolute", main.With("GIT_INDEX_FILE=" + filepath.Join(t.TempDir(), "next-index-1.lock")), true},
		{"GIT_INDEX_FILE through a symbolic link", main.With("GIT_INDEX_FILE=" + filepath.Join(indexLink, "index.lock")), true},
		{"root through a symbolic link", main.At(link), true},
		{"core.bare no", bareFalseQuoted, true},
		{"subdirectory", main.At("sub/dir"), false},
		{"linked worktree", main.At(wtDir), false},
		{"submodule", main.At("modules/other"), false},
		{"GIT_DIR and GIT_WORK_TREE", dot.With("GIT_DIR="+gitDir, "GIT_WORK_TREE="+home), false},
		{"core.worktree through a .git file", sep, false},
		{"core.worktree in the repository's config", moved, false},
		{"GIT_DIR with core.worktree", sep.At(t.TempDir()).With("GIT_DIR=" + sepGit), false},
		{"sha256", sha256, false},
		{"include", included, false},
		{"extensions.worktreeConfig", wtConfig, false},
		{"bare", bare, false},
		{"inside .git", main.At(".git"), false},
		{"command-line configuration", main.With("GIT_CONFIG_PARAMETERS='core.bare'='false'"), false},
		{"safe.directory from the environment", main.With("GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=safe.directory", "GIT_CONFIG_VALUE_0=*"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, ok := openInProcess(c.r.Dir, c.r.Env, hostDiscovery())
			if ok != c.fast {
				t.Fatalf("in-process discovery answered = %v, want %v", ok, c.fast)
			}
			viaGit, err := openViaGit(c.r.Dir, c.r.Env)
			if err == nil && viaGit.WorkTree != "" {
				// The work tree and the index are the ones git itself uses.
				top := strings.TrimSpace(c.r.Git("rev-parse", "--show-toplevel"))
				idx := strings.TrimSpace(c.r.Git("rev-parse", "--path-format=absolute", "--git-path", "index"))
				if viaGit.WorkTree != filepath.Clean(top) {
					t.Errorf("WorkTree = %q, git says %q", viaGit.WorkTree, top)
				}
				if viaGit.IndexFile != filepath.Clean(idx) {
					t.Errorf("IndexFile = %q, git says %q", viaGit.IndexFile, idx)
				}
			}
			if !ok {
				return
			}
			if err != nil {
				t.Fatalf("git refuses what the in-process discovery accepted: %v", err)
			}
			if !reflect.DeepEqual(fast, viaGit) {
				t.Errorf("in-process: %+v\ngit:        %+v", *fast, *viaGit)
			}
		})
	}
}

// TestOpenInProcessLeavesOwnershipToGit: a repository another user owns is
// git's to judge (safe.directory), so the fast path declines and Open
// reports what git reports.
func TestOpenInProcessLeavesOwnershipToGit(t *testing.T) {
	r := gittest.Init(t)
	if _, ok := openInProcess(r.Dir, r.Env, hostDiscovery()); !ok {
		t.Fatal("own repository: in-process discovery declined")
	}
	notMine := discoveryPlatform{ownerCheck: true, ownedByMe: func(string) bool { return false }}
	if _, ok := openInProcess(r.Dir, r.Env, notMine); ok {
		t.Error("repository of another owner: in-process discovery answered")
	}
	if _, ok := openInProcess(r.Dir, r.Env, discoveryPlatform{}); ok {
		t.Error("platform without an ownership check: in-process discovery answered")
	}
	if os.Geteuid() != 0 {
		return
	}
	// As root (CI), hand the repository to another user and ask both.
	if err := filepath.Walk(r.Dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, 65534, 65534)
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok := openInProcess(r.Dir, r.Env, hostDiscovery()); ok {
		t.Error("repository owned by another user: in-process discovery answered")
	}
	_, gitErr := openViaGit(r.Dir, r.Env)
	_, err := Open(r.Dir, r.Env)
	if (err == nil) != (gitErr == nil) {
		t.Errorf("Open: %v; git: %v", err, gitErr)
	}
}

// TestPlainRepoConfig: the strict reader of a repository's config declines
// whatever it cannot read exactly.
func TestPlainRepoConfig(t *testing.T) {
	for _, c := range []struct {
		cfg  string
		want bool
	}{
		{"[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n", true},
		{"[core]\n\tbare = false ; a comment\n[remote \"origin\"]\n\turl = x\n", true},
		{"[CORE]\n\tBare = true\n", false},
		{"[core]\n\tbare\n", false},
		{"[core]\n\tbare = \"false\"\n", false},
		{"[core]\n\tworktree = /elsewhere\n", false},
		{"[core] bare = true\n", false},
		{"[core]\n\trepositoryformatversion = 2\n", false},
		{"[extensions]\n\tobjectformat = sha1\n", false},
		{"[includeIf \"gitdir:/x/\"]\n\tpath = y\n", false},
		{"[core.x]\n\tbare = true\n", true}, // core.x.bare is not core.bare
		{"[alias]\n\tx = !echo \\\n[core]\n\tbare = true\n", false},
		{"\xef\xbb\xbf[core]\n", false},
	} {
		if got := plainRepoConfig([]byte(c.cfg)); got != c.want {
			t.Errorf("plainRepoConfig(%q) = %v, want %v", c.cfg, got, c.want)
		}
	}
}
