//go:build unix && !linux

package clean

import (
	"os"

	"golang.org/x/sys/unix"
)

// readDir lists the open directory fd through a duplicate descriptor and
// os.File.ReadDir.
func readDir(fd int) ([]dent, error) {
	nfd, err := unix.Dup(fd)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(nfd), ".")
	defer f.Close()
	des, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	ents := make([]dent, 0, len(des))
	for _, de := range des {
		ents = append(ents, dent{name: de.Name(), typ: de.Type()})
	}
	return ents, nil
}
