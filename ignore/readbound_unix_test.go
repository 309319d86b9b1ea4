//go:build unix

package ignore

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestIgnoreFilesThatAreNotFilesHaveNoRules: a FIFO as core.excludesFile,
// info/exclude or a .gitignore is never opened (git blocks opening one and
// then reads nothing from it: its size is 0), so the matcher answers at
// once with the rules of the other sources; a .gitignore larger than
// MaxFileSize is skipped unread, as git 2.46 and later skip it.
func TestIgnoreFilesThatAreNotFilesHaveNoRules(t *testing.T) {
	wt := t.TempDir()
	git := filepath.Join(wt, ".git", "info")
	if err := os.MkdirAll(git, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(git, "exclude"), filepath.Join(wt, "excludes"), filepath.Join(wt, "fifo", ".gitignore")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	// A sparse .gitignore one byte over the limit whose first line would
	// ignore *.pyo: skipped without being read.
	big := filepath.Join(wt, "big", ".gitignore")
	if err := os.MkdirAll(filepath.Dir(big), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, []byte("*.pyo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wt, ".gitignore"), []byte("*.pyc\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	type answer struct {
		m   *Matcher
		err error
	}
	done := make(chan answer, 1)
	go func() {
		m, err := New(Sources{WorkTree: wt, InfoExclude: filepath.Join(git, "exclude"), ExcludesFile: filepath.Join(wt, "excludes")})
		if err == nil {
			m.Match("fifo/x.pyo", KindFile)
			m.Match("big/x.pyo", KindFile)
		}
		done <- answer{m, err}
	}()
	var a answer
	select {
	case a = <-done:
	case <-time.After(time.Minute): // a hang guard, not a time limit: the answer takes microseconds
		t.Fatal("the matcher opened a FIFO and blocked")
	}
	if a.err != nil {
		t.Fatal(a.err)
	}
	for path, ignored := range map[string]bool{"a.pyc": true, "fifo/x.pyo": false, "big/x.pyo": false, "fifo/x.pyc": true} {
		if got := a.m.Match(path, KindFile).Ignored(); got != ignored {
			t.Errorf("%s: ignored %v, want %v", path, got, ignored)
		}
	}
}
