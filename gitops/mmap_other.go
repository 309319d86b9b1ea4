//go:build !linux

package gitops

import "os"

func mapFile(f *os.File, size int64) ([]byte, func(), error) { return readAll(f, size) }
