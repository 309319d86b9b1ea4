package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// The tests of this file each show one defect of the read-only report
// (audit) that grew its own history walk, policy and hook detection; each
// failed before audit was rebuilt on scan's walk. They run the binary and
// read its JSON, whose fields named here existed before.

// pycguard runs the binary under test in r and returns stdout, stderr
// and the exit status.
func pycguard(t *testing.T, r *gittest.Repo, args ...string) (string, string, int) {
	t.Helper()
	out, errOut, err := runIn(r, pycguardExe, args...)
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return out, errOut, ee.ExitCode()
	case err != nil:
		t.Fatalf("pycguard %s: %v", strings.Join(args, " "), err)
	}
	return out, errOut, 0
}

// auditDoc is the part of audit's JSON these tests read.
type auditDoc struct {
	NeedsFix bool  `json:"needs_fix"`
	Complete *bool `json:"complete"`
	Tracked  struct {
		Files int `json:"files"`
	} `json:"tracked"`
	Hooks struct {
		Native bool `json:"native"`
	} `json:"hooks"`
	History struct {
		Complete     *bool    `json:"complete"`
		Blobs        int      `json:"blobs"`
		Bytes        int64    `json:"bytes"`
		UnknownSizes int      `json:"unknown_sizes"`
		Missing      []string `json:"missing"`
		Commits      int      `json:"commits"`
		TopCommits   []struct {
			Commit string `json:"commit"`
			Paths  int    `json:"paths"`
		} `json:"top_commits"`
	} `json:"history"`
}

// audit runs pycguard audit --format json in r and requires exit status
// code and a JSON document on stdout.
func audit(t *testing.T, r *gittest.Repo, code int) auditDoc {
	t.Helper()
	out, errOut, got := pycguard(t, r, "audit", "--format", "json")
	if got != code {
		t.Fatalf("audit exited %d, want %d\nstdout:\n%s\nstderr:\n%s", got, code, out, errOut)
	}
	var d auditDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("audit's JSON: %v\n%s\nstderr:\n%s", err, out, errOut)
	}
	return d
}

// removeLoose deletes the loose object id from r's object directory.
func removeLoose(t *testing.T, r *gittest.Repo, id string) {
	t.Helper()
	p := filepath.Join(r.Dir, ".git", "objects", id[:2], id[2:])
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}

func revParse(r *gittest.Repo, rev string) string { return strings.TrimSpace(r.Git("rev-parse", rev)) }

