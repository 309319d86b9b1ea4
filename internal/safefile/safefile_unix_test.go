//go:build unix

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadRefusesDevicesAndFIFOs: a link to /dev/zero and a FIFO are refused
// before a byte is read: no hang, no allocation.
func TestReadRefusesDevicesAndFIFOs(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero")); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, "zero", 1<<20); !errors.Is(err, ErrSymlink) {
		t.Errorf("a link to /dev/zero: %v, want ErrSymlink", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := Read(dir, "fifo", 1<<20); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("a FIFO: %v, want ErrNotRegular", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("reading a FIFO hangs")
	}
	if err := Replace(dir, "fifo", nil, Mode{Perm: 0o644}); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Replace over a FIFO: %v, want ErrNotRegular", err)
	}
}
