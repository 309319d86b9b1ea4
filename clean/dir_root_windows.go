//go:build windows

package clean

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// chooseFS returns the portable walk, the only one on Windows.
func chooseFS(opts *Options) dirFS { return rootFS{beforeOpen: opts.beforeOpen} }

// volumeOf is the serial number of the volume the directory is on (what
// os.SameFile compares too).
func volumeOf(f *os.File, _ fs.FileInfo) (uint64, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var info syscall.ByHandleFileInformation
	var ierr error
	if err := rc.Control(func(h uintptr) { ierr = syscall.GetFileInformationByHandle(syscall.Handle(h), &info) }); err != nil {
		return 0, err
	}
	return uint64(info.VolumeSerialNumber), ierr
}

// ownerOf: Windows has no user id in a FileInfo.
func ownerOf(fs.FileInfo) uint32 { return 0 }

// rootWouldFail predicts nothing on Windows: removal ignores the read-only
// attribute (os.Root.Remove), and access control lists are not evaluated in
// a dry run, so a dry run may list an entry a real run then fails on (and
// reports).
func rootWouldFail(*os.File, entryInfo, int) error { return nil }

// errDirNotEmpty is ERROR_DIR_NOT_EMPTY.
const errDirNotEmpty = syscall.Errno(145)

func isNotEmpty(err error) bool { return errors.Is(err, errDirNotEmpty) }
