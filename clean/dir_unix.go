//go:build unix

package clean

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// The unix walk: every directory is a descriptor opened with
// openat(O_NOFOLLOW|O_DIRECTORY) relative to its parent's, every entry is
// inspected with fstatat(AT_SYMLINK_NOFOLLOW) and removed with unlinkat.

const openDirFlags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC

// chooseFS returns the walk's file-system access: the unix walk unless the
// portable walk is asked for.
func chooseFS(opts *Options) dirFS {
	if opts.Portable {
		return rootFS{beforeOpen: opts.beforeOpen}
	}
	return fdFS{}
}

type fdFS struct{}

func (fdFS) openDir(p string) (dirHandle, error) {
	fd, err := unix.Open(p, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return newFdDir(fd)
}

// fdDir is a directory open as a descriptor.
type fdDir struct {
	fd  int
	dev uint64
}

func newFdDir(fd int) (*fdDir, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &fdDir{fd: fd, dev: uint64(st.Dev)}, nil
}

func (d *fdDir) list(all bool, buf []byte) ([]dent, markers, error) {
	return readDir(d.fd, all, buf)
}

func (d *fdDir) openDir(name string) (dirHandle, error) {
	fd, err := unix.Openat(d.fd, name, openDirFlags, 0)
	if err != nil {
		return nil, err
	}
	return newFdDir(fd)
}

func (d *fdDir) volume() uint64 { return d.dev }

func (d *fdDir) lstat(name string) (entryInfo, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return entryInfo{}, err
	}
	return entryInfo{typ: statType(uint32(st.Mode)), size: st.Size, owner: st.Uid}, nil
}

// unlink never removes a directory (unlinkat without AT_REMOVEDIR refuses
// one).
func (d *fdDir) unlink(name string) error { return unix.Unlinkat(d.fd, name, 0) }

// rmdir never removes anything but an empty directory (AT_REMOVEDIR).
func (d *fdDir) rmdir(name string, _ dirHandle) error {
	err := unix.Unlinkat(d.fd, name, unix.AT_REMOVEDIR)
	if errors.Is(err, unix.ENOTEMPTY) || errors.Is(err, unix.EEXIST) {
		return errNotEmpty
	}
	return err
}

func (d *fdDir) wouldFail(e entryInfo, euid int) error { return wouldFail(d.fd, e.owner, euid) }

func (d *fdDir) close() { unix.Close(d.fd) }

// wouldFail predicts, in a dry run, the refusal a real run would meet when
// unlinking an entry owned by uid from the open directory dirfd: no write
// and search permission on the directory (or a read-only file system), or a
// sticky directory (like /tmp) where neither the entry nor the directory is
// ours.
func wouldFail(dirfd int, uid uint32, euid int) error {
	if err := unix.Faccessat(dirfd, ".", unix.W_OK|unix.X_OK, 0); err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstat(dirfd, &st); err != nil {
		return err
	}
	if me := uint32(euid); st.Mode&unix.S_ISVTX != 0 && me != 0 && uid != me && st.Uid != me {
		return unix.EPERM
	}
	return nil
}

func statType(mode uint32) fs.FileMode {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFREG:
		return 0
	case unix.S_IFLNK:
		return fs.ModeSymlink
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}
