package fix

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/ignore"
	"github.com/pycguard/pycguard/internal/safefile"
)

// Options selects what Fix does.
type Options struct {
	Gitignore bool // append to .gitignore what makes git ignore every kind of bytecode
	Untrack   bool // untrack tracked bytecode
	// UntrackKept also untracks bytecode that a "!" rule of the
	// repository's .gitignore files keeps on purpose (left tracked by
	// default, and never blocked by check).
	UntrackKept bool
	// Delete also deletes from disk the files this run untracks (and the
	// __pycache__ directories that leaves empty). Other bytecode on disk
	// is left alone: pycguard clean deletes that.
	Delete bool
	DryRun bool // plan only; change nothing
	// Policy says what is untracked: bytecode and the configuration's
	// extra patterns, less its allow patterns. Its IgnoreCase is taken
	// from the repository.
	Policy hook.Policy
}

// KeptFile is tracked bytecode fix leaves tracked because a .gitignore
// negation keeps it on purpose.
type KeptFile struct {
	Path string
	Rule string // the deciding "!" rule, SOURCE:LINE:PATTERN
}

// Plan is what Fix will do (or, after Apply, did). A dry run reports the
// plan; Apply changes exactly what it lists.
type Plan struct {
	GitignorePath string   // the root .gitignore
	AppendLines   []string // rules to append, in order (Repeated among them)
	// Repeated are rules of .gitignore (SOURCE:LINE:PATTERN) appended again
	// after the new lines, so that the negations among them keep deciding.
	Repeated []string
	// Overridden are negations (SOURCE:LINE:PATTERN) that the new lines
	// override for some path (one inside a directory the lines ignore);
	// empty in every case pycguard knows how to complete.
	Overridden   []string
	appendTo     []ignore.Section
	Untrack      []gitops.IndexEntry
	UntrackBytes int64             // their size: as the index records it, or the blobs' sizes when git read the index
	Unmerged     []string          // unmerged bytecode, left alone
	Allowed      []string          // tracked bytecode kept by the allow-list
	Kept         []KeptFile        // tracked bytecode kept by a .gitignore negation
	Delete       []string          // with Delete: files to remove from disk (untracked ones present as a file or link)
	DeleteDirs   []string          // with Delete: __pycache__ directories that end up empty, deepest first
	Deleted      []string          // after Apply with Delete: files removed from disk
	DeletedDirs  []string          // and directories
	DeleteErrors map[string]string // files that could not be (or cannot be) removed
	ViaGit       string            // why the index was read through git
	// Coverage is the coverage the plan was made from.
	Coverage *ignore.Report
}

// Changes reports whether the plan changes anything.
func (p *Plan) Changes() bool {
	return len(p.AppendLines) > 0 || len(p.Untrack) > 0 || len(p.Delete) > 0
}

// Prepare plans a fix of repo (from gitops.Open) and checks that
// it can be applied: with Untrack, the index must be writable now.
//
// Coverage is asked with the tracked bytecode and .gitignore files as
// extra probes (ignore.Bytecode); the lines appended are
// ignore.Completion's. Tracked bytecode that a .gitignore negation keeps
// on purpose under the rules as they will be is left tracked (Kept)
// unless UntrackKept: check counts such paths as allowed, so the commit
// that follows passes.
func Prepare(repo *gitops.Repo, opts Options) (*Plan, error) {
	if err := repo.RequireWorkTree(); err != nil {
		return nil, err
	}
	p := &Plan{GitignorePath: filepath.Join(repo.WorkTree, ".gitignore")}
	set, err := repo.Settings()
	if err != nil {
		return nil, err
	}
	pol := opts.Policy
	pol.IgnoreCase = set.IgnoreCase
	// The classification is a quick, non-retaining prefilter: only the
	// paths it accepts are copied out of the index for the policy.
	isBytecode := func(p string) bool { return bytecode.IsBytecode(p, pol.IgnoreCase) }
	quick := func(p string) bool { return isBytecode(p) || isGitignore(p) }
	if pol.Extra != nil {
		quick = nil
	}
	tr, err := repo.Tracked(quick, func(p string) bool {
		return isBytecode(p) || isGitignore(p) || pol.Extra.Match(p, pol.IgnoreCase)
	})
	if err != nil {
		return nil, err
	}
	cov, err := trackedCoverage(repo, tr)
	if err != nil {
		return nil, err
	}
	p.Coverage = cov
	after := cov.Matcher()
	if opts.Gitignore {
		c, err := cov.Completion()
		if err != nil {
			return nil, err
		}
		if len(c.Unresolved) > 0 {
			return nil, fmt.Errorf("cannot complete .gitignore: %s would still not be ignored", c.Unresolved[0].Path)
		}
		after = c.After()
		p.appendTo, p.AppendLines = c.Sections, c.Lines
		for _, r := range c.Repeated {
			p.Repeated = append(p.Repeated, r.String())
		}
		for _, r := range c.LostRules {
			p.Overridden = append(p.Overridden, r.String())
		}
		if err := checkAppendable(p.GitignorePath); err != nil && len(p.AppendLines) > 0 {
			return nil, err
		}
	}
	if opts.Untrack {
		p.ViaGit = tr.ViaGit
		last := ""
		var hashes []string
		for _, e := range tr.Entries {
			if e.Path == last || !(isBytecode(e.Path) || pol.Extra.Match(e.Path, pol.IgnoreCase)) {
				continue
			}
			last = e.Path
			switch {
			case e.Stage != 0:
				p.Unmerged = append(p.Unmerged, e.Path)
			case !blocks(pol, e.Path):
				p.Allowed = append(p.Allowed, e.Path)
			default:
				if r := after.KeptOnPurpose(e.Path); r != nil && !opts.UntrackKept {
					p.Kept = append(p.Kept, KeptFile{Path: e.Path, Rule: r.String()})
					continue
				}
				p.Untrack = append(p.Untrack, e)
				hashes = append(hashes, e.HexHash())
			}
		}
		if len(p.Untrack) > 0 && !opts.DryRun {
			if err := repo.CheckWritableIndex(); err != nil {
				return nil, err
			}
		}
		switch {
		case tr.ViaGit == "":
			// The sizes the index records (the files' sizes when staged:
			// the blobs' sizes, bytecode being stored unconverted) spare a
			// git cat-file over thousands of objects.
			for _, e := range p.Untrack {
				p.UntrackBytes += int64(e.Size)
			}
		case repo.ObjectFormat == "sha1":
			sizes, err := repo.BlobSizes(hashes)
			if err != nil {
				return nil, err
			}
			for _, h := range hashes {
				p.UntrackBytes += sizes[h]
			}
		}
		if opts.Delete {
			p.planDelete(repo, pol.IgnoreCase)
		}
	}
	return p, nil
}

