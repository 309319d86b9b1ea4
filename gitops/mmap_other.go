//go:build !linux

package gitops

import "os"

func mapFile(f *os.File, size int64) ([]byte, func(), error) { return readAll(f, size) }

// mapLazy does not map on this system: packs are read with ReadAt.
func mapLazy(f *os.File, size int64) ([]byte, func(), bool) { return nil, nil, false }
