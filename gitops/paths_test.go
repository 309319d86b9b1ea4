package gitops

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/ignore"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestRepoPathMatchesGit: for each path form, the tracked files that git
// ls-files selects with it are exactly those at or below the path RepoPath
// gives, and a path git calls outside the repository is
// ErrOutsideRepository here.
func TestRepoPathMatchesGit(t *testing.T) {
	base := t.TempDir()
	r := gittest.Dir(t, filepath.Join(base, "repo"))
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r.Git("init", "-q")
	for _, f := range []string{"top.pyc", "sub/x.pyc", "sub/d/f.pyc", "sub/d/g", "other/o.pyc", "subway/s.pyc"} {
		r.Write(f, f)
	}
	r.Git("add", ".")
	via := t.TempDir()
	if err := os.Symlink(r.Dir, filepath.Join(via, "wt")); err != nil {
		t.Fatal(err)
	}
	tracked := gittest.SplitZ(r.Git("ls-files", "-z"))

	forms := []string{
		"x.pyc", "x.pyc/", "x.pyc/.", "x.pyc//", "./x.pyc", "d", "d/", "d//", "d/.", "d/..", "d/../",
		"d/../x.pyc", "d//f.pyc", "./d/./f.pyc", ".", "./", "..", "../", "../.", "../sub/./", "../sub",
		"../other/o.pyc", "../subway", "../../outside", "../..", "nothere/../x.pyc", "../top.pyc",
	}
	abs := func(p string) string { return filepath.Join(r.Dir, p) }
	for _, dir := range []string{"", "sub"} {
		repo := discover(t, r.At(dir))
		args := append(append([]string(nil), forms...),
			abs("sub/x.pyc"), abs("sub/x.pyc")+"/", abs("sub")+"/", abs("sub/.."), abs(""), abs("")+"/",
			abs("sub//d"), filepath.Dir(r.Dir), "/", filepath.Join(via, "wt", "sub", "d"), filepath.Join(via, "wt"),
			filepath.Join(via, "wt", ".."))
		for _, arg := range args {
			out, _, gerr := r.At(dir).Run(nil, "ls-files", "-z", "--full-name", "--", arg)
			got, err := repo.RepoPath(arg)
			switch {
			case gerr != nil && !errors.Is(err, ErrOutsideRepository):
				t.Errorf("in %q: git refuses %q; RepoPath = %q, %v", dir, arg, got, err)
			case gerr == nil && err != nil:
				t.Errorf("in %q: RepoPath(%q): %v; git accepts it", dir, arg, err)
			case gerr == nil:
				want := gittest.SplitZ(string(out))
				if sel := selectedBy(got, tracked); !slices.Equal(sel, want) {
					t.Errorf("in %q: RepoPath(%q) = %q selects %q; git ls-files selects %q", dir, arg, got, sel, want)
				}
			}
		}
	}
	if _, err := discover(t, r).RepoPath(""); !errors.Is(err, ErrEmptyPath) {
		t.Errorf(`RepoPath(""): %v`, err)
	}
}

// selectedBy returns the files at or below p: below only, for a directory
// path ("d/"); every file for "" (the top).
func selectedBy(p string, files []string) []string {
	var sel []string
	for _, f := range files {
		if p == "" || f == p && !strings.HasSuffix(p, "/") ||
			strings.HasPrefix(f, strings.TrimSuffix(p, "/")+"/") {
			sel = append(sel, f)
		}
	}
	return sel
}