// TestAuditMissingObjects (defect 1): audit needs commits, trees and the
// bytecode blobs' sizes only. A missing unrelated blob changes nothing; a
// missing bytecode blob is named, the rest of the report is printed (JSON
// too, saying the history is incomplete) and the exit status is 2; so is
// a missing tree.
func TestAuditMissingObjects(t *testing.T) {
	r := gittest.Init(t)
	r.Write("big.bin", strings.Repeat("large unrelated data\n", 5000))
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "bytecode")
	r.Commit("one")
	r.Git("rm", "-q", "--cached", "-r", "pkg/__pycache__")
	r.Write(".gitignore", "__pycache__/\n*.py[codz]\n*$py.class\n")
	r.Commit("untrack")

	removeLoose(t, r, revParse(r, "HEAD:big.bin"))
	d := audit(t, r, 0)
	if d.History.Blobs != 1 || d.History.Bytes != int64(len("bytecode")) || d.History.Commits != 1 {
		t.Fatalf("with an unrelated blob missing: %+v", d.History)
	}

	pyc := revParse(r, "HEAD~1:pkg/__pycache__/m.cpython-312.pyc")
	removeLoose(t, r, pyc)
	out, errOut, code := pycguard(t, r, "audit")
	if code != 2 || !strings.Contains(out, pyc) || !strings.Contains(out, "History") || !strings.Contains(errOut, "incomplete") {
		t.Fatalf("bytecode blob missing: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	d = audit(t, r, 2)
	if d.Complete == nil || *d.Complete || d.History.Complete == nil || *d.History.Complete ||
		len(d.History.Missing) != 1 || d.History.Missing[0] != pyc || d.History.Blobs != 1 || d.History.Commits != 1 {
		t.Fatalf("bytecode blob missing: %+v", d)
	}

	// A missing tree: the walk stops; still a report, still exit 2.
	r2 := gittest.Init(t)
	r2.Write("a/x.pyc", "x")
	r2.Commit("one")
	r2.Git("rm", "-q", "--cached", "a/x.pyc")
	r2.Commit("two")
	removeLoose(t, r2, revParse(r2, "HEAD~1:a"))
	d = audit(t, r2, 2)
	if d.History.Complete == nil || *d.History.Complete {
		t.Fatalf("tree missing: %+v", d.History)
	}
}

// TestAuditPartialCloneFetchesNothing (defect 2): in a blob:none partial
// clone made over file:// from a server that allows filters, audit starts
// no fetch (GIT_TRACE and GIT_TRACE_PACKET show none), reports the sizes
// of absent bytecode blobs as unknown with their count, and gives the
// same report once the server is gone.
func TestAuditPartialCloneFetchesNothing(t *testing.T) {
	srv := gittest.Init(t)
	srv.Git("config", "uploadpack.allowFilter", "true")
	srv.Git("config", "uploadpack.allowAnySHA1InWant", "true")
	for i, body := range []string{"first", "second", "third"} {
		srv.Write("pkg/__pycache__/m.cpython-312.pyc", body)
		srv.Write("src.py", body+" source")
		srv.Commit("commit " + string(rune('1'+i)))
	}
	srv.Git("rm", "-q", "--cached", "-r", "pkg/__pycache__")
	srv.Write(".gitignore", "__pycache__/\n*.py[codz]\n*$py.class\n")
	srv.Commit("untrack")

	clone := gittest.Dir(t, t.TempDir())
	clone.Git("clone", "-q", "--filter=blob:none", "file://"+srv.Dir, clone.Dir)
	if !strings.Contains(clone.Git("config", "--get-regexp", "promisor"), "true") {
		t.Fatal("the clone is not a partial clone")
	}
	absent := strings.Count(clone.Git("rev-list", "--objects", "--all", "--missing=print"), "?")
	if absent < 3 {
		t.Fatalf("the clone lacks only %d objects", absent)
	}

	trace := filepath.Join(t.TempDir(), "trace")
	traced := clone.With("GIT_TRACE="+trace, "GIT_TRACE_PACKET="+trace)
	d := audit(t, traced, 0)
	log, _ := os.ReadFile(trace)
	if bytes.Contains(log, []byte("fetch")) || bytes.Contains(log, []byte("upload-pack")) || len(log) == 0 {
		t.Fatalf("audit fetched (or traced nothing): %d bytes of trace, %d mentions of fetch\n%.3000s", len(log), bytes.Count(log, []byte("fetch")), log)
	}
	if d.History.Blobs != 3 || d.History.UnknownSizes != 3 || d.History.Bytes != 0 || d.History.Commits != 1 {
		t.Fatalf("partial clone: %+v", d.History)
	}
	if now := strings.Count(clone.Git("rev-list", "--objects", "--all", "--missing=print"), "?"); now != absent {
		t.Fatalf("objects absent before audit: %d, after: %d", absent, now)
	}

	// The server gone: the same answer.
	if err := os.Rename(srv.Dir, srv.Dir+".gone"); err != nil {
		t.Fatal(err)
	}
	if d2 := audit(t, clone, 0); d2.History.Blobs != 3 || d2.History.UnknownSizes != 3 || d2.History.Commits != 1 {
		t.Fatalf("server unreachable: %+v", d2.History)
	}
}

// TestAuditBranchBytecodeAttributedToItsCommit (defect 3): bytecode added
// on a branch merged later belongs to the branch's commit (as scan --all
// says), not to the merge, and is counted once while the branch exists.
func TestAuditBranchBytecodeAttributedToItsCommit(t *testing.T) {
	r := gittest.Init(t)
	r.Write("app.py", "x")
	r.Commit("root")
	r.Git("checkout", "-q", "-b", "side")
	r.Write("side.pyc", "bytecode")
	r.Commit("side adds bytecode")
	side := revParse(r, "HEAD")
	r.Git("checkout", "-q", "main")
	r.Write("main.py", "y")
	r.Commit("main moves on")
	r.Git("merge", "-q", "--no-ff", "--no-edit", "side")

	d := audit(t, r, 1)
	if d.History.Commits != 1 || len(d.History.TopCommits) != 1 || d.History.TopCommits[0].Commit != side {
		t.Fatalf("audit: %+v; the commit that adds side.pyc is %s", d.History, side)
	}
	scan, _, code := pycguard(t, r, "scan", "--all", "--format", "json")
	if code != 1 || !strings.Contains(scan, side) || strings.Count(scan, `"commit"`) != 1 {
		t.Fatalf("scan --all (exit %d):\n%s", code, scan)
	}
}

// TestAuditBlobCountIgnoresUnrelatedCommits (defect 4): the empty blob is
// both an empty __pycache__/x.pyc and an empty __init__.py; it is one
// bytecode blob, and an unrelated empty 0.py does not change the count.
func TestAuditBlobCountIgnoresUnrelatedCommits(t *testing.T) {
	r := gittest.Init(t)
	r.Write("pkg/__init__.py", "")
	r.Write("pkg/__pycache__/x.cpython-312.pyc", "")
	r.Write("pkg/__pycache__/y.cpython-312.pyc", "y")
	r.Commit("one")
	if d := audit(t, r, 1); d.History.Blobs != 2 {
		t.Fatalf("blobs: %d, want 2 (the empty one and y)", d.History.Blobs)
	}
	r.Write("0.py", "")
	r.Commit("an empty source file")
	if d := audit(t, r, 1); d.History.Blobs != 2 {
		t.Fatalf("after adding an empty 0.py, blobs: %d, want 2", d.History.Blobs)
	}
}

// TestAuditNameWithNewline (defect 5): a bytecode file whose name holds a
// newline is in audit's history, as scan finds it.
func TestAuditNameWithNewline(t *testing.T) {
	r := gittest.Init(t)
	r.Write("app.py", "x")
	r.Write("odd\nname.pyc", "bytecode")
	r.Commit("one")
	r.Git("rm", "-q", "--cached", "odd\nname.pyc")
	r.Write(".gitignore", "__pycache__/\n*.py[codz]\n*$py.class\n")
	r.Commit("untrack")
	d := audit(t, r, 0)
	if d.History.Blobs != 1 || d.History.Commits != 1 || len(d.History.TopCommits) != 1 || d.History.TopCommits[0].Paths != 1 {
		t.Fatalf("audit: %+v", d.History)
	}
}

// TestAuditSharesCheckPolicy (defect 6): with allow = ["fixtures/*.pyc"],
// check --all passes and fix has nothing to do, so audit has nothing to
// fix either (exit 0); and only pycguard's own hook counts as installed.
func TestAuditSharesCheckPolicy(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".pycguard.toml", "allow = [\"fixtures/*.pyc\"]\n")
	r.Write(".gitignore", "__pycache__/\n*.py[codz]\n*$py.class\n")
	r.Write("fixtures/sample.pyc", "fixture")
	r.Git("add", "-A")
	r.Git("add", "-f", "fixtures/sample.pyc")
	r.Git("commit", "-q", "-m", "fixture")
	if _, _, code := pycguard(t, r, "check", "--all"); code != 0 {
		t.Fatalf("check --all exited %d", code)
	}
	if out, _, code := pycguard(t, r, "fix", "--dry-run"); code != 0 || !strings.Contains(out, "nothing to fix") {
		t.Fatalf("fix --dry-run (exit %d):\n%s", code, out)
	}
	if d := audit(t, r, 0); d.NeedsFix || d.Tracked.Files != 0 || d.History.Blobs != 0 {
		t.Fatalf("audit: %+v", d)
	}

	hooks := filepath.Join(r.Dir, ".git", "hooks")
	os.MkdirAll(hooks, 0o755)
	if err := os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte("#!/bin/sh\n# pycguard was here once\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if d := audit(t, r, 0); d.Hooks.Native {
		t.Fatal("a hook that only mentions pycguard counted as installed")
	}
	if _, errOut, code := pycguard(t, r, "install"); code != 0 {
		t.Fatalf("install exited %d: %s", code, errOut)
	}
	if d := audit(t, r, 0); !d.Hooks.Native {
		t.Fatal("pycguard's own hook not counted as installed")
	}
}
