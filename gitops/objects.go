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

// ErrMissingObject: an object pycguard needs is not in the repository and
// no promisor remote promises it (a damaged or incomplete repository).
var ErrMissingObject = errors.New("object missing from the repository")

// HexHash returns the hex form of an index entry's object name.
func (e IndexEntry) HexHash() string { return e.Hash.String() }

// BlobSizes returns the size in bytes of each object named in hashes (hex).
// It never fetches: an object the repository does not have is an error
// (ErrMissingObject naming it, or, in a partial clone, naming it as
// promised by a remote but not present).
func (r *Repo) BlobSizes(hashes []string) (map[string]int64, error) {
	s, err := r.ObjectSizes(hashes)
	if err != nil {
		return nil, err
	}
	if len(s.Absent) > 0 {
		what := "not in the repository"
		if s.Promised {
			what = "not present in this partial clone (pycguard does not fetch)"
		}
		return nil, fmt.Errorf("%w: %s %s", ErrMissingObject, s.Absent[0], what)
	}
	return s.Sizes, nil
}

// Sizes is ObjectSizes' answer.
type Sizes struct {
	Sizes map[string]int64 // objects present, by id
	// Absent lists the ids the repository does not have, in the order
	// asked.
	Absent []string
	// Promised: the repository has a promisor remote (a partial clone), so
	// absent objects are ones git would fetch on demand, not damage.
	Promised bool
}

// ObjectSizes returns the sizes of the objects named by ids without ever
// fetching one. In a repository without promisor remote, one git cat-file
// --batch-check answers (git has nowhere to fetch from). In a partial
// clone, where that command would start a lazy fetch for every absent
// object (git 2.39 has no switch against it; GIT_NO_LAZY_FETCH arrived
// in 2.44), git cat-file --batch-all-objects lists what is present and
// its sizes, and an id it does not list is absent.
func (r *Repo) ObjectSizes(ids []string) (*Sizes, error) {
	s := &Sizes{Sizes: make(map[string]int64, len(ids))}
	if len(ids) == 0 {
		return s, nil
	}
	promisors, err := r.PromisorRemotes()
	if err != nil {
		return nil, err
	}
	s.Promised = len(promisors) > 0
	const format = "--batch-check=%(objectname) %(objecttype) %(objectsize)"
	var p *gitProcess
	if s.Promised {
		want := make(map[string]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		if p, err = r.startGit(nil, "cat-file", "--batch-all-objects", "--unordered", format); err != nil {
			return nil, err
		}
		err = readSizes(p.Stdout, func(id string, size int64) {
			if want[id] {
				s.Sizes[id] = size
			}
		})
	} else {
		var in bytes.Buffer
		for _, id := range ids {
			in.WriteString(id + "\n")
		}
		if p, err = r.startGit(&in, "--no-replace-objects", "cat-file", format); err != nil {
			return nil, err
		}
		err = readSizes(p.Stdout, func(id string, size int64) { s.Sizes[id] = size })
	}
	if err != nil {
		p.stop()
		return nil, err
	}
	if err := p.wait(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := s.Sizes[id]; !ok {
			s.Absent = append(s.Absent, id)
		}
	}
	return s, nil
}

// readSizes reads cat-file --batch-check answers "<id> <type> <size>"; the
// protocol's "<name> missing" (and "ambiguous") answers are skipped.
func readSizes(out io.Reader, fn func(id string, size int64)) error {
	br := bufio.NewReader(out)
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF && line == "" {
			return nil
		}
		if err != nil {
			return fmt.Errorf("git cat-file: %w", err)
		}
		f := strings.Fields(line)
		if len(f) == 2 && (f[1] == "missing" || f[1] == "ambiguous") {
			continue
		}
		n, perr := strconv.ParseInt(safeIndex(f, 2), 10, 64)
		if len(f) != 3 || perr != nil {
			return fmt.Errorf("git cat-file: unexpected answer %q", line)
		}
		fn(f[0], n)
	}
}

func safeIndex(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}

// PromisorRemotes returns the remotes git would fetch missing objects
// from on demand (remote.<name>.promisor, extensions.partialClone): empty
// unless the repository is a partial clone.
func (r *Repo) PromisorRemotes() ([]string, error) {
	if r.promisorsKnown {
		return r.promisors, nil
	}
	out, err := r.gitOutput(nil, "config", "-z", "--get-regexp", `^(remote\..*\.promisor|extensions\.partialclone)$`)
	var ge *GitError
	if err != nil && !(errors.As(err, &ge) && ge.ExitCode == 1) { // 1: no such key
		return nil, err
	}
	seen := map[string]bool{}
	for _, rec := range bytes.Split(out, []byte{0}) {
		key, val, _ := strings.Cut(string(rec), "\n")
		name := ""
		if strings.EqualFold(key, "extensions.partialclone") {
			name = val
		} else if rest, ok := strings.CutPrefix(key, "remote."); ok && parseBool(val) {
			name = rest[:len(rest)-len(".promisor")]
		}
		if name != "" && !seen[name] {
			seen[name] = true
			r.promisors = append(r.promisors, name)
		}
	}
	r.promisorsKnown = true
	return r.promisors, nil
}

// noFetchArgs are the leading git options that keep git from fetching
// from promisors: remote.<name>.promisor=false unregisters a remote that
// configuration made a promisor. (A remote named by
// extensions.partialClone stays one; the environment of a no-fetch
// repository, see NoLazyFetch, makes every transport refuse.)
func (r *Repo) noFetchArgs(promisors []string) []string {
	var args []string
	for _, p := range promisors {
		args = append(args, "-c", "remote."+p+".promisor=false")
	}
	return args
}