// TestRepoPathWindows: Windows' rules, run on every OS: both separators,
// drive letters (case-insensitive, like the names), UNC shares, paths
// rooted on the current drive, other drives (outside), a trailing '\'.
func TestRepoPathWindows(t *testing.T) {
	win := Platform{Windows: true, EvalSymlinks: func(p string) (string, error) { return "", os.ErrNotExist }}
	const wt = `C:\Users\me\repo`
	cases := []struct{ prefix, arg, want string }{
		{"", `a.pyc`, "a.pyc"},
		{"", `pkg\__pycache__\m.pyc`, "pkg/__pycache__/m.pyc"},
		{"", `build\`, "build/"},
		{"", `build\x.py`, "build/x.py"},
		{"sub/", `x\y.pyc`, "sub/x/y.pyc"},
		{"sub/", `..\top.pyc`, "top.pyc"},
		{"sub/", `..`, ""},
		{"sub/", `.\`, "sub/"},
		{"sub/", `C:\Users\me\repo\top.pyc`, "top.pyc"},
		{"sub/", `c:\users\ME\Repo\pkg\m.pyc`, "pkg/m.pyc"}, // drive and names fold
		{"sub/", `C:/Users/me/repo/pkg/m.pyc`, "pkg/m.pyc"}, // forward slashes
		{"sub/", `\Users\me\repo\r.pyc`, "r.pyc"},           // rooted on the work tree's drive
		{"", `C:\Users\me\repo`, ""},
		{"", `C:\Users\me\repo\`, ""},
		{"", `C:rel.pyc`, "C:rel.pyc"}, // drive-relative: not absolute, a name
	}
	for _, c := range cases {
		if got, err := repoPath(win, wt, c.prefix, c.arg); err != nil || got != c.want {
			t.Errorf("repoPath(windows, %q, %q, %q) = %q, %v; want %q", wt, c.prefix, c.arg, got, err, c.want)
		}
	}
	for _, arg := range []string{`C:\Users\me\other\o.pyc`, `D:\repo\d.pyc`, `..\x`, `C:\Users\me\repo\..\x`} {
		if got, err := repoPath(win, wt, "", arg); !errors.Is(err, ErrOutsideRepository) {
			t.Errorf("repoPath(windows, %q, %q) = %q, %v; want outside", wt, arg, got, err)
		}
	}
	const unc = `\\server\share\repo`
	for _, c := range []struct{ arg, want string }{
		{`\\server\share\repo\pkg\m.pyc`, "pkg/m.pyc"},
		{`\\SERVER\Share\repo\m.pyc`, "m.pyc"},
		{`\\server\other\repo\m.pyc`, ""},
		{`\\server\share\elsewhere\m.pyc`, ""},
		{`C:\x.pyc`, ""},
	} {
		got, err := repoPath(win, unc, "", c.arg)
		if c.want == "" && !errors.Is(err, ErrOutsideRepository) || c.want != "" && (err != nil || got != c.want) {
			t.Errorf("repoPath(windows, %q, %q) = %q, %v; want %q", unc, c.arg, got, err, c.want)
		}
	}
}

// On POSIX systems a backslash is part of a name, not a separator.
func TestRepoPathPOSIXBackslash(t *testing.T) {
	if got, err := repoPath(Platform{}, "/repo", "sub/", `a\b.pyc`); err != nil || got != `sub/a\b.pyc` {
		t.Errorf("got %q, %v", got, err)
	}
	if got, err := repoPath(Platform{}, "/repo", "", `build\`); err != nil || got != `build\` {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestHomeDir(t *testing.T) {
	dirs := map[string]bool{`H:\me`: true, `C:\Windows\System32`: true}
	win := Platform{Windows: true, IsDir: func(p string) bool { return dirs[p] }}
	cases := []struct {
		p    Platform
		env  map[string]string
		want string
	}{
		{Platform{}, map[string]string{"HOME": "/home/me", "USERPROFILE": "/x"}, "/home/me"},
		{Platform{}, map[string]string{"USERPROFILE": `C:\Users\me`}, ""},
		{win, map[string]string{"HOME": `D:\home`, "USERPROFILE": `C:\Users\me`}, `D:\home`},
		{win, map[string]string{"USERPROFILE": `C:\Users\me`}, `C:\Users\me`},
		{win, map[string]string{"HOMEDRIVE": `H:`, "HOMEPATH": `\me`, "USERPROFILE": `C:\Users\me`}, `H:\me`},
		// A disconnected home share: USERPROFILE.
		{win, map[string]string{"HOMEDRIVE": `Z:`, "HOMEPATH": `\gone`, "USERPROFILE": `C:\Users\me`}, `C:\Users\me`},
		// A service's HOMEDRIVE+HOMEPATH is the system directory: USERPROFILE.
		{win, map[string]string{"HOMEDRIVE": `C:`, "HOMEPATH": `\Windows\System32`, "SystemRoot": `C:\WINDOWS`, "USERPROFILE": `C:\Users\svc`}, `C:\Users\svc`},
		{win, map[string]string{"HOMEDRIVE": `H:`, "HOMEPATH": `\me`}, `H:\me`},
		{win, map[string]string{}, ""},
	}
	for _, c := range cases {
		if got := homeDir(c.p, func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("homeDir(windows=%v, %v) = %q, want %q", c.p.Windows, c.env, got, c.want)
		}
	}
}

// TestExcludesFileFromUserProfile: with HOME unset, as in cmd and
// PowerShell, core.excludesFile=~/.gitignore_global is found in
// USERPROFILE on Windows, and its rules are read: the answer equals git's
// with HOME set to that directory (what Git for Windows sets at start-up).
func TestExcludesFileFromUserProfile(t *testing.T) {
	r := gittest.Init(t)
	profile := t.TempDir()
	if err := os.WriteFile(filepath.Join(profile, ".gitignore_global"), []byte("*.pyc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := []string{"GIT_CONFIG_COUNT=4", "GIT_CONFIG_KEY_3=core.excludesFile", "GIT_CONFIG_VALUE_3=~/.gitignore_global"}
	var env []string
	for _, kv := range r.With(cfg...).Env {
		if !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	env = append(env, "USERPROFILE="+profile)
	for _, windows := range []bool{false, true} {
		// git on Linux will not start (rev-parse) with "~" in
		// core.excludesFile and no HOME; Git for Windows computes HOME
		// itself. So the repository is found with r's HOME, and the
		// configuration read without it.
		repo, err := Open(r.Dir, r.With(cfg...).Env)
		if err != nil {
			t.Fatal(err)
		}
		repo.env = env
		repo.plat = &Platform{Windows: windows}
		set, err := repo.Settings()
		if err != nil {
			t.Fatal(err)
		}
		inProfile := filepath.Join(profile, ".gitignore_global")
		if !windows {
			if set.ExcludesFile == inProfile {
				t.Errorf("POSIX: USERPROFILE is not a home directory there, but ExcludesFile = %q", set.ExcludesFile)
			}
			continue
		}
		if set.ExcludesFile != inProfile {
			t.Errorf("windows: ExcludesFile = %q, want %q", set.ExcludesFile, inProfile)
		}
		m, err := ignore.New(ignore.Sources{WorkTree: repo.WorkTree, ExcludesFile: set.ExcludesFile})
		if err != nil {
			t.Fatal(err)
		}
		res := m.Match("pkg/m.pyc", ignore.KindFile)
		oracle := r.With(append(cfg, "HOME="+profile)...).Git("check-ignore", "--no-index", "-v", "-n", "pkg/m.pyc")
		if !res.Ignored() || res.Rule.Source != set.ExcludesFile || !strings.HasPrefix(oracle, set.ExcludesFile+":1:*.pyc\t") {
			t.Errorf("the excludes file in USERPROFILE is not read: %+v; git with HOME there: %q", res.Rule, oracle)
		}
	}
}

// TestStartDir: -C is taken as git -C takes it — relative to the current
// directory, "" the current directory — and what is not a directory is
// an error naming it as given.
func TestStartDir(t *testing.T) {
	base := t.TempDir()
	if err := os.MkdirAll(filepath.Join(base, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(base, "a"))
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for arg, want := range map[string]string{"": wd, ".": wd, "b": filepath.Join(wd, "b"), "..": filepath.Dir(wd), filepath.Join(base, "a", "b"): filepath.Join(base, "a", "b")} {
		if got, err := StartDir(arg); err != nil || got != want {
			t.Errorf("StartDir(%q) = %q, %v; want %q", arg, got, err, want)
		}
	}
	if _, err := StartDir("../f"); err == nil || err.Error() != "-C ../f: not a directory" {
		t.Errorf("a file: %v", err)
	}
	if _, err := StartDir("missing"); !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "-C missing: ") {
		t.Errorf("a missing directory: %v", err)
	}
}
