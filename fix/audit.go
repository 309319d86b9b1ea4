package fix

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/ignore"
)

// Audit is a read-only report on a repository.
type Audit struct {
	Coverage *ignore.Report // how the ignore rules cover each kind of bytecode
	Tracked  []TrackedFile  // tracked bytecode, in index order
	Bytes    int64          // their total size
	TopDirs  []DirCount     // directories holding the most tracked bytecode
	Hooks    HookState
	History  History
}

// TrackedFile is a tracked bytecode file and its blob's size.
type TrackedFile struct {
	Path     string
	Size     int64
	Unmerged bool
	// KeptBy is the .gitignore negation (SOURCE:LINE:PATTERN) that keeps
	// the file on purpose; fix leaves it tracked and check lets it pass.
	KeptBy string
}

// DirCount counts tracked bytecode below one package directory (a
// __pycache__ directory counts towards its parent).
type DirCount struct {
	Dir   string // "" for the top of the work tree
	Files int
	Bytes int64
}

// HookState says where a pycguard hook is configured.
type HookState struct {
	HooksDir  string // where git runs hooks from
	Native    bool   // a commit runs pycguard's native hook (hook.Inspect, as install and uninstall see it)
	PreCommit bool   // .pre-commit-config.yaml mentions pycguard
	Lefthook  bool   // a lefthook configuration mentions pycguard
}

// Installed reports whether any pycguard hook is configured.
func (h HookState) Installed() bool { return h.Native || h.PreCommit || h.Lefthook }

// History describes bytecode ever committed (reachable from any ref).
type History struct {
	Blobs   int          // distinct bytecode blobs
	Bytes   int64        // their total size
	Commits []CommitAdds // commits that added the most bytecode paths, most first (at most 10)
	// CommitsTotal is the number of commits that added bytecode.
	CommitsTotal int
}

// CommitAdds is a commit and the number of bytecode paths it added.
type CommitAdds = gitops.CommitAdds

// PurgeGlobs are the --path-glob arguments of the git filter-repo command
// that removes bytecode from history.
var PurgeGlobs = []string{"*.pyc", "*.pyo", "*$py.class", "*/__pycache__/*", "__pycache__/*"}

// NeedsFix reports whether `pycguard fix` has something to do: tracked
// bytecode that no .gitignore negation keeps, or a kind of bytecode that
// .gitignore does not cover (ignore.Report.HasMissing; the template's
// other lines are information only).
func (a *Audit) NeedsFix() bool {
	for _, f := range a.Tracked {
		if f.KeptBy == "" {
			return true
		}
	}
	return a.Coverage != nil && a.Coverage.HasMissing()
}

// RunAudit reads repo (from gitops.Discover) and reports. It changes nothing.
func RunAudit(repo *gitops.Repo) (*Audit, error) {
	if err := repo.RequireWorkTree(); err != nil {
		return nil, err
	}
	a := &Audit{}
	isBytecode := func(p string) bool { return bytecode.IsBytecode(p, repo.IgnoreCase) }
	tr, err := repo.Tracked(func(p string) bool { return isBytecode(p) || isGitignore(p) })
	if err != nil {
		return nil, err
	}
	if a.Coverage, err = trackedCoverage(repo, tr); err != nil {
		return nil, err
	}
	kept := a.Coverage.Matcher()
	tr.Entries = slices.DeleteFunc(tr.Entries, func(e gitops.IndexEntry) bool { return !isBytecode(e.Path) })
	var hashes []string
	for _, e := range tr.Entries {
		hashes = append(hashes, e.HexHash())
	}
	sizes, err := repo.BlobSizes(hashes)
	if err != nil {
		return nil, err
	}
	dirs := map[string]*DirCount{}
	last := ""
	for _, e := range tr.Entries {
		if e.Path == last {
			continue
		}
		last = e.Path
		f := TrackedFile{Path: e.Path, Size: sizes[e.HexHash()], Unmerged: e.Stage != 0}
		if r := kept.KeptOnPurpose(e.Path); r != nil && !f.Unmerged {
			f.KeptBy = r.String()
		}
		a.Tracked = append(a.Tracked, f)
		a.Bytes += f.Size
		d := packageDir(e.Path, repo.IgnoreCase)
		if dirs[d] == nil {
			dirs[d] = &DirCount{Dir: d}
		}
		dirs[d].Files++
		dirs[d].Bytes += f.Size
	}
	for _, d := range dirs {
		a.TopDirs = append(a.TopDirs, *d)
	}
	sort.Slice(a.TopDirs, func(i, j int) bool {
		x, y := a.TopDirs[i], a.TopDirs[j]
		if x.Files != y.Files {
			return x.Files > y.Files
		}
		return x.Dir < y.Dir
	})
	if len(a.TopDirs) > 10 {
		a.TopDirs = a.TopDirs[:10]
	}

	if a.Hooks, err = hookState(repo); err != nil {
		return nil, err
	}

	blobs, err := repo.HistoryBlobs(isBytecode)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, b := range blobs {
		if !seen[b.Hash] {
			seen[b.Hash] = true
			a.History.Blobs++
			a.History.Bytes += b.Size
		}
	}
	commits, err := repo.CommitsAdding(isBytecode)
	if err != nil {
		return nil, err
	}
	a.History.CommitsTotal = len(commits)
	sort.SliceStable(commits, func(i, j int) bool { return commits[i].Paths > commits[j].Paths })
	if len(commits) > 10 {
		commits = commits[:10]
	}
	a.History.Commits = commits
	return a, nil
}

// trackedCoverage is the coverage fix plans from: tracked bytecode and
// .gitignore files as extra probes.
func trackedCoverage(repo *gitops.Repo, tr *gitops.TrackedResult) (*ignore.Report, error) {
	extra := make([]string, len(tr.Entries))
	for i, e := range tr.Entries {
		extra[i] = e.Path
	}
	return ignore.Bytecode(SourcesFor(repo), extra)
}

// packageDir is the directory a bytecode file belongs to: its own, or the
// parent of the __pycache__ it is in.
func packageDir(p string, fold bool) string {
	d := path.Dir(p)
	for d != "." {
		if bytecode.IsPycacheName(path.Base(d), fold) {
			d = path.Dir(d)
			continue
		}
		break
	}
	if d == "." {
		return ""
	}
	return d
}

func hookState(repo *gitops.Repo) (HookState, error) {
	var h HookState
	dir, err := repo.HooksDir()
	if err != nil {
		return h, err
	}
	h.HooksDir = dir
	chain, err := hook.Inspect(dir)
	if err != nil {
		return h, err
	}
	h.Native = chain.Installed()
	mentions := func(p string) (bool, error) {
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return bytes.Contains(b, []byte("pycguard")), nil
	}
	if h.PreCommit, err = mentions(filepath.Join(repo.WorkTree, ".pre-commit-config.yaml")); err != nil {
		return h, err
	}
	for _, name := range []string{"lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml"} {
		ok, err := mentions(filepath.Join(repo.WorkTree, name))
		if err != nil {
			return h, err
		}
		h.Lefthook = h.Lefthook || ok
	}
	return h, nil
}
