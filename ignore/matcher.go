package ignore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/pycguard/pycguard/internal/safefile"
)

// Sources names the places git reads ignore rules from for one work tree.
// The ignore package does not ask git for them: the caller (gitops)
// resolves them as git does.
type Sources struct {
	// WorkTree is the absolute path of the top of the work tree. The
	// .gitignore files in it are read as needed. Empty: no work tree, only
	// the other sources (and no lstat: Match needs a known Kind).
	WorkTree string
	// InfoExclude is the path of info/exclude in the repository's common
	// directory, "" for none. A missing file has no rules.
	InfoExclude string
	// ExcludesFile is core.excludesFile resolved (~ expanded), or the
	// default $XDG_CONFIG_HOME/git/ignore or $HOME/.config/git/ignore; ""
	// for none. A missing file has no rules.
	ExcludesFile string
	// IgnoreCase is core.ignorecase: patterns match regardless of ASCII
	// case.
	IgnoreCase bool
	// Gitignore, when not nil, gives the .gitignore files in place of
	// the work tree's (a commit's tree, which has no work tree to read):
	// rel is the file's path from the top (".gitignore",
	// "pkg/.gitignore"), nil data means there is none. Files larger than
	// MaxFileSize are skipped, as on disk. With Gitignore, Match needs a
	// known Kind.
	Gitignore func(rel string) []byte
}

// Kind says whether a path is a directory, which directory-only patterns
// ("build/") need to know.
type Kind uint8

// Kinds of paths.
const (
	// KindUnknown: ask the file system (lstat below WorkTree; a symbolic
	// link is not a directory), and only when a directory-only pattern
	// matches the name.
	KindUnknown Kind = iota
	KindFile
	KindDir
)

// Result is the answer for one path.
type Result struct {
	// Rule is the deciding rule, nil when none matches. For a path below
	// an ignored directory it is the rule that ignores the directory.
	Rule *Rule
}

// Ignored reports whether the path is ignored: a rule matched and it is
// not a negation.
func (r Result) Ignored() bool { return r.Rule != nil && !r.Rule.Negated }

// Matcher answers "is this path ignored, and by which rule" for one work
// tree, with git's precedence. It reads each .gitignore at most once and
// remembers which directories are ignored. A Matcher is not safe for
// concurrent use.
type Matcher struct {
	src   Sources
	lower []ruleList           // info/exclude, then core.excludesFile: below every .gitignore
	dirs  map[string]*dirState // by directory, relative, no trailing slash; "" is the top
}

// dirState is what is known about one directory of the work tree.
type dirState struct {
	parent *dirState
	rules  ruleList // its own .gitignore
	// ignoredBy is set when the directory or one above it is ignored:
	// then everything below is ignored by that rule, and no .gitignore
	// below is read.
	ignoredBy *Rule
}

// ErrIgnoreFile is wrapped by errors reading an ignore file that exists
// but cannot be read.
var ErrIgnoreFile = errors.New("cannot read ignore file")

// New reads core.excludesFile, info/exclude and the top-level .gitignore
// named by src. Deeper .gitignore files are read when a path below them is
// asked about.
func New(src Sources) (*Matcher, error) {
	m := &Matcher{src: src, dirs: map[string]*dirState{}}
	root := &dirState{}
	if m.readsGitignores() {
		root.rules = newRuleList(m.readGitignore(""))
	}
	m.dirs[""] = root
	// Precedence, highest first: .gitignore files (deepest first), then
	// info/exclude, then core.excludesFile (gitignore(5)).
	for _, f := range []struct{ path, name string }{
		{src.InfoExclude, m.infoExcludeName()},
		{src.ExcludesFile, src.ExcludesFile},
	} {
		if f.path == "" {
			continue
		}
		data, err := readOptional(f.path)
		if err != nil {
			return nil, err
		}
		m.lower = append(m.lower, newRuleList(ParseRules(data, f.name, "", src.IgnoreCase)))
	}
	return m, nil
}

