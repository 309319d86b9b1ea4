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

// TestInstallInRepoSharedHooksDir: the hook goes where git runs hooks
// from (git rev-parse --git-path hooks), and only a hooks directory
// inside the work tree and outside the git directory is shared: its
// script names no executable.
func TestInstallInRepoSharedHooksDir(t *testing.T) {
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
			if tc.hooksPath != "" {
				r.Git("config", "core.hooksPath", tc.hooksPath)
			}
			want := filepath.Clean(strings.TrimSpace(r.Git("rev-parse", "--path-format=absolute", "--git-path", "hooks")))
			repo, err := gitops.Open(r.Dir, r.Env)
			if err != nil {
				t.Fatal(err)
			}
			res, err := InstallInRepo(repo, InstallOptions{Executable: exe})
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
			un, err := UninstallInRepo(repo)
			if err != nil || len(un.Steps) != 1 || un.Steps[0].Hook != res.Hook {
				t.Errorf("uninstall: %+v %v", un, err)
			}
		})
	}
}

// TestInstallInRepoNeedsWorkTree: a bare repository has no commits to
// guard: an error, nothing written.
func TestInstallInRepoNeedsWorkTree(t *testing.T) {
	r := gittest.Init(t, "--bare")
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := InstallInRepo(repo, InstallOptions{}); !errors.Is(err, gitops.ErrBareRepository) {
		t.Errorf("install in a bare repository: %v", err)
	}
	if _, err := UninstallInRepo(repo); !errors.Is(err, gitops.ErrBareRepository) {
		t.Errorf("uninstall in a bare repository: %v", err)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "hooks", HookName)); !os.IsNotExist(err) {
		t.Errorf("a hook was written: %v", err)
	}
}
