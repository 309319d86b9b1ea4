package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Status says how a staged path differs from HEAD.
type Status string

// Statuses of a StagedChange. They are part of pycguard's JSON output.
const (
	Added       Status = "added"
	Modified    Status = "modified"
	TypeChanged Status = "typechange"
	Unmerged    Status = "unmerged"
)

// StagedChange is a path whose staged content differs from HEAD and would be
// in the next commit. Deletions are never StagedChanges.
type StagedChange struct {
	Path   string
	Status Status
	Mode   uint32
}

// StagedResult is the answer of StagedChanges.
type StagedResult struct {
	Changes []StagedChange
	// ViaGit names the reason the index was read through git plumbing
	// instead of the scanner ("" when the scanner read it).
	ViaGit string
}

// StagedChanges returns, in index order, the paths selected by match whose
// staged entry differs from HEAD: what `git diff --cached --diff-filter=ACMRT`
// lists, plus unmerged paths. An intent-to-add entry is not staged content
// (git commit leaves it out). With HEAD unborn everything staged is Added.
//
// quick, when not nil, is a prefilter for the hook's hot path: it sees
// every index path as a transient string that aliases the mapped index
// and must not be retained (a pure classification such as
// bytecode.IsBytecode); match is asked only about paths quick accepts,
// with a string it may keep. quick must accept every path match would.
func (r *Repo) StagedChanges(quick, match func(path string) bool) (*StagedResult, error) {
	if err := r.RequireWorkTree(); err != nil {
		return nil, err
	}
	scan, err := r.scanIndexFile(quick, match)
	var ng *errNeedsGit
	if errors.As(err, &ng) {
		return r.stagedViaGit(match, ng.reason)
	}
	if err != nil {
		return nil, err
	}
	res := &StagedResult{}
	if len(scan.entries) == 0 {
		return res, nil
	}
	changes, err := r.compareWithHead(scan)
	if err != nil {
		// HEAD's objects could not be read in-process (a layout or object
		// store the reader does not support): git can, and its answer is
		// the right one.
		return r.stagedViaGit(match, "reading HEAD: "+err.Error())
	}
	res.Changes = changes
	return res, nil
}

// compareWithHead returns the scanned entries that differ from HEAD.
func (r *Repo) compareWithHead(scan *indexScan) ([]StagedChange, error) {
	var changes []StagedChange
	head, err := r.headTree()
	if err != nil && !errors.Is(err, ErrUnbornHead) {
		return nil, err
	}
	if head != nil {
		defer head.st.close()
	}
	unchanged := make(map[string]bool) // cache-tree dir → equals HEAD's tree
	lastUnmerged := ""
	for _, e := range scan.entries {
		switch {
		case e.Stage != 0:
			if e.Path != lastUnmerged {
				changes = append(changes, StagedChange{Path: e.Path, Status: Unmerged, Mode: e.Mode})
				lastUnmerged = e.Path
			}
			continue
		case e.IntentToAdd:
			continue
		case head == nil:
			changes = append(changes, StagedChange{Path: e.Path, Status: Added, Mode: e.Mode})
			continue
		}
		same, err := coveredByCacheTree(e.Path, scan.valid, head, unchanged)
		if err != nil {
			return nil, err
		}
		if same {
			continue
		}
		he, ok, err := head.entry(e.Path)
		if err != nil {
			return nil, err
		}
		switch {
		case !ok:
			changes = append(changes, StagedChange{Path: e.Path, Status: Added, Mode: e.Mode})
		case he.mode&modeTypeMask != e.Mode&modeTypeMask:
			changes = append(changes, StagedChange{Path: e.Path, Status: TypeChanged, Mode: e.Mode})
		case he.hash != e.Hash || he.mode != e.Mode:
			changes = append(changes, StagedChange{Path: e.Path, Status: Modified, Mode: e.Mode})
		}
	}
	return changes, nil
}

