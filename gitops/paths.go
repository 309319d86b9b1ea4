package gitops

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Platform holds the operating-system rules for paths and the home
// directory. It is passed in rather than read from runtime.GOOS so that
// the Windows rules run in the tests on every system.
type Platform struct {
	// Windows: '\' is a separator too, drive letters and UNC shares make a
	// path absolute, names compare without regard to case, and the home
	// directory falls back from HOME to HOMEDRIVE+HOMEPATH and USERPROFILE.
	Windows bool
	// IsDir reports whether a path is a directory (nil: os.Stat).
	IsDir func(string) bool
	// EvalSymlinks resolves the symbolic links of an existing absolute path
	// (nil: filepath.EvalSymlinks).
	EvalSymlinks func(string) (string, error)
}

// HostPlatform is the platform pycguard runs on.
func HostPlatform() Platform { return Platform{Windows: runtime.GOOS == "windows"} }

func (p Platform) isDir(path string) bool {
	if p.IsDir != nil {
		return p.IsDir(path)
	}
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func (p Platform) evalSymlinks(path string) (string, error) {
	if p.EvalSymlinks != nil {
		return p.EvalSymlinks(path)
	}
	return filepath.EvalSymlinks(path)
}

// StartDir is the directory pycguard runs in when given -C dir, as git -C
// takes it: relative to the current directory, "" for the current
// directory itself. It is absolute, and it is a directory; otherwise the
// error names dir as given.
func StartDir(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("-C %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("-C %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("-C %s: not a directory", dir)
	}
	return abs, nil
}

// HomeDir returns the home directory git uses for "~/" in its configuration
// (core.excludesFile) and for $HOME/.config/git/ignore, from the environment
// getenv reads: HOME. On Windows, where cmd and PowerShell usually leave HOME
// unset, Git for Windows computes it at start-up (compat/mingw.c): first
// HOMEDRIVE+HOMEPATH when that is a directory other than the system
// directory (a disconnected home share is skipped), then USERPROFILE.
// "" when none applies.
func HomeDir(getenv func(string) string) string {
	return homeDir(HostPlatform(), getenv)
}

func homeDir(p Platform, getenv func(string) string) string {
	if h := getenv("HOME"); h != "" || !p.Windows {
		return h
	}
	if drive, hpath := getenv("HOMEDRIVE"), getenv("HOMEPATH"); drive != "" && hpath != "" {
		h := drive + hpath
		if !isSystemDir(h, getenv) && p.isDir(h) {
			return h
		}
	}
	return getenv("USERPROFILE")
}

// isSystemDir reports whether the Windows path dir is the system directory
// (%SystemRoot%\System32), which services see as HOMEDRIVE+HOMEPATH.
func isSystemDir(dir string, getenv func(string) string) bool {
	root := getenv("SystemRoot")
	if root == "" {
		root = getenv("SYSTEMROOT")
	}
	if root == "" {
		return false
	}
	clean := func(s string) string { return strings.TrimRight(strings.ReplaceAll(s, `\`, "/"), "/") }
	return strings.EqualFold(clean(dir), clean(root)+"/system32")
}

// Errors of RepoPath, tested with errors.Is.
var (
	// ErrOutsideRepository: the path leaves the work tree (git: "is outside
	// repository").
	ErrOutsideRepository = errors.New("is outside the repository")
	// ErrEmptyPath: "" names no path (git: "empty string is not a valid
	// pathspec").
	ErrEmptyPath = errors.New("an empty string is not a path (use . for the current directory)")
)

// RepoPath turns arg, a path given on the command line in the starting
// directory, into the '/'-separated path relative to the work tree top that
// git uses for it (git check-ignore, git ls-files, a pathspec):
//
//   - a relative path starts at the starting directory (r.Prefix), an
//     absolute one at the file-system root and must lead into the work tree
//     (through symbolic links too: the work tree is compared with the real
//     path of each leading part, as git does);
//   - "." and ".." components and repeated separators are resolved by name,
//     without looking at the file system;
//   - a trailing separator, or a last component "." or "..", is kept as a
//     trailing "/": the path then names a directory ("x.pyc/" is not the
//     file x.pyc, for git as here);
//   - "" is the work tree top itself.
//
// On Windows '\' is a separator too, "C:\..." and "\\server\share\..." are
// absolute, "\..." is on the work tree's drive, and names compare without
// regard to case. A path that leaves the work tree is an error wrapping
// ErrOutsideRepository, as it is for git; "" is ErrEmptyPath.
func (r *Repo) RepoPath(arg string) (string, error) {
	return repoPath(r.platform(), r.WorkTree, r.Prefix, arg)
}

func (r *Repo) platform() Platform {
	if r.plat != nil {
		return *r.plat
	}
	return HostPlatform()
}

func repoPath(p Platform, workTree, prefix, arg string) (string, error) {
	if arg == "" {
		return "", ErrEmptyPath
	}
	a := arg
	if p.Windows {
		a = strings.ReplaceAll(a, `\`, "/")
		workTree = strings.ReplaceAll(workTree, `\`, "/")
	}
	outside := func() (string, error) {
		return "", fmt.Errorf("%s: %w at %s", arg, ErrOutsideRepository, workTree)
	}
	var parts []string
	if abs, ok := absolute(p, workTree, a); ok {
		rest, ok := below(p, workTree, abs)
		if !ok {
			return outside()
		}
		parts = rest
	} else {
		var ok bool
		if parts, ok = resolve(pathNames(prefix), a); !ok {
			return outside()
		}
	}
	rel := strings.Join(parts, "/")
	last := a[strings.LastIndexByte(a, '/')+1:]
	if rel != "" && (last == "" || last == "." || last == "..") {
		rel += "/"
	}
	return rel, nil
}

// absolute reports whether the '/'-separated path a is absolute, and
// returns it with its drive on Windows (a path rooted on "the current
// drive", "/x", is taken to be on the work tree's drive). A drive-relative
// "C:x" is not absolute: it is a name.
func absolute(p Platform, workTree, a string) (string, bool) {
	if !p.Windows {
		return a, strings.HasPrefix(a, "/")
	}
	switch {
	case len(a) >= 3 && a[1] == ':' && a[2] == '/' && isLetter(a[0]):
		return a, true
	case strings.HasPrefix(a, "//"):
		return a, true
	case strings.HasPrefix(a, "/") && len(workTree) >= 2 && workTree[1] == ':':
		return workTree[:2] + a, true
	case strings.HasPrefix(a, "/"):
		return a, true
	}
	return "", false
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// below returns the components of the absolute path abs below workTree,
// comparing the path as written and then, as git does, the real path of
// each leading part (the user may reach the work tree through a symbolic
// link; git names the work tree by its real path).
func below(p Platform, workTree, abs string) ([]string, bool) {
	root, rest := volume(p, abs)
	wroot, wrest := volume(p, workTree)
	if !sameName(p, root, wroot) {
		return nil, false
	}
	names, ok := resolve(nil, rest)
	if !ok {
		return nil, false
	}
	wt := pathNames(wrest)
	if r, ok := trimNames(p, wt, names); ok {
		return r, true
	}
	wtClean := root + strings.Join(wt, "/")
	for i := 1; i <= len(names); i++ {
		real, err := p.evalSymlinks(filepath.FromSlash(root + strings.Join(names[:i], "/")))
		if err != nil {
			break // a part that does not exist: nothing further exists
		}
		if p.Windows {
			real = strings.ReplaceAll(real, `\`, "/")
		} else {
			real = filepath.ToSlash(real)
		}
		if sameName(p, strings.TrimRight(real, "/"), strings.TrimRight(wtClean, "/")) {
			return names[i:], true
		}
	}
	return nil, false
}

// volume splits an absolute '/'-separated path into its root ("/", "C:/",
// "//server/share/") and the rest.
func volume(p Platform, abs string) (root, rest string) {
	if p.Windows {
		if len(abs) >= 3 && abs[1] == ':' {
			return abs[:3], abs[3:]
		}
		if strings.HasPrefix(abs, "//") {
			parts := strings.SplitN(strings.TrimLeft(abs, "/"), "/", 3)
			if len(parts) >= 2 {
				root = "//" + parts[0] + "/" + parts[1] + "/"
				if len(parts) == 3 {
					rest = parts[2]
				}
				return root, rest
			}
		}
	}
	return "/", strings.TrimLeft(abs, "/")
}

// trimNames returns names without the leading components equal to base.
func trimNames(p Platform, base, names []string) ([]string, bool) {
	if len(names) < len(base) {
		return nil, false
	}
	for i, b := range base {
		if !sameName(p, b, names[i]) {
			return nil, false
		}
	}
	return names[len(base):], true
}

func sameName(p Platform, a, b string) bool {
	if p.Windows {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// pathNames returns the non-empty components of a '/'-separated path.
func pathNames(s string) []string {
	var parts []string
	for _, c := range strings.Split(s, "/") {
		if c != "" {
			parts = append(parts, c)
		}
	}
	return parts
}

// resolve appends the components of the '/'-separated relative path rel
// to base, dropping "" and "." and letting ".." remove the one before;
// ok is false when ".." climbs above base's start.
func resolve(base []string, rel string) ([]string, bool) {
	parts := base
	for _, c := range strings.Split(rel, "/") {
		switch c {
		case "", ".":
		case "..":
			if len(parts) == 0 {
				return nil, false
			}
			parts = parts[:len(parts)-1]
		default:
			parts = append(parts, c)
		}
	}
	return parts, true
}
