package hook

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/pycguard/pycguard/config"
	"io"
	"os"
	"path/filepath"
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

// PreReceiveOptions says how PreReceive finds the policy.
type PreReceiveOptions struct {
	// Server is the server's own policy (pre-receive --config); nil to
	// judge each pushed ref by the configuration in its own tree.
	Server *Policy
	// PolicyOf turns a configuration read from a pushed tree into a policy.
	PolicyOf func(*config.Config) Policy
}

// maxConfigSize bounds a configuration file read from a pushed tree.
const maxConfigSize = 1 << 20

// PreReceive judges a push: for every update that sets a ref to a commit
// (a branch, a tag pointing at a commit, any other ref), the commits not
// reachable from any existing ref — so a new branch is judged only on its
// new commits, and a branch update only on what it adds. Deletions pass,
// as do refs set to trees or blobs. Each ref's commits are judged by the
// configuration in the tree it is pushed to (.pycguard.toml or
// pyproject.toml's [tool.pycguard], read from the commit, not from a work
// tree) unless opts.Server is set. Findings go to emit as Scan makes them.
// An object the repository does not have is an *UpdateError; an invalid
// configuration in a pushed tree is a *config.Error naming ref and file.
func PreReceive(repo *gitops.Repo, updates []RefUpdate, opts PreReceiveOptions, emit func(ScanFinding) error) (*PreReceiveResult, error) {
	res := &PreReceiveResult{Updates: len(updates)}
	var cand []RefUpdate
	for _, u := range updates {
		if u.Deletion() {
			res.Passed = append(res.Passed, u)
		} else {
			cand = append(cand, u)
		}
	}
	if len(cand) == 0 {
		return res, nil
	}
	// One git cat-file answers, for every pushed object, whether it exists
	// and what it peels to, and reads the configuration of its tree.
	files := []string{config.FileName, config.PyprojectName}
	per := 1
	if opts.Server == nil {
		per += len(files)
	}
	var queries []string
	for _, u := range cand {
		queries = append(queries, u.New+"^{}")
		if opts.Server == nil {
			for _, f := range files {
				queries = append(queries, u.New+":"+f)
			}
		}
	}
	objs, err := repo.ReadObjects(queries, map[string]bool{"blob": true}, maxConfigSize)
	if err != nil {
		return nil, err
	}
	scan := ScanOptions{Refs: make(map[string][]string), Policies: make(map[string]Policy),
		Revisions: gitops.Revisions{ExcludeRefs: true}}
	if opts.Server != nil {
		scan.Policy = *opts.Server
	}
	for i, u := range cand {
		peeled := objs[i*per]
		switch {
		case peeled.Type == "":
			return nil, &UpdateError{Line: u.Line,
				Reason: fmt.Sprintf("object %s for %s is not in the repository", u.New, u.Ref)}
		case len(peeled.ID) != len(u.New):
			return nil, &UpdateError{Line: u.Line,
				Reason: fmt.Sprintf("object id %s does not have the repository's object format", u.New)}
		case peeled.Type != "commit":
			res.Passed = append(res.Passed, u)
			continue
		}
		res.Judged = append(res.Judged, u)
		if _, seen := scan.Refs[u.New]; !seen {
			scan.Revisions.Tips = append(scan.Revisions.Tips, u.New)
			if opts.Server == nil {
				pol, err := pushedPolicy(u, objs[i*per+1:i*per+per], opts.PolicyOf)
				if err != nil {
					return nil, err
				}
				scan.Policies[u.New] = pol
			}
		}
		scan.Refs[u.New] = append(scan.Refs[u.New], u.Ref)
	}
	if len(scan.Revisions.Tips) == 0 {
		return res, nil
	}
	sum, err := Scan(repo, scan, emit)
	if err != nil {
		return nil, err
	}
	res.ScanSummary = *sum
	return res, nil
}

// pushedPolicy reads the configuration of a pushed tree with the same
// rules as in a work tree (config.Load), from the blobs cat-file read.
func pushedPolicy(u RefUpdate, blobs []gitops.Object, policyOf func(*config.Config) Policy) (Policy, error) {
	if policyOf == nil || (blobs[0].Type == "" && blobs[1].Type == "") {
		return policyOf0(policyOf), nil
	}
	dir, err := os.MkdirTemp("", "pycguard-config-")
	if err != nil {
		return Policy{}, err
	}
	defer os.RemoveAll(dir)
	for _, b := range blobs {
		if b.Type == "" {
			continue
		}
		name := b.Query[strings.LastIndexByte(b.Query, ':')+1:]
		if b.Type != "blob" || b.Data == nil {
			return Policy{}, &config.Error{File: name,
				Msg: fmt.Sprintf("in %s (%s): not a file of at most %d bytes", u.Ref, u.New, maxConfigSize)}
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Data, 0o600); err != nil {
			return Policy{}, err
		}
	}
	cfg, err := config.Load(dir, dir, "")
	if err != nil {
		return Policy{}, fmt.Errorf("%s (%s): %w", u.Ref, u.New, err)
	}
	return policyOf(cfg), nil
}

func policyOf0(policyOf func(*config.Config) Policy) Policy {
	if policyOf == nil {
		return Policy{}
	}
	return policyOf(&config.Config{})
}