// coveredByCacheTree reports whether some valid cache-tree node above p has
// the same tree hash as HEAD at that directory: then nothing below it is
// staged. This is how git avoids reading trees, and it keeps a commit with
// thousands of tracked bytecode files from reading their trees at all.
func coveredByCacheTree(p string, valid *cacheTree, head *treeReader, memo map[string]bool) (bool, error) {
	if valid.empty() {
		return false, nil
	}
	node := int32(0)
	for i := -1; ; {
		dir := ""
		if i >= 0 {
			dir = p[:i]
		}
		same, ok := memo[dir]
		if h, isValid := valid.hash(node); !ok && isValid {
			if dir == "" {
				same = h == head.root
			} else {
				he, found, err := head.entry(dir)
				if err != nil {
					return false, err
				}
				same = found && he.mode == modeTree && he.hash == h
			}
			memo[dir] = same
		}
		if same {
			return true, nil
		}
		j := strings.IndexByte(p[i+1:], '/')
		if j < 0 {
			return false, nil
		}
		if node, ok = valid.child(node, p[i+1:i+1+j]); !ok {
			return false, nil
		}
		i += 1 + j
	}
}

// stagedViaGit answers StagedChanges with git plumbing, for index layouts
// the scanner does not read.
func (r *Repo) stagedViaGit(match func(string) bool, reason string) (*StagedResult, error) {
	res := &StagedResult{ViaGit: reason}
	unmerged := make(map[string]bool)
	_, err := r.gitOutput(nil, "rev-parse", "--verify", "-q", "HEAD^{commit}")
	if err != nil {
		var ge *GitError
		if !errors.As(err, &ge) || ge.ExitCode != 1 {
			return nil, err
		}
		out, err := r.gitOutput(nil, "ls-files", "-s", "-z")
		if err != nil {
			return nil, err
		}
		for _, rec := range splitZ(out) {
			meta, path, ok := bytes.Cut(rec, []byte{'\t'})
			if !ok || !match(string(path)) {
				continue
			}
			f := strings.Fields(string(meta))
			if len(f) != 3 {
				return nil, fmt.Errorf("git ls-files: unexpected record %q", rec)
			}
			mode, _ := strconv.ParseUint(f[0], 8, 32)
			st := Added
			if f[2] != "0" {
				st = Unmerged
				if unmerged[string(path)] {
					continue
				}
				unmerged[string(path)] = true
			}
			res.Changes = append(res.Changes, StagedChange{Path: string(path), Status: st, Mode: uint32(mode)})
		}
		return res, nil
	}
	// --ita-invisible-in-index: an intent-to-add entry is not content the
	// commit will have, as git diff --cached and git commit treat it.
	out, err := r.gitOutput(nil, "diff-index", "--cached", "-z", "--no-renames",
		"--ita-invisible-in-index", "--diff-filter=AMTU", "HEAD")
	if err != nil {
		return nil, err
	}
	recs := splitZ(out)
	for i := 0; i+1 < len(recs); i += 2 {
		// ":oldmode newmode oldsha newsha status" NUL path NUL
		f := strings.Fields(string(recs[i]))
		path := string(recs[i+1])
		if len(f) != 5 {
			return nil, fmt.Errorf("git diff-index: unexpected record %q", recs[i])
		}
		if !match(path) {
			continue
		}
		mode, _ := strconv.ParseUint(f[1], 8, 32)
		var st Status
		switch f[4][0] {
		case 'A':
			st = Added
		case 'M':
			st = Modified
		case 'T':
			st = TypeChanged
		case 'U':
			st = Unmerged
		default:
			continue
		}
		res.Changes = append(res.Changes, StagedChange{Path: path, Status: st, Mode: uint32(mode)})
	}
	return res, nil
}

func splitZ(b []byte) [][]byte {
	b = bytes.TrimSuffix(b, []byte{0})
	if len(b) == 0 {
		return nil
	}
	return bytes.Split(b, []byte{0})
}
