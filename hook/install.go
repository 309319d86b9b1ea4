package hook

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/safefile"
)

// The native hook pycguard installs is a POSIX sh script in the directory
// git runs hooks from (`git rev-parse --git-path hooks`: core.hooksPath
// when set, else the common directory's hooks/, which linked worktrees
// share). A hook that was there before is moved aside, byte for byte and
// with its mode (a rename), and our script runs it first: its exit status
// is respected, and pycguard still runs so both report. Uninstall renames
// it back.
const (
	// HookName is the hook pycguard installs.
	HookName = "pre-commit"
	// SavedSuffix is appended to HookName for the hook pycguard moved aside.
	SavedSuffix = ".pycguard-saved"
	// Marker is the line that identifies a script pycguard installed.
	Marker = "# pycguard-managed-hook v1"
	// LegacySuffix is appended to HookName by the pre-commit framework and
	// prek for the hook their `install` moved aside; their own hook runs
	// it first (pre-commit's "migration mode").
	LegacySuffix = ".legacy"
	// OldSuffix is appended to HookName by lefthook for the hook its
	// `install` moved aside; lefthook does not run it, and its `uninstall`
	// puts it back.
	OldSuffix = ".old"
)

// Errors of Install and Uninstall.
var (
	// ErrUnknownState: the hooks directory holds something pycguard did
	// not expect (a saved hook beside a hook that is not ours, or a hook
	// that is not a file); --force resolves it as InstallOptions.Force
	// documents.
	ErrUnknownState = errors.New("unexpected hook state")
	// ErrNotInstalled: uninstall found no hook installed by pycguard.
	ErrNotInstalled = errors.New("no pycguard hook installed")
)

// InstallOptions configures Install.
type InstallOptions struct {
	// HooksDir is the absolute directory git runs hooks from.
	HooksDir string
	// Executable is the pycguard to run, embedded as an absolute path so
	// that the hook works when git runs with a minimal PATH (GUI clients);
	// the script falls back to PATH when it is gone. "" writes a script
	// with no path of this machine in it, the one to use for a hooks
	// directory inside the work tree that is committed and shared: it
	// looks pycguard up on PATH, then where `go install` puts it.
	Executable string
	// Windows writes Executable with '/' separators, which the sh that
	// Git for Windows runs hooks with understands ("C:/Users/...").
	Windows bool
	// Force resolves an unknown state: a hook that is not ours beside an
	// earlier saved hook (another tool replaced our script). The current
	// hook is then the one chained and saved, and the older saved copy is
	// kept as pre-commit.pycguard-saved.old.
	Force bool
}

// InstallResult says what Install did.
type InstallResult struct {
	// Hook is the file holding pycguard's script: the hook git runs, or
	// pre-commit.legacy when the pre-commit framework's (or prek's) hook
	// is in front and runs pycguard's from there (RunBy says which).
	Hook    string
	Saved   string // the chained earlier hook, "" when there was none
	Changed bool   // false when the same script was already installed
	// RunBy names the hook manager whose hook runs pycguard's script
	// (Hook is then its legacy file), "" when git runs it directly.
	RunBy string
	// Repaired is set when the hooks directory ran pycguard twice per
	// commit (an earlier pycguard chained a pre-commit framework hook that
	// already ran pycguard's script) and Install put the framework's hook
	// back in front, so that pycguard runs once.
	Repaired bool
	// Displaced is the older saved hook that Force moved to .old, "" if none.
	Displaced string
}

// UninstallResult says what Uninstall did: one step per place pycguard's
// script was found in the chain.
type UninstallResult struct {
	Steps []UninstallStep
}

// UninstallStep is pycguard's script removed from one file.
type UninstallStep struct {
	Hook     string
	Restored bool // the hook pycguard had replaced was put back there; false: the file was removed
	// KeptAside is where a saved copy of the framework's own hook (which
	// cannot go back to .legacy: it would run itself) was moved because
	// it differs from the one in front; "" when it was the same and was
	// removed, or when there was none.
	KeptAside string
}

