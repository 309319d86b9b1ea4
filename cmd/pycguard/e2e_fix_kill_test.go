//go:build unix

package main

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestFixKilledAtRandomMoments kills `pycguard fix` with SIGKILL at random
// moments, 120 times. Afterwards the index must be either the old one or
// the new one (never something in between), every source file must still
// be tracked, git fsck must pass, and .gitignore must be either its old or
// its new content. Half the kills hit the whole
// process group, git's index writer included, which can leave index.lock
// behind: the index is then the old one, and the lock (the test's own
// leftover) is removed before the next round.
func TestFixKilledAtRandomMoments(t *testing.T) {
	r := gittest.Init(t)
	for i := 0; i < 400; i++ {
		r.Write(filepath.Join("pkg", strings.Repeat("d", i%7+1), "__pycache__", "m"+string(rune('a'+i%26))+strings.Repeat("x", i/26)+".pyc"), "bytecode")
		r.Write(filepath.Join("pkg", "src"+strings.Repeat("s", i/26), "m"+string(rune('a'+i%26))+".py"), "source")
	}
	r.Write(".gitignore", "*.log\n")
	r.Commit("legacy")
	indexPath := filepath.Join(r.Dir, ".git", "index")
	oldIndex, err := os.ReadFile(indexPath)
	if err != nil {
		t.Fatal(err)
	}
	oldIgnore, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
	oldState := r.Git("ls-files", "-s")

	// the new state, from one uninterrupted run, whose duration sets the
	// range of the kill moments
	start := time.Now()
	if out, errOut, err := runIn(r, pycguardExe, "fix"); err != nil {
		t.Fatalf("fix: %v\n%s%s", err, out, errOut)
	}
	full := time.Since(start)
	newState := r.Git("ls-files", "-s")
	newIgnore, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
	if newState == oldState {
		t.Fatal("fix changed nothing")
	}

	rng := rand.New(rand.NewSource(1))
	outcomes := map[string]int{}
	for round := 0; round < 120; round++ {
		if err := os.WriteFile(indexPath, oldIndex, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(r.Dir, ".gitignore"), oldIgnore, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(pycguardExe, "fix")
		cmd.Dir, cmd.Env = r.Dir, r.Env
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int63n(int64(full) * 5 / 4)))
		group := round%2 == 1
		if group {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		} else {
			_ = cmd.Process.Kill()
		}
		_ = cmd.Wait()
		// A git child that outlived pycguard finishes (or was killed too).
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, err := os.Stat(indexPath + ".lock"); err != nil {
				break
			}
			if group || time.Now().After(deadline) {
				os.Remove(indexPath + ".lock") // left by a killed git: the test's own
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		state := r.Git("ls-files", "-s")
		if lost := lostSources(oldState, state); len(lost) > 0 {
			t.Fatalf("round %d: source files untracked: %q", round, lost)
		}
		switch state {
		case oldState:
			outcomes["old"]++
		case newState:
			outcomes["new"]++
		default:
			t.Fatalf("round %d: the index is neither the old nor the new one", round)
		}
		ign, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
		if string(ign) != string(oldIgnore) && string(ign) != string(newIgnore) {
			t.Fatalf("round %d: .gitignore is half-written: %q", round, ign)
		}
		r.Git("fsck", "--no-progress", "--no-dangling")
	}
	t.Logf("outcomes after SIGKILL (uninterrupted run %v): %v", full, outcomes)
	if outcomes["old"] == 0 || outcomes["new"] == 0 {
		t.Errorf("the kills did not land on both sides of the change: %v", outcomes)
	}
}

// lostSources returns the paths that are not bytecode and are listed in
// the `git ls-files -s` output before but not in after.
func lostSources(before, after string) []string {
	has := map[string]bool{}
	for _, l := range strings.Split(after, "\n") {
		if _, p, ok := strings.Cut(l, "\t"); ok {
			has[p] = true
		}
	}
	var lost []string
	for _, l := range strings.Split(before, "\n") {
		if _, p, ok := strings.Cut(l, "\t"); ok && !has[p] && !bytecode.IsBytecode(p, false) {
			lost = append(lost, p)
		}
	}
	return lost
}

// TestFixKilledWhileGitReadsTheList stops `pycguard fix` at the one moment
// that used to cost a source file: git's update-index has started and
// pycguard is killed while the list of paths is on its way to git. The
// paths are arranged so that the first 65,536 bytes of the list (what a
// pipe holds before the writer blocks) end in the middle of
// "b/…x.pyc", right after "b/…x.py" — a tracked source. A wrapper in front
// of the real git kills pycguard (its parent) as soon as update-index is
// started, then runs git. git must untrack every bytecode file or none, and
// never the source.
func TestFixKilledWhileGitReadsTheList(t *testing.T) {
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	r := gittest.Init(t)
	// 5,030 entries of 13 bytes ("a/f00000.pyc" and its NUL) fill 65,390
	// bytes; "b/" + 140 bytes + "x.py" fills the remaining 146.
	const fillers, pad = 5030, 140
	for i := 0; i < fillers; i++ {
		r.Write(fmt.Sprintf("a/f%05d.pyc", i), "bytecode")
	}
	stem := "b/" + strings.Repeat("p", pad) + "x"
	if n := fillers*13 + len(stem+".py"); n != 65536 {
		t.Fatalf("the arrangement puts %d bytes before the cut, want 65536", n)
	}
	r.Write(stem+".py", "source")
	r.Write(stem+".pyc", "bytecode")
	r.Write(".gitignore", "*.log\n")
	r.Commit("legacy")
	oldState := r.Git("ls-files", "-s")

	wrapDir := t.TempDir()
	done := filepath.Join(wrapDir, "git-done")
	wrapper := "#!/bin/sh\n" +
		"for a in \"$@\"; do\n" +
		"  if [ \"$a\" = update-index ]; then\n" +
		"    sleep 1; kill -9 $PPID\n" + // pycguard has filled the pipe by now
		"    \"$REAL_GIT\" \"$@\"; s=$?; : > \"$GIT_DONE\"; exit $s\n" +
		"  fi\n" +
		"done\n" +
		"exec \"$REAL_GIT\" \"$@\"\n"
	if err := os.WriteFile(filepath.Join(wrapDir, "git"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(append([]string{}, r.Env...), "PATH="+wrapDir+string(os.PathListSeparator)+os.Getenv("PATH"), "REAL_GIT="+realGit, "GIT_DONE="+done)
	for round := 0; round < 3; round++ {
		r.Git("reset", "-q", "--hard")
		os.Remove(done)
		cmd := exec.Command(pycguardExe, "fix")
		cmd.Dir, cmd.Env = r.Dir, env
		out, _ := cmd.CombinedOutput()
		if cmd.ProcessState.Success() {
			t.Fatalf("pycguard fix was not killed:\n%s", out)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			if _, err := os.Stat(done); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("git update-index did not finish after pycguard was killed")
			}
			time.Sleep(10 * time.Millisecond)
		}
		state := r.Git("ls-files", "-s")
		if lost := lostSources(oldState, state); len(lost) > 0 {
			t.Fatalf("round %d: killing fix while git read the list untracked source files: %q", round, lost)
		}
		tracked := gittest.SplitZ(r.Git("ls-files", "-z"))
		if state != oldState && len(tracked) != 2 {
			t.Fatalf("round %d: the index is neither the old one nor fully fixed: %d entries", round, len(tracked))
		}
	}
}
