package gitops

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Statuses of a HistoryChange beyond the staged ones (Added, Modified,
// TypeChanged).
const (
	// Renamed: added at Path with exactly the blob the same commit deleted
	// at From (git's exact rename).
	Renamed Status = "renamed"
	// Deleted: the path is gone from the commit.
	Deleted Status = "deleted"
)

// ErrBadRevision: git could not resolve a revision of a walk.
var ErrBadRevision = errors.New("bad revision")

// Revisions selects the commits of a history walk, as git rev-list does.
// The walk is every commit reachable from Tips (or from every ref, with
// All) and not reachable from Exclude nor, with ExcludeRefs, from any ref.
type Revisions struct {
	Tips        []string // revisions or ranges ("A..B"), never options
	Exclude     []string // revisions whose ancestry is left out
	All         bool     // start from every ref (rev-list --all)
	ExcludeRefs bool     // leave out what any ref reaches (--not --all)
}

// HistoryChange is a path a commit changes.
//
// A commit with one parent (or none: a root commit, compared with the empty
// tree) is compared with its first parent. A merge is judged by what it
// brings that none of its parents had: the paths whose content or mode in
// the merge differs from every parent's (git's combined diff, -c); a path
// the merge takes unchanged from one side is not a change of the merge.
type HistoryChange struct {
	Path   string
	Status Status // Added, Modified, TypeChanged, Renamed, Deleted
	From   string // for Renamed: the deleted path with the same blob
	Mode   uint32 // mode in the commit (0 for Deleted)
	Blob   string // object id in the commit (zeros for Deleted)
}

// HistoryCommit is one commit of a walk with the changes the walk's filter
// kept.
type HistoryCommit struct {
	ID      string
	Source  string // the tip (as given in Revisions.Tips) the commit was reached from
	Merge   bool
	Changes []HistoryChange
}

// WalkHistory streams the commits selected by revs to fn, newest first (git
// log order), each with the changes whose path keep accepts (deletions are
// never passed to keep nor reported). Output of git is read as it arrives,
// so memory does not grow with the number of commits; fn may keep nothing.
// An error returned by fn stops the walk and is returned as is.
//
// It runs one git process: `git log -z --raw -c --root --no-renames` with
// every option that repository configuration could change pinned down, and
// with replace refs ignored (a replace ref must not hide what was pushed).
// Git's object lookup honours GIT_OBJECT_DIRECTORY,
// GIT_ALTERNATE_OBJECT_DIRECTORIES and GIT_QUARANTINE_PATH, which is how a
// pre-receive hook sees the objects of a push before they are accepted.
func (r *Repo) WalkHistory(revs Revisions, keep func(path string) bool, fn func(*HistoryCommit) error) error {
	for _, t := range append(append([]string(nil), revs.Tips...), revs.Exclude...) {
		if t == "" || strings.HasPrefix(t, "-") || strings.ContainsAny(t, "\x00\n") {
			return fmt.Errorf("%w: %q", ErrBadRevision, t)
		}
	}
	args := []string{"--no-replace-objects", "--no-pager", "log", "-z", "--raw", "--no-abbrev",
		"-c", "--root", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv",
		"--no-relative", "--no-show-signature", "--ignore-submodules=none", "--no-mailmap",
		"--source", "--format=%x01%H %S"}
	if revs.ExcludeRefs {
		args = append(args, "--not", "--all", "--not")
	}
	if revs.All {
		args = append(args, "--all")
	}
	// The revisions go to git on stdin, not on the command line: a push
	// of tens of thousands of refs would not fit in an argument list.
	var stdin bytes.Buffer
	for _, t := range revs.Tips {
		stdin.WriteString(t + "\n")
	}
	for _, e := range revs.Exclude {
		stdin.WriteString("^" + e + "\n")
	}
	args = append(args, "--stdin", "--")

	p, err := r.startGit(&stdin, args...)
	if err != nil {
		return err
	}
	perr := parseHistory(bufio.NewReaderSize(p.Stdout, 64<<10), keep, fn)
	if perr != nil {
		// Stop git early: what it would still print is not wanted.
		p.stop()
		return perr
	}
	if werr := p.wait(); werr != nil {
		var ge *GitError
		if errors.As(werr, &ge) {
			// Which revision git could not resolve is asked of git's
			// object lookup, not read from its message.
			if bad, err := r.unresolvedRevision(revs); err != nil {
				return err
			} else if bad != "" {
				return fmt.Errorf("%w: %s", ErrBadRevision, bad)
			}
		}
		return werr
	}
	return nil
}

// unresolvedRevision returns the first revision of revs (a tip, an end of
// a range, an exclusion) that git's object lookup cannot resolve to a
// commit, or "" when all resolve. One git cat-file --batch-check answers
// every one: "<name> missing" (or "ambiguous") is its protocol, not a
// message.
func (r *Repo) unresolvedRevision(revs Revisions) (string, error) {
	var names []string
	for _, t := range revs.Tips {
		names = append(names, revisionEnds(t)...)
	}
	for _, e := range revs.Exclude {
		names = append(names, revisionEnds(e)...)
	}
	if len(names) == 0 {
		return "", nil
	}
	var in bytes.Buffer
	for _, n := range names {
		in.WriteString(n + "^{commit}\n")
	}
	out, err := r.gitOutput(in.Bytes(), "--no-replace-objects", "cat-file", "--batch-check=%(objectname)")
	if err != nil {
		return "", err
	}
	answers := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(answers) != len(names) {
		return "", fmt.Errorf("git cat-file: %d answers for %d revisions", len(answers), len(names))
	}
	for i, a := range answers {
		if a != strings.TrimSpace(a) || len(a) != r.hexLenOf(a) || strings.Contains(a, " ") {
			return names[i], nil
		}
	}
	return "", nil
}

// hexLenOf is the length of a hexadecimal object id in r's format (40
// when the format is not known yet: then any 40 or 64 digits pass).
func (r *Repo) hexLenOf(a string) int {
	if r.ObjectFormat == "" && len(a) == 64 {
		return 64
	}
	return r.HashHexLen()
}

// revisionEnds returns the revisions a rev-list argument names, as
// gitrevisions(7) reads it: both ends of "A..B" and "A...B" (an empty end
// is HEAD), without a leading "^" or a trailing "^@", "^!" or "^-<n>".
func revisionEnds(arg string) []string {
	arg = strings.TrimPrefix(arg, "^")
	for _, sep := range []string{"...", ".."} {
		if a, b, ok := strings.Cut(arg, sep); ok {
			if a == "" {
				a = "HEAD"
			}
			if b == "" {
				b = "HEAD"
			}
			return []string{a, b}
		}
	}
	if i := strings.LastIndex(arg, "^-"); i > 0 && strings.Trim(arg[i+2:], "0123456789") == "" {
		return []string{arg[:i]}
	}
	for _, suf := range []string{"^@", "^!"} {
		if a, ok := strings.CutSuffix(arg, suf); ok {
			return []string{a}
		}
	}
	return []string{arg}
}

// parseHistory reads the output of WalkHistory's git log: per commit a
// NUL-terminated header "\x01<id> <source>", then raw diff records
// ":<modes> <ids> <status>" NUL "<path>" NUL (two or more leading colons for
// a merge's combined diff). git puts a newline or an empty record between a
// header and the records; it is skipped.
func parseHistory(br *bufio.Reader, keep func(string) bool, fn func(*HistoryCommit) error) error {
	var (
		cur     *HistoryCommit
		deleted map[string]string // blob → path deleted by cur, for exact renames
		buf     []byte
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		for i := range cur.Changes {
			c := &cur.Changes[i]
			if c.Status == Added && deleted != nil {
				if from, ok := deleted[c.Blob]; ok {
					c.Status, c.From = Renamed, from
					delete(deleted, c.Blob)
				}
			}
		}
		err := fn(cur)
		cur, deleted = nil, nil
		return err
	}
	for {
		tok, err := readZ(br, &buf)
		if err == io.EOF {
			if len(tok) > 0 {
				return fmt.Errorf("git log: output ends inside a record %q", truncate(tok))
			}
			return flush()
		}
		if err != nil {
			return fmt.Errorf("reading git log output: %w", err)
		}
		tok = bytes.TrimLeft(tok, "\n")
		switch {
		case len(tok) == 0:
			continue
		case tok[0] == 1:
			if err := flush(); err != nil {
				return err
			}
			id, src, _ := strings.Cut(string(tok[1:]), " ")
			cur = &HistoryCommit{ID: id, Source: src}
		case tok[0] == ':':
			if cur == nil {
				return fmt.Errorf("git log: record before any commit: %q", truncate(tok))
			}
			ch, merge, err := parseRaw(tok)
			if err != nil {
				return err
			}
			cur.Merge = cur.Merge || merge
			path, err := readZ(br, &buf)
			if err != nil {
				return fmt.Errorf("git log: record without a path: %w", err)
			}
			if ch.Status == Deleted {
				if !merge {
					if deleted == nil {
						deleted = make(map[string]string)
					}
					deleted[ch.oldBlob] = string(path)
				}
				continue
			}
			if keep(string(path)) {
				ch.Path = string(path)
				cur.Changes = append(cur.Changes, ch.HistoryChange)
			}
		default:
			return fmt.Errorf("git log: unexpected output %q", truncate(tok))
		}
	}
}

type rawChange struct {
	HistoryChange
	oldBlob string // for a two-way deletion: the blob deleted
}

// parseRaw parses a raw diff record without its path: ":om nm oid nid S"
// for a two-way diff, "::om1 om2 nm oid1 oid2 nid SS" (n colons for n
// parents) for a merge's combined diff.
func parseRaw(rec []byte) (rawChange, bool, error) {
	colons := 0
	for colons < len(rec) && rec[colons] == ':' {
		colons++
	}
	f := strings.Fields(string(rec[colons:]))
	// colons parents: colons old modes + 1 new mode, colons old ids + 1 new id, status.
	if len(f) != 2*(colons+1)+1 {
		return rawChange{}, false, fmt.Errorf("git log: unexpected raw record %q", truncate(rec))
	}
	mode, err := strconv.ParseUint(f[colons], 8, 32)
	if err != nil {
		return rawChange{}, false, fmt.Errorf("git log: bad mode in %q", truncate(rec))
	}
	st := f[len(f)-1]
	c := rawChange{HistoryChange: HistoryChange{Mode: uint32(mode), Blob: f[2*colons+1]}}
	if colons == 1 {
		// Status letters of a two-way diff; a score may follow (not with
		// --no-renames, but harmless).
		switch st[0] {
		case 'A':
			c.Status = Added
		case 'M':
			c.Status = Modified
		case 'T':
			c.Status = TypeChanged
		case 'D':
			c.Status, c.oldBlob = Deleted, f[2]
		default:
			return rawChange{}, false, fmt.Errorf("git log: unexpected status in %q", truncate(rec))
		}
		return c, false, nil
	}
	// Combined: one letter per parent. The path differs from every parent.
	if len(st) != colons {
		return rawChange{}, true, fmt.Errorf("git log: unexpected combined status in %q", truncate(rec))
	}
	switch {
	case mode == 0:
		c.Status = Deleted
	case strings.Trim(st, "A") == "":
		c.Status = Added // no parent had the path
	case strings.Contains(st, "T"):
		c.Status = TypeChanged
	default:
		c.Status = Modified
	}
	return c, true, nil
}

// readZ reads up to the next NUL and returns the bytes before it (valid
// until the next call). At the end of input it returns what is left with
// io.EOF.
func readZ(br *bufio.Reader, buf *[]byte) ([]byte, error) {
	b, err := br.ReadSlice(0)
	if err == nil {
		return b[:len(b)-1], nil
	}
	if err != bufio.ErrBufferFull {
		return b, err
	}
	*buf = append((*buf)[:0], b...)
	for {
		b, err = br.ReadSlice(0)
		*buf = append(*buf, b...)
		switch err {
		case nil:
			return (*buf)[:len(*buf)-1], nil
		case bufio.ErrBufferFull:
			continue
		default:
			return *buf, err
		}
	}
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

// HashHexLen is the length of an object id in hexadecimal in r's object
// format: 40 for SHA-1, 64 for SHA-256.
func (r *Repo) HashHexLen() int {
	if r.ObjectFormat == "sha256" {
		return 64
	}
	return 40
}

// Object is one answer of ReadObjects.
type Object struct {
	Query string // as asked: "<id>^{}", "<commit>:<path>", ...
	ID    string // "" when the repository has no such object
	Type  string // commit, tree, blob, tag; "" when missing
	Data  []byte // the content, when the type was wanted and it is no larger than the limit
	Size  int64
}

// ReadObjects answers queries as `git cat-file --batch` does (any
// revision git's object lookup understands: "<id>^{}" peels a tag,
// "<commit>:<path>" names a file of a commit) and returns the answers in
// order. The content of an object whose type is in keep and whose size is
// at most limit is returned in Data; other contents are read and dropped.
//
// Queries of those two forms on full SHA-1 ids are answered in-process
// from the object store (a pre-receive hook reads three objects a push;
// starting git for them costs more than the walk's own git). When any
// answer is not certain — an object the store cannot find or read, a
// submodule entry — one git cat-file answers all of them.
func (r *Repo) ReadObjects(queries []string, keep map[string]bool, limit int64) ([]Object, error) {
	if objs, err := r.readObjectsDirect(queries, keep, limit); err == nil {
		return objs, nil
	}
	return r.readObjectsGit(queries, keep, limit)
}

// readObjectsDirect is ReadObjects from the object store; any error means
// "ask git".
func (r *Repo) readObjectsDirect(queries []string, keep map[string]bool, limit int64) ([]Object, error) {
	st, err := r.objectStore(max(limit, maxDirectTree))
	if err != nil {
		return nil, err
	}
	defer st.close()
	objs := make([]Object, len(queries))
	for i, q := range queries {
		objs[i].Query = q
		var id ObjectID
		var typ string
		var data []byte
		if rev, ok := strings.CutSuffix(q, "^{}"); ok {
			if id, err = parseHexID(rev, st.hashLen); err != nil {
				return nil, err
			}
			if id, typ, data, err = peel(st, id, ""); err != nil {
				return nil, err
			}
		} else {
			rev, path, ok := strings.Cut(q, ":")
			if !ok || path == "" {
				return nil, fmt.Errorf("%w: query %q", errNotSupported, q)
			}
			if id, err = parseHexID(rev, st.hashLen); err != nil {
				return nil, err
			}
			if id, _, data, err = peel(st, id, "tree"); err != nil {
				return nil, err
			}
			found := true
			names := strings.Split(path, "/")
			for k, name := range names {
				m, err := parseTree(data, st.hashLen)
				if err != nil {
					return nil, err
				}
				e, ok := m[name]
				if ok && e.mode == modeGitlink {
					return nil, fmt.Errorf("%w: %s is a submodule", errNotSupported, q)
				}
				if !ok || (k < len(names)-1 && e.mode != modeTree) {
					found = false
					break
				}
				if typ, data, err = st.read(e.hash); err != nil {
					return nil, err
				}
				id = e.hash
			}
			if !found {
				continue // cat-file: "<query> missing"
			}
		}
		objs[i].ID, objs[i].Type, objs[i].Size = id.String(), typ, int64(len(data))
		if keep[typ] && int64(len(data)) <= limit {
			objs[i].Data = data
		}
	}
	return objs, nil
}

// maxDirectTree bounds the objects readObjectsDirect reads in-process.
const maxDirectTree = 16 << 20

// peel reads id and follows tags (and, when want is "tree", a commit to
// its tree) the way "<id>^{}" and "<id>:<path>" do.
func peel(st *objectStore, id ObjectID, want string) (ObjectID, string, []byte, error) {
	for depth := 0; depth < 100; depth++ {
		typ, data, err := st.read(id)
		if err != nil {
			return id, "", nil, err
		}
		var next []byte
		switch {
		case typ == "tag":
			next, _ = bytes.CutPrefix(firstLine(data), []byte("object "))
		case typ == "commit" && want == "tree":
			next, _ = bytes.CutPrefix(firstLine(data), []byte("tree "))
		case want == "" || typ == want:
			return id, typ, data, nil
		default:
			return id, "", nil, fmt.Errorf("%w: a %s where a tree is wanted", errNotSupported, typ)
		}
		if id, err = parseHexID(string(next), st.hashLen); err != nil {
			return id, "", nil, err
		}
	}
	return id, "", nil, fmt.Errorf("%w: tags nested too deeply", errNotSupported)
}

func firstLine(data []byte) []byte {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	return line
}

// readObjectsGit is ReadObjects through one git cat-file --batch.
func (r *Repo) readObjectsGit(queries []string, keep map[string]bool, limit int64) ([]Object, error) {
	var in bytes.Buffer
	for _, q := range queries {
		if strings.ContainsAny(q, "\x00\n") {
			return nil, fmt.Errorf("%w: %q", ErrBadRevision, q)
		}
		in.WriteString(q + "\n")
	}
	p, err := r.startGit(&in, "--no-replace-objects", "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	objs, perr := parseBatch(bufio.NewReader(p.Stdout), queries, keep, limit)
	if perr != nil {
		p.stop()
		return nil, perr
	}
	if err := p.wait(); err != nil {
		return nil, err
	}
	return objs, nil
}

// parseBatch reads cat-file --batch answers: "<id> <type> <size>" LF
// content LF, or "<query> missing" LF (also "ambiguous").
func parseBatch(br *bufio.Reader, queries []string, keep map[string]bool, limit int64) ([]Object, error) {
	objs := make([]Object, len(queries))
	for i, q := range queries {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("git cat-file: answer for %q: %w", q, err)
		}
		line = strings.TrimSuffix(line, "\n")
		objs[i].Query = q
		if strings.HasSuffix(line, " missing") || strings.HasSuffix(line, " ambiguous") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("git cat-file: unexpected answer %q", line)
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("git cat-file: unexpected answer %q", line)
		}
		objs[i].ID, objs[i].Type, objs[i].Size = f[0], f[1], size
		if keep[f[1]] && size <= limit {
			objs[i].Data = make([]byte, size)
			if _, err := io.ReadFull(br, objs[i].Data); err != nil {
				return nil, fmt.Errorf("git cat-file: content of %q: %w", q, err)
			}
		} else if _, err := io.CopyN(io.Discard, br, size); err != nil {
			return nil, fmt.Errorf("git cat-file: content of %q: %w", q, err)
		}
		if b, err := br.ReadByte(); err != nil || b != '\n' {
			return nil, fmt.Errorf("git cat-file: content of %q not followed by a newline", q)
		}
	}
	return objs, nil
}

// CommitSubjects returns the subject line (git's %s) of each commit of
// ids, by id, in one git log.
func (r *Repo) CommitSubjects(ids []string) (map[string]string, error) {
	subj := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return subj, nil
	}
	var in bytes.Buffer
	for _, id := range ids {
		if strings.HasPrefix(id, "-") || strings.ContainsAny(id, "\x00\n") {
			return nil, fmt.Errorf("%w: %q", ErrBadRevision, id)
		}
		in.WriteString(id + "\n")
	}
	out, err := r.gitOutput(in.Bytes(), "--no-replace-objects", "log", "--no-walk=unsorted",
		"--no-mailmap", "--no-color", "-z", "--format=%H %s", "--stdin", "--")
	if err != nil {
		return nil, err
	}
	for _, rec := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		id, s, _ := strings.Cut(rec, " ")
		subj[id] = s
	}
	return subj, nil
}
