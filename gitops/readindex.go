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

// scanIndexFile scans r's index file. A missing file is an empty index, as
// it is for git (a new repository has none until something is added).
func (r *Repo) scanIndexFile(quick, keep func(string) bool) (*indexScan, error) {
	hashLen, err := hashLenOf(r.ObjectFormat)
	if err != nil {
		return nil, &errNeedsGit{err.Error()}
	}
	f, err := os.Open(r.IndexFile)
	if errors.Is(err, fs.ErrNotExist) {
		return &indexScan{version: 2}, nil
	}
	if err != nil {
		return nil, &IndexError{r.IndexFile, err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, &IndexError{r.IndexFile, err}
	}
	if !fi.Mode().IsRegular() {
		return nil, &IndexError{r.IndexFile, fmt.Errorf("%w: not a regular file", ErrCorruptIndex)}
	}
	data, release, err := mapFile(f, fi.Size())
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
