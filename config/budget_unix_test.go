//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestLoadRefusesDevicesAndFIFOs: a configuration file that is a committed
// link to /dev/zero, or a FIFO, is an *Error before a byte is read.
func TestLoadRefusesDevicesAndFIFOs(t *testing.T) {
	for _, name := range []string{FileName, PyprojectName} {
		dir := t.TempDir()
		if err := os.Symlink("/dev/zero", filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(dir, dir, ""); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s linked to /dev/zero: %v, want an invalid configuration", name, err)
		}
		dir = t.TempDir()
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { _, err := Load(dir, dir, ""); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s as a FIFO: %v, want an invalid configuration", name, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s as a FIFO: Load hangs", name)
		}
		if _, err := Load(dir, dir, name); !errors.Is(err, ErrInvalid) {
			t.Errorf("--config naming a FIFO: %v, want an invalid configuration", err)
		}
	}
}
