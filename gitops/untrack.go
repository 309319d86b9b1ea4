package gitops

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrHookIndex: the index is a temporary one git gave a hook
// (GIT_INDEX_FILE ends in ".lock"); changes to it would be thrown away or
// would race with the commit in progress.
var ErrHookIndex = errors.New("the index is a temporary one of a commit in progress")

// ErrIndexLocked: index.lock exists, so another git process is writing the
// index (or one crashed and left it).
var ErrIndexLocked = errors.New("the index is locked by another git process")

// CheckWritableIndex reports why the index must not be written now: it is
// a commit's temporary index, or its lock file exists. git itself would
// refuse the second case; checking first lets callers change nothing at all.
func (r *Repo) CheckWritableIndex() error {
	if err := r.RequireWorkTree(); err != nil {
		return err
	}
	if strings.HasSuffix(r.IndexFile, ".lock") {
		return fmt.Errorf("%s: %w (run pycguard fix outside the hook, then commit)", r.IndexFile, ErrHookIndex)
	}
	lock := r.IndexFile + ".lock"
	if _, err := os.Lstat(lock); err == nil {
		return fmt.Errorf("%s exists: %w; if no git process is running, remove it and retry", lock, ErrIndexLocked)
	}
	return nil
}

// Untrack removes paths (git paths, relative to the work tree top) from the
// index, leaving the files on disk: what `git rm --cached` does, through
// `git update-index --force-remove -z --stdin`, so that git takes
// index.lock, writes every extension and flag of the other entries back,
// and smudges racily-clean entries (DESIGN.md decision 4).
//
// git receives the complete list or nothing: the list is written to a
// temporary file and synced before git starts, and git reads that file as
// its standard input. Through a pipe, a pycguard killed while writing
// would leave git to apply the part that arrived, a cut-off last path
// included (which may name a source file: "b/x.py" of "b/x.pyc"). git
// writes the new index to index.lock and renames it, so a kill at any
// moment leaves the index as it was or fully untracked.
func (r *Repo) Untrack(paths []string) (err error) {
	if len(paths) == 0 {
		return nil
	}
	if err := r.CheckWritableIndex(); err != nil {
		return err
	}
	list, err := writeList(paths, strings.Repeat("../", strings.Count(r.Prefix, "/")))
	if err != nil {
		return fmt.Errorf("writing the list of paths to untrack: %w", err)
	}
	defer func() {
		list.Close()
		os.Remove(list.Name())
	}()
	// git reads the file itself: an *os.File is handed over as its stdin.
	p, err := startGit(r.dir, r.env, list, io.Discard, "update-index", "--force-remove", "-z", "--stdin")
	if err == nil {
		err = p.wait()
	}
	if err != nil {
		// Another git took the lock since CheckWritableIndex looked: the
		// lock file says so, not git's message.
		if _, lerr := os.Lstat(r.IndexFile + ".lock"); lerr == nil {
			return fmt.Errorf("%w: %v", ErrIndexLocked, err)
		}
		return err
	}
	return nil
}

// writeList writes each path, prefixed with up (update-index takes paths
// relative to where it runs), NUL-terminated, to a temporary file, syncs
// it, and returns it open and positioned at its start.
func writeList(paths []string, up string) (f *os.File, err error) {
	f, err = os.CreateTemp("", "pycguard-untrack-*")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	for _, p := range paths {
		w.WriteString(up)
		w.WriteString(p)
		w.WriteByte(0)
	}
	if err = w.Flush(); err != nil {
		return nil, err
	}
	if err = f.Sync(); err != nil {
		return nil, err
	}
	if _, err = f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return f, nil
}

// AbsPath returns the file system path of the git path p.
func (r *Repo) AbsPath(p string) string {
	return filepath.Join(r.WorkTree, filepath.FromSlash(p))
}
