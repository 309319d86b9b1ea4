package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// systemWheels is where Debian keeps the wheels virtualenv and venv seed
// environments with (python3-pip-whl, python3-setuptools-whl,
// python3-wheel-whl): the only index the offline installs below get
// besides dist/, for pipx's shared pip and the mirror's build backend
// (setuptools).
const systemWheels = "/usr/share/python-wheels"

// requireSystemWheels fails (CI) or skips unless systemWheels holds
// setuptools and wheel.
func requireSystemWheels(t *testing.T) {
	t.Helper()
	for _, pkg := range []string{"setuptools", "wheel"} {
		if m, _ := filepath.Glob(filepath.Join(systemWheels, pkg+"-*.whl")); len(m) == 0 {
			msg := "no " + pkg + " wheel in " + systemWheels + " (apt-get install python3-" + pkg + "-whl)"
			if os.Getenv("CI") != "" {
				t.Fatal(msg + "; CI is set, so this fails instead of skipping")
			}
			t.Skip(msg)
		}
	}
}

// offlinePip is the environment that keeps pip off the network: no index,
// only the given directories of wheels.
func offlinePip(findLinks ...string) []string {
	return []string{
		"PIP_NO_INDEX=1",
		"PIP_FIND_LINKS=" + strings.Join(findLinks, " "),
		"PIP_DISABLE_PIP_VERSION_CHECK=1",
		"PIP_NO_INPUT=1",
	}
}

// stagedPyc is a repository with a .pyc staged, and its name.
func stagedPyc(t *testing.T) (*gittest.Repo, string) {
	r := gittest.Init(t)
	r.Write("app.py", "print()\n")
	r.Commit("source")
	r.Write("pkg/__pycache__/app.cpython-312.pyc", "bytecode")
	r.Git("add", "pkg/__pycache__/app.cpython-312.pyc")
	return r, "pkg/__pycache__/app.cpython-312.pyc"
}

