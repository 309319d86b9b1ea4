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
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
	if err != nil {
		return readAll(f, size)
	}
	return b, func() { _ = syscall.Munmap(b) }, nil
}
