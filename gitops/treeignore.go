package gitops

import "fmt"

// modeRegular is the type of a regular file's tree entry (100644, 100755,
// and the 100664 of old trees alike); a .gitignore of any other type (a
// symbolic link, a submodule) is not read, as git does not read one from
// the work tree either.
const modeRegular = 0o100000

// gitignoreEntry returns the .gitignore entry of a tree's entries when it
// is a regular file.
func gitignoreEntry(entries map[string]treeEntry) (treeEntry, bool) {
	e, ok := entries[".gitignore"]
	return e, ok && e.mode&modeTypeMask == modeRegular
}

// GitignoreReader reads the .gitignore files of commits (Read) for a walk
// that meets many: the object store stays open from one commit to the
// next, and what it has read is forgotten after each, so memory does not
// grow with the walk. Close releases it.
type GitignoreReader struct {
	repo  *Repo
	limit int64
	st    *objectStore
	stErr error // why the store could not be opened: git answers instead
}

// GitignoreReader returns a reader of commits' .gitignore files, each
// read only if no larger than limit.
func (r *Repo) GitignoreReader(limit int64) *GitignoreReader {
	return &GitignoreReader{repo: r, limit: limit}
}

// Close releases the object store.
func (g *GitignoreReader) Close() {
	if g.st != nil {
		g.st.close()
		g.st = nil
	}
}

// Read returns the .gitignore files of commit's tree in the directories
// dirs ("" the top, '/'-separated, no trailing slash) that have one, keyed
// by the file's path (".gitignore", "pkg/.gitignore"): the files a
// checkout of commit would write, which are what git would read for them.
// A .gitignore that is not a regular file, or is larger than the reader's
// limit, is left out; a directory the tree lacks has none. commit is a
// full object id; a commit the repository lacks is an error. The object
// store answers it when it can, else git cat-file (two batches: the trees,
// then the files).
func (g *GitignoreReader) Read(commit string, dirs []string) (map[string][]byte, error) {
	if g.st == nil && g.stErr == nil {
		g.st, g.stErr = g.repo.objectStore(max(g.limit, maxDirectTree))
	}
	if g.st != nil {
		defer g.st.forget()
		if files, err := g.readDirect(commit, dirs); err == nil {
			return files, nil
		}
	}
	return g.readViaGit(commit, dirs)
}

// readDirect is Read from the object store, each tree read once; any
// error means "ask git".
func (g *GitignoreReader) readDirect(commit string, dirs []string) (map[string][]byte, error) {
	id, err := parseHexID(commit, g.st.hashLen)
	if err != nil {
		return nil, err
	}
	t, err := commitTree(g.st, id)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, d := range dirs {
		entries, err := t.dir(d)
		if err != nil {
			return nil, err
		}
		e, ok := gitignoreEntry(entries)
		if !ok {
			continue
		}
		typ, data, err := g.st.read(e.hash)
		switch {
		case err != nil:
			return nil, err
		case typ != "blob":
			return nil, fmt.Errorf("%w: .gitignore is a %s", errBadObject, typ)
		case int64(len(data)) <= g.limit:
			out[gitignoreName(d)] = append([]byte{}, data...) // the store's copy is forgotten
		}
	}
	return out, nil
}

// gitignoreName is the path of directory dir's .gitignore.
func gitignoreName(dir string) string {
	if dir == "" {
		return ".gitignore"
	}
	return dir + "/.gitignore"
}

// readViaGit is Read through git cat-file: the trees in one batch, then
// the files.
func (g *GitignoreReader) readViaGit(commit string, dirs []string) (map[string][]byte, error) {
	r, limit := g.repo, g.limit
	// The commit's own tree first: a commit that is missing is an error,
	// not a tree without .gitignore files.
	queries := make([]string, 1+len(dirs))
	queries[0] = commit + ":"
	for i, d := range dirs {
		queries[1+i] = commit + ":" + d
	}
	objs, err := r.readObjectsGit(queries, map[string]bool{"tree": true}, maxTreeObject)
	if err != nil {
		return nil, err
	}
	if objs[0].Type != "tree" {
		return nil, fmt.Errorf("commit %s: %w", commit, ErrMissingObject)
	}
	trees := objs[1:]
	hashLen := r.HashHexLen() / 2
	var files []string
	var blobs []string
	for i, t := range trees {
		if t.Type != "tree" {
			continue // absent, or not a directory in this commit
		}
		if t.Data == nil && t.Size > 0 {
			return nil, fmt.Errorf("the tree of %q in %s is too large to read", dirs[i], commit)
		}
		entries, err := parseTree(t.Data, hashLen)
		if err != nil {
			return nil, fmt.Errorf("the tree of %q in %s: %w", dirs[i], commit, err)
		}
		e, ok := gitignoreEntry(entries)
		if !ok {
			continue
		}
		files = append(files, gitignoreName(dirs[i]))
		blobs = append(blobs, e.hash.String()+"^{}")
	}
	out := make(map[string][]byte, len(files))
	if len(blobs) == 0 {
		return out, nil
	}
	objs, err = r.readObjectsGit(blobs, map[string]bool{"blob": true}, limit)
	if err != nil {
		return nil, err
	}
	for i, o := range objs {
		switch {
		case o.Type != "blob":
			return nil, fmt.Errorf("%s in %s: %w", files[i], commit, ErrMissingObject)
		case o.Size == 0:
			out[files[i]] = []byte{}
		case o.Data != nil:
			out[files[i]] = o.Data
		}
	}
	return out, nil
}