// isGitignore reports whether the git path p is a .gitignore file.
func isGitignore(p string) bool { return path.Base(p) == ".gitignore" }

func blocks(pol hook.Policy, p string) bool {
	_, ok := pol.Blocks(p)
	return ok
}

// checkAppendable fails, before anything is changed, when .gitignore cannot
// be appended to: a symbolic link, a directory or other non-file, or
// read-only.
func checkAppendable(p string) error { return ignore.CheckAppendable(p) }

// Apply carries out plan p on repo. With opts.DryRun it changes nothing.
// On failure nothing is left changed: a .gitignore already appended is
// restored when git then fails to write the index.
func Apply(repo *gitops.Repo, p *Plan, opts Options) error {
	if opts.DryRun || !p.Changes() {
		return nil
	}
	var restore func() error
	if len(p.AppendLines) > 0 {
		undo, err := snapshot(p.GitignorePath)
		if err != nil {
			return err
		}
		if _, err := ignore.AppendSections(p.GitignorePath, p.appendTo); err != nil {
			return fmt.Errorf("appending to .gitignore: %w", err)
		}
		restore = undo
	}
	if len(p.Untrack) > 0 {
		paths := make([]string, len(p.Untrack))
		for i, e := range p.Untrack {
			paths[i] = e.Path
		}
		if err := repo.Untrack(paths); err != nil {
			if restore != nil {
				if rerr := restore(); rerr != nil {
					return fmt.Errorf("untracking: %w; and restoring .gitignore failed: %v", err, rerr)
				}
			}
			return fmt.Errorf("untracking (nothing was changed): %w", err)
		}
	}
	if opts.Delete {
		p.deleteFiles(repo)
	}
	return nil
}

// snapshot remembers the file at p (or its absence) and returns a function
// that puts it back atomically.
func snapshot(p string) (func() error, error) {
	dir, name := filepath.Split(p)
	f, err := safefile.Read(dir, name, ignore.MaxFileSize)
	if err != nil {
		return nil, err
	}
	if !f.Exists {
		return func() error { return os.Remove(p) }, nil
	}
	return func() error {
		return safefile.Replace(dir, name, f.Data, safefile.Mode{Perm: f.Perm})
	}, nil
}

// planDelete lists what Delete removes: each untracked path that is
// bytecode and exists as a regular file or a symbolic link (a link is
// removed, never followed), then the __pycache__ directories holding them
// that would be left empty, deepest first. Anything else at such a path
// is a delete error, in the dry run as in the real one.
func (p *Plan) planDelete(repo *gitops.Repo, fold bool) {
	gone := map[string]bool{}
	dirs := map[string]bool{}
	for _, e := range p.Untrack {
		if !bytecode.IsBytecode(e.Path, fold) {
			continue
		}
		fi, err := os.Lstat(repo.AbsPath(e.Path))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err == nil && !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0:
			err = errors.New("not a regular file")
		}
		if err != nil {
			if p.DeleteErrors == nil {
				p.DeleteErrors = map[string]string{}
			}
			p.DeleteErrors[e.Path] = err.Error()
			continue
		}
		p.Delete = append(p.Delete, e.Path)
		gone[e.Path] = true
		for d := path.Dir(e.Path); d != "." && d != "/"; d = path.Dir(d) {
			if bytecode.IsPycacheName(path.Base(d), fold) {
				dirs[d] = true
			}
		}
	}
	// Deepest first, so a nested __pycache__ empties its parent.
	var ds []string
	for d := range dirs {
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool {
		if len(ds[i]) != len(ds[j]) {
			return len(ds[i]) > len(ds[j])
		}
		return ds[i] < ds[j]
	})
	for _, d := range ds {
		entries, err := os.ReadDir(repo.AbsPath(d))
		if err != nil {
			continue
		}
		empty := true
		for _, en := range entries {
			if !gone[d+"/"+en.Name()] {
				empty = false
				break
			}
		}
		if empty {
			gone[d] = true
			p.DeleteDirs = append(p.DeleteDirs, d)
		}
	}
}

// deleteFiles removes what planDelete listed; a file that can no longer
// be removed is a delete error, a directory that is no longer empty is
// left.
func (p *Plan) deleteFiles(repo *gitops.Repo) {
	for _, f := range p.Delete {
		if err := os.Remove(repo.AbsPath(f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if p.DeleteErrors == nil {
				p.DeleteErrors = map[string]string{}
			}
			p.DeleteErrors[f] = err.Error()
			continue
		}
		p.Deleted = append(p.Deleted, f)
	}
	for _, d := range p.DeleteDirs {
		if os.Remove(repo.AbsPath(d)) == nil {
			p.DeletedDirs = append(p.DeletedDirs, d)
		}
	}
}
