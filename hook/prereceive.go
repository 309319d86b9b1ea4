package hook

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pycguard/pycguard/config"

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
// the ref a valid full ref name (CheckRefName). With hexLen 0 (the object
// format not known yet) ids may have 40 or 64 digits, the same on every
// line; PreReceive then checks them against the repository. The whole input is read
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
		if hexLen == 0 {
			old, rest, _ := strings.Cut(string(line), " ")
			if _, _, ok := strings.Cut(rest, " "); !ok {
				_, perr := parseUpdate(string(line), 40) // the shape is wrong: say so
				return nil, &UpdateError{Line: n, Reason: perr}
			}
			if len(old) == 40 || len(old) == 64 {
				hexLen = len(old)
			} else {
				return nil, &UpdateError{Line: n, Reason: fmt.Sprintf(
					"object id %q has %d characters, want 40 (SHA-1) or 64 (SHA-256)", clip(old), len(old))}
			}
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
	// PolicyOf, when set, replaces PolicyFor in turning a configuration
	// read from a pushed tree into a policy (tests hold the judging up
	// with it).
	PolicyOf func(*config.Config) Policy
	// Budget is the time PreReceive may take (0: DefaultBudget); past it
	// the push is rejected with ErrBudget rather than left waiting.
	Budget time.Duration
}

// DefaultBudget is the time a push may take to be judged: far more than
// any honest push needs (a 100,000-commit push is judged in seconds), so
// that only hostile input meets it.
const DefaultBudget = 2 * time.Minute

// ErrBudget: the push was not judged within the budget and is rejected.
var ErrBudget = errors.New("the push was not judged within the hook's time budget")

// maxConfigSize bounds a configuration file read from a pushed tree.
const maxConfigSize = config.MaxSize

// PreReceive judges a push: for every update that sets a ref to a commit
// (a branch, a tag pointing at a commit, any other ref), the commits not
// reachable from any existing ref — so a new branch is judged only on its
// new commits, and a branch update only on what it adds. Deletions pass,
// as do refs other than branches set to trees or blobs. Each ref's commits
// are judged by the configuration in the tree it is pushed to
// (.pycguard.toml or pyproject.toml's [tool.pycguard], read from the
// commit, not from a work tree) unless opts.Server is set. Findings go to
// emit as Scan makes them. An object the repository does not have, or an
// id not in the repository's object format, is an *UpdateError; an invalid
// configuration in a pushed tree is a *config.Error naming ref and file.
//
// Every pushed object is checked first (it exists, it is of the
// repository's object format, what it peels to) and the configuration in
// its tree read, in-process from the object store or, when the store
// cannot be sure, by one git cat-file; then one git log walks the new
// commits, streamed (memory does not grow with the push).
//
// PreReceive returns within opts.Budget: past it the judging is abandoned
// (emit is no longer called) and the error is ErrBudget, which rejects the
// push with a message instead of holding the pusher and the server.
func PreReceive(repo *gitops.Repo, updates []RefUpdate, opts PreReceiveOptions, emit func(ScanFinding) error) (*PreReceiveResult, error) {
	budget := opts.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	var mu sync.Mutex
	over := false
	guarded := func(f ScanFinding) error {
		mu.Lock()
		defer mu.Unlock()
		if over {
			return ErrBudget
		}
		return emit(f)
	}
	type outcome struct {
		res *PreReceiveResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := preReceive(repo, updates, opts, guarded)
		done <- outcome{res, err}
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.res, o.err
	case <-timer.C:
		mu.Lock()
		over = true
		mu.Unlock()
		return nil, fmt.Errorf("%w (%v); push rejected: a configuration's patterns or the pushed objects cost too much to judge", ErrBudget, budget)
	}
}