// NewFromRules builds a Matcher over rules that all apply at the top of a
// tree that is not read from disk (no work tree: Match needs a known
// Kind). Later rules win, as later lines of one file do. It serves
// template coverage.
func NewFromRules(rules []*Rule) *Matcher {
	return &Matcher{dirs: map[string]*dirState{"": {rules: newRuleList(rules)}}}
}

func (m *Matcher) infoExcludeName() string {
	if m.src.WorkTree != "" && m.src.InfoExclude != "" {
		rel, err := filepath.Rel(m.src.WorkTree, m.src.InfoExclude)
		if err == nil && !filepath.IsAbs(rel) && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return m.src.InfoExclude
}

// readOptional reads info/exclude or core.excludesFile (through symbolic
// links, as git does). Like git, a file that does not exist, or is a
// directory, has no rules; so has a FIFO, device or socket (git would
// block opening a FIFO; pycguard never opens one) and a file larger than
// MaxFileSize. Any other failure is an error.
func readOptional(path string) ([]byte, error) {
	f, err := safefile.ReadFollow(path, MaxFileSize)
	switch {
	case err == nil:
		return f.Data, nil
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR),
		errors.Is(err, safefile.ErrNotRegular), errors.Is(err, safefile.ErrTooLarge):
		return nil, nil
	}
	return nil, fmt.Errorf("%s: %w: %v", path, ErrIgnoreFile, err)
}

// readGitignore reads dir/.gitignore (dir relative, "" for the top). Like
// git, it does not follow a symbolic link there (gitignore(5), NOTES), and
// skips what is not a readable regular file or is larger than
// MaxFileSize; nothing but a regular file is opened.
func (m *Matcher) readGitignore(dir string) []*Rule {
	rel := ".gitignore"
	if dir != "" {
		rel = dir + "/.gitignore"
	}
	if m.src.Gitignore != nil {
		data := m.src.Gitignore(rel)
		if data == nil || len(data) > MaxFileSize {
			return nil
		}
		return ParseRules(data, rel, dir, m.src.IgnoreCase)
	}
	f, err := safefile.ReadPath(filepath.Join(m.src.WorkTree, filepath.FromSlash(rel)), MaxFileSize)
	if err != nil || !f.Exists {
		return nil
	}
	return ParseRules(f.Data, rel, dir, m.src.IgnoreCase)
}

// readsGitignores reports whether there are .gitignore files to read: a
// work tree's, or Sources.Gitignore's.
func (m *Matcher) readsGitignores() bool { return m.src.WorkTree != "" || m.src.Gitignore != nil }

// Match answers for path, relative to the work tree top, '/'-separated,
// clean (no "." or ".." or empty components). kind says whether it is a
// directory; KindUnknown looks on disk when it matters. A trailing "/"
// asks about the directory the way git check-ignore does (see
// matchInside).
func (m *Matcher) Match(path string, kind Kind) Result {
	if strings.HasSuffix(path, "/") {
		return m.matchInside(path, kind)
	}
	if path == "" {
		return Result{}
	}
	nameAt := strings.LastIndexByte(path, '/') + 1
	var d *dirState
	if nameAt == 0 {
		d = m.dirs[""]
	} else {
		d = m.dir(path[:nameAt-1])
	}
	if d.ignoredBy != nil {
		return Result{Rule: d.ignoredBy}
	}
	return Result{Rule: m.decide(d, path, nameAt, m.isDir(path, kind))}
}

// matchInside answers for "dir/" as git check-ignore does: the directory
// and those above it are judged as parents (an ignored one decides), and
// then the rules, including dir/.gitignore, meet an empty name inside dir.
// So "build/" is ignored by "build/" or "build", but a negation that
// matches "build" is not reported for "build/".
func (m *Matcher) matchInside(path string, kind Kind) Result {
	dir := strings.TrimRight(path, "/")
	if dir == "" {
		return Result{}
	}
	d := m.dir(dir)
	if d.ignoredBy != nil {
		return Result{Rule: d.ignoredBy}
	}
	rel := dir + "/"
	return Result{Rule: m.decide(d, rel, len(rel), m.isDir(rel, kind))}
}

