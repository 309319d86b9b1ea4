package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// hookFramework is the pre-commit framework or prek, the Rust
// reimplementation of it: both read the same .pre-commit-config.yaml and
// .pre-commit-hooks.yaml, so the same scenarios run with each; only these
// names differ.
type hookFramework struct {
	tool, install string   // the program, and how to get it
	homeVar       string   // the variable that places its cache
	prepareHooks  string   // its command that builds the hook environments
	stageFlag     string   // run's flag that picks a stage
	installSays   []string // what pycguard install over its hook prints
	uninstallSays []string // what pycguard uninstall then prints
}

var (
	preCommitFramework = hookFramework{
		tool: "pre-commit", install: "apt-get install pre-commit",
		homeVar: "PRE_COMMIT_HOME", prepareHooks: "install-hooks", stageFlag: "--hook-stage",
		installSays:   []string{"kept as .git/hooks/pre-commit.pycguard-saved"},
		uninstallSays: []string{"restored"},
	}
	prek = hookFramework{
		tool: "prek", install: "npm install -g @j178/prek (its binary comes as an optional dependency)",
		homeVar: "PREK_HOME", prepareHooks: "prepare-hooks", stageFlag: "--stage",
	}
)

// repo is a legacy repository with config committed and the framework's
// git hook installed, its cache in home (shared by the subtests of one
// test), pycguard on PATH only if pathDirs name binDir, and the real Go
// toolchain's settings.
func (f hookFramework) repo(t *testing.T, home, config string, pathDirs ...string) *gittest.Repo {
	t.Helper()
	requireTool(t, f.tool, f.install)
	genv, err := goEnv()
	if err != nil {
		t.Fatal(err)
	}
	r := withPath(legacyRepo(t), pathDirs...).With(append(genv, f.homeVar+"="+home)...)
	r.Write(".pre-commit-config.yaml", config)
	r.Git("add", ".pre-commit-config.yaml")
	r.Git("commit", "-q", "--no-verify", "-m", f.tool+" config")
	expect(t, f.tool+" install", runInRepo(t, r, f.tool, "install"), 0)
	return r
}

// golang: the framework installs pycguard from a clone of this repository
// through .pre-commit-hooks.yaml (language: golang, built with the Go on
// PATH, pycguard itself deliberately not on PATH), then guards every
// commit form, reports tracked bytecode under --all-files, and runs
// pycguard-fix only at the manual stage. checkEnv, if set, looks at the
// hook environments in home once they are built.
func (f hookFramework) golang(t *testing.T, checkEnv func(t *testing.T, home string)) {
	requireTool(t, f.tool, f.install)
	repo, rev := hookRepo(t)
	home := t.TempDir()
	config := "repos:\n- repo: " + repo + "\n  rev: " + rev + "\n  hooks:\n  - id: pycguard\n  - id: pycguard-fix\n"
	r := f.repo(t, home, config)
	expect(t, f.tool+" "+f.prepareHooks, runInRepo(t, r, f.tool, f.prepareHooks), 0)
	if checkEnv != nil {
		checkEnv(t, home)
	}

	commitForms(t, r)

	// --all-files reports tracked bytecode (the legacy file); the fix hook
	// runs only at the manual stage
	res := runInRepo(t, r, f.tool, "run", "--all-files")
	expect(t, f.tool+" run --all-files", res, 1, "legacy.pyc", "tracked")
	if strings.Contains(res.out, "pycguard fix (untrack bytecode") {
		t.Fatalf("pycguard-fix ran outside the manual stage:\n%s", res.out)
	}
	res = runInRepo(t, r, f.tool, "run", f.stageFlag, "manual", "pycguard-fix")
	expect(t, "pycguard-fix at the manual stage", res, 1, "pycguard fix (untrack bytecode")
	if got := r.Git("ls-files", "legacy.pyc"); got != "" {
		t.Fatalf("legacy.pyc still tracked after pycguard-fix:\n%s", res.out)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "legacy.pyc")); err != nil {
		t.Fatalf("pycguard-fix removed the file from disk: %v", err)
	}
	res = runInRepo(t, r, f.tool, "run", f.stageFlag, "manual", "pycguard-fix")
	expect(t, "pycguard-fix again (nothing left to fix)", res, 0)
	r.Git("add", ".gitignore")
	expect(t, "commit the fix", runInRepo(t, r, "git", "commit", "-m", "untrack bytecode"), 0)
	expect(t, "--all-files after the fix", runInRepo(t, r, f.tool, "run", "--all-files"), 0)
}

