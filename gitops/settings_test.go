package gitops

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestSettingsReadOnFirstUse: Open reads no configuration; the settings
// exist only as Repo.Settings' answer, which reads them (one git config),
// agrees with git's own reading of the keys, and is remembered.
func TestSettingsReadOnFirstUse(t *testing.T) {
	r := gittest.Init(t)
	excludes := filepath.Join(t.TempDir(), "global-ignore")
	r.Git("config", "core.ignorecase", "yes")
	r.Git("config", "core.excludesFile", excludes)
	trace := filepath.Join(t.TempDir(), "trace")
	repo, err := Open(r.Dir, append(r.Env, "GIT_TRACE="+trace))
	if err != nil {
		t.Fatal(err)
	}
	if n := gittest.Runs(t, trace, "config"); n != 0 {
		t.Fatalf("Open ran git config %d times", n)
	}
	set, err := repo.Settings()
	if err != nil {
		t.Fatal(err)
	}
	wantFold := strings.TrimSpace(r.Git("config", "--type=bool", "core.ignorecase")) == "true"
	wantExcludes := strings.TrimSpace(r.Git("config", "--type=path", "core.excludesFile"))
	if set.IgnoreCase != wantFold || set.ExcludesFile != wantExcludes {
		t.Errorf("Settings() = %+v; git says ignorecase %v, excludesFile %q", set, wantFold, wantExcludes)
	}
	if n := gittest.Runs(t, trace, "config"); n != 1 {
		t.Errorf("the first Settings ran git config %d times, want 1", n)
	}
	if again, err := repo.Settings(); err != nil || again != set {
		t.Errorf("second Settings() = %+v, %v; want %+v", again, err, set)
	}
	if n := gittest.Runs(t, trace, "config"); n != 1 {
		t.Errorf("a second Settings ran git config again (%d in all)", n)
	}

	// Unset keys: git's defaults (false, the XDG file).
	r.Git("config", "--unset", "core.ignorecase")
	r.Git("config", "--unset", "core.excludesFile")
	repo, err = Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	set, err = repo.Settings()
	xdg := repo.getenv("XDG_CONFIG_HOME")
	if err != nil || set.IgnoreCase || xdg == "" || set.ExcludesFile != filepath.Join(xdg, "git", "ignore") {
		t.Errorf("without the keys: Settings() = %+v, %v; want ignorecase false, excludesFile under %q", set, err, xdg)
	}
}

// TestSettingsUnreadableConfiguration: a configuration git cannot read is
// Settings' error, never the defaults, and is asked again once repaired.
func TestSettingsUnreadableConfiguration(t *testing.T) {
	r := gittest.Init(t)
	r.Git("config", "core.ignorecase", "true")
	repo, err := Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(r.Dir, ".git", "config")
	good, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append(append([]byte(nil), good...), "[core\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, gerr := r.Run(nil, "config", "--get", "core.ignorecase"); gerr == nil {
		t.Fatal("git reads the broken configuration; the test needs one it refuses")
	}
	if set, err := repo.Settings(); err == nil {
		t.Fatalf("Settings() on a configuration git refuses = %+v, no error", set)
	}
	if err := os.WriteFile(cfg, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if set, err := repo.Settings(); err != nil || !set.IgnoreCase {
		t.Errorf("after the repair: Settings() = %+v, %v; want ignorecase true", set, err)
	}
}
