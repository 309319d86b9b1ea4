//go:build unix

package e2e

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestFixKilledAtRandomMoments kills `pycguard fix` with SIGKILL at random
// moments, 60 times. Afterwards the index must be either the old one or the
// new one (never something in between), git fsck must pass, and .gitignore
// must be either its old or its new content. Half the kills hit the whole
// process group, git's index writer included, which can leave index.lock
// behind: the index is then the old one, and the lock (the test's own
// leftover) is removed before the next round.
func TestFixKilledAtRandomMoments(t *testing.T) {
	trackSources(t)
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
	if out, errOut, err := runIn(r, filepath.Join(binDir, "pycguard"), "fix"); err != nil {
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
	for round := 0; round < 60; round++ {
		if err := os.WriteFile(indexPath, oldIndex, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(r.Dir, ".gitignore"), oldIgnore, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(filepath.Join(binDir, "pycguard"), "fix")
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
