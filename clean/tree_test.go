//go:build unix

package clean

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
)

// entry is one path of a snapshot: what a listing shows about it.
type entry struct {
	kind    string // "dir", "dir!" (unreadable), "file", "link", "other"
	mode    fs.FileMode
	content string // file: hash of the content; link: target
}

// snapshot lists everything below dir (without following symlinks), keyed by
// the '/'-separated path relative to dir ("" is dir itself).
func snapshot(t *testing.T, dir string) map[string]entry {
	t.Helper()
	snap := map[string]entry{}
	var walk func(rel string)
	walk = func(rel string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		e := entry{mode: fi.Mode()}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			e.kind = "link"
			e.content, _ = os.Readlink(p)
		case fi.IsDir():
			e.kind = "dir"
			ents, err := os.ReadDir(p)
			if err != nil {
				e.kind = "dir!"
			}
			for _, c := range ents {
				walk(joinRel(rel, c.Name()))
			}
		case fi.Mode().IsRegular():
			e.kind = "file"
			b, err := os.ReadFile(p)
			if err != nil {
				e.content = "unreadable"
			} else {
				e.content = fmt.Sprintf("%x", sha256.Sum256(b))
			}
		default:
			e.kind = "other"
		}
		snap[rel] = e
	}
	walk("")
	return snap
}

// model says, from a snapshot of a root, what clean should remove: the rules
// of doc.go written over a listing instead of a walk.
type model struct {
	include  []string
	exclude  []string
	orphans  bool
	rootPyc  bool            // the root is a __pycache__ or inside one
	tracked  map[string]bool // root-relative paths git tracks (kept)
	readOnly bool            // directories without write permission refuse unlinks (not root)
}

