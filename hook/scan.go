package hook

import (
	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
)

// ScanFinding is one bytecode path that a commit introduces or modifies.
// It is what the CI scan and the pre-receive hook report, one per commit
// and path.
type ScanFinding struct {
	Commit string        // full object id of the commit
	Refs   []string      // the pushed refs that bring the commit (pre-receive); nil for scan
	Path   string        // git path in the commit
	Action gitops.Status // added, modified, typechange, renamed
	From   string        // for renamed: the path the blob had before
	Kind   bytecode.Kind // what kind of bytecode
	Merge  bool          // the commit is a merge (the path differs from every parent)
	Blob   string        // the object id at Path in the commit
	Mode   uint32        // the mode at Path in the commit (0o160000: a submodule's commit)
}

// ScanOptions selects the commits Scan judges.
type ScanOptions struct {
	Revisions gitops.Revisions
	Policy    Policy
	// Refs names, for a tip of Revisions.Tips, the refs it is pushed to;
	// findings of commits reached from that tip carry them.
	Refs map[string][]string
	// Policies overrides Policy for the commits reached from a tip (each
	// pushed ref is judged by the configuration in its own tree).
	Policies map[string]Policy
	// KeptByTree lets through a finding that a "!" rule of its commit's
	// own .gitignore files keeps on purpose, as check's KeptByNegation
	// lets it through in the work tree. Off for a server's own policy
	// (pre-receive --config), which the pushed files must not loosen.
	KeptByTree bool
}

// ScanSummary counts what Scan saw.
type ScanSummary struct {
	Commits    int    // commits judged
	BadCommits int    // commits with at least one finding
	Findings   int    // findings emitted
	Oldest     string // the last bad commit in walk order (newest first): where a fix starts
	First      string // the first commit walked ("" when none)
}

// Blocked reports whether some commit introduces or modifies bytecode.
func (s *ScanSummary) Blocked() bool { return s.Findings > 0 }

// maxCommitGitignore bounds a .gitignore read from a commit's tree (1 MiB;
// git reads up to 100 MiB from a work tree). A larger one keeps nothing,
// so its commit's findings still block: a push cannot make the server
// parse a huge file to loosen the verdict.
const maxCommitGitignore = 1 << 20

// Scan judges every commit selected by opts.Revisions by what it changes
// against its first parent (a root commit against the empty tree; a merge
// by what it has that no parent had) and calls emit for each bytecode path
// added, modified, renamed to or type-changed, in git log order (newest
// commit first). Deletions pass. Commits are streamed: memory does not
// depend on how many commits the range holds. An error from emit stops the
// scan and is returned.
//
// Classification folds case first and reads core.ignorecase only when a
// path matches only with folding, as Check does.
func Scan(repo *gitops.Repo, opts ScanOptions, emit func(ScanFinding) error) (*ScanSummary, error) {
	sum := &ScanSummary{}
	// The walk keeps what any policy blocks with case folding: a superset
	// of what the exact policies block. One loose policy per distinct pair
	// of pattern lists: a push of tens of thousands of refs without
	// configuration has one policy, not one per ref to try every path
	// against.
	var loose []Policy
	type patterns struct{ allow, extra *Patterns }
	seen := map[patterns]bool{}
	for _, p := range append([]Policy{opts.Policy}, mapValues(opts.Policies)...) {
		if k := (patterns{p.Allow, p.Extra}); !seen[k] {
			seen[k] = true
			p.IgnoreCase, p.exactAllow = true, true
			loose = append(loose, p)
		}
	}
	keep := func(path string) bool {
		for _, p := range loose {
			if p.match(path) {
				return true
			}
		}
		return false
	}
	// core.ignorecase, read once and only when a path matches with
	// folding alone or a negation of a commit's .gitignore files may keep
	// a path.
	ignoreCase := func() (bool, error) {
		set, err := repo.Settings()
		return set.IgnoreCase, err
	}
	blocks := func(pol Policy, p string) (bytecode.Kind, bool, error) {
		// A path that is bytecode (or an extra pattern's) as spelled and
		// allowed stays allowed when case is folded: folding widens both
		// what is blocked and what is allowed.
		if k, ok := pol.Blocks(p); ok || pol.IgnoreCase || k.IsBytecode() || pol.Extra.Match(p, false) {
			return k, ok, nil
		}
		// Only a path that matches with folding alone gets here.
		if fold, err := ignoreCase(); err != nil || !fold {
			return 0, false, err
		}
		pol.IgnoreCase = true
		k, ok := pol.Blocks(p)
		return k, ok, nil
	}
	gitignores := repo.GitignoreReader(maxCommitGitignore)
	defer gitignores.Close()
	err := repo.WalkHistory(opts.Revisions, keep, func(c *gitops.HistoryCommit) error {
		sum.Commits++
		if sum.First == "" {
			sum.First = c.ID
		}
		pol, ok := opts.Policies[c.Source]
		if !ok {
			pol = opts.Policy
		}
		var found []ScanFinding
		for _, ch := range c.Changes {
			k, ok, err := blocks(pol, ch.Path)
			if err != nil {
				return err
			}
			if ok {
				found = append(found, ScanFinding{Commit: c.ID, Refs: opts.Refs[c.Source], Path: ch.Path, Action: ch.Status,
					From: ch.From, Kind: k, Merge: c.Merge, Blob: ch.Blob, Mode: ch.Mode})
			}
		}
		var kept map[string]bool
		if opts.KeptByTree {
			var err error
			if kept, err = keptInCommit(gitignores, c.ID, found, ignoreCase); err != nil {
				return err
			}
		}
		bad := false
		for _, f := range found {
			if kept[f.Path] {
				continue
			}
			bad = true
			sum.Findings++
			if err := emit(f); err != nil {
				return err
			}
		}
		if bad {
			sum.BadCommits++
			sum.Oldest = c.ID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

func mapValues[K comparable, V any](m map[K]V) []V {
	var vs []V
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}
