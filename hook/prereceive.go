package hook

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/gitops"
)

// ErrBadUpdate: the pre-receive input is not what git sends. Every error
// of ParseRefUpdates and the unknown-object errors of PreReceive match it
// with errors.Is.
var ErrBadUpdate = errors.New("bad pre-receive input")

// UpdateError is a line of pre-receive input that cannot be judged.
type UpdateError struct {
	Line   int    // 1-based line number on stdin
	Reason string // what is wrong, for a person
}

func (e *UpdateError) Error() string { return fmt.Sprintf("stdin line %d: %s", e.Line, e.Reason) }

// Is makes every UpdateError match ErrBadUpdate.
func (e *UpdateError) Is(target error) bool { return target == ErrBadUpdate }

// RefUpdate is one line of a pre-receive hook's input: git is about to set
// Ref from Old to New. Old is all zeros when Ref is created, New when it is
// deleted.
type RefUpdate struct {
	Line     int
	Old, New string
	Ref      string
}

// Deletion reports whether the update deletes its ref.
func (u RefUpdate) Deletion() bool { return isZero(u.New) }

// Creation reports whether the update creates its ref.
func (u RefUpdate) Creation() bool { return isZero(u.Old) }

func isZero(id string) bool { return strings.Trim(id, "0") == "" }

// maxUpdateLine bounds one input line: two ids, two spaces and a ref name
// (git limits ref names to what fits in a path).
const maxUpdateLine = 64 << 10

// ParseRefUpdates reads what git gives a pre-receive hook on stdin: one
// line per ref, "<old> SP <new> SP <ref> LF", ids in lowercase hexadecimal
// of exactly hexLen digits (40 for SHA-1, 64 for SHA-256 repositories),
// the ref a valid full ref name (CheckRefName). The whole input is read
// and checked before anything is judged; the first bad line is an
// *UpdateError naming it. Empty input is no updates.
func ParseRefUpdates(r io.Reader, hexLen int) ([]RefUpdate, error) {
	br := bufio.NewReaderSize(r, 4096)
	var ups []RefUpdate
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF && line == nil {
			return ups, nil
		}
		if errors.Is(err, errLineTooLong) {
			return nil, &UpdateError{Line: n, Reason: fmt.Sprintf("line longer than %d bytes", maxUpdateLine)}
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		u, perr := parseUpdate(string(line), hexLen)
		if perr != "" {
			return nil, &UpdateError{Line: n, Reason: perr}
		}
		u.Line = n
		ups = append(ups, u)
		if err == io.EOF {
			return ups, nil
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its LF; the last line may lack
// one (then the error is io.EOF). nil, io.EOF at the end.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		b, err := br.ReadSlice('\n')
		if len(line)+len(b) > maxUpdateLine+1 {
			return nil, errLineTooLong
		}
		line = append(line, b...)
		switch err {
		case nil:
			return line[:len(line)-1], nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(line) == 0 {
				return nil, io.EOF
			}
			return line, io.EOF
		default:
			return nil, err
		}
	}
}

func parseUpdate(line string, hexLen int) (RefUpdate, string) {
	old, rest, ok1 := strings.Cut(line, " ")
	nw, ref, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 {
		return RefUpdate{}, fmt.Sprintf("want \"<old> <new> <ref>\", got %q", clip(line))
	}
	for _, id := range []string{old, nw} {
		if why := checkID(id, hexLen); why != "" {
			return RefUpdate{}, why
		}
	}
	if isZero(old) && isZero(nw) {
		return RefUpdate{}, "both object ids are zero"
	}
	if err := CheckRefName(ref); err != nil {
		return RefUpdate{}, err.Error()
	}
	return RefUpdate{Old: old, New: nw, Ref: ref}, ""
}

func checkID(id string, hexLen int) string {
	if len(id) != hexLen {
		return fmt.Sprintf("object id %q has %d characters, want %d", clip(id), len(id), hexLen)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return fmt.Sprintf("object id %q is not lowercase hexadecimal", clip(id))
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "..."
	}
	return s
}

// ErrBadRefName: a ref name that git-check-ref-format(1) rejects.
var ErrBadRefName = errors.New("invalid ref name")

// CheckRefName applies the rules of git-check-ref-format(1) to a full ref
// name as git passes it to a pre-receive hook: it starts with "refs/";
// no component is empty, begins with '.' or ends with ".lock"; no "..",
// "@{", ASCII control character, space, '~', '^', ':', '?', '*', '[' or
// '\'; it does not end with '/' or '.'. The error wraps ErrBadRefName.
func CheckRefName(ref string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrBadRefName, clip(ref), why) }
	if !strings.HasPrefix(ref, "refs/") {
		return bad("does not start with refs/")
	}
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c < 0x20 || c == 0x7f:
			return bad("contains a control character")
		case c == ' ':
			return bad("contains a space")
		case strings.IndexByte("~^:?*[\\", c) >= 0:
			return bad(fmt.Sprintf("contains %q", c))
		}
	}
	switch {
	case strings.Contains(ref, ".."):
		return bad(`contains ".."`)
	case strings.Contains(ref, "@{"):
		return bad(`contains "@{"`)
	case strings.HasSuffix(ref, "/"), strings.HasSuffix(ref, "."):
		return bad("ends with '/' or '.'")
	}
	for _, comp := range strings.Split(ref, "/") {
		switch {
		case comp == "":
			return bad("has an empty component")
		case comp[0] == '.':
			return bad("has a component starting with '.'")
		case strings.HasSuffix(comp, ".lock"):
			return bad(`has a component ending with ".lock"`)
		}
	}
	return nil
}

