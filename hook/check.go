package hook

import (
	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
)

// Mode selects what Check judges.
type Mode string

// Modes of Check; they appear in pycguard's JSON output.
const (
	Staged Mode = "staged" // the index git is committing, against HEAD
	Paths  Mode = "paths"  // the paths given
	All    Mode = "all"    // every tracked file
)

// Status values of a Finding beyond gitops' staged statuses.
const (
	StatusTracked = "tracked" // in the index (All)
	StatusNamed   = "named"   // given as an argument (Paths)
)

// Policy says which paths block a commit.
type Policy struct {
	// IgnoreCase folds case when classifying (core.ignorecase). Check sets
	// it from the repository.
	IgnoreCase bool
	// Allow lists bytecode that may be committed (the configuration's
	// allow): a path it matches never blocks.
	Allow *Patterns
	// Extra lists more paths to block (the configuration's extra, e.g.
	// "*.pyd").
	Extra *Patterns
	// Kept, when set, says which paths the repository's own ignore rules
	// keep on purpose (KeptByNegation): they never block, as with Allow.
	Kept func(gitPath string) bool

	// exactAllow applies Allow without case folding even when IgnoreCase
	// is set: Check's first, case-folding pass must find a superset of
	// what the exact policy blocks.
	exactAllow bool
}

// Blocks reports whether the git path p blocks a commit, and its kind
// (bytecode.None for a path only Extra matches).
func (p Policy) Blocks(gitPath string) (bytecode.Kind, bool) {
	k := bytecode.Classify(gitPath, p.IgnoreCase)
	if !k.IsBytecode() && !p.Extra.Match(gitPath, p.IgnoreCase) {
		return k, false
	}
	if p.Allow.Match(gitPath, p.IgnoreCase && !p.exactAllow) {
		return k, false
	}
	if p.Kept != nil && p.Kept(gitPath) {
		return k, false
	}
	return k, true
}

func (p Policy) match(gitPath string) bool {
	_, ok := p.Blocks(gitPath)
	return ok
}

// Finding is one path that blocks the commit.
type Finding struct {
	Path   string        // git path, relative to the work tree top
	Status string        // added, modified, typechange, unmerged, tracked, named
	Kind   bytecode.Kind // what kind of bytecode it is
	Arg    string        // for Paths: the argument as given
}

// Result is Check's verdict.
type Result struct {
	Mode     Mode
	Findings []Finding
	// ViaGit is why the index was read through git plumbing, "" if not.
	ViaGit string
}

// Blocked reports whether the commit must not go ahead.
func (r *Result) Blocked() bool { return len(r.Findings) > 0 }

// Options selects what Check judges.
type Options struct {
	Mode   Mode
	Paths  []string // for Paths: as given, relative to the directory pycguard runs in
	Policy Policy
}

// Check judges repo according to opts. It never writes.
//
// It classifies with case folding first, a superset, and reads
// core.ignorecase only when some path matches only with folding ("X.PYC"):
// the common hook run then needs no git process for the configuration.
func Check(repo *gitops.Repo, opts Options) (*Result, error) {
	loose := opts
	loose.Policy.IgnoreCase = true
	loose.Policy.exactAllow = true
	res, err := check(repo, loose)
	if err != nil {
		return nil, err
	}
	exact := res.Findings[:0:0]
	folded := false
	for _, f := range res.Findings {
		if _, ok := opts.Policy.Blocks(f.Path); ok {
			exact = append(exact, f)
		} else {
			folded = true
		}
	}
	if !folded {
		return res, nil
	}
	set, err := repo.Settings()
	if err != nil {
		return nil, err
	}
	if !set.IgnoreCase {
		res.Findings = exact
		return res, nil
	}
	pol := opts.Policy
	pol.IgnoreCase = true
	kept := res.Findings[:0]
	for _, f := range res.Findings {
		if _, ok := pol.Blocks(f.Path); ok {
			kept = append(kept, f)
		}
	}
	res.Findings = kept
	return res, nil
}

func check(repo *gitops.Repo, opts Options) (*Result, error) {
	res := &Result{Mode: opts.Mode}
	pol := opts.Policy
	switch opts.Mode {
	case Paths:
		for _, arg := range opts.Paths {
			p, err := repo.RepoPath(arg)
			if err != nil {
				return nil, err
			}
			if k, ok := pol.Blocks(p); ok {
				res.Findings = append(res.Findings, Finding{Path: p, Status: StatusNamed, Kind: k, Arg: arg})
			}
		}
	case All:
		tr, err := repo.Tracked(nil, pol.match)
		if err != nil {
			return nil, err
		}
		res.ViaGit = tr.ViaGit
		last := ""
		for _, e := range tr.Entries {
			if e.Path == last {
				continue // the stages of one unmerged path
			}
			last = e.Path
			k, _ := pol.Blocks(e.Path)
			st := StatusTracked
			if e.Stage != 0 {
				st = string(gitops.Unmerged)
			}
			res.Findings = append(res.Findings, Finding{Path: e.Path, Status: st, Kind: k})
		}
	default:
		// A quick, non-retaining prefilter spares copying every path of
		// the index (100,000 on a large repository) for the policy.
		quick := func(p string) bool { return pol.Extra != nil || bytecode.IsBytecode(p, true) }
		st, err := repo.StagedChanges(quick, pol.match)
		if err != nil {
			return nil, err
		}
		res.Mode = Staged
		res.ViaGit = st.ViaGit
		for _, c := range st.Changes {
			k, _ := pol.Blocks(c.Path)
			res.Findings = append(res.Findings, Finding{Path: c.Path, Status: string(c.Status), Kind: k})
		}
	}
	return res, nil
}
