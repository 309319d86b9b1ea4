package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// TrackedResult is the answer of Tracked.
type TrackedResult struct {
	Entries []IndexEntry
	ViaGit  string // why git plumbing was used, "" when the scanner read the index
}

// Tracked returns the index entries (every stage) whose path match selects,
// in index order. Sparse directories are expanded (through git), so every
// tracked file is listed. quick, when not nil, is a non-retaining
// prefilter asked first, as in StagedChanges.
func (r *Repo) Tracked(quick, match func(path string) bool) (*TrackedResult, error) {
	if err := r.RequireWorkTree(); err != nil {
		return nil, err
	}
	scan, err := r.scanIndexFile(quick, match)
	var ng *errNeedsGit
	switch {
	case err == nil:
		return &TrackedResult{Entries: scan.entries}, nil
	case !errors.As(err, &ng):
		return nil, err
	}
	return r.trackedViaGit(match, ng.reason)
}

func (r *Repo) trackedViaGit(match func(string) bool, reason string) (*TrackedResult, error) {
	out, err := r.gitOutput(nil, "ls-files", "-s", "-z")
	if err != nil {
		return nil, err
	}
	res := &TrackedResult{ViaGit: reason}
	for _, rec := range splitZ(out) {
		meta, path, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			return nil, fmt.Errorf("git ls-files: unexpected record %q", rec)
		}
		if !match(string(path)) {
			continue
		}
		f := strings.Fields(string(meta))
		if len(f) != 3 {
			return nil, fmt.Errorf("git ls-files: unexpected record %q", rec)
		}
		mode, _ := strconv.ParseUint(f[0], 8, 32)
		stage, _ := strconv.Atoi(f[2])
		id, err := ParseObjectID(f[1])
		if err != nil {
			return nil, fmt.Errorf("git ls-files: bad object name %q", f[1])
		}
		e := IndexEntry{Path: string(path), Mode: uint32(mode), Stage: stage, Hash: id}
		res.Entries = append(res.Entries, e)
	}
	return res, nil
}
