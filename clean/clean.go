package clean

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/pycguard/pycguard/bytecode"
)

// Sentinel errors.
var (
	// ErrRefused: a root is the file-system root or the home directory and
	// Options.Force is not set. Returned as a *RefusedError.
	ErrRefused = errors.New("refusing to clean")
	// ErrBadPattern: an Options.Exclude pattern is malformed.
	ErrBadPattern = errors.New("bad exclude pattern")
	// ErrBadPrefix: Options.PycachePrefix, named by the user, is not a
	// directory.
	ErrBadPrefix = errors.New("the pycache prefix is not a directory")
	// ErrRootSymlink: a root's last component is a symbolic link, which clean
	// does not follow. Recorded in Result.Errors.
	ErrRootSymlink = errors.New("is a symbolic link, not followed (pass its target)")
	// ErrNotTrackable: git could not say which files of a repository are
	// tracked, so its bytecode was kept. Recorded in Result.Errors.
	ErrNotTrackable = errors.New("cannot read which files git tracks; its bytecode was kept")
)

// RefusedError names the root Run refused and why.
type RefusedError struct {
	Root   string // as given
	Reason string // "the file-system root", "the home directory"
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s: %s is %s (use --force to clean it anyway)", ErrRefused, e.Root, e.Reason)
}

// Unwrap makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Unwrap() error { return ErrRefused }

// Options says what Run cleans and how.
type Options struct {
	// Dir is the directory relative roots are resolved against (absolute).
	Dir string
	// Roots are the paths to clean, files or directories; none means Dir.
	Roots []string

	DryRun           bool     // decide and report, delete nothing
	Tracked          bool     // also delete bytecode git tracks
	Orphans          bool     // only delete bytecode whose source is gone
	Include          []string // directory names skipped by default to enter anyway
	Exclude          []string // path.Match patterns of entries to leave alone
	CrossFilesystems bool     // enter directories on other file systems
	// PycachePrefix, when not "", is the directory CPython writes bytecode
	// under instead of __pycache__ (PYTHONPYCACHEPREFIX, -X pycache_prefix),
	// relative to Dir unless absolute: the mirror of each directory root
	// below it is cleaned too (see doc.go).
	PycachePrefix string
	// PycachePrefixNamed: the prefix was named by the user (not taken from
	// the environment), so a prefix that is not a directory is an error.
	PycachePrefixNamed bool
	Portable           bool   // use the portable walk (os.Root) where the unix walk exists
	Force              bool   // allow the file-system root and Home as roots
	Home               string // the home directory, refused as a root unless Force

	// Configured, when not nil, holds the configuration's exclude list.
	Configured *ConfiguredExclude

	// Env is the environment git runs with (nil: the process's).
	Env []string
	// List makes Result.Removed list every removed entry; without it only
	// the counts are kept (kept-tracked files and errors are always listed).
	List bool
	// Progress, when not nil, receives a progress line (redrawn with "\r")
	// during long runs. Pass a terminal only.
	Progress io.Writer
	// Workers is the number of directories read in parallel (0: a default
	// suited to the machine).
	Workers int

	// hook, in tests, runs before each file-system operation on dir/name,
	// so that tests can change the tree mid-walk.
	hook func(op op, dir, name string)
	// beforeOpen, in tests of the portable walk, runs between the Lstat
	// of a subdirectory and its opening.
	beforeOpen func(name string)
	// devOf, in tests, overrides the device number a directory reports.
	devOf func(rel string, dev uint64) uint64
}

type op int

const (
	opOpenDir op = iota
	opUnlink
	opRmdir
)

// ConfiguredExclude is the `exclude` list of pycguard's configuration:
// gitignore-style patterns (gitignore(5): "!" negates, a trailing "/"
// matches directories only, a leading or inner "/" anchors) applying at the
// top of the work tree Top. A directory they match is not entered and a
// file they match is kept.
type ConfiguredExclude struct {
	Top      string   // the work tree the patterns are relative to
	Source   string   // where they come from, for messages
	Patterns []string // as written
}

