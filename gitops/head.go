package gitops

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// ErrUnbornHead: HEAD names a branch that has no commit yet.
var ErrUnbornHead = errors.New("HEAD has no commit yet")

// treeReader looks up paths in one commit's tree byte-exactly, reading each
// tree object at most once.
type treeReader struct {
	st    *filesystem.Storage
	root  plumbing.Hash
	trees map[string]map[string]treeEntry // dir path → entries by name
}

// objectStorage opens the repository's object and ref storage with go-git,
// without go-git's repository checks (which refuse some layouts git reads,
// such as extensions.worktreeConfig).
//
// Alternates (objects/info/alternates, from git clone --shared or
// --reference) are read through a file system rooted at the volume root, so
// that relative and absolute alternate paths outside the git directory
// resolve.
func (r *Repo) objectStorage() *filesystem.Storage {
	var fs billy.Filesystem = osfs.New(r.GitDir)
	if r.CommonDir != r.GitDir {
		fs = dotgit.NewRepositoryFilesystem(fs, osfs.New(r.CommonDir))
	}
	root := filepath.VolumeName(r.CommonDir) + string(filepath.Separator)
	return filesystem.NewStorageWithOptions(fs, cache.NewObjectLRUDefault(), filesystem.Options{AlternatesFS: osfs.New(root)})
}

// headTree returns a reader for HEAD's tree, or ErrUnbornHead.
func (r *Repo) headTree() (*treeReader, error) {
	st := r.objectStorage()
	ref, err := storer.ResolveReference(st, plumbing.HEAD)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, ErrUnbornHead
	}
	if err != nil {
		return nil, fmt.Errorf("resolving HEAD in %s: %w", r.GitDir, err)
	}
	return r.commitTree(st, ref.Hash())
}

func (r *Repo) commitTree(st *filesystem.Storage, h plumbing.Hash) (*treeReader, error) {
	data, err := readObject(st, plumbing.CommitObject, h)
	if err != nil {
		return nil, fmt.Errorf("reading commit %s: %w", h, err)
	}
	root, err := commitTreeHash(data)
	if err != nil {
		return nil, fmt.Errorf("reading commit %s: %w", h, err)
	}
	return &treeReader{st: st, root: root, trees: make(map[string]map[string]treeEntry)}, nil
}

// dir returns the entries of the tree at directory path dir ("" for the
// root), or nil when HEAD has no directory there.
func (t *treeReader) dir(dir string) (map[string]treeEntry, error) {
	if m, ok := t.trees[dir]; ok {
		return m, nil
	}
	var h plumbing.Hash
	if dir == "" {
		h = t.root
	} else {
		parent, name := splitPath(dir)
		pm, err := t.dir(parent)
		if err != nil || pm == nil {
			t.trees[dir] = nil
			return nil, err
		}
		e, ok := pm[name]
		if !ok || e.mode != modeTree {
			t.trees[dir] = nil
			return nil, nil
		}
		h = e.hash
	}
	data, err := readObject(t.st, plumbing.TreeObject, h)
	if err == nil {
		var m map[string]treeEntry
		if m, err = parseTree(data); err == nil {
			t.trees[dir] = m
			return m, nil
		}
	}
	return nil, fmt.Errorf("reading tree %s (%q): %w", h, dir, err)
}

// entry returns the tree entry at path p, byte-exactly.
func (t *treeReader) entry(p string) (treeEntry, bool, error) {
	parent, name := splitPath(p)
	m, err := t.dir(parent)
	if err != nil || m == nil {
		return treeEntry{}, false, err
	}
	e, ok := m[name]
	return e, ok, nil
}

func splitPath(p string) (dir, name string) {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i], p[i+1:]
		}
	}
	return "", p
}
