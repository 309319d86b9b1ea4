//go:build linux

package gitops

import (
	"os"
	"syscall"
)

// mapFile maps f read-only. Mapping a 10 MB index costs a fraction of
// reading it (DESIGN.md decision 2); release undoes it.
func mapFile(f *os.File, size int64) (data []byte, release func(), err error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	if int64(int(size)) != size {
		return readAll(f, size)
	}
	flags := syscall.MAP_PRIVATE
	if size <= 64<<20 {
		// Read ahead what any real index is; a larger file's pages are
		// read only as the scan reaches them.
		flags |= syscall.MAP_POPULATE
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, flags)
	if err != nil {
		return readAll(f, size)
	}
	return b, func() { _ = syscall.Munmap(b) }, nil
}

// mapLazy maps f read-only without reading it ahead: pages are read as they
// are touched, so a pack of gigabytes costs only the objects looked at.
// ok is false when the file cannot be mapped (the caller reads instead).
func mapLazy(f *os.File, size int64) (data []byte, release func(), ok bool) {
	if size == 0 || int64(int(size)) != size {
		return nil, nil, false
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, false
	}
	return b, func() { _ = syscall.Munmap(b) }, true
}
