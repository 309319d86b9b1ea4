package hook

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
	// the script falls back to PATH when it is gone. "" uses PATH only.
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
	Hook    string // the hook file
	Saved   string // the chained earlier hook, "" when there was none
	Changed bool   // false when the same script was already installed
	// Displaced is the older saved hook that Force moved to .old, "" if none.
	Displaced string
}

// UninstallResult says what Uninstall did.
type UninstallResult struct {
	Hook     string
	Restored bool // the earlier hook was put back; false: ours was removed
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
	b.WriteString("if [ -x \"$hooks_dir/" + HookName + SavedSuffix + "\" ]; then\n" +
		"\t\"$hooks_dir/" + HookName + SavedSuffix + "\" \"$@\" || status=$?\n" +
		"fi\n")
	b.WriteString("pycguard=" + shQuote(ScriptPath(exe, windows)) + "\n")
	// GUI clients run git with a minimal PATH: the absolute path first,
	// then PATH, then where `go install` puts binaries.
	b.WriteString("if [ -z \"$pycguard\" ] || [ ! -x \"$pycguard\" ]; then\n" +
		"\tpycguard=$(command -v pycguard 2>/dev/null) ||\n" +
		"\t\tpycguard=\"${GOBIN:-${GOPATH:-$HOME/go}/bin}/pycguard\"\n" +
		"fi\n")
	b.WriteString("if [ ! -x \"$pycguard\" ]; then\n" +
		"\techo \"pycguard: not found (looked for " + shEcho(ScriptPath(exe, windows)) + " and on PATH);\" >&2\n" +
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

// shQuote quotes s for sh: single quotes, with embedded ones as '\”.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shEcho makes s safe inside a double-quoted sh string.
func shEcho(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return r.Replace(s)
}

// IsOurs reports whether a hook file's content is a script pycguard
// installed.
func IsOurs(content []byte) bool {
	return bytes.Contains(content, []byte("\n"+Marker+"\n"))
}

// Install puts pycguard's pre-commit hook in opts.HooksDir, chaining a
// hook that is already there. Installing the same script again changes
// nothing.
func Install(opts InstallOptions) (InstallResult, error) {
	hook := filepath.Join(opts.HooksDir, HookName)
	saved := hook + SavedSuffix
	res := InstallResult{Hook: hook}
	script := []byte(Script(opts.Executable, opts.Windows))

	if err := os.MkdirAll(opts.HooksDir, 0o755); err != nil {
		return res, fmt.Errorf("creating the hooks directory: %w", err)
	}
	cur, curErr := readHook(hook)
	savedExists, err := exists(saved)
	if err != nil {
		return res, err
	}
	if savedExists {
		res.Saved = saved
	}
	switch {
	case curErr != nil && !errors.Is(curErr, fs.ErrNotExist):
		return res, curErr
	case curErr == nil && IsOurs(cur):
		if bytes.Equal(cur, script) {
			return res, nil
		}
		// ours, for another executable or an older pycguard: replace it
	case curErr == nil && savedExists:
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
	case curErr == nil:
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

// Uninstall removes pycguard's hook from hooksDir and puts back the hook it
// had moved aside, exactly as it was. A hook that is not pycguard's is
// left alone (ErrNotInstalled).
func Uninstall(hooksDir string) (UninstallResult, error) {
	hook := filepath.Join(hooksDir, HookName)
	saved := hook + SavedSuffix
	res := UninstallResult{Hook: hook}
	cur, err := readHook(hook)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return res, fmt.Errorf("%s does not exist: %w", hook, ErrNotInstalled)
	case err != nil:
		return res, err
	case !IsOurs(cur):
		return res, fmt.Errorf("%s was not installed by pycguard; left as it is: %w", hook, ErrNotInstalled)
	}
	savedExists, err := exists(saved)
	if err != nil {
		return res, err
	}
	if savedExists {
		// rename(2) replaces the hook in one step: there is never a moment
		// without a hook.
		if err := os.Rename(saved, hook); err != nil {
			return res, fmt.Errorf("restoring %s: %w", saved, err)
		}
		res.Restored = true
		return res, nil
	}
	if err := os.Remove(hook); err != nil {
		return res, err
	}
	return res, nil
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
// same directory and a rename.
func writeAtomic(p string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return nil
}
