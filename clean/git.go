package clean

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
)

// repoCtx answers "does git track this file?" for the part of the walk that
// lies in one repository. Discovery and the index read are done at most once,
// the index read only when a bytecode file is first met.
type repoCtx struct {
	dir     string // real path git is started in
	display string // how the walk names dir
	env     []string

	discoverOnce sync.Once
	repo         *gitops.Repo // nil: not in a repository
	settings     gitops.Settings
	discoverErr  error

	trackedOnce sync.Once
	worktree    string              // real path of the work tree, with a trailing '/'
	tracked     map[string]struct{} // real paths of tracked bytecode (ASCII-lower-cased when fold)
	fold        bool
	err         error // why tracked files cannot be known; reported once
	reported    bool  // guarded by the walker's result lock
}

func newRepoCtx(dir, display string, env []string) *repoCtx {
	return &repoCtx{dir: dir, display: display, env: env}
}

// discover finds the repository (nil when dir is not in one's work tree).
func (c *repoCtx) discover() (*gitops.Repo, error) {
	c.discoverOnce.Do(func() {
		repo, err := openWorkTree(c.dir, c.env)
		if err == nil && repo != nil {
			c.settings, err = repo.Settings()
		}
		if err != nil {
			c.discoverErr = err
			return
		}
		c.repo = repo
	})
	return c.repo, c.discoverErr
}

// openWorkTree opens the repository whose work tree holds dir, as clean
// sees it: nil when there is none — dir is in no repository, git is
// missing and no ".git" lies above dir, or dir is inside a git directory
// or a bare repository (nothing checked out, nothing tracked on disk) —
// and an error when git cannot say (a broken repository, an unsafe
// owner), never a guess that there is no repository. Both the walk and
// the configuration's reader (configuredExclude) ask it.
func openWorkTree(dir string, env []string) (*gitops.Repo, error) {
	repo, err := gitops.Open(dir, env)
	switch {
	case errors.Is(err, gitops.ErrNotRepository):
		return nil, nil
	case errors.Is(err, gitops.ErrGitMissing) && !hasDotGitAbove(dir):
		return nil, nil
	case err != nil:
		return nil, err
	case repo.RequireWorkTree() != nil:
		return nil, nil
	}
	return repo, nil
}

// ignoreCase reports core.ignorecase of the repository (false outside one).
func (c *repoCtx) ignoreCase() bool {
	repo, _ := c.discover()
	return repo != nil && c.settings.IgnoreCase
}

// isTracked reports whether the file at the real path p is in the index.
func (c *repoCtx) isTracked(p string) (bool, error) {
	c.trackedOnce.Do(c.loadTracked)
	if c.err != nil {
		return false, c.err
	}
	p = filepath.ToSlash(p)
	if c.tracked == nil || !strings.HasPrefix(p, c.worktree) {
		return false, nil
	}
	_, ok := c.tracked[c.key(p)]
	return ok, nil
}

func (c *repoCtx) loadTracked() {
	repo, err := c.discover()
	if err != nil {
		c.err = err
		return
	}
	if repo == nil {
		return
	}
	wt, err := filepath.EvalSymlinks(repo.WorkTree)
	if err != nil {
		c.err = fmt.Errorf("work tree %s: %w", repo.WorkTree, err)
		return
	}
	c.fold = c.settings.IgnoreCase
	// Paths are compared '/'-separated (git's form, on Windows too). The
	// filter sees the whole path, so that a repository whose work tree lies
	// inside a __pycache__ (where every file is bytecode to the walk) keeps
	// every file it tracks.
	worktree := strings.TrimSuffix(filepath.ToSlash(wt), "/") + "/"
	res, err := repo.Tracked(nil, func(p string) bool { return bytecode.IsBytecode(worktree+p, c.fold) })
	if err != nil {
		c.err = err
		return
	}
	c.worktree = worktree
	c.tracked = make(map[string]struct{}, len(res.Entries))
	for _, e := range res.Entries {
		c.tracked[c.key(c.worktree+e.Path)] = struct{}{}
	}
}

func (c *repoCtx) key(p string) string {
	if c.fold {
		return asciiLower(p)
	}
	return p
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// hasDotGitAbove reports whether dir or one of its parents holds a ".git".
func hasDotGitAbove(dir string) bool {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}