// Entry is a file or directory Run removed (or would remove), or a tracked
// file it kept.
type Entry struct {
	Path string        // the root as given joined with the path below it
	Dir  bool          // a directory (always a __pycache__ or below one)
	Kind bytecode.Kind // for files: why it is bytecode
	Size int64         // for files: st_size (a hard-linked file frees space only with its last link)
}

// EntryError is a failure on one entry; the walk continued past it.
type EntryError struct {
	Path string
	Err  error
}

func (e *EntryError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the underlying error (an fs error, ErrRootSymlink, ...).
func (e *EntryError) Unwrap() error { return e.Err }

// Result is what Run did. Removed (when Options.List) and KeptTracked are
// sorted by path.
type Result struct {
	DryRun      bool
	Removed     []Entry
	KeptTracked []Entry
	Errors      []*EntryError

	Files int   // files removed
	Dirs  int   // directories removed
	Bytes int64 // sum of the sizes of removed files
}

// defaultSkips are directory names not entered unless included.
var defaultSkips = []string{".venv", "venv", ".tox", ".nox", "node_modules", ".direnv"}

// venvMarker is the file that makes a directory a virtualenv (PEP 405).
const venvMarker = "pyvenv.cfg"

// root is one resolved root.
type root struct {
	given string // as the user wrote it
	abs   string // joined with Options.Dir
	real  string // symlinks resolved (what git's paths are compared with)
	isDir bool
	// mirrorOf, for the mirror of a root under the pycache prefix, is the
	// source directory it mirrors ("" for a root given by the user).
	mirrorOf string
}

// Run cleans the roots. The returned error is non-nil only when nothing was
// done (a refused root, a bad pattern); failures on
// single entries are in Result.Errors.
func Run(opts Options) (*Result, error) {
	for _, p := range opts.Exclude {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrBadPattern, p, err)
		}
	}
	given := opts.Roots
	if len(given) == 0 {
		given = []string{"."}
	}
	res := &Result{DryRun: opts.DryRun}
	var roots []root
	for _, g := range given {
		r, err := resolveRoot(opts.Dir, g)
		if err != nil {
			res.Errors = append(res.Errors, &EntryError{Path: g, Err: err})
			continue
		}
		if reason := refusal(r.real, opts.Home, runtime.GOOS == "windows"); reason != "" && !opts.Force {
			return nil, &RefusedError{Root: g, Reason: reason}
		}
		roots = append(roots, r)
	}
	prefix, err := resolvePrefix(&opts)
	if err != nil {
		return nil, err
	}
	if prefix != "" {
		roots = append(roots, mirrorRoots(prefix, roots, res)...)
	}
	if err := walkRoots(&opts, roots, prefix, res); err != nil {
		return nil, err
	}
	sort.Slice(res.Removed, func(i, j int) bool { return res.Removed[i].Path < res.Removed[j].Path })
	sort.Slice(res.KeptTracked, func(i, j int) bool { return res.KeptTracked[i].Path < res.KeptTracked[j].Path })
	sort.SliceStable(res.Errors, func(i, j int) bool { return res.Errors[i].Path < res.Errors[j].Path })
	return res, nil
}

func resolveRoot(dir, given string) (root, error) {
	abs := given
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(dir, given)
	}
	abs = filepath.Clean(abs)
	fi, err := os.Lstat(abs)
	if err != nil {
		return root{}, unwrapPath(err)
	}
	// "dir/", "." and ".." name the directory itself, as in POSIX path
	// resolution: only a symlink named as the last component is refused
	// (so `cd` into a symlinked directory and clean "." works).
	base := filepath.Base(given)
	named := !strings.HasSuffix(given, "/") && base != "." && base != ".."
	if fi.Mode()&fs.ModeSymlink != 0 && named {
		return root{}, ErrRootSymlink
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return root{}, unwrapPath(err)
	}
	if !named {
		if fi, err = os.Stat(real); err != nil {
			return root{}, unwrapPath(err)
		}
	}
	return root{given: given, abs: abs, real: real, isDir: fi.IsDir()}, nil
}

