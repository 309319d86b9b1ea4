package clean

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// pycacheMirror returns the directory in which CPython, with
// sys.pycache_prefix set to prefix, writes the bytecode of the sources in
// the absolute directory dir: importlib._bootstrap_external.cache_from_source
// takes the source's directory, strips a Windows drive ("C:") and the
// leading separators, and joins what is left to the prefix, so that
// C:\Somewhere\Foo's bytecode goes to <prefix>\Somewhere\Foo and a share's
// (\\server\share\x) to <prefix>\server\share\x. There is no __pycache__
// level: m.py's bytecode is <mirror>/m.cpython-312.pyc. windows selects the
// platform's rule (injected for tests); prefix must be absolute.
func pycacheMirror(prefix, dir string, windows bool) string {
	seps, sep := "/", "/"
	if windows {
		seps, sep = `\/`, `\`
	}
	head := dir
	if windows && len(head) >= 2 && head[1] == ':' && !strings.ContainsRune(seps, rune(head[0])) {
		head = head[2:]
	}
	head = strings.TrimLeft(head, seps)
	base := strings.TrimRight(prefix, seps)
	if head == "" {
		if base == "" {
			return sep
		}
		return base
	}
	if windows {
		head = strings.ReplaceAll(head, "/", sep)
	}
	return base + sep + head
}

// resolvePrefix returns the real path of Options.PycachePrefix (made
// absolute against Options.Dir: CPython keeps a relative prefix relative,
// so it writes below the directory it runs in), or "" when there is none
// to clean.
func resolvePrefix(opts *Options) (string, error) {
	if opts.PycachePrefix == "" {
		return "", nil
	}
	p := opts.PycachePrefix
	if !filepath.IsAbs(p) {
		p = filepath.Join(opts.Dir, p)
	}
	real, err := filepath.EvalSymlinks(p)
	if err == nil {
		var fi fs.FileInfo
		if fi, err = os.Stat(real); err == nil && !fi.IsDir() {
			err = errors.New("not a directory")
		}
	}
	switch {
	case err == nil:
		return real, nil
	case opts.PycachePrefixNamed:
		return "", fmt.Errorf("%w: %s: %v", ErrBadPrefix, opts.PycachePrefix, unwrapPath(err))
	}
	return "", nil // nothing was ever written there
}

// mirrorRoots returns the mirrors under the real prefix of the directory
// roots that exist: for each root, the mirror of the path as given (made
// absolute) and of its real path, which differ when the path leads through
// a symbolic link (Python uses the path it was given; os.getcwd() gives the
// real one). A mirror whose last component is a symbolic link is not
// followed (an error, as for a root). A mirror that is, or holds, a root
// given by the user (a prefix of "/" puts the bytecode beside the sources)
// is not walked as a mirror: the roots' own walk cleans it, and the
// directories there are the user's.
func mirrorRoots(prefix string, roots []root, res *Result) []root {
	var out []root
	seen := map[string]bool{}
	for _, r := range roots {
		if !r.isDir || r.mirrorOf != "" {
			continue
		}
		for _, src := range []string{r.abs, r.real} {
			m := pycacheMirror(prefix, src, runtime.GOOS == "windows")
			if seen[m] {
				continue
			}
			seen[m] = true
			fi, err := os.Lstat(m)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
				err = ErrRootSymlink
			} else if err == nil && !fi.IsDir() {
				continue
			}
			real := m
			if err == nil {
				real, err = filepath.EvalSymlinks(m)
			}
			if err != nil {
				res.Errors = append(res.Errors, &EntryError{Path: m, Err: unwrapPath(err)})
				continue
			}
			if (real != m && seen[real]) || containsRoot(real, roots) {
				continue
			}
			seen[real] = true
			out = append(out, root{given: m, abs: m, real: real, isDir: true, mirrorOf: src})
		}
	}
	return out
}

// containsRoot reports whether the directory real is, or holds, one of the
// roots given by the user.
func containsRoot(real string, roots []root) bool {
	for _, r := range roots {
		if r.mirrorOf == "" && (r.real == real || strings.HasPrefix(r.real, strings.TrimSuffix(real, string(filepath.Separator))+string(filepath.Separator))) {
			return true
		}
	}
	return false
}
