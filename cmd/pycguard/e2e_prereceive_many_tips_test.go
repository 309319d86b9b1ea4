package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestPreReceiveFiftyThousandTips: a push of 50,000 refs, each to its own
// new commit, is judged (the walk's tips go to git on stdin; on its
// command line they exceeded the argument list: "argument list too
// long"). Every fifth-thousandth commit adds bytecode, and exactly those
// are reported.
func TestPreReceiveFiftyThousandTips(t *testing.T) {
	const n = 50000
	srv := gittest.Init(t, "--bare")
	var in bytes.Buffer
	in.WriteString("blob\nmark :1\ndata 6\nsource\n")
	in.WriteString("blob\nmark :2\ndata 8\nbytecode\n")
	for i := 0; i < n; i++ {
		msg := fmt.Sprintf("commit %d", i)
		fmt.Fprintf(&in, "reset refs/heads/tmp\ncommit refs/heads/tmp\nmark :%d\ncommitter P <p@example.com> 1700000000 +0000\ndata %d\n%s\nM 100644 :1 app.py\n",
			i+3, len(msg), msg)
		if i%5000 == 0 {
			in.WriteString("M 100644 :2 __pycache__/app.cpython-312.pyc\n")
		}
	}
	marks := filepath.Join(t.TempDir(), "marks")
	srv.GitIn(in.Bytes(), "fast-import", "--quiet", "--export-marks="+marks)
	srv.Git("update-ref", "-d", "refs/heads/tmp") // the commits are new to every ref

	f, err := os.Open(marks)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var updates bytes.Buffer
	zero := strings.Repeat("0", 40)
	tips := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		mark, id, _ := strings.Cut(sc.Text(), " ")
		if mark == ":1" || mark == ":2" {
			continue
		}
		fmt.Fprintf(&updates, "%s %s refs/heads/b%s\n", zero, id, mark[1:])
		tips++
	}
	if tips != n {
		t.Fatalf("%d commits made, want %d", tips, n)
	}

	cmd := exec.Command(pycguardExe, "pre-receive")
	cmd.Dir = srv.Dir
	cmd.Env = srv.Env
	cmd.Stdin = &updates
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	// The rejection (on stderr, as git shows a hook's output to the
	// pusher) names each bad commit's path once.
	if found := strings.Count(errOut.String(), "app.cpython-312.pyc"); code != 1 || found != n/5000 {
		t.Fatalf("pre-receive of %d refs: exit %d, %d findings\nstdout: %.2000s\nstderr: %.2000s", n, code, found, out.String(), errOut.String())
	}
}
