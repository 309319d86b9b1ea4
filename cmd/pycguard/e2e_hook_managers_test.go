package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// countingPycguard makes a directory whose `pycguard` appends a line to a
// log file each time it runs, then runs the binary under test. It returns
// the directory, a function that counts the runs logged so far (and
// clears the log), and a function that runs `pycguard install` so that
// the hook it writes names the counting pycguard: install embeds the path
// of the executable that ran it, so the real binary is copied there for
// the install and the counting script put back afterwards.
func countingPycguard(t *testing.T) (dir string, runs func() int, install func(r *gittest.Repo, args ...string) result) {
	t.Helper()
	dir = t.TempDir()
	log := filepath.Join(t.TempDir(), "runs.log")
	exe := filepath.Join(dir, "pycguard")
	real := pycguardExe
	wrapper := "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexec '" + real + "' \"$@\"\n"
	writeWrapper := func() {
		os.Remove(exe)
		if err := os.WriteFile(exe, []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeWrapper()
	runs = func() int {
		b, err := os.ReadFile(log)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		os.Remove(log)
		return strings.Count(string(b), "\n")
	}
	install = func(r *gittest.Repo, args ...string) result {
		t.Helper()
		bin, err := os.ReadFile(real)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(exe)
		if err := os.WriteFile(exe, bin, 0o755); err != nil {
			t.Fatal(err)
		}
		defer writeWrapper()
		return runInRepo(t, r, exe, args...)
	}
	return dir, runs, install
}

// commitCountingRuns commits what is staged and returns the result and how
// many times pycguard ran during the commit.
func commitCountingRuns(t *testing.T, r *gittest.Repo, runs func() int, args ...string) (result, int) {
	t.Helper()
	runs() // clear
	res := runInRepo(t, r, "git", append([]string{"commit"}, args...)...)
	return res, runs()
}

// pycguard install, then `pre-commit install` (which moves pycguard's hook
// to pre-commit.legacy and runs it from there), then pycguard install
// again, then uninstall: pycguard runs exactly once per commit at every
// step where it is installed, audit agrees with install, and after
// uninstall it runs nowhere, though the framework's hook stays.
func TestChainInstallPreCommitInstallUninstall(t *testing.T) {
	requireTool(t, "pre-commit", "apt-get install pre-commit")
	dir, runs, install := countingPycguard(t)
	config := `repos:
- repo: local
  hooks:
  - id: framework-ran
    name: framework ran
    entry: sh -c 'echo framework-hook-ran'
    language: system
    always_run: true
    pass_filenames: false
    verbose: true
`
	r := legacyRepo(t)
	r = withPath(r, dir).With("PRE_COMMIT_HOME=" + t.TempDir())
	r.Write(".pre-commit-config.yaml", config)
	r.Git("add", ".pre-commit-config.yaml")
	r.Git("commit", "-q", "--no-verify", "-m", "pre-commit config")
	hooks := filepath.Join(r.Dir, ".git", "hooks")

	bytecodeCommit := func(step string, wantRuns int, blocked bool) {
		t.Helper()
		r.Write("x.pyc", step)
		r.Git("add", "x.pyc")
		res, n := commitCountingRuns(t, r, runs, "-m", "bytecode "+step)
		if n != wantRuns {
			t.Fatalf("%s: pycguard ran %d times during one commit, want %d\n%s", step, n, wantRuns, res.out)
		}
		if blocked {
			expect(t, step+": commit staging x.pyc", res, 1, "x.pyc")
			r.Git("rm", "-q", "--cached", "x.pyc")
		} else {
			expect(t, step+": commit staging x.pyc", res, 0)
			r.Git("rm", "-q", "x.pyc")
			r.Git("commit", "-q", "--no-verify", "-m", "remove x.pyc")
		}
		// a clean commit: pycguard runs as often, and passes
		r.Write("app.py", "print('"+step+"')\n")
		r.Git("add", "app.py")
		res, n = commitCountingRuns(t, r, runs, "-m", "clean "+step)
		expect(t, step+": clean commit", res, 0)
		if n != wantRuns {
			t.Fatalf("%s: pycguard ran %d times during a clean commit, want %d\n%s", step, n, wantRuns, res.out)
		}
	}
	audit := func(step string, installed bool) {
		t.Helper()
		res := runInRepo(t, r, "pycguard", "audit")
		has := !strings.Contains(res.out, "no pycguard hook is configured")
		// the configuration mentions no pycguard: only the native hook counts
		if has != installed {
			t.Fatalf("%s: audit says installed=%v, want %v\n%s", step, has, installed, res.out)
		}
	}

	expect(t, "pycguard install", install(r, "install"), 0, "installed .git/hooks/pre-commit")
	bytecodeCommit("after pycguard install", 1, true)
	audit("after pycguard install", true)

	expect(t, "pre-commit install", runInRepo(t, r, "pre-commit", "install"), 0)
	if !strings.Contains(readFile(t, filepath.Join(hooks, "pre-commit.legacy")), "pycguard-managed-hook") {
		t.Fatal("pre-commit install did not move pycguard's hook to pre-commit.legacy")
	}
	bytecodeCommit("after pre-commit install", 1, true)
	audit("after pre-commit install", true)
	framework := readFile(t, filepath.Join(hooks, "pre-commit"))

	expect(t, "pycguard install again", install(r, "install"), 0,
		"already installed in .git/hooks/pre-commit.legacy, which the pre-commit framework's hook runs")
	if readFile(t, filepath.Join(hooks, "pre-commit")) != framework {
		t.Fatal("pycguard install replaced the framework's hook although it already runs pycguard")
	}
	bytecodeCommit("after the second pycguard install", 1, true)
	audit("after the second pycguard install", true)
	res, n := commitCountingRuns(t, r, runs, "--allow-empty", "-m", "framework still runs")
	expect(t, "the framework's own hooks still run", res, 0, "framework-hook-ran")
	if n != 1 {
		t.Fatalf("pycguard ran %d times", n)
	}

	expect(t, "pycguard uninstall", runInRepo(t, r, "pycguard", "uninstall"), 0, "removed .git/hooks/pre-commit.legacy")
	bytecodeCommit("after pycguard uninstall", 0, false)
	audit("after pycguard uninstall", false)
	if readFile(t, filepath.Join(hooks, "pre-commit")) != framework {
		t.Fatal("uninstall changed the framework's hook")
	}
	expect(t, "uninstall again", runInRepo(t, r, "pycguard", "uninstall"), 2, "not installed by pycguard")
}

// A hooks directory that an earlier pycguard left running pycguard twice
// (its script in front of the framework's hook, which ran pycguard's
// script again from pre-commit.legacy) is repaired by install: once per
// commit afterwards. The other order — pre-commit install, pycguard
// install, pre-commit install — runs pycguard once too, and uninstall
// removes it from everywhere.
func TestChainRepairsDoubleRunsAndOtherOrder(t *testing.T) {
	requireTool(t, "pre-commit", "apt-get install pre-commit")
	dir, runs, install := countingPycguard(t)
	config := "repos:\n- repo: local\n  hooks:\n  - id: ok\n    name: ok\n    entry: 'true'\n    language: system\n    always_run: true\n    pass_filenames: false\n"
	setup := func(t *testing.T) *gittest.Repo {
		r := legacyRepo(t)
		r = withPath(r, dir).With("PRE_COMMIT_HOME=" + t.TempDir())
		r.Write(".pre-commit-config.yaml", config)
		r.Git("add", ".pre-commit-config.yaml")
		r.Git("commit", "-q", "--no-verify", "-m", "pre-commit config")
		return r
	}
	blockedOnce := func(t *testing.T, r *gittest.Repo, step string) {
		t.Helper()
		r.Write("x.pyc", step)
		r.Git("add", "x.pyc")
		res, n := commitCountingRuns(t, r, runs, "-m", step)
		expect(t, step, res, 1, "x.pyc")
		if n != 1 {
			t.Fatalf("%s: pycguard ran %d times, want 1\n%s", step, n, res.out)
		}
		r.Git("rm", "-q", "--cached", "x.pyc")
	}

	t.Run("double state left by an earlier pycguard", func(t *testing.T) {
		r := setup(t)
		hooks := filepath.Join(r.Dir, ".git", "hooks")
		expect(t, "pycguard install", install(r, "install"), 0)
		expect(t, "pre-commit install", runInRepo(t, r, "pre-commit", "install"), 0)
		// what an earlier pycguard install did here: the framework's hook
		// moved aside, pycguard's script in front
		script := readFile(t, filepath.Join(hooks, "pre-commit.legacy"))
		if err := os.Rename(filepath.Join(hooks, "pre-commit"), filepath.Join(hooks, "pre-commit.pycguard-saved")); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		expect(t, "pycguard install repairs", install(r, "install"), 0, "ran pycguard twice per commit")
		blockedOnce(t, r, "after the repair")
		expect(t, "uninstall", runInRepo(t, r, "pycguard", "uninstall"), 0)
		r.Write("y.pyc", "x")
		r.Git("add", "y.pyc")
		if res, n := commitCountingRuns(t, r, runs, "-m", "after uninstall"); res.code != 0 || n != 0 {
			t.Fatalf("after uninstall: exit %d, %d runs\n%s", res.code, n, res.out)
		}
	})

	t.Run("pre-commit install, pycguard install, pre-commit install", func(t *testing.T) {
		r := setup(t)
		expect(t, "pre-commit install", runInRepo(t, r, "pre-commit", "install"), 0)
		expect(t, "pycguard install", install(r, "install"), 0, "kept as .git/hooks/pre-commit.pycguard-saved")
		blockedOnce(t, r, "pycguard over the framework")
		expect(t, "pre-commit install again", runInRepo(t, r, "pre-commit", "install"), 0)
		blockedOnce(t, r, "framework over pycguard over the framework")
		expect(t, "pycguard install again", install(r, "install"), 0, "already installed in .git/hooks/pre-commit.legacy")
		blockedOnce(t, r, "after the third install")
		res := runInRepo(t, r, "pycguard", "uninstall")
		expect(t, "uninstall", res, 0, "removed .git/hooks/pre-commit.legacy")
		if _, err := os.Lstat(filepath.Join(r.Dir, ".git", "hooks", "pre-commit.pycguard-saved")); !os.IsNotExist(err) {
			t.Fatalf("the saved copy of the framework hook is left behind: %v", err)
		}
		r.Write("y.pyc", "x")
		r.Git("add", "y.pyc")
		if res, n := commitCountingRuns(t, r, runs, "-m", "after uninstall"); res.code != 0 || n != 0 {
			t.Fatalf("after uninstall: exit %d, %d runs\n%s", res.code, n, res.out)
		}
	})
}

// With a hooks directory inside the work tree (core.hooksPath=.githooks,
// the team-shared convention), install writes a hook with no path of this
// machine in it and says to commit it; committed, it guards commits in a
// linked worktree and in a fresh clone (whose pycguard is found on PATH),
// running pycguard once per commit; installing again in the clone changes
// nothing, and audit there agrees that it is installed.
func TestRelativeHooksPathSharedByWorktreesAndClones(t *testing.T) {
	dir, runs, _ := countingPycguard(t)
	r := withPath(gittest.Init(t), dir)
	r.Git("config", "core.hooksPath", ".githooks")
	r.Write("app.py", "print()\n")
	r.Commit("base")

	res := runInRepo(t, r, "pycguard", "install")
	expect(t, "install", res, 0, "installed .githooks/pre-commit",
		".githooks/pre-commit is inside the work tree: commit it (git add .githooks/pre-commit)")
	script := readFile(t, filepath.Join(r.Dir, ".githooks", "pre-commit"))
	if strings.Contains(script, binDir) || strings.Contains(script, dir) || strings.Contains(script, r.Dir) {
		t.Fatalf("the shared hook names a path of this machine:\n%s", script)
	}
	r.Git("add", ".githooks/pre-commit")
	res, n := commitCountingRuns(t, r, runs, "-m", "share the hook")
	expect(t, "commit the hook", res, 0)
	if n != 1 {
		t.Fatalf("pycguard ran %d times", n)
	}
	expect(t, "install again", runInRepo(t, r, "pycguard", "install"), 0, "already installed")

	blocked := func(r *gittest.Repo, where string) {
		t.Helper()
		r.Write("pkg/__pycache__/m.cpython-312.pyc", where)
		r.Git("add", "pkg/__pycache__/m.cpython-312.pyc")
		res, n := commitCountingRuns(t, r, runs, "-m", "bytecode in "+where)
		expect(t, "commit in "+where, res, 1, "pkg/__pycache__/m.cpython-312.pyc")
		if n != 1 {
			t.Fatalf("%s: pycguard ran %d times, want 1", where, n)
		}
		r.Git("rm", "-q", "--cached", "pkg/__pycache__/m.cpython-312.pyc")
	}
	blocked(r, "the main worktree")

	wtDir := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", wtDir, "-b", "side")
	wt := r.At(wtDir)
	blocked(wt, "a linked worktree")
	if res := runInRepo(t, wt, "pycguard", "audit"); !strings.Contains(res.out, "native pre-commit hook in") {
		t.Fatalf("audit in the linked worktree does not see the hook:\n%s", res.out)
	}

	cloneDir := filepath.Join(t.TempDir(), "clone")
	r.Git("clone", "-q", r.Dir, cloneDir)
	clone := r.At(cloneDir)
	clone.Git("config", "core.hooksPath", ".githooks")
	blocked(clone, "a clone")
	expect(t, "install in the clone", runInRepo(t, clone, "pycguard", "install"), 0, "already installed in .githooks/pre-commit")
	if got := clone.Git("status", "--porcelain", "--", ".githooks"); got != "" {
		t.Fatalf("install in the clone changed the committed hook:\n%s", got)
	}

	// without pycguard anywhere to be found the shared hook blocks and says why
	bare := clone.With("PATH=/usr/bin:/bin", "HOME="+t.TempDir(), "GOPATH=", "GOBIN=")
	clone.Write("app.py", "print(2)\n")
	clone.Git("add", "app.py")
	expect(t, "commit without pycguard", runInRepo(t, bare, "git", "commit", "-m", "x"), 1, "pycguard: not found")
}

// lefthook's install moves pycguard's hook to pre-commit.old, which
// lefthook does not run (audit then says no hook runs, as install sees
// it); pycguard install chains lefthook's hook, once; pycguard uninstall
// removes pycguard from pre-commit and from pre-commit.old, so lefthook's
// own uninstall, which puts .old back, does not bring pycguard back.
func TestChainWithLefthook(t *testing.T) {
	requireTool(t, "lefthook", "npm install -g lefthook")
	dir, runs, install := countingPycguard(t)
	r := withPath(legacyRepo(t), dir)
	r.Write("lefthook.yml", "pre-commit:\n  jobs:\n    - run: echo lefthook-ran\n")
	r.Git("add", "lefthook.yml")
	r.Git("commit", "-q", "--no-verify", "-m", "lefthook config")
	hooks := filepath.Join(r.Dir, ".git", "hooks")
	commitX := func(step string, wantRuns, wantCode int) {
		t.Helper()
		r.Write("x.pyc", step)
		r.Git("add", "x.pyc")
		res, n := commitCountingRuns(t, r, runs, "-m", step)
		if n != wantRuns || res.code != wantCode {
			t.Fatalf("%s: exit %d, pycguard ran %d times; want exit %d, %d runs\n%s", step, res.code, n, wantCode, wantRuns, res.out)
		}
		if wantCode == 0 {
			r.Git("rm", "-q", "x.pyc")
			r.Git("commit", "-q", "--no-verify", "-m", "remove x.pyc")
		} else {
			r.Git("rm", "-q", "--cached", "x.pyc")
		}
	}
	hookInstalled := func(step string, want bool) {
		t.Helper()
		res := runInRepo(t, r, "pycguard", "audit")
		if got := strings.Contains(res.out, "native pre-commit hook in"); got != want {
			t.Fatalf("%s: audit sees the native hook: %v, want %v\n%s", step, got, want, res.out)
		}
	}

	expect(t, "pycguard install", install(r, "install"), 0)
	expect(t, "lefthook install", runInRepo(t, r, "lefthook", "install"), 0)
	if !strings.Contains(readFile(t, filepath.Join(hooks, "pre-commit.old")), "pycguard-managed-hook") {
		t.Fatal("lefthook did not move pycguard's hook to pre-commit.old")
	}
	commitX("after lefthook install", 0, 0)
	hookInstalled("after lefthook install", false)

	expect(t, "pycguard install over lefthook", install(r, "install"), 0, "kept as .git/hooks/pre-commit.pycguard-saved")
	commitX("after the second pycguard install", 1, 1)
	hookInstalled("after the second pycguard install", true)

	res := runInRepo(t, r, "pycguard", "uninstall")
	expect(t, "pycguard uninstall", res, 0, "restored the earlier .git/hooks/pre-commit", "removed .git/hooks/pre-commit.old")
	commitX("after pycguard uninstall", 0, 0)
	hookInstalled("after pycguard uninstall", false)

	expect(t, "lefthook uninstall", runInRepo(t, r, "lefthook", "uninstall"), 0)
	if b, err := os.ReadFile(filepath.Join(hooks, "pre-commit")); err == nil && strings.Contains(string(b), "pycguard-managed-hook") {
		t.Fatal("lefthook uninstall brought pycguard's hook back")
	}
	commitX("after lefthook uninstall", 0, 0)
}
