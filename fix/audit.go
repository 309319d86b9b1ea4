package fix

import (
	"bytes"
	"errors"
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

// Audit is a read-only report on a repository.
type Audit struct {
	Coverage *ignore.Report // how the ignore rules cover each kind of bytecode
	// Tracked lists the tracked files pycguard fix would untrack (the
	// policy blocks them), then those a .gitignore negation keeps on
	// purpose (KeptBy), then unmerged bytecode.
	Tracked []TrackedFile
	Allowed []string // tracked bytecode the configuration's allow list keeps
	Bytes   int64    // the size of Tracked's blobs (of those present)
	// TrackedUnknown counts Tracked's blobs absent from a partial clone
	// (size unknown); TrackedMissing names those absent and not promised.
	TrackedUnknown int
	TrackedMissing []string
	TopDirs        []DirCount // directories holding the most tracked bytecode
	Hooks          HookState
	History        History
	plan           *Plan
}

// TrackedFile is a tracked bytecode file and its blob's size (0 for an
// unmerged path, which has several).
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

// History describes the bytecode of every commit reachable from any ref,
// as scan --all walks them (the same commits, merges judged the same way,
// the same policy). Every number is a property of the set of commits, not
// of the order a walk meets them in:
//
//   - Blobs: the distinct blobs found at a blocked path in some commit's
//     tree (a blob that is also a source file elsewhere counts once, and
//     only because of its blocked path);
//   - Bytes: their total size, of those present in the repository;
//   - Unknown: those absent from a partial clone (promised by its remote;
//     never fetched), whose size is therefore not known;
//   - Missing: those absent and not promised: the repository is damaged;
//   - CommitsTotal: the commits that add a blocked path (one no parent
//     has: scan --all's "added" and "renamed" findings); Paths: how many
//     such (commit, path) additions there are.
type History struct {
	Blobs        int
	Bytes        int64
	Unknown      int
	Missing      []string
	Commits      []CommitAdds // the commits that add the most blocked paths, most first (at most 10)
	CommitsTotal int
	Paths        int
	// Incomplete is why the walk did not reach every commit (git's error,
	// e.g. a commit or tree missing); "" when it did.
	Incomplete string
}

// Complete reports whether every number of h covers all of history.
func (h *History) Complete() bool { return h.Incomplete == "" && len(h.Missing) == 0 }

// CommitAdds is a commit and the number of blocked paths it added.
type CommitAdds struct {
	Commit  string
	Subject string
	Paths   int
}

// AuditOptions configures RunAudit.
type AuditOptions struct {
	// Policy says what is bytecode to report: what check, scan and fix
	// block (bytecode and the configuration's extra patterns, less its
	// allow patterns).
	Policy hook.Policy
}

// PurgeGlobs are the --path-glob arguments of the git filter-repo command
// that removes bytecode from history.
var PurgeGlobs = []string{"*.pyc", "*.pyo", "*$py.class", "*/__pycache__/*", "__pycache__/*"}

// NeedsFix reports whether `pycguard fix` has something to do: the answer
// of fix's own plan (tracked files the policy blocks, or .gitignore lines
// to append).
func (a *Audit) NeedsFix() bool { return a.plan != nil && a.plan.Changes() }

// RunAudit reads repo (from gitops.Open) and reports. It changes
// nothing and fetches nothing: in a partial clone the objects it does not
// have stay absent (NoLazyFetch).
//
// A history the walk could not finish, or bytecode blobs missing from a
// repository that no remote promises them from, are not errors: the audit
// says so in History (Complete is false) and reports everything else.
func RunAudit(repo *gitops.Repo, opts AuditOptions) (*Audit, error) {
	if err := repo.RequireWorkTree(); err != nil {
		return nil, err
	}
	if err := repo.NoLazyFetch(); err != nil {
		return nil, err
	}
	plan, err := Prepare(repo, Options{Gitignore: true, Untrack: true, DryRun: true, Policy: opts.Policy})
	if err != nil {
		return nil, err
	}
	a := &Audit{plan: plan, Coverage: plan.Coverage, Allowed: plan.Allowed}
	if err := a.tracked(repo, plan); err != nil {
		return nil, err
	}
	if a.Hooks, err = hookState(repo); err != nil {
		return nil, err
	}
	if a.History, err = auditHistory(repo, opts.Policy, nil); err != nil {
		return nil, err
	}
	return a, nil
}

// tracked fills Tracked, Bytes and TopDirs from fix's plan.
func (a *Audit) tracked(repo *gitops.Repo, plan *Plan) error {
	entries := append([]gitops.IndexEntry(nil), plan.Untrack...)
	keptBy := map[string]string{}
	if len(plan.Kept) > 0 {
		// Named by the rule that keeps the file now (the plan names the
		// rule as it will be numbered once fix has appended).
		now := plan.Coverage.Matcher()
		for _, k := range plan.Kept {
			keptBy[k.Path] = k.Rule
			if r := now.KeptOnPurpose(k.Path); r != nil {
				keptBy[k.Path] = r.String()
			}
		}
		// The kept files' blobs, from the index.
		tr, err := repo.Tracked(nil, func(p string) bool { _, ok := keptBy[p]; return ok })
		if err != nil {
			return err
		}
		for _, e := range tr.Entries {
			if e.Stage == 0 {
				entries = append(entries, e)
			}
		}
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.HexHash())
	}
	sizes, err := repo.ObjectSizes(ids)
	if err != nil {
		return err
	}
	if sizes.Promised {
		a.TrackedUnknown = len(sizes.Absent)
	} else {
		a.TrackedMissing = sizes.Absent
	}
	set, err := repo.Settings()
	if err != nil {
		return err
	}
	dirs := map[string]*DirCount{}
	add := func(f TrackedFile) {
		a.Tracked = append(a.Tracked, f)
		a.Bytes += f.Size
		d := packageDir(f.Path, set.IgnoreCase)
		if dirs[d] == nil {
			dirs[d] = &DirCount{Dir: d}
		}
		dirs[d].Files++
		dirs[d].Bytes += f.Size
	}
	for _, e := range entries {
		add(TrackedFile{Path: e.Path, Size: sizes.Sizes[e.HexHash()], KeptBy: keptBy[e.Path]})
	}
	for _, p := range plan.Unmerged {
		add(TrackedFile{Path: p, Unmerged: true})
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
	return nil
}

// Complete reports whether the audit read everything it reports on:
// the whole history, and every bytecode blob present or promised.
func (a *Audit) Complete() bool { return a.History.Complete() && len(a.TrackedMissing) == 0 }

// auditHistory walks every commit reachable from any ref with scan's walk
// and policy (hook.Scan with Revisions.All: the very walk of scan --all)
// and counts History's numbers. added, when set, is called for every
// (commit, path) addition counted.
func auditHistory(repo *gitops.Repo, pol hook.Policy, added func(commit, path string)) (History, error) {
	var h History
	blobs := map[string]bool{}
	perCommit := map[string]int{}
	var order []string
	_, err := hook.Scan(repo, hook.ScanOptions{Revisions: gitops.Revisions{All: true}, Policy: pol, KeptByTree: true}, func(f hook.ScanFinding) error {
		if f.Mode != modeGitlink {
			blobs[f.Blob] = true
		}
		if f.Action == gitops.Added || f.Action == gitops.Renamed {
			if perCommit[f.Commit] == 0 {
				order = append(order, f.Commit)
			}
			perCommit[f.Commit]++
			h.Paths++
			if added != nil {
				added(f.Commit, f.Path)
			}
		}
		return nil
	})
	var ge *gitops.GitError
	switch {
	case errors.As(err, &ge):
		h.Incomplete = ge.Error()
	case err != nil:
		return h, err
	}

	ids := make([]string, 0, len(blobs))
	for id := range blobs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	h.Blobs = len(ids)
	sizes, err := repo.ObjectSizes(ids)
	if err != nil {
		return h, err
	}
	for _, n := range sizes.Sizes {
		h.Bytes += n
	}
	if sizes.Promised {
		h.Unknown = len(sizes.Absent)
	} else {
		h.Missing = sizes.Absent
	}

	h.CommitsTotal = len(order)
	top := append([]string(nil), order...)
	sort.SliceStable(top, func(i, j int) bool { return perCommit[top[i]] > perCommit[top[j]] })
	if len(top) > 10 {
		top = top[:10]
	}
	subjects, err := repo.CommitSubjects(top)
	if err != nil {
		return h, err
	}
	for _, c := range top {
		h.Commits = append(h.Commits, CommitAdds{Commit: c, Subject: subjects[c], Paths: perCommit[c]})
	}
	return h, nil
}

// modeGitlink is a submodule entry: its id names a commit, not a blob.
const modeGitlink = 0o160000

// trackedCoverage is the coverage fix plans from: tracked bytecode and
// .gitignore files as extra probes.
func trackedCoverage(repo *gitops.Repo, tr *gitops.TrackedResult) (*ignore.Report, error) {
	extra := make([]string, len(tr.Entries))
	for i, e := range tr.Entries {
		extra[i] = e.Path
	}
	src, err := hook.IgnoreSources(repo)
	if err != nil {
		return nil, err
	}
	return ignore.Bytecode(src, extra)
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
