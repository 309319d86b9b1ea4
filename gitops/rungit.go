package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// maxStderr is how much of a git process's stderr is kept for its
// *GitError: enough for git's message, never unbounded.
const maxStderr = 16 << 10

// gitProcess is one running git started by startGit.
type gitProcess struct {
	cmd    *exec.Cmd
	args   []string
	stderr *bytes.Buffer
	// Stdout is git's standard output when startGit was asked to pipe it.
	Stdout io.ReadCloser
}

// startGit is the one place pycguard starts git. The child runs in dir
// with env (nil: the process environment) and with the locale of its
// messages fixed to C (LC_ALL=C, LANGUAGE cleared): git's messages are
// then its own untranslated text whatever language the user runs git in,
// and pycguard's behaviour never depends on a translation. What git writes
// to stderr is kept up to maxStderr bytes. A git that cannot be found is
// ErrGitMissing. With pipe, git's stdout is returned in Stdout and the
// caller reads it before wait; otherwise stdout goes to out.
func startGit(dir string, env []string, stdin io.Reader, out io.Writer, args ...string) (*gitProcess, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(env)
	cmd.Stdin = stdin
	p := &gitProcess{cmd: cmd, args: args, stderr: new(bytes.Buffer)}
	cmd.Stderr = &limitedWriter{w: p.stderr, n: maxStderr}
	if out != nil {
		cmd.Stdout = out
	} else {
		rc, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		p.Stdout = rc
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, ErrGitMissing
		}
		return nil, fmt.Errorf("running git %s: %w", strings.Join(args, " "), err)
	}
	return p, nil
}

// wait waits for git to exit. A non-zero exit is a *GitError carrying the
// exit code and the kept stderr.
func (p *gitProcess) wait() error {
	err := p.cmd.Wait()
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return &GitError{Args: p.args, ExitCode: ee.ExitCode(), Stderr: p.stderr.String()}
	}
	return fmt.Errorf("running git %s: %w", strings.Join(p.args, " "), err)
}

// stop kills git (its remaining output is not wanted) and reaps it.
func (p *gitProcess) stop() {
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}

// runGit runs git to completion through startGit and returns its stdout
// (also on failure: some callers read what git printed before it failed).
func runGit(dir string, env []string, stdin []byte, args ...string) ([]byte, error) {
	var in io.Reader
	if stdin != nil {
		in = bytes.NewReader(stdin)
	}
	var out bytes.Buffer
	p, err := startGit(dir, env, in, &out, args...)
	if err != nil {
		return nil, err
	}
	err = p.wait()
	return out.Bytes(), err
}

// RunGit runs one git command in dir with env (nil: the process
// environment) and stdin (nil: none) and returns its standard output. It
// is how every package of pycguard starts git: git's messages are in the C
// locale, its stderr is kept short in the *GitError of a non-zero exit,
// and a git that cannot be found is ErrGitMissing.
func RunGit(dir string, env []string, stdin []byte, args ...string) ([]byte, error) {
	return runGit(dir, env, stdin, args...)
}

// gitEnv is env (nil: the process environment) with git's message
// locale fixed: LC_ALL=C overrides LANG and every LC_* variable, and an
// empty LANGUAGE keeps GNU gettext from picking a translation by it.
func gitEnv(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env)+2)
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if k == "LC_ALL" || k == "LANGUAGE" {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "LC_ALL=C", "LANGUAGE=")
}

// gitOutput runs git in r.dir with r's environment and returns its stdout.
// A failure is a *GitError with git's stderr (or ErrGitMissing).
func (r *Repo) gitOutput(stdin []byte, args ...string) ([]byte, error) {
	env, args := r.command(args)
	return runGit(r.dir, env, stdin, args...)
}

// startGit starts git in r.dir with r's environment, stdout piped.
func (r *Repo) startGit(stdin io.Reader, args ...string) (*gitProcess, error) {
	env, args := r.command(args)
	return startGit(r.dir, env, stdin, nil, args...)
}

// command returns the environment and arguments of a git command of r:
// after NoLazyFetch, with the promisor remotes unregistered and every
// transport refused.
func (r *Repo) command(args []string) ([]string, []string) {
	if !r.noFetch {
		return r.env, args
	}
	env := r.env
	if env == nil {
		env = os.Environ()
	}
	// GIT_ALLOW_PROTOCOL names the transports git may use (git(1)); a
	// list holding no real protocol allows none.
	env = append(append([]string(nil), env...), "GIT_ALLOW_PROTOCOL=none")
	return env, append(r.noFetchArgs(r.promisors), args...)
}

// NoLazyFetch makes every later git command of r work with the objects
// the repository has: in a partial clone git would otherwise fetch a
// missing object from its promisor remote on demand, touching the
// network. An object git needs and does not have then makes the command
// fail; the read-only report uses it so that it never fetches.
func (r *Repo) NoLazyFetch() error {
	if _, err := r.PromisorRemotes(); err != nil {
		return err
	}
	r.noFetch = true
	return nil
}

// Git runs one git command in r's directory and environment through
// RunGit.
func (r *Repo) Git(stdin []byte, args ...string) ([]byte, error) {
	return r.gitOutput(stdin, args...)
}

// limitedWriter keeps the first n bytes written to it and drops the rest,
// so that a chatty child cannot grow memory without bound.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.n -= k
		if _, err := l.w.Write(p[:k]); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
