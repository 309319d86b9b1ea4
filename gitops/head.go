package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrUnbornHead: HEAD names a branch that has no commit yet.
var ErrUnbornHead = errors.New("HEAD has no commit yet")

// treeReader looks up paths in one commit's tree byte-exactly, reading each
// tree object at most once.
type treeReader struct {
	st    *objectStore
	root  ObjectID
	trees map[string]map[string]treeEntry // dir path → entries by name
}

// maxTreeObject bounds one commit or tree object check reads in-process
// (a directory of 100,000 entries is about 5 MB); larger ones go to git.
const maxTreeObject = 256 << 20

// objectStore opens the repository's object directories the way git finds
// them: GIT_OBJECT_DIRECTORY or the common directory's objects, then
// GIT_ALTERNATE_OBJECT_DIRECTORIES and objects/info/alternates.
func (r *Repo) objectStore(limit int64) (*objectStore, error) {
	hashLen, err := hashLenOf(r.ObjectFormat)
	if err != nil {
		return nil, err
	}
	primary := r.getenv("GIT_OBJECT_DIRECTORY")
	if primary == "" {
		common, err := r.commonDir()
		if err != nil {
			return nil, err
		}
		primary = filepath.Join(common, "objects")
	}
	return newObjectStore(primary, r.getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"), r.dir, hashLen, limit)
}

// commonDir is CommonDir, or, for a Repo without it, the directory a
// hook's git would use: GIT_COMMON_DIR, GIT_DIR (and its commondir file)
// or a bare repository in the starting directory.
func (r *Repo) commonDir() (string, error) {
	if r.CommonDir != "" {
		return r.CommonDir, nil
	}
	if c := r.getenv("GIT_COMMON_DIR"); c != "" {
		return absIn(r.dir, c), nil
	}
	gitDir := r.getenv("GIT_DIR")
	if gitDir == "" {
		// git's discovery looks for a .git directory first, then at the
		// directory itself (a hook of a bare repository starts there).
		// Anything else (a .git file, a search upwards) is left to git.
		here := absIn(r.dir, ".")
		dotGit := filepath.Join(here, ".git")
		switch fi, err := os.Lstat(dotGit); {
		case err == nil && fi.IsDir() && isGitDirectory(dotGit):
			gitDir = dotGit
		case err == nil || !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("%w: %s is not a plain .git directory", errNotSupported, dotGit)
		case isGitDirectory(here):
			gitDir = here
		default:
			return "", fmt.Errorf("%w: %s is not a repository's top", errNotSupported, here)
		}
	}
	gitDir = absIn(r.dir, gitDir)
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if errors.Is(err, fs.ErrNotExist) {
		return gitDir, nil
	}
	if err != nil {
		return "", err
	}
	c := strings.TrimSuffix(string(data), "\n")
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return filepath.Clean(c), nil
}

// isGitDirectory: dir has what git requires of a git directory (HEAD,
// objects/ and refs/).
func isGitDirectory(dir string) bool {
	for _, p := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			return false
		}
	}
	return true
}

// headTree returns a reader for HEAD's tree, or ErrUnbornHead. The caller
// closes the reader's store.
func (r *Repo) headTree() (*treeReader, error) {
	id, err := r.resolveHead()
	if err != nil {
		return nil, err
	}
	st, err := r.objectStore(maxTreeObject)
	if err != nil {
		return nil, err
	}
	t, err := commitTree(st, id)
	if err != nil {
		st.close()
		return nil, err
	}
	return t, nil
}

