package gitops

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// IndexError is a failure to read the index file at Path.
type IndexError struct {
	Path string
	Err  error
}

func (e *IndexError) Error() string { return fmt.Sprintf("reading index %s: %v", e.Path, e.Err) }
func (e *IndexError) Unwrap() error { return e.Err }

func readAll(f *os.File, size int64) ([]byte, func(), error) {
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, func() {}, nil
}

// maxIndexFile bounds the index the scanner maps; a larger one (git itself
// has no such limit) is read through git.
const maxIndexFile = 1 << 30

// scanIndexFile scans r's index file. A missing file is an empty index, as
// it is for git (a new repository has none until something is added). The
// file is checked to be a regular file, and its header (signature, version,
// entry count against the file's size) is read, before it is mapped: a
// FIFO, a device or a huge sparse file is refused without being read.
func (r *Repo) scanIndexFile(quick, keep func(string) bool) (*indexScan, error) {
	hashLen, err := hashLenOf(r.ObjectFormat)
	if err != nil {
		return nil, &errNeedsGit{err.Error()}
	}
	// Stat before opening: opening a FIFO for reading waits for a writer.
	fi, err := os.Stat(r.IndexFile)
	if errors.Is(err, fs.ErrNotExist) {
		return &indexScan{version: 2}, nil
	}
	if err != nil {
		return nil, &IndexError{r.IndexFile, err}
	}
	if !fi.Mode().IsRegular() {
		return nil, &IndexError{r.IndexFile, fmt.Errorf("%w: not a regular file (%s)", ErrCorruptIndex, fi.Mode().Type())}
	}
	f, err := os.Open(r.IndexFile)
	if err != nil {
		return nil, &IndexError{r.IndexFile, err}
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, &IndexError{r.IndexFile, err}
	}
	if !fi.Mode().IsRegular() {
		return nil, &IndexError{r.IndexFile, fmt.Errorf("%w: not a regular file (%s)", ErrCorruptIndex, fi.Mode().Type())}
	}
	size := fi.Size()
	var head [12]byte
	if size >= int64(len(head)) {
		if _, err := f.ReadAt(head[:], 0); err != nil {
			return nil, &IndexError{r.IndexFile, err}
		}
		// What scanIndex checks first, before the file is mapped.
		if _, _, err := indexHeader(head[:], size, hashLen); err != nil {
			var ng *errNeedsGit
			if errors.As(err, &ng) {
				return nil, err
			}
			return nil, &IndexError{r.IndexFile, err}
		}
	}
	if size > maxIndexFile {
		return nil, &errNeedsGit{fmt.Sprintf("index of %d bytes", size)}
	}
	data, release, err := mapFile(f, size)
	if err != nil {
		return nil, &IndexError{r.IndexFile, err}
	}
	defer release()
	s, err := scanIndex(data, hashLen, quick, keep)
	if err != nil {
		var ng *errNeedsGit
		if errors.As(err, &ng) {
			return nil, err
		}
		return nil, &IndexError{r.IndexFile, err}
	}
	return s, nil
}
