// Package gittest builds real git repositories for tests, isolated from the
// user's and the system's git configuration.
//
// Every test in pycguard that needs git goes through this package, so that
// the isolation rules live in one place: no system config, no global config,
// a private HOME and XDG_CONFIG_HOME (so the default core.excludesFile is not
// the developer's), fixed author and committer, and through GIT_CONFIG_COUNT
// init.defaultBranch=main, core.autocrlf=false and protocol.file.allow=always.
package gittest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// IsolatedEnv returns os.Environ() without any GIT_* variable (a test may run
// inside a hook that exported them) and with the isolation settings added.
// home becomes HOME and the parent of XDG_CONFIG_HOME.
func IsolatedEnv(home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || k == "HOME" || k == "XDG_CONFIG_HOME" ||
			k == "NO_COLOR" || k == "CLICOLOR_FORCE" || k == "PYTHONDONTWRITEBYTECODE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, IsolationVars(home)...)
}

// IsolationVars lists the variables IsolatedEnv adds, as KEY=VALUE.
func IsolationVars(home string) []string {
	return []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Pat Tester",
		"GIT_AUTHOR_EMAIL=pat@example.com",
		"GIT_COMMITTER_NAME=Pat Tester",
		"GIT_COMMITTER_EMAIL=pat@example.com",
		"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z",
		"GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
		"GIT_CONFIG_COUNT=3",
		"GIT_CONFIG_KEY_0=init.defaultBranch",
		"GIT_CONFIG_VALUE_0=main",
		"GIT_CONFIG_KEY_1=core.autocrlf",
		"GIT_CONFIG_VALUE_1=false",
		"GIT_CONFIG_KEY_2=protocol.file.allow",
		"GIT_CONFIG_VALUE_2=always",
	}
}

// Repo is a repository (or any directory) that git commands run in.
type Repo struct {
	T   testing.TB
	Dir string   // where commands run
	Env []string // the isolated environment
}

// Init creates a new repository in a fresh temporary directory.
func Init(t testing.TB, args ...string) *Repo {
	t.Helper()
	r := Dir(t, t.TempDir())
	r.Git(append([]string{"init", "-q"}, args...)...)
	return r
}

// Dir returns a Repo that runs git in dir with an isolated environment whose
// HOME is a fresh temporary directory.
func Dir(t testing.TB, dir string) *Repo {
	t.Helper()
	home := t.TempDir()
	return &Repo{T: t, Dir: dir, Env: IsolatedEnv(home)}
}

// At returns a Repo for another directory sharing r's environment.
func (r *Repo) At(dir string) *Repo {
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(r.Dir, dir)
	}
	return &Repo{T: r.T, Dir: dir, Env: r.Env}
}

// With returns a copy of r whose environment also has the given KEY=VALUE
// settings (later ones win).
func (r *Repo) With(kv ...string) *Repo {
	env := append(append([]string(nil), r.Env...), kv...)
	return &Repo{T: r.T, Dir: r.Dir, Env: env}
}

// UseEnv makes r's isolated environment the test process's own, for
// code that runs git with the process's environment (gitops.Open(dir,
// nil), as the commands do): its GIT_* variables, HOME and
// XDG_CONFIG_HOME are set, and any other GIT_* variable of the process is
// unset, until the test ends (t.Setenv: not for parallel tests).
func (r *Repo) UseEnv(t testing.TB) {
	t.Helper()
	keep := map[string]bool{}
	for _, kv := range r.Env {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "GIT_") || k == "HOME" || k == "XDG_CONFIG_HOME" {
			t.Setenv(k, v)
			keep[k] = true
		}
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "GIT_") && !keep[k] {
			t.Setenv(k, "") // restored when the test ends
			os.Unsetenv(k)
		}
	}
}

// Run runs git with args and stdin, and returns its stdout, stderr and error.
func (r *Repo) Run(stdin []byte, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = r.Env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// Git runs git with args and fails the test if it fails. It returns stdout.
func (r *Repo) Git(args ...string) string {
	r.T.Helper()
	out, errOut, err := r.Run(nil, args...)
	if err != nil {
		r.T.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return string(out)
}

// GitIn runs git with stdin and fails the test if it fails.
func (r *Repo) GitIn(stdin []byte, args ...string) string {
	r.T.Helper()
	out, errOut, err := r.Run(stdin, args...)
	if err != nil {
		r.T.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return string(out)
}

// Write creates (or replaces) the file rel below r.Dir with content, making
// parent directories as needed. On Windows a test writing a name Windows
// forbids is skipped.
func (r *Repo) Write(rel, content string) {
	r.T.Helper()
	skipForbidden(r.T, rel)
	p := filepath.Join(r.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.T.Fatal(err)
	}
}

// Commit stages everything and commits it with message msg.
func (r *Repo) Commit(msg string) {
	r.T.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "-m", msg)
}

// SplitZ splits NUL-terminated git output into its records.
func SplitZ(s string) []string {
	s = strings.TrimSuffix(s, "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}
