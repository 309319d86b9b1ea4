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
)

// Options selects what Fix does.
type Options struct {
	Gitignore bool // append missing template lines to .gitignore
	Untrack   bool // untrack tracked bytecode
	Delete    bool // also delete untracked bytecode files from disk
	DryRun    bool // plan only; change nothing
	// Policy says what is untracked: bytecode and the configuration's
	// extra patterns, less its allow patterns. Its IgnoreCase is taken
	// from the repository.
	Policy hook.Policy
}

// Plan is what Fix will do (or, after Apply, did).
type Plan struct {
	GitignorePath string           // the root .gitignore
	AppendLines   []string         // template lines to append
	appendTo      []ignore.Section // the same, in sections, for the append
	Untrack       []gitops.IndexEntry
	UntrackBytes  int64             // their size: as the index records it, or the blobs' sizes when git read the index
	Unmerged      []string          // unmerged bytecode, left alone
	Allowed       []string          // tracked bytecode kept by the allow-list
	Deleted       []string          // after Apply with Delete: files removed from disk
	DeleteErrors  map[string]string // files that could not be removed
	ViaGit        string            // why the index was read through git
	coverage      []ignore.LineCoverage
}

// Changes reports whether the plan changes anything.
func (p *Plan) Changes() bool { return len(p.AppendLines) > 0 || len(p.Untrack) > 0 }

// SourcesFor returns where git reads ignore rules from for repo.
func SourcesFor(repo *gitops.Repo) ignore.Sources {
	return ignore.Sources{
		WorkTree:     repo.WorkTree,
		InfoExclude:  filepath.Join(repo.CommonDir, "info", "exclude"),
		ExcludesFile: repo.ExcludesFile,
		IgnoreCase:   repo.IgnoreCase,
	}
}

// Prepare plans a fix of repo (read with gitops.Discover) and checks that
// it can be applied: with Untrack, the index must be writable now.
func Prepare(repo *gitops.Repo, opts Options) (*Plan, error) {
	if err := repo.RequireWorkTree(); err != nil {
		return nil, err
	}
	p := &Plan{GitignorePath: filepath.Join(repo.WorkTree, ".gitignore")}
	if opts.Gitignore {
		m, err := ignore.New(SourcesFor(repo))
		if err != nil {
			return nil, err
		}
		tmpl := ignore.BytecodeTemplate()
		p.coverage = ignore.Coverage(m, tmpl, repo.IgnoreCase)
		p.appendTo = ignore.MissingSections(tmpl, p.coverage)
		for _, s := range p.appendTo {
			for _, l := range s.Lines {
				p.AppendLines = append(p.AppendLines, l.Text)
			}
		}
		if err := checkAppendable(p.GitignorePath); err != nil && len(p.AppendLines) > 0 {
			return nil, err
		}
	}
	if opts.Untrack {
		pol := opts.Policy
		pol.IgnoreCase = repo.IgnoreCase
		// The classification is a quick, non-retaining prefilter: only the
		// paths it accepts are copied out of the index for the policy.
		isBytecode := func(p string) bool { return bytecode.IsBytecode(p, pol.IgnoreCase) }
		quick := isBytecode
		if pol.Extra != nil {
			quick = nil
		}
		tr, err := repo.TrackedQuick(quick, func(p string) bool {
			return isBytecode(p) || pol.Extra.Match(p, pol.IgnoreCase)
		})
		if err != nil {
			return nil, err
		}
		p.ViaGit = tr.ViaGit
		last := ""
		var hashes []string
		for _, e := range tr.Entries {
			switch {
			case e.Path == last:
				continue
			case e.Stage != 0:
				p.Unmerged = append(p.Unmerged, e.Path)
			case !blocks(pol, e.Path):
				p.Allowed = append(p.Allowed, e.Path)
			default:
				p.Untrack = append(p.Untrack, e)
				hashes = append(hashes, e.HexHash())
			}
			last = e.Path
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
	}
	return p, nil
}

func blocks(pol hook.Policy, p string) bool {
	_, ok := pol.Blocks(p)
	return ok
}

// checkAppendable fails, before anything is changed, when .gitignore cannot
// be appended to: it is a directory or other non-file, or read-only.
func checkAppendable(p string) error {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: %w", p, ignore.ErrNotRegularFile)
	case fi.Mode().Perm()&0o200 == 0:
		return fmt.Errorf("%s: %w", p, ignore.ErrReadOnly)
	}
	return nil
}

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
		if opts.Delete {
			p.Deleted, p.DeleteErrors = deleteFiles(repo, paths, repo.IgnoreCase)
		}
	}
	return nil
}

// snapshot remembers the file at p (or its absence) and returns a function
// that puts it back atomically.
func snapshot(p string) (func() error, error) {
	target := p
	if t, err := filepath.EvalSymlinks(p); err == nil {
		target = t
	}
	data, err := os.ReadFile(target)
	if errors.Is(err, fs.ErrNotExist) {
		return func() error { return os.Remove(target) }, nil
	}
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	return func() error {
		tmp, err := os.CreateTemp(filepath.Dir(target), ".gitignore.pycguard-*")
		if err != nil {
			return err
		}
		_, err = tmp.Write(data)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), fi.Mode().Perm())
		}
		if err == nil {
			err = os.Rename(tmp.Name(), target)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
		return err
	}, nil
}

// deleteFiles removes the untracked bytecode files from disk: only paths
// that are bytecode, only regular files and symbolic links (a link is
// removed, never followed), then __pycache__ directories left empty.
func deleteFiles(repo *gitops.Repo, paths []string, fold bool) (deleted []string, failed map[string]string) {
	dirs := map[string]bool{}
	for _, p := range paths {
		if !bytecode.IsBytecode(p, fold) {
			continue
		}
		abs := repo.AbsPath(p)
		fi, err := os.Lstat(abs)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil && !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
			err = fmt.Errorf("not a regular file")
		}
		if err == nil {
			err = os.Remove(abs)
		}
		if err != nil {
			if failed == nil {
				failed = map[string]string{}
			}
			failed[p] = err.Error()
			continue
		}
		deleted = append(deleted, p)
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
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
	sort.Slice(ds, func(i, j int) bool { return len(ds[i]) > len(ds[j]) })
	for _, d := range ds {
		_ = os.Remove(repo.AbsPath(d)) // fails, as it should, unless empty
	}
	return deleted, failed
}
