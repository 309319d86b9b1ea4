package gitops

import (
	"bytes"
	"errors"
	"fmt"
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
func (r *Repo) Untrack(paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	if err := r.CheckWritableIndex(); err != nil {
		return err
	}
	// update-index takes paths relative to where it runs.
	up := strings.Repeat("../", strings.Count(r.Prefix, "/"))
	var in bytes.Buffer
	for _, p := range paths {
		in.WriteString(up)
		in.WriteString(p)
		in.WriteByte(0)
	}
	if _, err := r.gitOutput(in.Bytes(), "update-index", "--force-remove", "-z", "--stdin"); err != nil {
		// Another git took the lock since CheckWritableIndex looked: the
		// lock file says so, not git's message.
		if _, lerr := os.Lstat(r.IndexFile + ".lock"); lerr == nil {
			return fmt.Errorf("%w: %v", ErrIndexLocked, err)
		}
		return err
	}
	return nil
}

// AbsPath returns the file system path of the git path p.
func (r *Repo) AbsPath(p string) string {
	return filepath.Join(r.WorkTree, filepath.FromSlash(p))
}