// unwrapPath drops the *PathError wrapper (whose path is already in the
// EntryError).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// refusal says why real may not be a root without --force, or "". windows
// says which platform's roots to recognise (injected for tests).
func refusal(real, home string, windows bool) string {
	if isFileSystemRoot(real, windows) {
		return "the file-system root"
	}
	fi, err := os.Stat(real)
	if err != nil {
		return ""
	}
	if !windows && sameFile(fi, "/") {
		return "the file-system root"
	}
	if home != "" && sameFile(fi, home) {
		return "the home directory"
	}
	return ""
}

func sameFile(fi fs.FileInfo, p string) bool {
	other, err := os.Stat(p)
	return err == nil && os.SameFile(fi, other)
}

// skipRules decides which directories and files the walk leaves alone.
type skipRules struct {
	skipNames   map[string]bool // default skips minus includes
	includeVenv map[string]bool // names whose pyvenv.cfg does not make them skipped
	allVenvs    bool            // --include pyvenv.cfg
	exclude     []string        // base-name patterns
	excludePath []string        // patterns with a slash, on the root-relative path
}

func newSkipRules(opts *Options) *skipRules {
	s := &skipRules{skipNames: map[string]bool{}, includeVenv: map[string]bool{}}
	for _, n := range defaultSkips {
		s.skipNames[n] = true
	}
	for _, n := range opts.Include {
		n = strings.TrimSuffix(n, "/")
		delete(s.skipNames, n)
		s.includeVenv[n] = true
		if n == venvMarker {
			s.allVenvs = true
		}
	}
	for _, p := range opts.Exclude {
		if strings.Contains(strings.TrimSuffix(p, "/"), "/") {
			s.excludePath = append(s.excludePath, strings.Trim(p, "/"))
		} else {
			s.exclude = append(s.exclude, strings.TrimSuffix(p, "/"))
		}
	}
	return s
}

// isVCS reports whether name is a version-control directory, never entered.
func isVCS(name string) bool {
	return strings.EqualFold(name, ".git") || strings.EqualFold(name, ".hg") || strings.EqualFold(name, ".svn")
}

// skipDir reports whether the directory name (at rel below its root) is not
// entered, judging by its name and path alone.
func (s *skipRules) skipDir(name, rel string) bool {
	return isVCS(name) || s.skipNames[name] || s.excluded(name, rel)
}

// excluded reports whether an Exclude pattern matches.
func (s *skipRules) excluded(name, rel string) bool {
	for _, p := range s.exclude {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	for _, p := range s.excludePath {
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
	}
	return false
}

// markers are the entries that decide whether a listed directory is
// entered, gathered in one pass over its entries.
type markers struct {
	venv, dotGit, head, objects, refs bool
}

// see records one entry of the directory.
func (m *markers) see(name string, isDir bool) {
	switch name {
	case venvMarker:
		m.venv = true
	case ".git":
		m.dotGit = true
	case "HEAD":
		m.head = true
	case "objects":
		m.objects = m.objects || isDir
	case "refs":
		m.refs = m.refs || isDir
	}
}

// seeBytes is see for a name not yet copied into a string.
func (m *markers) seeBytes(name []byte, isDir bool) {
	switch len(name) {
	case len(venvMarker), len(".git"), len("objects"):
		m.see(string(name), isDir) // no copy: the conversion does not escape
	}
}

// skipListed reports whether a directory called name, now that its entries
// are known, is a virtualenv or a git directory that is not entered.
func (s *skipRules) skipListed(name string, m markers) bool {
	if m.venv && !s.allVenvs && !s.includeVenv[name] {
		return true
	}
	// A git directory not called .git (bare repository, GIT_DIR elsewhere,
	// .git/modules/*): never touched.
	return m.head && m.objects && m.refs
}

// joinRel joins a '/'-separated root-relative directory path and a name.
func joinRel(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}