// checkInstalled runs an installed pycguard: it is executable, reports the
// release's version, and blocks a staged .pyc as the hook and by itself.
func checkInstalled(t *testing.T, exe string) {
	t.Helper()
	fi, err := os.Stat(exe)
	if err != nil {
		t.Fatalf("installed executable: %v", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("%s installed without execute permission: %v", exe, fi.Mode())
	}
	r, pyc := stagedPyc(t)
	expect(t, "version", runInRepo(t, r, exe, "version"), 0, "pycguard "+snapshotVersion)
	expect(t, "check with a staged .pyc", runInRepo(t, r, exe, "check"), 1, pyc)
	expect(t, "install the hook", runInRepo(t, r, exe, "install"), 0)
	expect(t, "git commit with a staged .pyc", runInRepo(t, r, "git", "commit", "-m", "bytecode"), 1, pyc)
}

// tree lists the files below dir, leaving out the bytecode Python writes
// for its own modules while pip runs.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "__pycache__" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The host's wheel installs with pip from the file alone (no index) into
// a fresh virtual environment, runs from its bin/, and uninstalls leaving
// the environment as it was.
func pipVenv(t *testing.T, wheel string) {
	python := requireTool(t, "python3", "apt-get install python3 python3-venv")
	venv := filepath.Join(t.TempDir(), "venv")
	if out, err := exec.Command(python, "-m", "venv", venv).CombinedOutput(); err != nil {
		t.Fatalf("python3 -m venv: %v\n%s (Debian: apt-get install python3-venv)", err, out)
	}
	bin := filepath.Join(venv, "bin")
	if runtime.GOOS == "windows" {
		bin = filepath.Join(venv, "Scripts")
	}
	env := gittest.Dir(t, t.TempDir()).With(offlinePip()...)
	before := tree(t, venv)

	expect(t, "pip install --no-index", runInRepo(t, env, filepath.Join(bin, "python"), "-m", "pip", "install", "--no-index", wheel), 0, "Successfully installed pycguard-"+pep440Version)
	checkInstalled(t, filepath.Join(bin, "pycguard"))
	expect(t, "pip show", runInRepo(t, env, filepath.Join(bin, "python"), "-m", "pip", "show", "pycguard"), 0, "Version: "+pep440Version)

	expect(t, "pip uninstall", runInRepo(t, env, filepath.Join(bin, "python"), "-m", "pip", "uninstall", "-y", "pycguard"), 0, "Successfully uninstalled pycguard-"+pep440Version)
	if after := tree(t, venv); !slices.Equal(before, after) {
		t.Fatalf("the environment differs after uninstall:\nbefore %q\nafter  %q", before, after)
	}
}

// pipx (Debian's) installs the wheel into an environment of its own and
// links the command into its bin directory; uninstall removes both.
func pipx(t *testing.T, wheel string) {
	pipx := requireTool(t, "pipx", "apt-get install pipx")
	requireSystemWheels(t)
	home := t.TempDir()
	bin := filepath.Join(home, "bin")
	env := gittest.Dir(t, t.TempDir()).With(append(offlinePip(systemWheels),
		"PIPX_HOME="+filepath.Join(home, "pipx"), "PIPX_BIN_DIR="+bin)...)

	expect(t, "pipx install", runInRepo(t, env, pipx, "install", wheel), 0, "pycguard")
	checkInstalled(t, filepath.Join(bin, "pycguard"))
	expect(t, "pipx list", runInRepo(t, env, pipx, "list"), 0, "pycguard "+pep440Version)

	expect(t, "pipx uninstall", runInRepo(t, env, pipx, "uninstall", "pycguard"), 0)
	if _, err := os.Lstat(filepath.Join(bin, "pycguard")); !os.IsNotExist(err) {
		t.Errorf("pipx uninstall left %s: %v", filepath.Join(bin, "pycguard"), err)
	}
	if _, err := os.Lstat(filepath.Join(home, "pipx", "venvs", "pycguard")); !os.IsNotExist(err) {
		t.Errorf("pipx uninstall left its environment: %v", err)
	}
}

// pathWithoutGo is PATH with every directory that holds a go command left
// out, and binDir (the pycguard under test).
func pathWithoutGo(t *testing.T) string {
	t.Helper()
	var dirs []string
	for _, d := range filepath.SplitList(pathWithoutPycguard()) {
		if fi, err := os.Stat(filepath.Join(d, "go")); err == nil && !fi.IsDir() {
			continue
		}
		dirs = append(dirs, d)
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}

// The pre-commit framework installs the mirror's language: python hook
// with no Go on PATH and pip pointed only at the release's wheels and the
// system's (for setuptools, the mirror's build backend); the environment
// holds the wheel's binary, which guards every commit form, and the fix
// hook runs at the manual stage.
func preCommitPython(t *testing.T, dist string) {
	requireTool(t, "pre-commit", "apt-get install pre-commit")
	requireSystemWheels(t)
	mirror := gittest.Init(t)
	if err := os.CopyFS(mirror.Dir, os.DirFS(filepath.Join(dist, "pre-commit-mirror"))); err != nil {
		t.Fatal(err)
	}
	mirror.Commit("pycguard " + snapshotVersion)
	rev := strings.TrimSpace(mirror.Git("rev-parse", "HEAD"))

	home := t.TempDir()
	path := pathWithoutGo(t)
	r := legacyRepo(t).With(append(offlinePip(dist, systemWheels), "PATH="+path, "PRE_COMMIT_HOME="+home)...)
	if p, err := lookPathIn("go", path); err == nil {
		t.Fatalf("go is still on PATH: %s", p)
	}
	r.Write(".pre-commit-config.yaml", "repos:\n- repo: "+mirror.Dir+"\n  rev: "+rev+"\n  hooks:\n  - id: pycguard\n  - id: pycguard-fix\n")
	r.Git("add", ".pre-commit-config.yaml")
	r.Git("commit", "-q", "--no-verify", "-m", "pre-commit config")
	expect(t, "pre-commit install", runInRepo(t, r, "pre-commit", "install"), 0)
	expect(t, "pre-commit install-hooks", runInRepo(t, r, "pre-commit", "install-hooks"), 0)

	// the hook environment runs the release's binary, from the wheel
	envBins, _ := filepath.Glob(filepath.Join(home, "repo*", "py_env-*", "bin", "pycguard"))
	if len(envBins) != 1 {
		t.Fatalf("pycguard in the hook environment: %q", envBins)
	}
	built := readFile(t, filepath.Join(dist, "pycguard_"+hostTarget(t).dir, "pycguard"))
	if readFile(t, envBins[0]) != built {
		t.Fatal("the hook environment's pycguard is not the release's binary")
	}

	commitForms(t, r)

	res := runInRepo(t, r, "pre-commit", "run", "--hook-stage", "manual", "pycguard-fix")
	expect(t, "pycguard-fix at the manual stage", res, 1, "pycguard fix (untrack bytecode")
	if got := r.Git("ls-files", "legacy.pyc"); got != "" {
		t.Fatalf("legacy.pyc still tracked after pycguard-fix:\n%s", res.out)
	}
}

// lookPathIn is exec.LookPath with the given PATH.
func lookPathIn(name, path string) (string, error) {
	for _, d := range filepath.SplitList(path) {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}