// resolveHead reads HEAD and the refs it points through from the files git
// keeps them in (loose refs, then packed-refs). ErrUnbornHead only when
// HEAD names a branch that neither has; any other layout (reftable) is an
// error, for the caller to ask git.
func (r *Repo) resolveHead() (ObjectID, error) {
	var none ObjectID
	if r.GitDir == "" || r.CommonDir == "" {
		return none, fmt.Errorf("%w: repository not opened", errNotSupported)
	}
	hashLen, err := hashLenOf(r.ObjectFormat)
	if err != nil {
		return none, err
	}
	if _, err := os.Stat(filepath.Join(r.CommonDir, "reftable")); err == nil {
		return none, fmt.Errorf("%w: reftable", errNotSupported)
	}
	packed, err := os.ReadFile(filepath.Join(r.CommonDir, "packed-refs"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return none, err
	}
	if _, set := r.lookupEnv("GIT_REPLACE_REF_BASE"); set {
		// git follows replace refs under another namespace (even set to
		// "", which makes every ref a candidate): git answers.
		return none, fmt.Errorf("%w: GIT_REPLACE_REF_BASE", errNotSupported)
	}
	if replaced, err := hasReplaceRefs(r.CommonDir, packed); err != nil || replaced {
		// git diff --cached follows replace refs (unless told not to):
		// git answers.
		return none, fmt.Errorf("%w: replace refs", errNotSupported)
	}
	name := "HEAD"
	for depth := 0; depth < 5; depth++ {
		dir := r.CommonDir
		if perWorktreeRef(name) {
			dir = r.GitDir
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		switch {
		case err == nil:
		case errors.Is(err, fs.ErrNotExist) && name != "HEAD":
			id, found, perr := packedRef(packed, name, hashLen)
			if perr != nil || found {
				return id, perr
			}
			if depth == 1 {
				return none, ErrUnbornHead
			}
			return none, fmt.Errorf("%w: %s does not resolve", errNotSupported, name)
		default:
			return none, err
		}
		text := strings.TrimRight(string(data), "\n")
		if target, ok := strings.CutPrefix(text, "ref: "); ok {
			if !strings.HasPrefix(target, "refs/") || strings.Contains(target, "..") {
				return none, fmt.Errorf("%w: HEAD points at %q", errNotSupported, target)
			}
			name = target
			continue
		}
		return parseHexID(text, hashLen)
	}
	return none, fmt.Errorf("%w: symbolic refs nested too deeply", errNotSupported)
}

// hasReplaceRefs reports whether the repository has refs under
// refs/replace/ (git replace), loose or in packed (packed-refs' content).
func hasReplaceRefs(common string, packed []byte) (bool, error) {
	ents, err := os.ReadDir(filepath.Join(common, "refs", "replace"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return len(ents) > 0 || bytes.Contains(packed, []byte(" refs/replace/")), nil
}

// perWorktreeRef: refs a linked worktree keeps in its own git directory
// (gitrepository-layout(5)).
func perWorktreeRef(name string) bool {
	return !strings.HasPrefix(name, "refs/") || strings.HasPrefix(name, "refs/bisect/") ||
		strings.HasPrefix(name, "refs/worktree/") || strings.HasPrefix(name, "refs/rewritten/")
}

// packedRef looks name up in the content of packed-refs ("<id> <name>"
// lines; "#" starts the header, "^" a peeled value), ids of hashLen bytes.
func packedRef(packed []byte, name string, hashLen int) (ObjectID, bool, error) {
	for len(packed) > 0 {
		line, rest, _ := bytes.Cut(packed, []byte{'\n'})
		packed = rest
		id, ref, ok := bytes.Cut(line, []byte{' '})
		if ok && string(ref) == name {
			oid, err := parseHexID(string(id), hashLen)
			return oid, err == nil, err
		}
	}
	return ObjectID{}, false, nil
}

// parseHexID reads a full object name of hashLen bytes in hexadecimal: a
// name of the other object format is an error.
func parseHexID(s string, hashLen int) (ObjectID, error) {
	if len(s) != 2*hashLen {
		return ObjectID{}, fmt.Errorf("%w: object name %q", errBadObject, s)
	}
	return ParseObjectID(s)
}

// commitTree reads commit id and returns a reader for its tree.
func commitTree(st *objectStore, id ObjectID) (*treeReader, error) {
	typ, data, err := st.read(id)
	if err == nil && typ != "commit" {
		err = fmt.Errorf("%w: a %s, not a commit", errBadObject, typ)
	}
	if err != nil {
		return nil, fmt.Errorf("reading commit %s: %w", id, err)
	}
	root, err := commitTreeHash(data, st.hashLen)
	if err != nil {
		return nil, fmt.Errorf("reading commit %s: %w", id, err)
	}
	return &treeReader{st: st, root: root, trees: make(map[string]map[string]treeEntry)}, nil
}

// dir returns the entries of the tree at directory path dir ("" for the
// root), or nil when HEAD has no directory there.
func (t *treeReader) dir(dir string) (map[string]treeEntry, error) {
	if m, ok := t.trees[dir]; ok {
		return m, nil
	}
	var h ObjectID
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
	typ, data, err := t.st.read(h)
	if err == nil && typ != "tree" {
		err = fmt.Errorf("%w: a %s, not a tree", errBadObject, typ)
	}
	if err == nil {
		var m map[string]treeEntry
		if m, err = parseTree(data, t.st.hashLen); err == nil {
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
