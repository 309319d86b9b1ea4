package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// Errors of Read and Replace; each is wrapped with the path.
var (
	// ErrSymlink: the name is a symbolic link, which is neither read nor
	// written through.
	ErrSymlink = errors.New("is a symbolic link")
	// ErrNotRegular: the name is a directory, FIFO, device or socket.
	ErrNotRegular = errors.New("is not a regular file")
	// ErrTooLarge: the file is larger than the reader's limit.
	ErrTooLarge = errors.New("is too large")
	// ErrBadName: the name is not one path element.
	ErrBadName = errors.New("is not a file name in its directory")
)

// File is what Read found.
type File struct {
	Data   []byte
	Perm   fs.FileMode // permission bits
	Exists bool
}

// Read returns the content of the file name in dir, or Exists false when
// there is none. It fails with ErrSymlink, ErrNotRegular or ErrTooLarge
// (more than limit bytes) before reading anything.
func Read(dir, name string, limit int64) (File, error) {
	p, err := join(dir, name)
	if err != nil {
		return File{}, err
	}
	return ReadPath(p, limit)
}

// ReadPath is Read for a path whose last element is the file.
func ReadPath(p string, limit int64) (File, error) {
	return readPath(p, limit, os.Lstat, oNoFollow)
}

// ReadFollow is ReadPath for a file that may be reached through symbolic
// links (a configuration file a user links to): the file they lead to must
// be a regular file no larger than limit.
func ReadFollow(p string, limit int64) (File, error) {
	return readPath(p, limit, os.Stat, 0)
}

func readPath(p string, limit int64, stat func(string) (fs.FileInfo, error), noFollow int) (File, error) {
	fi, err := stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return File{}, nil
	}
	if err != nil {
		return File{}, err
	}
	if err := checkType(p, fi); err != nil {
		return File{}, err
	}
	f, err := os.OpenFile(p, os.O_RDONLY|noFollow|oNonBlock, 0)
	if err != nil {
		if isLoop(err) {
			return File{}, fmt.Errorf("%s: %w", p, ErrSymlink)
		}
		return File{}, err
	}
	defer f.Close()
	ofi, err := f.Stat()
	if err != nil {
		return File{}, err
	}
	// The name may have been swapped between the Lstat and the open.
	if err := checkType(p, ofi); err != nil {
		return File{}, err
	}
	if !os.SameFile(fi, ofi) {
		return File{}, fmt.Errorf("%s: changed while it was opened", p)
	}
	if ofi.Size() > limit {
		return File{}, fmt.Errorf("%s (%d bytes, more than %d): %w", p, ofi.Size(), limit, ErrTooLarge)
	}
	// A file that grows while read is cut at limit+1 bytes and refused.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return File{}, fmt.Errorf("reading %s: %w", p, err)
	}
	if int64(len(data)) > limit {
		return File{}, fmt.Errorf("%s (more than %d bytes): %w", p, limit, ErrTooLarge)
	}
	return File{Data: data, Perm: ofi.Mode().Perm(), Exists: true}, nil
}

// Check fails as Replace would before writing: the name is a symbolic link
// or not a regular file. An absent name is fine.
func Check(dir, name string) error {
	p, err := join(dir, name)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	}
	return checkType(p, fi)
}

func checkType(p string, fi fs.FileInfo) error {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s: %w", p, ErrSymlink)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: %w", p, ErrNotRegular)
	}
	return nil
}

func join(dir, name string) (string, error) {
	if name == "" || name == "." || name == ".." || filepath.Base(name) != name || filepath.IsAbs(name) {
		return "", fmt.Errorf("%q: %w", name, ErrBadName)
	}
	return filepath.Join(dir, name), nil
}

// Mode says which permission bits Replace gives the file.
type Mode struct {
	Perm fs.FileMode // for a new file, and for an existing one unless Keep
	Keep bool        // an existing file keeps its permission bits
}

// Replace makes data the content of the file name in dir, atomically: a
// temporary file in dir, synced, given the mode, renamed over name. name
// must be absent or a regular file (ErrSymlink, ErrNotRegular otherwise);
// nothing is changed when the write fails.
func Replace(dir, name string, data []byte, mode Mode) error {
	return replace(dir, name, data, mode, defaultRenamer)
}

func replace(dir, name string, data []byte, mode Mode, rn renamer) (err error) {
	p, err := join(dir, name)
	if err != nil {
		return err
	}
	perm := mode.Perm
	fi, err := os.Lstat(p)
	switch {
	case err == nil:
		if err := checkType(p, fi); err != nil {
			return err
		}
		if mode.Keep {
			perm = fi.Mode().Perm()
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+".pycguard-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", f.Name(), err)
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	// Checked again just before the rename: a link planted meanwhile is
	// refused rather than replaced.
	if fi, lerr := os.Lstat(p); lerr == nil {
		if err = checkType(p, fi); err != nil {
			return err
		}
	}
	if err = rn.rename(f.Name(), p); err != nil {
		return fmt.Errorf("replacing %s: %w", p, err)
	}
	return nil
}

// renamer renames with bounded retries on the errors the platform reports
// for a file another process holds open.
type renamer struct {
	os     func(oldpath, newpath string) error
	goos   string
	sleep  func(time.Duration)
	delays []time.Duration // one retry after each
}

var defaultRenamer = renamer{os: os.Rename, goos: runtime.GOOS, sleep: time.Sleep, delays: retryDelays}

// retryDelays are the waits before each retry: about 150 ms in all, the
// order of Git for Windows' own retries of a rename over an open file.
var retryDelays = []time.Duration{1 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond}

func (r renamer) rename(oldpath, newpath string) error {
	err := r.os(oldpath, newpath)
	for _, d := range r.delays {
		if err == nil || !heldOpen(err, r.goos) {
			break
		}
		r.sleep(d)
		err = r.os(oldpath, newpath)
	}
	return err
}

// The Windows error numbers of a rename over a file that is open
// elsewhere (winerror.h).
const (
	winAccessDenied     = 5
	winSharingViolation = 32
	winLockViolation    = 33
)

// heldOpen reports whether err is what goos reports when another process
// holds the file open; only Windows has such errors.
func heldOpen(err error, goos string) bool {
	if goos != "windows" {
		return false
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch uintptr(errno) {
	case winAccessDenied, winSharingViolation, winLockViolation:
		return true
	}
	return false
}