// isDir returns the lazily evaluated directory test for path.
func (m *Matcher) isDir(path string, kind Kind) func() bool {
	switch kind {
	case KindDir:
		return yes
	case KindFile:
		return no
	}
	if m.src.WorkTree == "" {
		return no
	}
	return func() bool {
		// Not filepath.Join: a trailing slash must reach lstat, which
		// then follows a symbolic link, as it does for git.
		fi, err := os.Lstat(m.src.WorkTree + string(filepath.Separator) + filepath.FromSlash(path))
		return err == nil && fi.IsDir()
	}
}

func yes() bool { return true }
func no() bool  { return false }

// dir returns the state of directory rel, computing its ancestors first.
func (m *Matcher) dir(rel string) *dirState {
	if d, ok := m.dirs[rel]; ok {
		return d
	}
	slash := strings.LastIndexByte(rel, '/')
	var parent *dirState
	if slash < 0 {
		parent = m.dirs[""]
	} else {
		parent = m.dir(rel[:slash])
	}
	d := &dirState{parent: parent}
	switch {
	case parent.ignoredBy != nil:
		d.ignoredBy = parent.ignoredBy
	default:
		// The directory is judged by the rules above it; when ignored,
		// nothing below comes back and its .gitignore is never read.
		if r := m.decide(parent, rel, slash+1, yes); r != nil && !r.Negated {
			d.ignoredBy = r
		} else if m.readsGitignores() {
			d.rules = newRuleList(m.readGitignore(rel))
		}
	}
	m.dirs[rel] = d
	return d
}

// decide returns the last matching rule of the most specific list that has
// one: the .gitignore of path's directory, then those above it, then
// info/exclude, then core.excludesFile.
func (m *Matcher) decide(d *dirState, path string, nameAt int, isDir func() bool) *Rule {
	for ; d != nil; d = d.parent {
		if r := d.rules.lastMatch(path, nameAt, isDir); r != nil {
			return r
		}
	}
	for _, list := range m.lower {
		if r := list.lastMatch(path, nameAt, isDir); r != nil {
			return r
		}
	}
	return nil
}

// ruleList is the rules of one ignore file. A long list is indexed by the
// byte a rule's pattern must end with (most lines of real ignore files end
// in a literal: "*.so", "build/", ".env"), so that a path is only tried
// against rules whose last byte fits and against those that end in a
// wildcard. Measured on the Python template: 96 rules, about 8 tried per
// path (BenchmarkMatchRulesOnly).
type ruleList struct {
	rules []*Rule
	byEnd *[256][]int32 // rule indices, ascending, per final byte (folded); nil: try all
	any   []int32       // rules whose final byte is not fixed
	fold  bool
}

// indexFrom is the list length from which an index pays off.
const indexFrom = 8

func newRuleList(rules []*Rule) ruleList {
	l := ruleList{rules: rules}
	if len(rules) < indexFrom {
		return l
	}
	l.byEnd = new([256][]int32)
	for i, r := range rules {
		l.fold = l.fold || r.pattern.fold
		if c, ok := r.pattern.lastByte(); ok {
			l.byEnd[c] = append(l.byEnd[c], int32(i))
		} else {
			l.any = append(l.any, int32(i))
		}
	}
	return l
}

func (l *ruleList) lastMatch(path string, nameAt int, isDir func() bool) *Rule {
	if l.byEnd == nil {
		for i := len(l.rules) - 1; i >= 0; i-- {
			if l.rules[i].matches(path, nameAt, isDir) {
				return l.rules[i]
			}
		}
		return nil
	}
	// Walk both ascending index lists from their ends, highest first.
	a := l.byEnd[foldByte(path[len(path)-1], l.fold)]
	b := l.any
	for len(a) > 0 || len(b) > 0 {
		var i int32
		if len(b) == 0 || len(a) > 0 && a[len(a)-1] > b[len(b)-1] {
			i, a = a[len(a)-1], a[:len(a)-1]
		} else {
			i, b = b[len(b)-1], b[:len(b)-1]
		}
		if l.rules[i].matches(path, nameAt, isDir) {
			return l.rules[i]
		}
	}
	return nil
}
