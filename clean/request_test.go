//go:build unix

package clean

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/internal/gittest"
)

// environ is a Getenv reading only kv (KEY=VALUE pairs).
func environ(kv ...string) func(string) string {
	return func(k string) string {
		for _, s := range kv {
			if key, v, _ := strings.Cut(s, "="); key == k {
				return v
			}
		}
		return ""
	}
}

// realTempDir is a fresh directory by its real path (git reports work
// trees by theirs).
func realTempDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// outsideRepo returns a fresh directory that git finds no repository
// from, with an isolated environment for git; the test is skipped if the
// temporary directory lies in a repository.
func outsideRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.Dir(t, realTempDir(t))
	if _, _, err := r.Run(nil, "rev-parse", "--git-dir"); err == nil {
		t.Skip("the temporary directory is inside a git repository")
	}
	return r
}

// mustClean runs Clean with no environment but env, failing on an error.
func mustClean(t *testing.T, req Request, warn func(config.ShadowedConfig), env ...string) *Result {
	t.Helper()
	req.Getenv = environ(env...)
	res, err := Clean(req, warn)
	if err != nil {
		t.Fatalf("Clean: %v", err)
	}
	return res
}

// TestCleanConfigInWorkTree: inside a work tree the configuration's
// exclude applies at the top of the work tree, also when Dir (-C) is a
// subdirectory and when the file is named with --config.
func TestCleanConfigInWorkTree(t *testing.T) {
	r := gittest.Init(t)
	top, err := filepath.EvalSymlinks(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	r.Write(".pycguard.toml", "exclude = [\"/pkg/__pycache__/\"]\n")
	r.Write("other.toml", "exclude = [\"pkg/keep.pyc\"]\n")
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "")
	r.Write("pkg/keep.pyc", "")
	r.Write("pkg/__pycache__/sub/n.pyc", "")
	r.Write("pkg/t.pyc", "")
	for _, c := range []struct{ dir, file, source string }{
		{top, "", ".pycguard.toml"},
		{filepath.Join(top, "pkg"), "", ".pycguard.toml"},
		{filepath.Join(top, "pkg"), "../other.toml", "../other.toml"},
	} {
		got, err := configuredExclude(c.dir, r.Env, c.file, nil)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if got == nil || got.Top != top || got.Source != c.source+": exclude" || len(got.Patterns) != 1 {
			t.Errorf("%+v: configured exclude %+v, want at %s from %s", c, got, top, c.source)
		}
	}

	res := mustClean(t, Request{Options: Options{Dir: filepath.Join(top, "pkg"), Env: r.Env, List: true}}, nil)
	sameSet(t, "removed", removedSet(t, res, "."), map[string]bool{"keep.pyc": true, "t.pyc": true})
	if !exists(filepath.Join(top, "pkg/__pycache__/m.cpython-312.pyc")) {
		t.Error("the configured exclude was not applied from a subdirectory")
	}
}

// TestCleanConfigOutsideRepository: outside any repository --config is
// read and applies at Dir; without it there is no configured exclude,
// even when Dir holds a .pycguard.toml.
func TestCleanConfigOutsideRepository(t *testing.T) {
	r := outsideRepo(t)
	r.Write("conf/pycguard.toml", "exclude = [\"/vendor/\"]\n")
	r.Write(".pycguard.toml", "exclude = [\"*.pyc\"]\n")
	r.Write("vendor/__pycache__/v.pyc", "")
	r.Write("src/__pycache__/s.pyc", "")

	got, err := configuredExclude(r.Dir, r.Env, "conf/pycguard.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Top != r.Dir || got.Source != "conf/pycguard.toml: exclude" {
		t.Errorf("--config outside a repository: %+v, want at %s", got, r.Dir)
	}
	if got, err := configuredExclude(r.Dir, r.Env, "", nil); got != nil || err != nil {
		t.Errorf("no repository, no --config: %+v, %v; want none", got, err)
	}

	req := Request{Options: Options{Dir: r.Dir, Env: r.Env, DryRun: true, List: true}, ConfigFile: "conf/pycguard.toml"}
	res := mustClean(t, req, nil)
	sameSet(t, "--config: would remove", removedSet(t, res, "."), map[string]bool{"src/__pycache__": true, "src/__pycache__/s.pyc": true})
	req.ConfigFile = ""
	res = mustClean(t, req, nil)
	if res.Files != 2 {
		t.Errorf("without --config: would remove %d files, want 2 (the .pycguard.toml outside a repository is not read)", res.Files)
	}
}

// TestCleanConfigInvalid: an invalid configuration is an error naming
// file:line, and nothing is removed.
func TestCleanConfigInvalid(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".pycguard.toml", "exclude = 3\n")
	r.Write("__pycache__/m.pyc", "")
	o := outsideRepo(t)
	o.Write("bad.toml", "\nexclude = [1]\n")
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{Options: Options{Dir: r.Dir, Env: r.Env}}, ".pycguard.toml:1:"},
		{Request{Options: Options{Dir: o.Dir, Env: o.Env}, ConfigFile: "bad.toml"}, "bad.toml:2:"},
	} {
		c.req.Getenv = environ()
		_, err := Clean(c.req, nil)
		if !errors.Is(err, config.ErrInvalid) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Clean in %s: %v, want an invalid configuration at %s", c.req.Options.Dir, err, c.want)
		}
	}
	if !exists(filepath.Join(r.Dir, "__pycache__/m.pyc")) {
		t.Error("removed something despite an invalid configuration")
	}
}

