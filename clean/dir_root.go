package clean

import (
	"errors"
	"io/fs"
	"os"
)

// The portable walk, on os.Root: the only walk on Windows, and selectable
// everywhere (Options.Portable) so that the same hostile-tree tests that pin
// the unix walk run it on Linux.
//
// os.Root opens names relative to an open directory handle and refuses to
// resolve one that leaves it, but inside it it follows symbolic links (and,
// on Windows, junctions). So every subdirectory is first looked at with
// Lstat (a symbolic link or a junction, which Go reports as ModeSymlink or
// ModeIrregular, is not entered), then opened, and the opened directory is
// compared with what Lstat saw (os.SameFile: device and inode, or volume
// serial number and file index); an entry swapped in between is reported,
// not walked. A file or directory is removed only after Lstat, relative to
// its open parent, still shows a regular file, or the very directory that
// was opened and emptied. The window between that check and the removal
// cannot be closed with os.Root (its Remove takes a file or an empty
// directory); an entry swapped in within it is removed inside the root, and
// never through a link.

// errChanged: an entry was replaced (by a symbolic link, a junction, another
// type or another directory) between being looked at and being opened or
// removed. It is not followed and not removed.
var errChanged = errors.New("changed while being cleaned: not followed, not removed")

type rootFS struct {
	// beforeOpen, in tests, runs between the Lstat of a subdirectory and
	// its opening, so that tests can swap it.
	beforeOpen func(name string)
}

func (fsys rootFS) openDir(p string) (dirHandle, error) {
	r, err := os.OpenRoot(p)
	if err != nil {
		return nil, unwrapPath(err)
	}
	return newRootDir(r, fsys.beforeOpen)
}

// rootDir is a directory open as an os.Root, with the directory itself open
// for listing.
type rootDir struct {
	r          *os.Root
	f          *os.File // r's "."
	fi         fs.FileInfo
	vol        uint64
	beforeOpen func(name string)
}

func newRootDir(r *os.Root, beforeOpen func(string)) (*rootDir, error) {
	f, err := r.Open(".")
	if err != nil {
		r.Close()
		return nil, unwrapPath(err)
	}
	d := &rootDir{r: r, f: f, beforeOpen: beforeOpen}
	if d.fi, err = f.Stat(); err == nil {
		d.vol, err = volumeOf(f, d.fi)
	}
	if err != nil {
		d.close()
		return nil, unwrapPath(err)
	}
	return d, nil
}

func (d *rootDir) list(_ bool, _ []byte) ([]dent, markers, error) {
	var m markers
	des, err := d.f.ReadDir(-1)
	if err != nil {
		return nil, m, unwrapPath(err)
	}
	ents := make([]dent, 0, len(des))
	for _, de := range des {
		m.see(de.Name(), de.IsDir())
		ents = append(ents, dent{name: de.Name(), typ: de.Type()})
	}
	return ents, m, nil
}

func (d *rootDir) openDir(name string) (dirHandle, error) {
	seen, err := d.r.Lstat(name)
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !isPlainDir(seen.Mode().Type()) {
		return nil, errChanged
	}
	if d.beforeOpen != nil {
		d.beforeOpen(name)
	}
	r, err := d.r.OpenRoot(name)
	if err != nil {
		return nil, unwrapPath(err)
	}
	c, err := newRootDir(r, d.beforeOpen)
	if err != nil {
		return nil, err
	}
	if !os.SameFile(seen, c.fi) {
		c.close()
		return nil, errChanged
	}
	return c, nil
}

func (d *rootDir) volume() uint64 { return d.vol }

func (d *rootDir) lstat(name string) (entryInfo, error) {
	fi, err := d.r.Lstat(name)
	if err != nil {
		return entryInfo{}, unwrapPath(err)
	}
	return entryInfo{typ: fi.Mode().Type(), size: fi.Size(), owner: ownerOf(fi)}, nil
}

// unlink removes name if it is (still) a regular file: os.Root.Remove
// would take an empty directory too.
func (d *rootDir) unlink(name string) error {
	fi, err := d.r.Lstat(name)
	if err != nil {
		return unwrapPath(err)
	}
	if !fi.Mode().IsRegular() {
		return errChanged
	}
	return unwrapPath(d.r.Remove(name))
}

// rmdir removes name if it is (still) the directory child was opened on.
func (d *rootDir) rmdir(name string, child dirHandle) error {
	fi, err := d.r.Lstat(name)
	if err != nil {
		return unwrapPath(err)
	}
	c, ok := child.(*rootDir)
	if !ok || !isPlainDir(fi.Mode().Type()) || !os.SameFile(fi, c.fi) {
		return errChanged
	}
	err = d.r.Remove(name)
	if isNotEmpty(err) {
		return errNotEmpty
	}
	return unwrapPath(err)
}

func (d *rootDir) wouldFail(e entryInfo, euid int) error {
	return rootWouldFail(d.f, e, euid)
}

func (d *rootDir) close() {
	d.f.Close()
	d.r.Close()
}
