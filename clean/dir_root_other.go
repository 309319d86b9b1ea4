//go:build !unix && !windows

package clean

import (
	"io/fs"
	"os"
)

// chooseFS returns the portable walk, the only one here.
func chooseFS(opts *Options) dirFS { return rootFS{beforeOpen: opts.beforeOpen} }

// volumeOf: no volume identity here; every directory counts as on the
// root's file system.
func volumeOf(*os.File, fs.FileInfo) (uint64, error) { return 0, nil }

func ownerOf(fs.FileInfo) uint32 { return 0 }

func rootWouldFail(*os.File, entryInfo, int) error { return nil }

func isNotEmpty(error) bool { return false }