// system: the manifest's pycguard-system id (language: system) and a repo:
// local hook with pass_filenames: false use the pycguard on PATH. The
// local form reads the index git commits itself (GIT_INDEX_FILE), the
// other form judges the framework's file list: both must get every commit
// form right.
func (f hookFramework) system(t *testing.T) {
	requireTool(t, f.tool, f.install)
	repo, rev := hookRepo(t)
	home := t.TempDir()
	t.Run("manifest pycguard-system", func(t *testing.T) {
		config := "repos:\n- repo: " + repo + "\n  rev: " + rev + "\n  hooks:\n  - id: pycguard-system\n"
		r := f.repo(t, home, config, binDir)
		commitForms(t, r)
		expect(t, "--all-files", runInRepo(t, r, f.tool, "run", "--all-files"), 1, "legacy.pyc")
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
		r := f.repo(t, home, config, binDir)
		commitForms(t, r)
		// This form judges what is staged, not what is tracked: with
		// nothing staged --all-files passes, which is why the manifest
		// passes file names (documented in the README).
		expect(t, "--all-files, index form", runInRepo(t, r, f.tool, "run", "--all-files"), 0)
	})
}

// installOver: pycguard install on top of the framework's own hook keeps
// it: both run, a failing framework hook still blocks, and uninstall puts
// the framework's script back byte for byte.
func (f hookFramework) installOver(t *testing.T) {
	config := `repos:
- repo: local
  hooks:
  - id: no-todo
    name: no TODO files
    entry: sh -c 'for f; do [ "$(basename "$f")" = TODO ] && { echo "TODO file found $f"; exit 1; }; done; exit 0' --
    language: system
`
	r := f.repo(t, t.TempDir(), config, binDir)
	hook := filepath.Join(r.Dir, ".git", "hooks", "pre-commit")
	before := readFile(t, hook)
	if !strings.Contains(before, f.tool) {
		t.Fatalf("%s did not install its pre-commit hook:\n%s", f.tool, before)
	}
	expect(t, "pycguard install", runInRepo(t, r, "pycguard", "install"), 0, f.installSays...)

	r.Write("TODO", "later\n")
	r.Git("add", "TODO")
	expect(t, f.tool+"'s hook fails", runInRepo(t, r, "git", "commit", "-m", "todo"), 1, "TODO file found")
	r.Git("rm", "-q", "--cached", "TODO")

	commitForms(t, r)

	expect(t, "pycguard uninstall", runInRepo(t, r, "pycguard", "uninstall"), 0, f.uninstallSays...)
	if after := readFile(t, hook); after != before {
		t.Fatalf("%s's hook was not restored exactly", f.tool)
	}
}

func TestPreCommitFrameworkGolang(t *testing.T) {
	preCommitFramework.golang(t, func(t *testing.T, _ string) {
		if _, err := lookPathIn("pycguard", pathWithoutPycguard()); err == nil {
			t.Logf("note: a pycguard is on this machine's PATH; the hook environment's own build comes first")
		}
	})
}

func TestPreCommitFrameworkSystem(t *testing.T)          { preCommitFramework.system(t) }
func TestInstallOverPreCommitFrameworkHook(t *testing.T) { preCommitFramework.installOver(t) }

// prek builds the golang hook with `go install ./...`, which must install
// pycguard alone: the hook environment holds pycguard and nothing else.
func TestPrekGolang(t *testing.T) {
	prek.golang(t, func(t *testing.T, home string) {
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
	})
}

func TestPrekSystem(t *testing.T)          { prek.system(t) }
func TestInstallOverPrekHook(t *testing.T) { prek.installOver(t) }