func (m model) predict(snap map[string]entry) map[string]bool {
	children := map[string][]string{}
	for rel := range snap {
		if rel != "" {
			parent := path.Dir(rel)
			if parent == "." {
				parent = ""
			}
			children[parent] = append(children[parent], rel)
		}
	}
	has := func(rel string) bool { _, ok := snap[rel]; return ok }
	isDir := func(rel string) bool { return snap[rel].kind == "dir" || snap[rel].kind == "dir!" }
	skips := newSkipRules(&Options{Include: m.include, Exclude: m.exclude})
	skippedDir := func(rel string) bool {
		base := path.Base(rel)
		switch {
		case isVCS(base):
			return true
		case contains(defaultSkips, base) && !contains(m.include, base):
			return true
		case skips.excluded(base, rel):
			return true
		case has(joinRel(rel, venvMarker)) && !contains(m.include, base) && !contains(m.include, venvMarker):
			return true
		}
		return has(joinRel(rel, "HEAD")) && isDir(joinRel(rel, "objects")) && isDir(joinRel(rel, "refs"))
	}
	removed := map[string]bool{}
	var dir func(rel string, inPyc bool) bool
	dir = func(rel string, inPyc bool) bool {
		if snap[rel].kind == "dir!" {
			return false
		}
		writable := !m.readOnly || snap[rel].mode&0o200 != 0
		all := true
		for _, c := range children[rel] {
			base := path.Base(c)
			switch snap[c].kind {
			case "dir", "dir!":
				cpyc := inPyc || base == bytecode.PycacheDir
				if skippedDir(c) {
					all = false
					continue
				}
				if dir(c, cpyc) && cpyc && writable {
					removed[c] = true
				} else {
					all = false
				}
			case "file":
				kind := bytecode.ClassifyName(base, false)
				ok := (inPyc || kind.IsBytecode()) && !skips.excluded(base, c) && !m.tracked[c] && writable
				if ok && m.orphans {
					srcDir := path.Dir(c)
					directPyc := inPyc && path.Base(srcDir) == bytecode.PycacheDir
					if directPyc {
						srcDir = path.Dir(srcDir)
					}
					if srcDir == "." {
						srcDir = ""
					}
					deeper := inPyc && !directPyc
					ok = !deeper && isOrphan(base, directPyc, false, func(n string) bool { return has(joinRel(srcDir, n)) })
				}
				if ok {
					removed[c] = true
				} else {
					all = false
				}
			default:
				all = false
			}
		}
		return all
	}
	dir("", m.rootPyc)
	return removed
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkRemoved compares before and after listings of a root: exactly want
// disappeared, nothing appeared, nothing that stayed changed.
func checkRemoved(t *testing.T, before, after map[string]entry, want map[string]bool) {
	t.Helper()
	var gone, extra, changed []string
	for rel, e := range before {
		a, ok := after[rel]
		switch {
		case !ok && !want[rel]:
			gone = append(gone, rel)
		case ok && want[rel]:
			extra = append(extra, rel)
		case ok && a != e:
			changed = append(changed, fmt.Sprintf("%q %v -> %v", rel, e, a))
		}
	}
	var appeared []string
	for rel := range after {
		if _, ok := before[rel]; !ok {
			appeared = append(appeared, rel)
		}
	}
	for _, l := range [][]string{gone, extra, changed, appeared} {
		sort.Strings(l)
	}
	if len(gone)+len(extra)+len(changed)+len(appeared) > 0 {
		t.Errorf("removed paths differ from the rules' prediction:\n removed but should stay: %q\n should be removed but stayed: %q\n changed: %v\n appeared: %q",
			gone, extra, changed, appeared)
	}
}

// checkUnchanged fails if a snapshot differs.
func checkUnchanged(t *testing.T, what string, before, after map[string]entry) {
	t.Helper()
	checkRemoved(t, before, after, nil)
	if t.Failed() {
		t.Errorf("%s changed", what)
	}
}

// removedSet turns a Result's entries into root-relative paths.
func removedSet(t *testing.T, res *Result, rootGiven string) map[string]bool {
	t.Helper()
	set := map[string]bool{}
	for _, e := range res.Removed {
		rel, err := filepath.Rel(rootGiven, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		set[filepath.ToSlash(rel)] = true
	}
	return set
}

// fsTree builds trees for tests.
type fsTree struct {
	t    *testing.T
	root string
}

func (b fsTree) p(rel string) string { return filepath.Join(b.root, filepath.FromSlash(rel)) }

func (b fsTree) dir(rel string) {
	b.t.Helper()
	if err := os.MkdirAll(b.p(rel), 0o755); err != nil {
		b.t.Fatal(err)
	}
}

func (b fsTree) file(rel, content string) {
	b.t.Helper()
	b.dir(path.Dir(rel))
	if err := os.WriteFile(b.p(rel), []byte(content), 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b fsTree) link(rel, target string) {
	b.t.Helper()
	b.dir(path.Dir(rel))
	if err := os.Symlink(target, b.p(rel)); err != nil {
		b.t.Fatal(err)
	}
}

func (b fsTree) hardlink(rel, existing string) {
	b.t.Helper()
	b.dir(path.Dir(rel))
	if err := os.Link(existing, b.p(rel)); err != nil {
		b.t.Fatal(err)
	}
}

func (b fsTree) fifo(rel string) {
	b.t.Helper()
	b.dir(path.Dir(rel))
	if err := syscall.Mkfifo(b.p(rel), 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b fsTree) chmod(rel string, mode fs.FileMode) {
	b.t.Helper()
	if err := os.Chmod(b.p(rel), mode); err != nil {
		b.t.Fatal(err)
	}
	// Let t.TempDir's clean-up remove it.
	b.t.Cleanup(func() { os.Chmod(b.p(rel), 0o755) })
}

// fullTree lays out every kind of entry the rules distinguish in
// parent/root, with things outside the root in parent/outside that symlinks
// and hard links point at.
func fullTree(t *testing.T) (parent, root string) {
	parent = t.TempDir()
	root = filepath.Join(parent, "root")
	out := fsTree{t, filepath.Join(parent, "outside")}
	out.file("victim.pyc", "outside bytecode")
	out.file("__pycache__/v.cpython-312.pyc", "outside cache")
	out.file("data.py", "outside source")
	out.file("hl.pyc", "hard-linked from inside")

	b := fsTree{t, root}
	// bytecode of each kind
	b.file("pkg/m.py", "source")
	b.file("pkg/__pycache__/m.cpython-312.pyc", "pyc")
	b.file("pkg/__pycache__/m.cpython-312.opt-1.pyc", "opt")
	b.file("pkg/__pycache__/m.pypy39.pyc", "pypy")
	b.file("pkg/legacy.pyc", "py2")
	b.file("pkg/legacy.pyo", "py2 opt")
	b.file("pkg/Foo$py.class", "jython")
	b.file("top.pyc", "top")
	// lookalikes and template-only files
	b.file("pkg/x.pyc.txt", "not bytecode")
	b.file("pkg/pyc/x.py", "a package called pyc")
	b.file("pkg/__pycache__.py", "a module called __pycache__")
	b.file("pkg/my__pycache__/notes.txt", "not a cache")
	b.file("pkg/my__pycache__/real.pyc", "but this is bytecode")
	b.file("pkg/__pycache__x/y.txt", "not a cache")
	b.file("pkg/Foo.class", "java")
	b.file("pkg/xpyc", "no dot")
	b.file("pkg/X.PYC", "case-sensitive: not bytecode")
	b.file("pkg/ext.pyd", "windows extension")
	b.file("pkg/app.pyz", "zipapp")
	b.file("pkg/sub/__pycache__", "a file called __pycache__ is not a cache")
	// nested and empty caches, caches that must stay
	b.file("pkg/__pycache__/nested/deeper/x.pyc", "nested")
	b.dir("pkg/__pycache__/nested/empty")
	b.dir("empty/__pycache__")
	b.file("notes/__pycache__/README", "non-bytecode inside a cache: deleted")
	b.file("keep/__pycache__/a.cpython-312.pyc", "goes")
	b.link("keep/__pycache__/link-to-src", "../m.py")
	b.file("keep/m.py", "src")
	b.fifo("fifo/__pycache__/pipe")
	b.file("fifo/__pycache__/b.pyc", "goes")
	// virtualenvs and tools' directories
	for _, d := range []string{".venv", "venv", ".tox", ".nox", "node_modules", ".direnv"} {
		b.file(d+"/lib/__pycache__/site.cpython-312.pyc", "env")
		b.file(d+"/x.pyc", "env")
	}
	b.file("env/pyvenv.cfg", "home = /usr/bin")
	b.file("env/lib/__pycache__/site.cpython-312.pyc", "env")
	b.file("deep/er/myenv/pyvenv.cfg", "home = /usr/bin")
	b.file("deep/er/myenv/y.pyc", "env")
	// version control
	b.file(".git/hooks/__pycache__/h.cpython-312.pyc", "git")
	b.file(".git/x.pyc", "git")
	b.file(".hg/x.pyc", "hg")
	b.file(".svn/x.pyc", "svn")
	b.file("bare.git/HEAD", "ref: refs/heads/main")
	b.dir("bare.git/objects")
	b.dir("bare.git/refs")
	b.file("bare.git/hooks/x.pyc", "bare")
	// symlinks: to files and directories, inside and outside, loops
	b.link("links/in-file.pyc", "../top.pyc")
	b.link("links/out-file.pyc", "../../outside/victim.pyc")
	b.link("links/out-dir", "../../outside")
	b.link("links/in-dir", "../pkg")
	b.link("links/__pycache__", "../../outside/__pycache__")
	b.link("links/dangling.pyc", "nowhere")
	b.link("links/loop", "loop")
	b.link("links/a", "b")
	b.link("links/b", "a")
	b.link("links/up", "..")
	// hostile names
	b.file("names/new\nline.pyc", "nl")
	b.file("names/back\\slash.pyc", "bs")
	b.file("names/\xff\xfe.pyc", "bad utf-8")
	b.file("names/\xff\xfe.py", "bad utf-8 source")
	b.file("names/we\nird/__pycache__/\n.pyc", "nl in cache")
	b.file("names/sp ace/__pycache__/a b.pyc", "space")
	// read-only files, hard links
	b.file("ro/r.pyc", "read-only file")
	b.chmod("ro/r.pyc", 0o444)
	b.file("hard/h1.pyc", "hard")
	b.hardlink("hard/h2.pyc", b.p("hard/h1.pyc"))
	b.hardlink("hard/src-link.pyc", filepath.Join(parent, "outside", "data.py"))
	b.hardlink("hard/keep.txt", filepath.Join(parent, "outside", "hl.pyc"))
	// unreadable and unwritable directories (as root these are ordinary)
	b.file("locked/__pycache__/l.pyc", "locked")
	b.chmod("locked", 0)
	b.file("rodir/__pycache__/r.pyc", "in a read-only cache")
	b.chmod("rodir/__pycache__", 0o555)
	return parent, root
}

// randomTree builds a random tree in dir from a palette of names and entry
// kinds that the rules distinguish; outside holds what links may point at.
func randomTree(t *testing.T, rng *rand.Rand, dir, outside string) {
	files := []string{"m.py", "m.pyc", "x.pyo", "K$py.class", "a.pyd", "z.pyz", "notes.txt",
		"m.cpython-312.pyc", "n.cpython-312.opt-1.pyc", "X.PYC", "pyc", "\n.pyc", "b\\s.pyc",
		"\xff.pyc", "n.py", "K.py", "w.pyw", "w.cpython-312.pyc", "HEAD", "pyvenv.cfg"}
	dirs := []string{"__pycache__", "__pycache__", "pkg", "sub", ".venv", "venv", "node_modules", ".git",
		"my__pycache__", "__PYCACHE__", "\xfe dir", "objects", "refs", "a\nb"}
	b := fsTree{t, dir}
	var made []string
	var gen func(rel string, depth int)
	gen = func(rel string, depth int) {
		n := rng.Intn(7)
		for i := 0; i < n; i++ {
			var name string
			r := rng.Intn(100)
			if r < 60 || depth >= 4 {
				name = files[rng.Intn(len(files))]
			} else {
				name = dirs[rng.Intn(len(dirs))]
			}
			c := joinRel(rel, name)
			if _, err := os.Lstat(b.p(c)); err == nil {
				continue
			}
			switch k := rng.Intn(100); {
			case r >= 60 && depth < 4:
				b.dir(c)
				gen(c, depth+1)
			case k < 70:
				b.file(c, fmt.Sprint(rng.Int()))
				made = append(made, c)
			case k < 76 && len(made) > 0:
				b.hardlink(c, b.p(made[rng.Intn(len(made))]))
			case k < 82:
				b.link(c, filepath.Join(outside, "victim.pyc"))
			case k < 88:
				b.link(c, outside)
			case k < 92:
				b.link(c, strings.Repeat("../", strings.Count(c, "/")+1))
			case k < 95:
				b.fifo(c)
			default:
				b.file(c, "ro")
				b.chmod(c, 0o444)
			}
		}
	}
	b.dir("")
	gen("", 0)
}
