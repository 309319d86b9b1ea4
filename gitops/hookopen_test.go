package gitops

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestOpenForHookAgreesWithGit: in the layouts a pre-receive hook meets
// (a bare repository, GIT_DIR set, the quarantine's object directories
// set, SHA-1 or SHA-256) OpenForHook answers in-process exactly what git
// rev-parse answers (openViaGit); every layout it does not understand is
// left to git. Either way the handle it returns is complete: no field
// waits for a later load.
func TestOpenForHookAgreesWithGit(t *testing.T) {
	bare := gittest.Init(t, "--bare")
	sha256 := gittest.Init(t, "--bare", "--object-format=sha256")
	v1 := gittest.Init(t, "--bare")
	v1.Git("config", "core.repositoryformatversion", "1")
	quarantine := filepath.Join(bare.Dir, "objects", "incoming-test")
	if err := os.MkdirAll(filepath.Join(quarantine, "pack"), 0o755); err != nil {
		t.Fatal(err)
	}
	included := gittest.Init(t, "--bare")
	included.Write("inc.cfg", "[core]\n\tbare = false\n")
	included.Git("config", "include.path", filepath.Join(included.Dir, "inc.cfg"))
	other := gittest.Init(t, "--bare")
	other.Git("config", "extensions.noop", "true")
	other.Git("config", "core.repositoryformatversion", "1")
	work := gittest.Init(t)
	link := filepath.Join(t.TempDir(), "link.git")
	if err := os.Symlink(bare.Dir, link); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		r    *gittest.Repo
		fast bool // the in-process answer must be given
	}{
		{"bare, GIT_DIR=.", bare.With("GIT_DIR=."), true},
		{"bare, GIT_DIR absolute", bare.At(t.TempDir()).With("GIT_DIR=" + bare.Dir), true},
		{"bare through a symbolic link", bare.At(link).With("GIT_DIR=."), true},
		{"quarantine", bare.With("GIT_DIR=.", "GIT_QUARANTINE_PATH="+quarantine,
			"GIT_OBJECT_DIRECTORY="+quarantine, "GIT_ALTERNATE_OBJECT_DIRECTORIES="+filepath.Join(bare.Dir, "objects")), true},
		{"sha256", sha256.With("GIT_DIR=."), true},
		{"format version 1 without extensions", v1.With("GIT_DIR=."), true},
		{"configuration from the environment", bare.With("GIT_DIR=.", "GIT_CONFIG_COUNT=1",
			"GIT_CONFIG_KEY_0=receive.unpackLimit", "GIT_CONFIG_VALUE_0=1"), true},
		{"bare without GIT_DIR", bare, false},
		{"include", included.With("GIT_DIR=."), false},
		{"unknown extension", other.With("GIT_DIR=."), false},
		{"work tree's .git", work.With("GIT_DIR=.git"), false},
		{"GIT_WORK_TREE", bare.With("GIT_DIR=.", "GIT_WORK_TREE="+t.TempDir()), false},
		{"core.bare from the environment", bare.With("GIT_DIR=.", "GIT_CONFIG_COUNT=1",
			"GIT_CONFIG_KEY_0=core.bare", "GIT_CONFIG_VALUE_0=false"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, ok := openHookInProcess(c.r.Dir, c.r.Env, hostDiscovery())
			if ok != c.fast {
				t.Fatalf("in-process answered = %v, want %v", ok, c.fast)
			}
			viaGit, err := openViaGit(c.r.Dir, c.r.Env)
			if err != nil {
				t.Fatal(err)
			}
			got, err := OpenForHook(c.r.Dir, c.r.Env)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, viaGit) {
				t.Errorf("OpenForHook: %+v\ngit:         %+v", *got, *viaGit)
			}
			if ok && !reflect.DeepEqual(fast, viaGit) {
				t.Errorf("in-process: %+v\ngit:        %+v", *fast, *viaGit)
			}
			if got.GitDir == "" || got.CommonDir == "" || got.ObjectFormat == "" {
				t.Errorf("incomplete handle: %+v", *got)
			}
		})
	}

	// Another owner's repository is git's to judge (safe.directory).
	notMine := discoveryPlatform{ownerCheck: true, ownedByMe: func(string) bool { return false }}
	if _, ok := openHookInProcess(bare.Dir, bare.With("GIT_DIR=.").Env, notMine); ok {
		t.Error("repository of another owner: answered in-process")
	}
	if _, ok := openHookInProcess(bare.Dir, bare.With("GIT_DIR=.").Env, discoveryPlatform{}); ok {
		t.Error("platform without an ownership check: answered in-process")
	}
	// Not a repository: an error, before anything is read.
	dir := t.TempDir()
	if _, err := OpenForHook(dir, gittest.Dir(t, dir).With("GIT_CEILING_DIRECTORIES="+filepath.Dir(dir)).Env); !errors.Is(err, ErrNotRepository) {
		t.Errorf("not a repository: err = %v, want ErrNotRepository", err)
	}
}

// TestBareRepoConfig: only a configuration read exactly, bare, and with
// no extension but the object format (under format version 1) is
// answered in-process.
func TestBareRepoConfig(t *testing.T) {
	cases := []struct {
		cfg, want string // want "" declines
	}{
		{"[core]\n\trepositoryformatversion = 0\n\tbare = true\n", "sha1"},
		{"[core]\n\trepositoryformatversion = 1\n\tbare = true\n[extensions]\n\tobjectformat = sha256\n", "sha256"},
		{"[core]\n\tbare = true # a comment\n[receive]\n\tunpackLimit = 1\n[remote \"o\"]\n\tbare = false\n", "sha1"},
		{"[core]\n\trepositoryformatversion = 0\n\tbare = true\n[extensions]\n\tobjectformat = sha256\n", ""},
		{"[core]\n\trepositoryformatversion = 1\n\tbare = true\n[extensions]\n\tobjectformat = sha256\n\tobjectformat = sha1\n", ""},
		{"[core]\n\trepositoryformatversion = 1\n\tbare = true\n[extensions]\n\tpartialclone = origin\n", ""},
		{"[core]\n\tbare\n", ""},
		{"[core]\n\tbare = yes\n", ""},
		{"[core]\n\tbare = false\n", ""},
		{"[core]\n\trepositoryformatversion = 0\n", ""},
		{"[core]\n\tbare = true\n\tworktree = /elsewhere\n", ""},
		{"[core \"x\"]\n\tbare = true\n", ""},
		{"[core]\n\tbare = true\n[include]\n\tpath = other\n", ""},
		{"[core]\n\tbare = \\\n\ttrue\n", ""},
		{"\xef\xbb\xbf[core]\n\tbare = true\n", ""},
	}
	for _, c := range cases {
		got, ok := bareRepoConfig([]byte(c.cfg))
		if ok != (c.want != "") || got != c.want {
			t.Errorf("bareRepoConfig(%q) = %q, %v; want %q", c.cfg, got, ok, c.want)
		}
	}
}
