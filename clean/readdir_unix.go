//go:build unix && !linux

package clean

import (
	"os"

	"golang.org/x/sys/unix"
)

// readDir lists the open directory fd through a duplicate descriptor and
// os.File.ReadDir. It returns every entry, whatever all says.
func readDir(fd int, all bool, _ []byte) ([]dent, markers, error) {
	var m markers
	nfd, err := unix.Dup(fd)
	if err != nil {
		return nil, m, err
	}
	f := os.NewFile(uintptr(nfd), ".")
	defer f.Close()
	des, err := f.ReadDir(-1)
	if err != nil {
		return nil, m, err
	}
	ents := make([]dent, 0, len(des))
	for _, de := range des {
		m.see(de.Name(), de.IsDir())
		ents = append(ents, dent{name: de.Name(), typ: de.Type()})
	}
	return ents, m, nil
}
