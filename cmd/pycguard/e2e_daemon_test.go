//go:build unix

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pycguard/pycguard/internal/gittest"
)

// startDaemon serves the bare repositories below base with `git daemon` on
// 127.0.0.1 (a free port), receive-pack enabled, and returns the git://
// URL prefix. The daemon and its children are killed when the test ends.
func startDaemon(t *testing.T, r *gittest.Repo, base string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("git", "daemon", "--listen=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--export-all", "--enable=receive-pack", "--reuseaddr", "--informative-errors",
		"--base-path="+base, base)
	cmd.Env = r.Env
	cmd.Dir = base
	var logs strings.Builder
	cmd.Stderr = &logs
	// Its own process group, so that the per-connection children die too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting git daemon: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("git daemon log:\n%s", logs.String())
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("git daemon did not listen on port %d: %v\n%s", port, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Sprintf("git://127.0.0.1:%d/", port)
}

// gitTimed runs git in r with a time limit, returning stdout, stderr and
// the error.
func gitTimed(r *gittest.Repo, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir, cmd.Env = r.Dir, r.Env
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	return o.String(), e.String(), err
}

// TestPreReceiveOverGitDaemon pushes over git:// to a bare repository
// served by git daemon on 127.0.0.1, whose hooks/pre-receive is pycguard:
// the real receive-pack, quarantine included, runs the hook.
func TestPreReceiveOverGitDaemon(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git not found")
	}
	base := t.TempDir()
	r := gittest.Dir(t, base).With("PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"))
	r.Git("init", "-q", "--bare", "repo.git")
	hook := filepath.Join(base, "repo.git", "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\nexec pycguard pre-receive\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	url := startDaemon(t, r, base) + "repo.git"

	work := r.At(t.TempDir())
	if _, e, err := gitTimed(work, "clone", "-q", url, "."); err != nil {
		t.Fatalf("clone: %v\n%s", err, e)
	}
	push := func(args ...string) (string, error) {
		_, e, err := gitTimed(work, append([]string{"push", "origin"}, args...)...)
		return e, err
	}
	mustPush := func(args ...string) {
		t.Helper()
		if e, err := push(args...); err != nil {
			t.Fatalf("push %v rejected: %v\n%s", args, err, e)
		} else if strings.Contains(e, "pycguard") {
			t.Fatalf("push %v: pycguard spoke on an accepted push:\n%s", args, e)
		}
	}
	serverHas := func(ref string) string {
		out, _, err := r.Run(nil, "--git-dir", filepath.Join(base, "repo.git"), "rev-parse", "-q", "--verify", ref)
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}

	work.Write("app.py", "print(1)\n")
	work.Commit("base")
	mustPush("main")

	// A .pyc three commits back: rejected, the commit named to the pusher.
	work.Write("pkg/__pycache__/m.cpython-312.pyc", "bytecode")
	work.Commit("bytecode")
	bad := strings.TrimSpace(work.Git("rev-parse", "HEAD"))
	work.Commit("two")
	work.Write("three.py", "3\n")
	work.Commit("three")
	e, err := push("main")
	if err == nil {
		t.Fatalf("bad push accepted:\n%s", e)
	}
	for _, want := range []string{"remote: pycguard: push rejected", "remote:   " + bad + "  added      pkg/__pycache__/m.cpython-312.pyc",
		"pre-receive hook declined"} {
		if !strings.Contains(e, want) {
			t.Errorf("rejection lacks %q:\n%s", want, e)
		}
	}
	if got := serverHas("main"); got == strings.TrimSpace(work.Git("rev-parse", "HEAD")) {
		t.Fatal("server's main moved")
	}

	// Fix it: a push that deletes the bytecode on top of it is still a
	// push of the bad commit; dropping the commit's file is the fix.
	work.Git("rm", "-q", "-r", "--cached", "pkg/__pycache__")
	work.Commit("untrack")
	if _, err := push("main"); err == nil {
		t.Fatal("a push still containing the bad commit was accepted")
	}
	work.Git("reset", "-q", "--hard", "origin/main")
	work.Write("clean.py", "ok\n")
	work.Commit("clean")
	mustPush("main")

	// Deleting bytecode already on the server: accepted.
	work.Write("legacy.pyc", "old")
	work.Commit("legacy")
	r.Git("--git-dir", filepath.Join(base, "repo.git"), "config", "core.hooksPath", "/nonexistent")
	mustPush("main") // history that predates the hook
	r.Git("--git-dir", filepath.Join(base, "repo.git"), "config", "--unset", "core.hooksPath")
	work.Git("rm", "-q", "--cached", "legacy.pyc")
	work.Commit("untrack legacy")
	mustPush("main")

	// A new branch on the old bad history, with clean new commits.
	work.Git("checkout", "-q", "-b", "feature", "HEAD~1")
	work.Write("feature.py", "f\n")
	work.Commit("feature")
	mustPush("feature")

	// Several refs: one bad rejects the whole push, only it is named.
	work.Git("checkout", "-q", "-b", "bad")
	work.Write("bad.pyc", "x")
	work.Commit("bad")
	work.Git("checkout", "-q", "-b", "good", "main")
	work.Commit("good")
	e, err = push("good", "bad")
	if err == nil || !strings.Contains(e, "rejected: refs/heads/bad") || strings.Contains(e, "rejected: refs/heads/good") {
		t.Fatalf("several refs: err %v\n%s", err, e)
	}
	if serverHas("refs/heads/good") != "" || serverHas("refs/heads/bad") != "" {
		t.Fatal("a ref of a rejected push was created")
	}
	mustPush("good")

	// Branch deletion and tags.
	mustPush("--delete", "feature")
	work.Git("tag", "-a", "-m", "release", "v1", "good")
	mustPush("v1")
	work.Git("tag", "-a", "-m", "bad release", "v2", "bad")
	if e, err := push("v2"); err == nil || !strings.Contains(e, "rejected: refs/tags/v2") {
		t.Fatalf("tag of a bad commit: err %v\n%s", err, e)
	}
}
