package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// The end-to-end tests (the e2e_*_test.go files) run pycguard in real git
// repositories.
//
// Each file in testdata/script is one behaviour, written as a testscript
// (github.com/rogpeppe/go-internal/testscript); its name is the spec.
// TestMain hands the command's main to testscript.Main, which puts a copy
// of this test binary named pycguard first on PATH; called by that name it
// runs main, so a script can install it as .git/hooks/pre-commit and run
// git commit, and the pre-commit framework, prek and lefthook find it as
// they would an installed pycguard. The test binary is built from the
// current tree by go test, so its result cache sees every edit. Extra
// script commands:
//
//	exits N PROG [ARGS...]   run PROG and require exit status N exactly
//	hook-agrees-with-git     compare the verdict the logging pre-commit hook
//	                         recorded with git's own staged set (see
//	                         testdata/hook-oracle.sh)

// pycguardExe is the pycguard that testscript.Main put first on PATH (this
// test binary, which runs main when called by that name), and binDir its
// directory. Go tests that start pycguard, and the git hooks and hook
// managers they drive, run this one.
var pycguardExe, binDir string

func TestMain(m *testing.M) {
	// testscript.Main drops ".exe" from the name it was called by only on
	// Windows; the action test unpacks the Windows archive's pycguard.exe
	// (this binary) and runs it here, where it must be pycguard too, not a
	// second run of every test.
	if filepath.Base(os.Args[0]) == "pycguard.exe" {
		main()
	}
	testscript.Main(onPath{m}, map[string]func(){"pycguard": main})
}

// onPath runs the tests once testscript.Main has put pycguard on PATH,
// after recording where.
type onPath struct{ m *testing.M }

func (o onPath) Run() int {
	exe, err := exec.LookPath("pycguard")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pycguard is not on PATH:", err)
		return 2
	}
	pycguardExe, binDir = exe, filepath.Dir(exe)
	return o.m.Run()
}

func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, nil, nil))
}

// scriptParams are the settings every run of the scripts shares. files
// selects scripts (nil: all of testdata/script); extraEnv is set in each
// script's environment after the isolation variables.
func scriptParams(t *testing.T, files []string, extraEnv []string) testscript.Params {
	oracle, err := filepath.Abs("testdata/hook-oracle.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := "testdata/script"
	if files != nil {
		dir = ""
	}
	return testscript.Params{
		Dir:                 dir,
		Files:               files,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			// Drop what the developer's environment would leak in.
			for _, k := range []string{"NO_COLOR", "CLICOLOR_FORCE", "PYTHONDONTWRITEBYTECODE"} {
				env.Setenv(k, "")
			}
			for _, kv := range gittest.IsolationVars(home) {
				k, v, _ := strings.Cut(kv, "=")
				env.Setenv(k, v)
			}
			env.Setenv("HOOK_ORACLE", oracle)
			env.Setenv("DOLLAR", "$") // scripts expand $ even in quotes
			env.Setenv("HOOKLOG", filepath.Join(env.WorkDir, ".hooklog"))
			for _, kv := range extraEnv {
				k, v, _ := strings.Cut(kv, "=")
				env.Setenv(k, v)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":                exits,
			"hook-agrees-with-git": hookAgreesWithGit,
		},
	}
}

// exits runs a program and requires its exit status to be exactly N; its
// output becomes the script's stdout and stderr.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// hookAgreesWithGit reads what the hook recorded on its last run (git's
// staged set, pycguard's JSON verdict and exit status) and fails unless
// pycguard blocked exactly the bytecode paths git says the commit stages.
func hookAgreesWithGit(ts *testscript.TestScript, neg bool, args []string) {
	log := ts.Getenv("HOOKLOG")
	gitOut, err := os.ReadFile(filepath.Join(log, "git.z"))
	ts.Check(err)
	var want []string
	for _, p := range gittest.SplitZ(string(gitOut)) {
		if bytecode.IsBytecode(p, false) {
			want = append(want, p)
		}
	}
	var doc struct {
		Findings []struct {
			Path string `json:"path"`
		} `json:"findings"`
	}
	js, err := os.ReadFile(filepath.Join(log, "pycguard.json"))
	ts.Check(err)
	if err := json.Unmarshal(js, &doc); err != nil {
		ts.Fatalf("pycguard's JSON: %v\n%s", err, js)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, f.Path)
	}
	slices.Sort(got)
	slices.Sort(want)
	status, err := os.ReadFile(filepath.Join(log, "status"))
	ts.Check(err)
	wantStatus := "0"
	if len(want) > 0 {
		wantStatus = "1"
	}
	if !slices.Equal(got, want) || string(bytes.TrimSpace(status)) != wantStatus {
		ts.Fatalf("pycguard blocked %q (exit %s); git stages bytecode %q", got, bytes.TrimSpace(status), want)
	}
	if len(args) == 1 && strconv.Itoa(len(got)) != args[0] {
		ts.Fatalf("verdict has %d paths, want %s", len(got), args[0])
	}
}