// TestCleanConfigShadowed: a .pycguard.toml beside a pyproject.toml with
// a [tool.pycguard] table is used; warn is told both names once, before
// the walk touches anything.
func TestCleanConfigShadowed(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".pycguard.toml", "exclude = [\"keep/\"]\n")
	r.Write("pyproject.toml", "[tool.pycguard]\nexclude = [\"*\"]\n")
	r.Write("keep/__pycache__/k.pyc", "")
	r.Write("__pycache__/m.pyc", "")
	var warnings []config.ShadowedConfig
	req := Request{Options: Options{Dir: r.Dir, Env: r.Env}}
	req.Options.hook = func(op, string, string) {
		if len(warnings) == 0 {
			t.Error("the walk started before the warning")
		}
	}
	res := mustClean(t, req, func(w config.ShadowedConfig) { warnings = append(warnings, w) })
	want := config.ShadowedConfig{Used: ".pycguard.toml", Ignored: "pyproject.toml"}
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings %+v, want [%+v]", warnings, want)
	}
	if res.Files != 1 || !exists(filepath.Join(r.Dir, "keep/__pycache__/k.pyc")) {
		t.Errorf("removed %d files; the .pycguard.toml's exclude must apply", res.Files)
	}
}

// TestCleanPycachePrefixFromEnvironment: as CPython, PYTHONPYCACHEPREFIX
// when set and not empty is the prefix (not named: a missing one holds
// nothing); --pycache-prefix wins over it and is named (a missing one is
// ErrBadPrefix). The home directory comes from the same environment.
func TestCleanPycachePrefixFromEnvironment(t *testing.T) {
	for _, c := range []struct {
		named, env string
		want       string
		wantNamed  bool
	}{
		{"", "/cache", "/cache", false},
		{"", "", "", false},
		{"named", "/cache", "named", true},
		{"named", "", "named", true},
	} {
		got, named := pycachePrefix(c.named, environ("PYTHONPYCACHEPREFIX="+c.env))
		if got != c.want || named != c.wantNamed {
			t.Errorf("pycachePrefix(%q) with PYTHONPYCACHEPREFIX=%q = %q, %v; want %q, %v", c.named, c.env, got, named, c.want, c.wantNamed)
		}
	}

	r := outsideRepo(t)
	r.Write("proj/m.py", "")
	prefix := realTempDir(t)
	mirror := pycacheMirror(prefix, filepath.Join(r.Dir, "proj"), false)
	pyc := filepath.Join(mirror, "m.cpython-312.pyc")
	b := fsTree{t, mirror}
	b.file("m.cpython-312.pyc", "")
	// Options.PycachePrefix is replaced by what the request says.
	req := Request{Options: Options{Dir: r.Dir, Env: r.Env, Roots: []string{"proj"}, PycachePrefix: prefix, DryRun: true}}
	if res := mustClean(t, req, nil, "PYTHONPYCACHEPREFIX="); res.Files != 0 {
		t.Errorf("PYTHONPYCACHEPREFIX empty: the mirror was cleaned (%d files)", res.Files)
	}
	missing := filepath.Join(prefix, "missing")
	if res := mustClean(t, req, nil, "PYTHONPYCACHEPREFIX="+missing); res.Files != 0 {
		t.Errorf("PYTHONPYCACHEPREFIX missing: %d files", res.Files)
	}
	req.PycachePrefix = missing
	req.Getenv = environ("PYTHONPYCACHEPREFIX=" + prefix)
	if _, err := Clean(req, nil); !errors.Is(err, ErrBadPrefix) {
		t.Errorf("--pycache-prefix missing: %v, want ErrBadPrefix", err)
	}
	req.PycachePrefix, req.Options.DryRun = "", false
	if res := mustClean(t, req, nil, "PYTHONPYCACHEPREFIX="+prefix); res.Files != 1 || exists(pyc) {
		t.Errorf("PYTHONPYCACHEPREFIX set: removed %d files, want the mirror's one", res.Files)
	}

	req = Request{Options: Options{Dir: r.Dir, Env: r.Env}, Getenv: environ()}
	if _, err := Clean(req, nil); err != nil {
		t.Errorf("no HOME: %v", err)
	}
	req.Getenv = environ("HOME=" + r.Dir)
	if _, err := Clean(req, nil); !errors.Is(err, ErrRefused) {
		t.Errorf("Dir is HOME: %v, want ErrRefused", err)
	}
	if !exists(filepath.Join(r.Dir, "proj/m.py")) {
		t.Fatal("removed a source")
	}
}

// TestCleanConfigOfUnreadableRepository: when git cannot read the
// repository Dir lies in (a broken configuration file), Clean is an error
// and removes nothing; its configuration's excludes are never dropped as
// if there were no repository (with --tracked nothing else would have
// kept the excluded files).
func TestCleanConfigOfUnreadableRepository(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".pycguard.toml", "exclude = [\"/fixtures/\"]\n")
	r.Write("fixtures/__pycache__/f.cpython-312.pyc", "")
	r.Write("src/__pycache__/s.cpython-312.pyc", "")
	r.Write(".git/config", "[core\n")
	if _, _, err := r.Run(nil, "rev-parse", "--git-dir"); err == nil {
		t.Fatal("git reads the broken configuration")
	}
	for _, tracked := range []bool{false, true} {
		_, err := Clean(Request{Options: Options{Dir: r.Dir, Env: r.Env, Tracked: tracked}, Getenv: environ()}, nil)
		if err == nil || errors.Is(err, ErrRefused) {
			t.Errorf("tracked=%v: err %v, want git's error", tracked, err)
		}
		for _, f := range []string{"fixtures/__pycache__/f.cpython-312.pyc", "src/__pycache__/s.cpython-312.pyc"} {
			if !exists(filepath.Join(r.Dir, f)) {
				t.Errorf("tracked=%v: %s was removed", tracked, f)
			}
		}
	}
}
