package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestPathologicalConfigurationPush pushes, through git's own receive-pack
// (a local push runs it) to a bare repository whose pre-receive hook is
// pycguard, commits whose configuration is hostile: extra = ["**/" x 200 +
// "x", "*a*b*c*d*"] beside a path 200 directories deep and a 40,000-byte
// name, and a pyproject.toml of 75,000 keys in another tool's table. Each
// push must be answered with git's verdict (the clean one accepted, the
// one adding bytecode rejected). The context's deadline (60 s, for a hook
// answering in milliseconds) only keeps a hang from stalling the suite: it
// kills the push and fails the test.
func TestPathologicalConfigurationPush(t *testing.T) {
	server := gittest.Init(t, "--bare")
	hook := "#!/bin/sh\nexec " + pycguardExe + " pre-receive\n"
	if err := os.WriteFile(filepath.Join(server.Dir, "hooks", "pre-receive"), []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	r := gittest.Init(t)
	var pyproject strings.Builder
	pyproject.WriteString("[tool.other]\n")
	for i := 0; i < 75000; i++ {
		pyproject.WriteString("k" + strings.Repeat("0", 6-len(strconv.Itoa(i))) + strconv.Itoa(i) + " = 1\n")
	}
	pyproject.WriteString("[tool.pycguard]\nextra = [\"" + strings.Repeat("**/", 200) + "x\", \"*a*b*c*d*\"]\n")
	r.Write("pyproject.toml", pyproject.String())
	deep := strings.Repeat("d/", 200)
	r.Write(deep+"y.py", "source")
	// a 40,000-byte name does not fit a file system; git stores it as a path
	// of 200-byte components, each matched against "*a*b*c*d*"
	long := strings.Repeat(strings.Repeat("a", 199)+"/", 200) + "m.py"
	blob := strings.TrimSpace(r.GitIn([]byte("source\n"), "hash-object", "-w", "--stdin"))
	r.Git("add", "-A")
	r.GitIn([]byte("100644 "+blob+"\t"+long+"\x00"), "update-index", "--add", "-z", "--index-info")
	r.Git("commit", "-q", "-m", "hostile configuration")
	push := func(ref string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "git", "push", server.Dir, "HEAD:"+ref)
		cmd.Dir, cmd.Env = r.Dir, r.Env
		out, err := cmd.CombinedOutput()
		if ctx.Err() != nil {
			t.Fatalf("push to %s did not finish within 60 s:\n%s", ref, out)
		}
		return string(out), err
	}
	if out, err := push("refs/heads/clean"); err != nil {
		t.Fatalf("the clean push was rejected: %v\n%s", err, out)
	}
	r.Write(deep+"__pycache__/y.cpython-312.pyc", "bytecode")
	r.Git("add", "-A")
	r.Git("commit", "-q", "-m", "bytecode")
	out, err := push("refs/heads/bytecode")
	if err == nil || !strings.Contains(out, "push rejected") {
		t.Fatalf("the push adding bytecode was not rejected by pycguard: %v\n%s", err, out)
	}
}
