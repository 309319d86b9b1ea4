package e2e

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

var binDir string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds pycguard from this tree into a temporary directory and
// runs the tests with it.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "pycguard-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "pycguard"), "github.com/pycguard/pycguard/cmd/pycguard")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building pycguard:", err)
		return 2
	}
	binDir = dir
	return m.Run()
}

func TestScripts(t *testing.T) {
	trackSources(t)
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
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+env.Getenv("PATH"))
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
