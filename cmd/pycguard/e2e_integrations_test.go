package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// requireTool returns the path of an external tool the test needs. A
// missing tool skips the test on a developer's machine and fails it in CI
// (CI set): CI must never silently skip an integration.
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (CI is set, so this fails instead of skipping): %s", name, install)
		}
		t.Skipf("%s is not installed: %s", name, install)
	}
	return p
}

// goEnv holds settings of the real Go toolchain that tests running `go
// install` under an isolated HOME reuse, so that nothing is downloaded or
// compiled twice.
var goEnv = sync.OnceValues(func() ([]string, error) {
	out, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE", "GOFLAGS", "GOPROXY").Output()
	if err != nil {
		return nil, err
	}
	v := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(v) != 4 {
		return nil, errors.New("go env: unexpected output")
	}
	return []string{"GOMODCACHE=" + v[0], "GOCACHE=" + v[1], "GOFLAGS=" + v[2], "GOPROXY=" + v[3]}, nil
})

// result is the combined output and exit status of a command.
type result struct {
	out  string
	code int
}

// runInRepo runs a program in r's directory and environment; it fails the test
// only when the program cannot be started.
func runInRepo(t *testing.T, r *gittest.Repo, name string, args ...string) result {
	t.Helper()
	if name == "pycguard" {
		name = pycguardExe // the binary under test
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = r.Dir
	cmd.Env = r.Env
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return result{b.String(), ee.ExitCode()}
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{b.String(), 0}
}

// expect fails unless res has status code and its output contains every
// one of want.
func expect(t *testing.T, what string, res result, code int, want ...string) {
	t.Helper()
	if res.code != code {
		t.Fatalf("%s: exit %d, want %d\n%s", what, res.code, code, res.out)
	}
	for _, w := range want {
		if !strings.Contains(res.out, w) {
			t.Fatalf("%s: output lacks %q\n%s", what, w, res.out)
		}
	}
}

// hookRepo commits the module's current source tree (tracked and
// untracked, not ignored files, as they are on disk) into a fresh
// repository, as the pre-commit framework needs a repository and a rev to
// install a hook from. It returns the repository and the commit.
func hookRepo(t *testing.T) (dir, rev string) {
	t.Helper()
	src, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	g := gittest.Dir(t, src)
	list := g.Git("ls-files", "-z", "-co", "--exclude-standard")
	dst := gittest.Init(t)
	for _, p := range gittest.SplitZ(list) {
		from := filepath.Join(src, filepath.FromSlash(p))
		fi, err := os.Lstat(from)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the work tree, or not a file
		}
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dst.Dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	dst.Git("add", "-A")
	dst.Git("commit", "-q", "-m", "pycguard under test")
	return dst.Dir, strings.TrimSpace(dst.Git("rev-parse", "HEAD"))
}

// withPath returns r with PATH set to dirs followed by the process's PATH
// without binDir: pycguard is on r's PATH only when dirs name binDir.
func withPath(r *gittest.Repo, dirs ...string) *gittest.Repo {
	return r.With("PATH=" + strings.Join(append(dirs, pathWithoutPycguard()), string(os.PathListSeparator)))
}

// pathWithoutPycguard is the process's PATH without binDir, the directory
// testscript.Main put in front of it.
func pathWithoutPycguard() string {
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if d != binDir {
			dirs = append(dirs, d)
		}
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}

// legacyRepo is a repository with a tracked legacy .pyc committed before
// any hook existed, and a source file.
func legacyRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.Init(t)
	r.Write("app.py", "print()\n")
	r.Write("legacy.pyc", "old bytecode")
	r.Commit("legacy")
	return r
}

// commitForms drives the commits every integration must get right, through
// whatever hook is installed in r. blockedText is a string the blocking
// output contains besides the path.
func commitForms(t *testing.T, r *gittest.Repo) {
	t.Helper()
	// a commit staging a .pyc is blocked
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "bytecode")
	r.Git("add", "pkg/__pycache__/m.cpython-312.pyc")
	res := runInRepo(t, r, "git", "commit", "-m", "adds bytecode")
	expect(t, "commit staging a .pyc", res, 1, "pkg/__pycache__/m.cpython-312.pyc")
	r.Git("rm", "-q", "--cached", "pkg/__pycache__/m.cpython-312.pyc")

	// a clean commit goes through
	r.Write("app.py", "print(1)\n")
	r.Git("add", "app.py")
	expect(t, "clean commit", runInRepo(t, r, "git", "commit", "-m", "clean"), 0)

	// git commit -a: a tracked .pyc changed only in the work tree is blocked
	r.Write("legacy.pyc", "new bytecode")
	res = runInRepo(t, r, "git", "commit", "-a", "-m", "all")
	expect(t, "commit -a with a modified tracked .pyc", res, 1, "legacy.pyc")
	r.Git("checkout", "-q", "--", "legacy.pyc")
	// ... and a source-only change under -a passes (legacy.pyc is tracked
	// but unchanged: it is not part of this commit's changes)
	r.Write("app.py", "print(2)\n")
	expect(t, "commit -a, source only", runInRepo(t, r, "git", "commit", "-a", "-m", "all clean"), 0)

	// git commit <paths>: a .pyc staged but not named is not committed,
	// so it does not block; naming it does
	r.Write("staged.pyc", "bytecode")
	r.Git("add", "staged.pyc")
	r.Write("app.py", "print(3)\n")
	expect(t, "commit <source path> with another .pyc staged", runInRepo(t, r, "git", "commit", "-m", "only app", "--", "app.py"), 0)
	if got := r.Git("diff", "--cached", "--name-only"); strings.TrimSpace(got) != "staged.pyc" {
		t.Fatalf("staged after commit <paths>: %q", got)
	}
	res = runInRepo(t, r, "git", "commit", "-m", "only pyc", "--", "staged.pyc")
	expect(t, "commit <the .pyc>", res, 1, "staged.pyc")
	r.Git("rm", "-q", "--cached", "staged.pyc")
	os.Remove(filepath.Join(r.Dir, "staged.pyc"))
}

// lefthook, configured as the README shows, guards the same commits; and
// pycguard install on top of lefthook's hook chains it.
func TestLefthook(t *testing.T) {
	requireTool(t, "lefthook", "npm install -g lefthook")
	r := withPath(legacyRepo(t), binDir)
	r.Write("lefthook.yml", `pre-commit:
  jobs:
    - name: pycguard
      run: pycguard check
`)
	r.Git("add", "lefthook.yml")
	r.Git("commit", "-q", "--no-verify", "-m", "lefthook config")
	expect(t, "lefthook install", runInRepo(t, r, "lefthook", "install"), 0)
	hook := filepath.Join(r.Dir, ".git", "hooks", "pre-commit")
	if !strings.Contains(readFile(t, hook), "lefthook") {
		t.Fatal("lefthook did not install its pre-commit hook")
	}
	commitForms(t, r)

	// pycguard install over lefthook's hook: both run, uninstall restores
	before := readFile(t, hook)
	expect(t, "pycguard install over lefthook", runInRepo(t, r, "pycguard", "install"), 0, "kept as")
	commitForms(t, r)
	expect(t, "pycguard uninstall", runInRepo(t, r, "pycguard", "uninstall"), 0, "restored")
	if readFile(t, hook) != before {
		t.Fatal("lefthook's hook was not restored exactly")
	}
}