// Script returns the hook script for the pycguard executable exe ("" for
// PATH only), as sh source. exe is quoted for the shell.
func Script(exe string, windows bool) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	b.WriteString(Marker + "\n")
	b.WriteString("# Installed by `pycguard install`; `pycguard uninstall` removes it and puts back\n" +
		"# the hook it replaced (kept beside it as " + HookName + SavedSuffix + ", run first).\n")
	b.WriteString("hooks_dir=$(dirname -- \"$0\")\n")
	b.WriteString("status=0\n")
	// Run by the pre-commit framework or prek as their legacy hook, the
	// saved hook may be their own hook again (pycguard was installed over
	// it, then their install moved pycguard's script to .legacy): that
	// hook is the one running this script, and running it again would
	// fail with their "migration mode" error.
	b.WriteString("saved=\"$hooks_dir/" + HookName + SavedSuffix + "\"\n" +
		"if [ -x \"$saved\" ]; then\n" +
		"\tif [ -n \"${PRE_COMMIT_RUNNING_LEGACY:-}${PREK_RUNNING_LEGACY:-}\" ] &&\n" +
		"\t\tgrep -q -e '" + preCommitMarker + "' -e '" + prekMarker + "' \"$saved\" 2>/dev/null; then\n" +
		"\t\t: # that hook is the one running this script\n" +
		"\telse\n" +
		"\t\t\"$saved\" \"$@\" || status=$?\n" +
		"\tfi\n" +
		"fi\n")
	b.WriteString("pycguard=" + gitops.ShellQuote(ScriptPath(exe, windows)) + "\n")
	// GUI clients run git with a minimal PATH: the absolute path first,
	// then PATH, then where `go install` puts binaries (pycguard.exe on
	// Windows).
	goInstalled := "pycguard"
	if windows {
		goInstalled = "pycguard.exe"
	}
	b.WriteString("if [ -z \"$pycguard\" ] || [ ! -x \"$pycguard\" ]; then\n" +
		"\tpycguard=$(command -v pycguard 2>/dev/null) ||\n" +
		"\t\tpycguard=\"${GOBIN:-${GOPATH:-$HOME/go}/bin}/" + goInstalled + "\"\n" +
		"fi\n")
	b.WriteString("if [ ! -x \"$pycguard\" ]; then\n" +
		"\techo \"pycguard: not found (looked " + notFoundWhere(exe, windows) + ");\" >&2\n" +
		"\techo \"  install it, or remove this hook with: pycguard uninstall (git commit --no-verify skips it once)\" >&2\n" +
		"\texit 2\n" +
		"fi\n")
	b.WriteString("\"$pycguard\" check || { s=$?; [ \"$status\" -eq 0 ] && status=$s; }\n")
	b.WriteString("exit \"$status\"\n")
	return b.String()
}

