package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// prek, the Rust reimplementation of the pre-commit framework, reads the
// same .pre-commit-config.yaml and .pre-commit-hooks.yaml; these tests run
// the pre-commit framework's scenarios (e2e_integrations_test.go) with it.

const prekInstall = "npm install -g @j178/prek (its binary comes as an optional dependency)"

// prekRepo is a legacy repository with config committed and prek's git
// hook installed, prek's cache in home, and the real Go toolchain's
// settings.
func prekRepo(t *testing.T, home, config string, pathDirs ...string) *gittest.Repo {
	t.Helper()
	genv, err := goEnv()
	if err != nil {
		t.Fatal(err)
	}
	r := withPath(legacyRepo(t), pathDirs...).With(append(genv, "PREK_HOME="+home)...)
	r.Write(".pre-commit-config.yaml", config)
	r.Git("add", ".pre-commit-config.yaml")
	r.Git("commit", "-q", "--no-verify", "-m", "prek config")
	expect(t, "prek install", runInRepo(t, r, "prek", "install"), 0)
	return r
}

// prek builds the golang hook from a clone of this repository with `go
// install ./...` — which installs pycguard alone — guards every commit
// form, reports tracked bytecode under --all-files, and runs pycguard-fix
// only at the manual stage.
func TestPrekGolang(t *testing.T) {
	requireTool(t, "prek", prekInstall)
	repo, rev := hookRepo(t)
	home := t.TempDir()
	config := "repos:\n- repo: " + repo + "\n  rev: " + rev + "\n  hooks:\n  - id: pycguard\n  - id: pycguard-fix\n"
	r := prekRepo(t, home, config) // pycguard is not on PATH: prek must build it
	expect(t, "prek prepare-hooks", runInRepo(t, r, "prek", "prepare-hooks"), 0)

	// the hook environment holds pycguard and nothing else
	var installed []string
	filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) == "bin" {
			installed = append(installed, d.Name())
		}
		return nil
	})
	if len(installed) != 1 || installed[0] != "pycguard" {
		t.Fatalf("programs go install put in prek's golang environment: %q, want pycguard alone", installed)
	}

	commitForms(t, r)

	res := runInRepo(t, r, "prek", "run", "--all-files")
	expect(t, "prek run --all-files", res, 1, "legacy.pyc", "tracked")
	if strings.Contains(res.out, "pycguard fix (untrack bytecode") {
		t.Fatalf("pycguard-fix ran outside the manual stage:\n%s", res.out)
	}
	res = runInRepo(t, r, "prek", "run", "--stage", "manual", "pycguard-fix")
	expect(t, "pycguard-fix at the manual stage", res, 1, "pycguard fix (untrack bytecode")
	if got := r.Git("ls-files", "legacy.pyc"); got != "" {
		t.Fatalf("legacy.pyc still tracked after pycguard-fix:\n%s", res.out)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "legacy.pyc")); err != nil {
		t.Fatalf("pycguard-fix removed the file from disk: %v", err)
	}
	expect(t, "pycguard-fix again (nothing left to fix)", runInRepo(t, r, "prek", "run", "--stage", "manual", "pycguard-fix"), 0)
	r.Git("add", ".gitignore")
	expect(t, "commit the fix", runInRepo(t, r, "git", "commit", "-m", "untrack bytecode"), 0)
	expect(t, "--all-files after the fix", runInRepo(t, r, "prek", "run", "--all-files"), 0)
}

// The manifest's pycguard-system hook and a repo: local hook use the
// pycguard on PATH under prek too.
func TestPrekSystem(t *testing.T) {
	requireTool(t, "prek", prekInstall)
	repo, rev := hookRepo(t)
	home := t.TempDir()
	t.Run("manifest pycguard-system", func(t *testing.T) {
		config := "repos:\n- repo: " + repo + "\n  rev: " + rev + "\n  hooks:\n  - id: pycguard-system\n"
		r := prekRepo(t, home, config, binDir)
		commitForms(t, r)
		expect(t, "--all-files", runInRepo(t, r, "prek", "run", "--all-files"), 1, "legacy.pyc")
	})
	t.Run("repo local, pass_filenames false", func(t *testing.T) {
		config := `repos:
- repo: local
  hooks:
  - id: pycguard
    name: pycguard
    entry: pycguard check
    language: system
    pass_filenames: false
    always_run: true
`
		r := prekRepo(t, home, config, binDir)
		commitForms(t, r)
		expect(t, "--all-files, index form", runInRepo(t, r, "prek", "run", "--all-files"), 0)
	})
}

// pycguard install on top of prek's hook keeps it: both run, a failing
// prek hook still blocks, and uninstall puts prek's script back byte for
// byte.
func TestInstallOverPrekHook(t *testing.T) {
	requireTool(t, "prek", prekInstall)
	config := `repos:
- repo: local
  hooks:
  - id: no-todo
    name: no TODO files
    entry: sh -c 'for f; do [ "$(basename "$f")" = TODO ] && { echo "TODO file found $f"; exit 1; }; done; exit 0' --
    language: system
`
	r := prekRepo(t, t.TempDir(), config, binDir)
	hook := filepath.Join(r.Dir, ".git", "hooks", "pre-commit")
	before := mustRead(t, hook)
	if !strings.Contains(before, "prek") {
		t.Fatalf("prek did not install its pre-commit hook:\n%s", before)
	}
	expect(t, "pycguard install", runInRepo(t, r, "pycguard", "install"), 0)

	r.Write("TODO", "later\n")
	r.Git("add", "TODO")
	expect(t, "prek's hook fails", runInRepo(t, r, "git", "commit", "-m", "todo"), 1, "TODO file found")
	r.Git("rm", "-q", "--cached", "TODO")

	commitForms(t, r)

	expect(t, "pycguard uninstall", runInRepo(t, r, "pycguard", "uninstall"), 0)
	if after := mustRead(t, hook); after != before {
		t.Fatalf("prek's hook was not restored exactly")
	}
}