// PreReceiveResult is what PreReceive decided.
type PreReceiveResult struct {
	ScanSummary
	Judged  []RefUpdate // updates whose commits were judged
	Passed  []RefUpdate // deletions, and refs set to something other than a commit
	Updates int
}

// PreReceive judges a push: for every update that sets a ref to a commit
// (a branch, a tag pointing at a commit, any other ref), the commits not
// reachable from any existing ref — so a new branch is judged only on its
// new commits, and a branch update only on what it adds. Deletions pass,
// as do refs set to trees or blobs. Findings go to emit as Scan makes
// them; an object the repository does not have is an *UpdateError.
func PreReceive(repo *gitops.Repo, updates []RefUpdate, pol Policy, emit func(ScanFinding) error) (*PreReceiveResult, error) {
	res := &PreReceiveResult{Updates: len(updates)}
	var cand, others []RefUpdate
	for _, u := range updates {
		switch {
		case u.Deletion():
			res.Passed = append(res.Passed, u)
		case strings.HasPrefix(u.Ref, "refs/heads/"):
			cand = append(cand, u)
		default:
			others = append(others, u)
		}
	}
	// Branches point at commits (receive-pack refuses anything else); the
	// common push needs no type lookup. Other refs may hold any object.
	if len(others) > 0 {
		types, err := peeledTypes(repo, others)
		if err != nil {
			return nil, err
		}
		for i, u := range others {
			if types[i] == "commit" {
				cand = append(cand, u)
			} else {
				res.Passed = append(res.Passed, u)
			}
		}
	}
	if len(cand) == 0 {
		return res, nil
	}
	opts := ScanOptions{Policy: pol, Refs: make(map[string][]string),
		Revisions: gitops.Revisions{ExcludeRefs: true}}
	for _, u := range cand {
		if _, seen := opts.Refs[u.New]; !seen {
			opts.Revisions.Tips = append(opts.Revisions.Tips, u.New)
		}
		opts.Refs[u.New] = append(opts.Refs[u.New], u.Ref)
	}
	sum, err := Scan(repo, opts, emit)
	if err != nil {
		if errors.Is(err, gitops.ErrBadRevision) {
			// Name the line: which pushed object git could not find.
			if _, terr := peeledTypes(repo, cand); terr != nil {
				return nil, terr
			}
		}
		return nil, err
	}
	res.ScanSummary = *sum
	res.Judged = cand
	return res, nil
}

// peeledTypes returns the peeled object type of each update's new id, and
// an *UpdateError for the first one the repository does not have.
func peeledTypes(repo *gitops.Repo, ups []RefUpdate) ([]string, error) {
	ids := make([]string, len(ups))
	for i, u := range ups {
		ids[i] = u.New
	}
	types, err := repo.PeeledTypes(ids)
	if err != nil {
		return nil, err
	}
	for i, t := range types {
		if t == "" {
			return nil, &UpdateError{Line: ups[i].Line,
				Reason: fmt.Sprintf("object %s for %s is not in the repository", ups[i].New, ups[i].Ref)}
		}
	}
	return types, nil
}
