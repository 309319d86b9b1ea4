package hook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestInstallDirSharedHooksDir: the hook goes where git runs hooks from
// (git rev-parse --git-path hooks), and only a hooks directory inside the
// work tree and outside the git directory is shared: its script names no
// executable. The results name the hook inside the work tree relative to
// its top (Repo.RepoPath), and UninstallDir removes it again.
func TestInstallDirSharedHooksDir(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "hooks")
	cases := []struct {
		name, hooksPath string
		shared          bool
	}{
		{"default", "", false},
		{"relative inside", ".githooks", true},
		{"nested inside", "tools/hooks", true},
		{"inside the git directory", ".git/myhooks", false},
		{"absolute outside", outside, false},
	}
	const exe = "/opt/pycguard-test/bin/pycguard"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			r.UseEnv(t)
			if tc.hooksPath != "" {
				r.Git("config", "core.hooksPath", tc.hooksPath)
			}
			want := filepath.Clean(strings.TrimSpace(r.Git("rev-parse", "--path-format=absolute", "--git-path", "hooks")))
			res, err := InstallDir(r.Dir, InstallOptions{Executable: exe})
			if err != nil {
				t.Fatal(err)
			}
			if res.HooksDir != want || res.Hook != filepath.Join(want, HookName) {
				t.Errorf("installed %s in %s, git runs hooks from %s", res.Hook, res.HooksDir, want)
			}
			script, err := os.ReadFile(res.Hook)
			if err != nil {
				t.Fatal(err)
			}
			if res.Shared != tc.shared || strings.Contains(string(script), exe) == tc.shared {
				t.Errorf("shared %v (want %v); script names the executable: %v", res.Shared, tc.shared, strings.Contains(string(script), exe))
			}
			if rel, err := res.Repo.RepoPath(res.Hook); tc.shared && (err != nil || rel != tc.hooksPath+"/"+HookName) {
				t.Errorf("the shared hook is named %q (%v) in the work tree", rel, err)
			}
			un, err := UninstallDir(r.Dir)
			if err != nil || len(un.Steps) != 1 || un.Steps[0].Hook != res.Hook || un.Repo == nil || un.Repo.WorkTree != res.Repo.WorkTree {
				t.Errorf("uninstall: %+v %v", un, err)
			}
			if _, err := os.Lstat(res.Hook); !os.IsNotExist(err) {
				t.Errorf("the hook is still there: %v", err)
			}
		})
	}
}

// TestInstallDirNeedsWorkTree: a bare repository has no commits to guard,
// and outside any repository there is nothing to install in: errors,
// nothing written.
func TestInstallDirNeedsWorkTree(t *testing.T) {
	t.Run("bare", func(t *testing.T) {
		r := gittest.Init(t, "--bare")
		r.UseEnv(t)
		if _, err := InstallDir(r.Dir, InstallOptions{}); !errors.Is(err, gitops.ErrBareRepository) {
			t.Errorf("install in a bare repository: %v", err)
		}
		if _, err := UninstallDir(r.Dir); !errors.Is(err, gitops.ErrBareRepository) {
			t.Errorf("uninstall in a bare repository: %v", err)
		}
		if _, err := os.Stat(filepath.Join(r.Dir, "hooks", HookName)); !os.IsNotExist(err) {
			t.Errorf("a hook was written: %v", err)
		}
	})
	t.Run("no repository", func(t *testing.T) {
		dir := t.TempDir()
		gittest.Dir(t, dir).With("GIT_CEILING_DIRECTORIES=" + filepath.Dir(dir)).UseEnv(t)
		if _, err := InstallDir(dir, InstallOptions{}); !errors.Is(err, gitops.ErrNotRepository) {
			t.Errorf("install outside a repository: %v", err)
		}
		if _, err := UninstallDir(dir); !errors.Is(err, gitops.ErrNotRepository) {
			t.Errorf("uninstall outside a repository: %v", err)
		}
		if ents, err := os.ReadDir(dir); err != nil || len(ents) != 0 {
			t.Errorf("something was written: %v %v", ents, err)
		}
	})
}