func preReceive(repo *gitops.Repo, updates []RefUpdate, opts PreReceiveOptions, emit func(ScanFinding) error) (*PreReceiveResult, error) {
	res := &PreReceiveResult{Updates: len(updates)}
	var cand []RefUpdate
	for _, u := range updates {
		if u.Deletion() {
			res.Passed = append(res.Passed, u)
			continue
		}
		cand = append(cand, u)
	}
	if len(cand) == 0 {
		// Nothing to read: still refuse ids of the wrong length.
		return res, checkObjectFormat(repo, updates)
	}
	scan := ScanOptions{Refs: make(map[string][]string), Policies: make(map[string]Policy),
		Revisions: gitops.Revisions{ExcludeRefs: true}, KeptByTree: opts.Server == nil}
	if opts.Server != nil {
		scan.Policy = *opts.Server
	}
	// The pushed objects are checked, and the configurations in their
	// trees read, before the walk starts: a missing object would make git
	// log fail too, and the id and line are what the pusher needs.
	prep := &pushPrep{repo: repo, cand: cand, opts: opts, scan: &scan}
	if err := prep.run(); err != nil {
		return nil, err
	}
	for _, u := range prep.judged {
		if _, seen := scan.Refs[u.New]; !seen {
			scan.Revisions.Tips = append(scan.Revisions.Tips, u.New)
		}
		scan.Refs[u.New] = append(scan.Refs[u.New], u.Ref)
	}
	res.Passed = append(res.Passed, prep.passed...)
	res.Judged = prep.judged
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

// pushPrep reads what PreReceive needs to know about the pushed objects.
type pushPrep struct {
	repo   *gitops.Repo
	cand   []RefUpdate
	opts   PreReceiveOptions
	scan   *ScanOptions // Policies filled in for every judged tip
	judged []RefUpdate
	passed []RefUpdate
}

func (p *pushPrep) run() error {
	files := []string{config.FileName, config.PyprojectName}
	per := 1
	if p.opts.Server == nil {
		per += len(files)
	}
	var queries []string
	for _, u := range p.cand {
		queries = append(queries, u.New+"^{}")
		if p.opts.Server == nil {
			for _, f := range files {
				queries = append(queries, u.New+":"+f)
			}
		}
	}
	objs, err := p.repo.ReadObjects(queries, map[string]bool{"blob": true}, maxConfigSize)
	if err != nil {
		return err
	}
	for i, u := range p.cand {
		peeled := objs[i*per]
		switch {
		case peeled.Type == "" || len(peeled.ID) != len(u.New):
			if err := checkObjectFormat(p.repo, []RefUpdate{u}); err != nil {
				return err
			}
			return &UpdateError{Line: u.Line,
				Reason: fmt.Sprintf("object %s for %s is not in the repository", u.New, u.Ref)}
		case peeled.Type != "commit" && strings.HasPrefix(u.Ref, "refs/heads/"):
			return &UpdateError{Line: u.Line,
				Reason: fmt.Sprintf("%s would point at a %s, not a commit", u.Ref, peeled.Type)}
		case peeled.Type != "commit":
			p.passed = append(p.passed, u)
			continue
		}
		p.judged = append(p.judged, u)
		if _, done := p.scan.Policies[u.New]; done || p.opts.Server != nil {
			continue
		}
		pol, err := pushedPolicy(u, objs[i*per+1:i*per+per], p.opts.PolicyOf)
		if err != nil {
			return err
		}
		p.scan.Policies[u.New] = pol
	}
	return nil
}

// checkObjectFormat refuses updates whose ids are not of the repository's
// object format (the parser accepts 40 or 64 digits when it does not know).
func checkObjectFormat(repo *gitops.Repo, ups []RefUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	n := repo.HashHexLen()
	for _, u := range ups {
		for _, id := range []string{u.Old, u.New} {
			if why := checkID(id, n); why != "" {
				return &UpdateError{Line: u.Line, Reason: why}
			}
		}
	}
	return nil
}

// pushedPolicy reads the configuration of a pushed tree with the same
// rules as in a work tree (config.FromTree), from the blobs cat-file read
// (each at most maxConfigSize bytes; nothing is written to disk).
func pushedPolicy(u RefUpdate, blobs []gitops.Object, policyOf func(*config.Config) Policy) (Policy, error) {
	if policyOf == nil {
		policyOf = PolicyFor
	}
	if blobs[0].Type == "" && blobs[1].Type == "" {
		return policyOf(&config.Config{}), nil
	}
	files := map[string][]byte{}
	for _, b := range blobs {
		if b.Type == "" {
			continue
		}
		name := b.Query[strings.LastIndexByte(b.Query, ':')+1:]
		if b.Type != "blob" || b.Data == nil {
			return Policy{}, &config.Error{File: name,
				Msg: fmt.Sprintf("in %s (%s): not a file of at most %d bytes", u.Ref, u.New, maxConfigSize)}
		}
		files[name] = b.Data
	}
	cfg, err := config.FromTree(files)
	if err != nil {
		return Policy{}, fmt.Errorf("%s (%s): %w", u.Ref, u.New, err)
	}
	return policyOf(cfg), nil
}