// ScriptPath returns the path p as the hook script names it: on Windows
// (windows set) backslashes become '/', which Git for Windows' sh accepts
// with the drive letter ("C:/Users/me/go/bin/pycguard.exe").
func ScriptPath(p string, windows bool) string {
	if windows {
		return strings.ReplaceAll(p, `\`, "/")
	}
	return p
}

// shEcho makes s safe inside a double-quoted sh string.
func shEcho(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return r.Replace(s)
}

// notFoundWhere words, for the script's "not found" message, where it
// looked for pycguard.
func notFoundWhere(exe string, windows bool) string {
	if exe == "" {
		return "on PATH and in GOBIN, GOPATH/bin and ~/go/bin"
	}
	return "for " + shEcho(ScriptPath(exe, windows)) + " and on PATH"
}

// The lines by which the hooks of the pre-commit framework and of prek are
// recognised (the first comment of pre-commit's resources/hook-tmpl and
// of prek's hook). Both run HookName+LegacySuffix before their own checks.
const (
	preCommitMarker = "# File generated by pre-commit: https://pre-commit.com"
	prekMarker      = "# File generated by prek: https://github.com/j178/prek"
)

// IsOurs reports whether a hook file's content is a script pycguard
// installed.
func IsOurs(content []byte) bool {
	return bytes.Contains(content, []byte("\n"+Marker+"\n"))
}

// HookKind is what a file of the hooks directory is.
type HookKind int

// The kinds of hook file Inspect tells apart.
const (
	KindNone      HookKind = iota // no such file
	KindPycguard                  // a script pycguard installed (IsOurs)
	KindPreCommit                 // the pre-commit framework's hook
	KindPrek                      // prek's hook
	KindOther                     // anything else: a hook pycguard knows nothing about
)

// runsLegacy reports whether a hook of kind k runs HookName+LegacySuffix.
func (k HookKind) runsLegacy() bool { return k == KindPreCommit || k == KindPrek }

// managerName names the hook manager whose hook k is.
func (k HookKind) managerName() string {
	switch k {
	case KindPreCommit:
		return "the pre-commit framework"
	case KindPrek:
		return "prek"
	}
	return ""
}

// classify tells which kind of hook content is.
func classify(content []byte) HookKind {
	switch {
	case IsOurs(content):
		return KindPycguard
	case bytes.Contains(content, []byte(preCommitMarker)):
		return KindPreCommit
	case bytes.Contains(content, []byte(prekMarker)):
		return KindPrek
	}
	return KindOther
}

// Chain is what the hooks directory holds for the pre-commit hook, read by
// Inspect: pycguard's one answer to "is pycguard's hook installed, and
// where", used by install, uninstall and audit alike.
type Chain struct {
	Dir    string   // the hooks directory
	Hook   HookKind // HookName, the file git runs
	Saved  HookKind // HookName+SavedSuffix, the hook pycguard's script runs first
	Legacy HookKind // HookName+LegacySuffix, run first by the pre-commit framework's and prek's hooks
	Old    HookKind // HookName+OldSuffix, lefthook's copy of the hook it replaced (not run)
	// Runs lists the files holding pycguard's script that a commit runs,
	// in the order they run (following pycguard's script to its saved
	// hook and the framework's hook to its legacy one). One entry is the
	// healthy state; more means pycguard runs more than once per commit.
	Runs []string
}

// Installed reports whether a commit runs pycguard's hook.
func (c Chain) Installed() bool { return len(c.Runs) > 0 }

// Inspect reads the hooks directory dir and says which of its pre-commit
// files hold pycguard's script and which of those git runs. A file that
// cannot be read (other than not existing) is an error; a pre-commit that
// is a directory is ErrUnknownState.
func Inspect(dir string) (Chain, error) {
	c := Chain{Dir: dir}
	kinds := map[string]*HookKind{HookName: &c.Hook, HookName + SavedSuffix: &c.Saved,
		HookName + LegacySuffix: &c.Legacy, HookName + OldSuffix: &c.Old}
	for name, k := range kinds {
		b, err := readHook(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			*k = KindNone
		case err != nil:
			return c, err
		default:
			*k = classify(b)
		}
	}
	// Follow what a commit runs: pycguard's script runs its saved hook
	// (unless that is the framework's hook that is running it: the
	// script skips it), the framework's hook runs its legacy one.
	seen := map[string]bool{}
	name, kind := HookName, c.Hook
	for kind != KindNone && !seen[name] {
		seen[name] = true
		switch {
		case kind == KindPycguard:
			c.Runs = append(c.Runs, filepath.Join(dir, name))
			name, kind = HookName+SavedSuffix, c.Saved
			if kind.runsLegacy() && seen[HookName+LegacySuffix] {
				kind = KindNone
			}
		case kind.runsLegacy():
			name, kind = HookName+LegacySuffix, c.Legacy
		default:
			kind = KindNone
		}
	}
	return c, nil
}

// Install puts pycguard's pre-commit hook in opts.HooksDir, chaining a
// hook that is already there, so that a commit runs pycguard exactly once:
// when the pre-commit framework's or prek's hook already runs pycguard's
// script as its legacy hook, that script is kept (and brought up to date)
// rather than a second one put in front; a directory where pycguard ran
// twice is repaired. Installing the same script again changes nothing.
func Install(opts InstallOptions) (InstallResult, error) {
	hook := filepath.Join(opts.HooksDir, HookName)
	saved := hook + SavedSuffix
	legacy := hook + LegacySuffix
	res := InstallResult{Hook: hook}
	script := []byte(Script(opts.Executable, opts.Windows))

	if err := os.MkdirAll(opts.HooksDir, 0o755); err != nil {
		return res, fmt.Errorf("creating the hooks directory: %w", err)
	}
	chain, err := Inspect(opts.HooksDir)
	if err != nil {
		return res, err
	}
	if chain.Hook == KindPycguard && chain.Saved.runsLegacy() && chain.Legacy == KindPycguard {
		// pycguard over the framework's hook over pycguard: put the
		// framework's hook back in front; it runs the script in .legacy.
		if err := os.Rename(saved, hook); err != nil {
			return res, fmt.Errorf("putting %s back: %w", saved, err)
		}
		res.Repaired, res.Changed = true, true
		if chain, err = Inspect(opts.HooksDir); err != nil {
			return res, err
		}
	}
	if chain.Hook.runsLegacy() && chain.Legacy == KindPycguard {
		res.Hook, res.RunBy = legacy, chain.Hook.managerName()
		if chain.Saved != KindNone {
			res.Saved = saved
		}
		cur, err := os.ReadFile(legacy)
		if err != nil {
			return res, err
		}
		if !bytes.Equal(cur, script) {
			if err := writeAtomic(legacy, script); err != nil {
				return res, err
			}
			res.Changed = true
		}
		return res, nil
	}
	if chain.Saved != KindNone {
		res.Saved = saved
	}
	switch {
	case chain.Hook == KindPycguard:
		cur, err := os.ReadFile(hook)
		if err != nil {
			return res, err
		}
		if bytes.Equal(cur, script) {
			return res, nil
		}
		// ours, for another executable or an older pycguard: replace it
	case chain.Hook != KindNone && chain.Saved != KindNone:
		if !opts.Force {
			return res, fmt.Errorf("%s is not pycguard's hook but %s exists (another tool replaced pycguard's hook?): "+
				"inspect both, then run pycguard install --force to chain the current hook (the older saved one is kept as %s.old): %w",
				hook, saved, filepath.Base(saved), ErrUnknownState)
		}
		res.Displaced = saved + ".old"
		if err := os.Rename(saved, res.Displaced); err != nil {
			return res, err
		}
		fallthrough
	case chain.Hook != KindNone:
		// Someone else's hook: move it aside as it is (rename keeps the
		// bytes, the mode, and a symbolic link as a link).
		if err := os.Rename(hook, saved); err != nil {
			return res, fmt.Errorf("moving the existing hook aside: %w", err)
		}
		res.Saved = saved
		if err := writeAtomic(hook, script); err != nil {
			if rerr := os.Rename(saved, hook); rerr != nil {
				err = errors.Join(err, fmt.Errorf("putting %s back: %w", hook, rerr))
			}
			return res, err
		}
		res.Changed = true
		return res, nil
	}
	if err := writeAtomic(hook, script); err != nil {
		return res, err
	}
	res.Changed = true
	return res, nil
}

// Uninstall removes pycguard's script from every place of hooksDir's chain
// where it is — the hook git runs, the legacy hook the pre-commit framework
// or prek moved it to, and lefthook's .old copy (which lefthook's uninstall
// would otherwise put back) — and puts back, in its place, the hook it had
// moved aside, exactly as it was. A saved hook that is a copy of the hook
// now in front (pycguard had chained the manager's hook, whose install
// then moved pycguard's script aside) is not put back behind itself: it is
// dropped when byte-equal to the front hook, moved to .pycguard-saved.old
// otherwise. Hooks that are not pycguard's are left alone; when there is
// no pycguard script at all the error is ErrNotInstalled.
func Uninstall(hooksDir string) (UninstallResult, error) {
	var res UninstallResult
	hook := filepath.Join(hooksDir, HookName)
	saved := hook + SavedSuffix
	for _, p := range []string{hook, hook + LegacySuffix, hook + OldSuffix} {
		chain, err := Inspect(hooksDir)
		if err != nil {
			return res, err
		}
		kind := map[string]HookKind{hook: chain.Hook, hook + LegacySuffix: chain.Legacy, hook + OldSuffix: chain.Old}[p]
		if kind != KindPycguard {
			continue
		}
		step := UninstallStep{Hook: p}
		if p != hook && chain.Saved != KindNone && savedCopiesFront(hook, saved, chain) {
			if err := os.Remove(p); err != nil {
				return res, err
			}
			front, ferr := os.ReadFile(hook)
			old, serr := os.ReadFile(saved)
			if ferr == nil && serr == nil && bytes.Equal(front, old) {
				err = os.Remove(saved)
			} else {
				step.KeptAside = saved + ".old"
				err = os.Rename(saved, step.KeptAside)
			}
			if err != nil {
				return res, err
			}
			res.Steps = append(res.Steps, step)
			continue
		}
		if chain.Saved != KindNone {
			// rename(2) replaces the file in one step: there is never a
			// moment without a hook.
			if err := os.Rename(saved, p); err != nil {
				return res, fmt.Errorf("restoring %s: %w", saved, err)
			}
			step.Restored = true
		} else if err := os.Remove(p); err != nil {
			return res, err
		}
		res.Steps = append(res.Steps, step)
	}
	if len(res.Steps) > 0 {
		return res, nil
	}
	if _, err := os.Lstat(hook); errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("%s does not exist: %w", hook, ErrNotInstalled)
	}
	return res, fmt.Errorf("%s was not installed by pycguard; left as it is: %w", hook, ErrNotInstalled)
}

// savedCopiesFront reports whether the saved hook is the hook manager's
// own hook again, the one now in front: the pre-commit framework's or
// prek's hook in both places (put in .legacy it would run itself), or the
// same bytes.
func savedCopiesFront(hook, saved string, chain Chain) bool {
	if chain.Saved.runsLegacy() && chain.Hook.runsLegacy() {
		return true
	}
	front, ferr := os.ReadFile(hook)
	old, serr := os.ReadFile(saved)
	return ferr == nil && serr == nil && bytes.Equal(front, old)
}

// readHook reads the hook file; a directory or other non-file there is
// ErrUnknownState. A symbolic link is read through (a link to a file is a
// hook git runs).
func readHook(p string) ([]byte, error) {
	fi, err := os.Stat(p)
	if err != nil {
		if _, lerr := os.Lstat(p); lerr == nil {
			// a dangling link: not ours, but something to keep
			return []byte{}, nil
		}
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a file: %w", p, ErrUnknownState)
	}
	return os.ReadFile(p)
}

func exists(p string) (bool, error) {
	_, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// writeAtomic writes an executable script through a temporary file in the
// same directory and a rename, never through a symbolic link.
func writeAtomic(p string, data []byte) error {
	if err := safefile.Replace(filepath.Dir(p), filepath.Base(p), data, safefile.Mode{Perm: 0o755}); err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return nil
}

// RepoInstallResult says what InstallDir did.
type RepoInstallResult struct {
	InstallResult
	// Repo is the repository the hook was installed for; its work tree
	// is what the hook's paths are named relative to for a person.
	Repo *gitops.Repo
	// HooksDir is the directory git runs hooks from (gitops.Repo.HooksDir).
	HooksDir string
	// Shared is set when HooksDir lies inside the work tree and outside the
	// git directory (core.hooksPath=.githooks): the hook is meant to be
	// committed, and its script names no path of this machine.
	Shared bool
}

// InstallDir is `pycguard install`: it opens the repository of dir (the
// directory pycguard runs in) and installs pycguard's hook in the
// directory git runs hooks from for it (core.hooksPath when set; linked
// worktrees share the common directory's hooks), as Install does;
// opts.HooksDir is set here. A hooks directory inside the work tree is
// shared by every clone and worktree through git, so its script finds
// pycguard on PATH: opts.Executable is not used there. A bare repository
// has no commits to guard: gitops.ErrBareRepository.
func InstallDir(dir string, opts InstallOptions) (RepoInstallResult, error) {
	repo, hooks, err := openHooksDir(dir)
	if err != nil {
		return RepoInstallResult{}, err
	}
	shared := sharedHooksDir(repo, hooks)
	opts.HooksDir = hooks
	if shared {
		opts.Executable = ""
	}
	res, err := Install(opts)
	return RepoInstallResult{InstallResult: res, Repo: repo, HooksDir: hooks, Shared: shared}, err
}

// Executable returns the path of the running pycguard, its symbolic links
// resolved, for InstallOptions.Executable; "" when the system cannot say
// (the script then finds pycguard on PATH).
func Executable() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		return resolved
	}
	return exe
}

// RepoUninstallResult says what UninstallDir did.
type RepoUninstallResult struct {
	UninstallResult
	// Repo is the repository the hook was removed from; its work tree is
	// what the hook's paths are named relative to for a person.
	Repo *gitops.Repo
}

// UninstallDir is `pycguard uninstall`: it opens the repository of dir
// and runs Uninstall in the directory git runs hooks from for it. A bare
// repository is gitops.ErrBareRepository, as for InstallDir.
func UninstallDir(dir string) (RepoUninstallResult, error) {
	repo, hooks, err := openHooksDir(dir)
	if err != nil {
		return RepoUninstallResult{}, err
	}
	res, err := Uninstall(hooks)
	return RepoUninstallResult{UninstallResult: res, Repo: repo}, err
}

// openHooksDir opens the repository of dir and returns it with the
// directory git runs its hooks from; a repository without a work tree has
// no commits to guard.
func openHooksDir(dir string) (*gitops.Repo, string, error) {
	repo, err := gitops.Open(dir, nil)
	if err != nil {
		return nil, "", err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return nil, "", err
	}
	hooks, err := repo.HooksDir()
	if err != nil {
		return nil, "", err
	}
	return repo, hooks, nil
}

// sharedHooksDir reports whether the hooks directory dir is inside the
// work tree (gitops.Repo.RepoPath answers that, as for every path pycguard
// is given) and not inside the git directory or the common directory.
func sharedHooksDir(repo *gitops.Repo, dir string) bool {
	if _, err := repo.RepoPath(dir); err != nil {
		return false
	}
	return !within(repo.GitDir, dir) && !within(repo.CommonDir, dir)
}

// within reports whether p is dir or below it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}
