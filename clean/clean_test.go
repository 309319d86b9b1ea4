//go:build unix

package clean

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

func isRoot() bool { return os.Geteuid() == 0 }

// walk selects the walk a test runs: the unix walk (openat/unlinkat) or
// the portable one (os.Root), which Windows uses.
type walk struct{ portable bool }

// forEachWalk runs f through both walks, as subtests "unix" and
// "portable".
func forEachWalk(t *testing.T, f func(t *testing.T, wk walk)) {
	t.Run("unix", func(t *testing.T) { f(t, walk{}) })
	t.Run("portable", func(t *testing.T) { f(t, walk{portable: true}) })
}

func mustRun(t *testing.T, wk walk, opts Options) *Result {
	t.Helper()
	opts.Portable = wk.portable
	res, err := Run(opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// under returns the part of snap below prefix, re-rooted.
func under(snap map[string]entry, prefix string) map[string]entry {
	out := map[string]entry{}
	for rel, e := range snap {
		switch {
		case rel == prefix:
			out[""] = e
		case strings.HasPrefix(rel, prefix+"/"):
			out[rel[len(prefix)+1:]] = e
		}
	}
	return out
}

// outsideOf returns the part of snap not below prefix (prefix itself kept).
func outsideOf(snap map[string]entry, prefix string) map[string]entry {
	out := map[string]entry{}
	for rel, e := range snap {
		if !strings.HasPrefix(rel, prefix+"/") {
			out[rel] = e
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k, v := range m {
		if v {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

func sameSet(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	g, w := sortedKeys(got), sortedKeys(want)
	if fmt.Sprintf("%q", g) != fmt.Sprintf("%q", w) {
		t.Errorf("%s:\n got  %q\n want %q", what, g, w)
	}
}

// TestFullTree: on a tree with every kind of entry, the removed paths are
// exactly those the rules predict, the Result lists exactly those, and
// nothing outside the root changes.
func TestFullTree(t *testing.T) { forEachWalk(t, testFullTree) }

func testFullTree(t *testing.T, wk walk) {
	parent, _ := fullTree(t)
	before := snapshot(t, parent)
	want := model{readOnly: !isRoot()}.predict(under(before, "root"))

	// The model is checked against hand-written expectations too.
	for _, p := range []string{"top.pyc", "pkg/__pycache__", "pkg/__pycache__/m.cpython-312.pyc",
		"pkg/__pycache__/nested/empty", "pkg/legacy.pyo", "pkg/Foo$py.class", "pkg/my__pycache__/real.pyc",
		"empty/__pycache__", "notes/__pycache__", "notes/__pycache__/README", "keep/__pycache__/a.cpython-312.pyc",
		"fifo/__pycache__/b.pyc", "names/new\nline.pyc", "names/back\\slash.pyc", "names/\xff\xfe.pyc",
		"names/we\nird/__pycache__", "ro/r.pyc", "hard/h1.pyc", "hard/h2.pyc", "hard/src-link.pyc"} {
		if !want[p] {
			t.Errorf("model keeps %q", p)
		}
	}
	for _, p := range []string{"pkg/m.py", "pkg/X.PYC", "pkg/ext.pyd", "pkg/app.pyz", "pkg/x.pyc.txt",
		"pkg/__pycache__.py", "pkg/my__pycache__/notes.txt", "pkg/sub/__pycache__", "keep/__pycache__",
		"keep/__pycache__/link-to-src", "fifo/__pycache__", "fifo/__pycache__/pipe", ".venv/x.pyc",
		"venv/lib/__pycache__/site.cpython-312.pyc", "env/lib/__pycache__/site.cpython-312.pyc",
		"deep/er/myenv/y.pyc", ".git/x.pyc", ".hg/x.pyc", "bare.git/hooks/x.pyc", "links/in-file.pyc",
		"links/out-file.pyc", "links/__pycache__", "links/dangling.pyc", "names/\xff\xfe.py", "hard/keep.txt", "pkg"} {
		if want[p] {
			t.Errorf("model removes %q", p)
		}
	}

	res := mustRun(t, wk, Options{Dir: parent, Roots: []string{"root"}, List: true})
	after := snapshot(t, parent)
	checkRemoved(t, under(before, "root"), under(after, "root"), want)
	checkUnchanged(t, "outside the root", outsideOf(before, "root"), outsideOf(after, "root"))
	sameSet(t, "Result.Removed", removedSet(t, res, "root"), want)

	files, dirs := 0, 0
	for p := range want {
		if e := under(before, "root")[p]; e.kind == "file" {
			files++
		} else {
			dirs++
		}
	}
	if res.Files != files || res.Dirs != dirs {
		t.Errorf("counts: %d files, %d dirs; want %d, %d", res.Files, res.Dirs, files, dirs)
	}
	if isRoot() && len(res.Errors) != 0 {
		t.Errorf("errors: %v", res.Errors)
	}
	if !isRoot() {
		// locked/ cannot be read, rodir/__pycache__ cannot be written.
		if len(res.Errors) < 2 {
			t.Errorf("want permission errors, got %v", res.Errors)
		}
		for _, e := range res.Errors {
			if !errors.Is(e, fs.ErrPermission) {
				t.Errorf("unexpected error %v", e)
			}
		}
	}
}

// TestDryRunMatchesRun: a dry run changes nothing and lists exactly what the
// real run then removes.
func TestDryRunMatchesRun(t *testing.T) { forEachWalk(t, testDryRunMatchesRun) }

func testDryRunMatchesRun(t *testing.T, wk walk) {
	parent, root := fullTree(t)
	before := snapshot(t, parent)
	dry := mustRun(t, wk, Options{Dir: root, DryRun: true, List: true})
	checkUnchanged(t, "the tree after a dry run", before, snapshot(t, parent))
	real := mustRun(t, wk, Options{Dir: root, List: true})
	after := snapshot(t, parent)
	gone := map[string]bool{}
	for p := range under(before, "root") {
		if _, ok := under(after, "root")[p]; !ok {
			gone[p] = true
		}
	}
	sameSet(t, "dry run vs. real run", removedSet(t, dry, "."), removedSet(t, real, "."))
	sameSet(t, "dry run vs. what disappeared", removedSet(t, dry, "."), gone)
	if dry.Files != real.Files || dry.Dirs != real.Dirs || dry.Bytes != real.Bytes {
		t.Errorf("summaries differ: dry %d/%d/%d, real %d/%d/%d", dry.Files, dry.Dirs, dry.Bytes, real.Files, real.Dirs, real.Bytes)
	}
}

// TestRandomTrees is the property test: on seeded random trees, with random
// options, the dry run lists the prediction, the real run removes exactly
// it, and nothing outside the root changes.
func TestRandomTrees(t *testing.T) { forEachWalk(t, testRandomTrees) }

func testRandomTrees(t *testing.T, wk walk) {
	n := 60
	if testing.Short() {
		n = 15
	}
	for seed := int64(1); seed <= int64(n); seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng, parent, _, _ := seededTree(t, seed)

			var m model
			opts := Options{Dir: parent, Roots: []string{"root"}, List: true}
			if rng.Intn(3) == 0 {
				m.orphans, opts.Orphans = true, true
			}
			if rng.Intn(3) == 0 {
				m.include = []string{".venv"}
				opts.Include = m.include
			}
			if rng.Intn(4) == 0 {
				m.include = append(m.include, venvMarker)
				opts.Include = m.include
			}
			if rng.Intn(4) == 0 {
				m.exclude = []string{"n*.pyc", "pkg/sub"}
				opts.Exclude = m.exclude
			}
			before := snapshot(t, parent)
			want := m.predict(under(before, "root"))

			dryOpts := opts
			dryOpts.DryRun = true
			dry := mustRun(t, wk, dryOpts)
			checkUnchanged(t, "the tree after a dry run", before, snapshot(t, parent))
			sameSet(t, "dry run vs. prediction", removedSet(t, dry, "root"), want)

			res := mustRun(t, wk, opts)
			after := snapshot(t, parent)
			checkRemoved(t, under(before, "root"), under(after, "root"), want)
			checkUnchanged(t, "outside the root", outsideOf(before, "root"), outsideOf(after, "root"))
			sameSet(t, "Result.Removed", removedSet(t, res, "root"), want)
			if len(res.Errors)+len(dry.Errors) > 0 {
				t.Errorf("errors: %v %v", dry.Errors, res.Errors)
			}
		})
	}
}

// seededTree makes parent/root, a random tree of seed's generator, beside
// parent/outside holding bytecode that must never be touched (victim.pyc,
// __pycache__/v.pyc and the extra paths given).
func seededTree(t *testing.T, seed int64, extraOutside ...string) (rng *rand.Rand, parent, root, outside string) {
	rng = rand.New(rand.NewSource(seed))
	parent = t.TempDir()
	root, outside = filepath.Join(parent, "root"), filepath.Join(parent, "outside")
	out := fsTree{t, outside}
	for _, p := range append([]string{"victim.pyc", "__pycache__/v.pyc"}, extraOutside...) {
		out.file(p, "x")
	}
	randomTree(t, rng, root, outside)
	return rng, parent, root, outside
}

// raceTree is a small tree for the mid-walk tests: parent/root and
// parent/outside.
func raceTree(t *testing.T) (parent, root string, b fsTree) {
	parent = t.TempDir()
	root = filepath.Join(parent, "root")
	out := fsTree{t, filepath.Join(parent, "outside")}
	out.file("victim.pyc", "outside")
	out.file("__pycache__/v.cpython-312.pyc", "outside")
	out.file("sub/w.pyc", "outside")
	b = fsTree{t, root}
	b.file("pkg/m.py", "src")
	b.file("pkg/b.pyc", "b")
	b.file("pkg/c.pyc", "c")
	b.file("pkg/__pycache__/a.cpython-312.pyc", "a")
	b.file("pkg/__pycache__/m.cpython-312.pyc", "m")
	b.file("pkg/sub/s.pyc", "s")
	b.file("pkg/sub/__pycache__/t.pyc", "t")
	b.file("other/o.pyc", "o")
	return parent, root, b
}

// TestChangesDuringWalk: entries that vanish, change type, are swapped for
// symlinks pointing out, or appear while the walk runs are reported (when
// they are failures) and never make the walk touch anything outside.
func TestChangesDuringWalk(t *testing.T) { forEachWalk(t, testChangesDuringWalk) }

func testChangesDuringWalk(t *testing.T, wk walk) {
	tests := []struct {
		name    string
		hook    func(b fsTree, outside string, o op, rel string)
		wantErr error // every error must match; nil: no error
		dryErr  bool  // the error happens in a dry run too (before any unlink)
		// portableErr, when set, replaces wantErr for the portable walk,
		// which refuses some swaps the unix walk handles.
		portableErr error
		check       func(t *testing.T, b fsTree, res *Result)
	}{
		{
			name:   "directory swapped for a symlink out before it is opened",
			dryErr: true,
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opOpenDir && rel == "pkg/sub" {
					os.Rename(b.p("pkg/sub"), b.p("moved-sub"))
					os.Symlink(filepath.Join(outside, "sub"), b.p("pkg/sub"))
				}
			},
			wantErr: errAny,
		},
		{
			name:   "__pycache__ swapped for a symlink out before it is opened",
			dryErr: true,
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opOpenDir && rel == "pkg/__pycache__" {
					os.Rename(b.p("pkg/__pycache__"), b.p("stash"))
					os.Symlink(filepath.Join(outside, "__pycache__"), b.p("pkg/__pycache__"))
				}
			},
			wantErr: errAny,
		},
		{
			name: "__pycache__ swapped for a symlink out while it is cleaned",
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opUnlink && rel == "pkg/__pycache__/a.cpython-312.pyc" {
					os.Rename(b.p("pkg/__pycache__"), b.p("stash"))
					os.Symlink(filepath.Join(outside, "__pycache__"), b.p("pkg/__pycache__"))
				}
			},
			wantErr: errAny, // the final rmdir meets the symlink
			check: func(t *testing.T, b fsTree, res *Result) {
				// The open directory was cleaned where it now is.
				if ents, _ := os.ReadDir(b.p("stash")); len(ents) != 0 {
					t.Errorf("stash still holds %v", ents)
				}
			},
		},
		{
			name: "file replaced by a directory before unlink",
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opUnlink && rel == "pkg/b.pyc" {
					os.Remove(b.p(rel))
					os.Mkdir(b.p(rel), 0o755)
				}
			},
			wantErr: errAny,
			check: func(t *testing.T, b fsTree, res *Result) {
				if fi, err := os.Lstat(b.p("pkg/b.pyc")); err != nil || !fi.IsDir() {
					t.Errorf("the directory that replaced the file: %v %v", fi, err)
				}
				if _, err := os.Lstat(b.p("pkg/c.pyc")); err == nil {
					t.Error("the walk stopped at the error")
				}
			},
		},
		{
			name: "file replaced by a symlink out before unlink",
			// unlinkat removes the link; os.Root would too, but the
			// portable walk checks the type first and reports the swap.
			portableErr: errChanged,
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opUnlink && rel == "pkg/b.pyc" {
					os.Remove(b.p(rel))
					os.Symlink(filepath.Join(outside, "victim.pyc"), b.p(rel))
				}
			},
		},
		{
			name: "file vanishes",
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opUnlink && rel == "pkg/b.pyc" {
					os.Remove(b.p(rel))
				}
			},
			wantErr: fs.ErrNotExist,
		},
		{
			name:   "directory vanishes",
			dryErr: true,
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opOpenDir && rel == "pkg/sub" {
					os.RemoveAll(b.p(rel))
				}
			},
			wantErr: fs.ErrNotExist,
			check: func(t *testing.T, b fsTree, res *Result) {
				if _, err := os.Lstat(b.p("other/o.pyc")); err == nil {
					t.Error("the walk stopped at the error")
				}
			},
		},
		{
			name: "file appears in a __pycache__ before it is removed",
			hook: func(b fsTree, outside string, o op, rel string) {
				if o == opRmdir && rel == "pkg/__pycache__" {
					os.WriteFile(b.p("pkg/__pycache__/late.pyc"), nil, 0o644)
				}
			},
			check: func(t *testing.T, b fsTree, res *Result) {
				if _, err := os.Lstat(b.p("pkg/__pycache__/late.pyc")); err != nil {
					t.Errorf("the late file: %v", err)
				}
			},
		},
		{
			name: "entries appear everywhere",
			hook: func(b fsTree, outside string, o op, rel string) {
				if o != opOpenDir {
					return
				}
				dir := filepath.Dir(b.p(rel))
				os.WriteFile(filepath.Join(dir, "new.pyc"), nil, 0o644)
				os.Symlink(outside, filepath.Join(dir, "new-link"))
				os.Symlink(filepath.Join(outside, "victim.pyc"), filepath.Join(dir, "new-link.pyc"))
				os.MkdirAll(filepath.Join(dir, "newdir", "__pycache__"), 0o755)
			},
		},
	}
	for _, tt := range tests {
		for _, dry := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/dry=%v", tt.name, dry), func(t *testing.T) {
				parent, root, b := raceTree(t)
				outside := filepath.Join(parent, "outside")
				before := snapshot(t, parent)
				opts := Options{Dir: root, DryRun: dry, List: true, Workers: 3}
				opts.hook = func(o op, rootReal, rel string) { tt.hook(b, outside, o, rel) }
				res := mustRun(t, wk, opts)
				after := snapshot(t, parent)
				checkUnchanged(t, "outside the root", outsideOf(before, "root"), outsideOf(after, "root"))
				wantErr := tt.wantErr
				if wk.portable && tt.portableErr != nil {
					wantErr = tt.portableErr
				}
				switch {
				case wantErr == nil && len(res.Errors) > 0:
					t.Errorf("errors: %v", res.Errors)
				case wantErr != nil && len(res.Errors) == 0 && (!dry || tt.dryErr):
					t.Errorf("no error reported")
				}
				for _, e := range res.Errors {
					if wantErr == nil || (wantErr != errAny && !errors.Is(e, wantErr)) {
						t.Errorf("error %v, want %v", e, wantErr)
					}
				}
				if tt.check != nil && !dry {
					tt.check(t, b, res)
				}
			})
		}
	}
}

// errAny accepts any error in TestChangesDuringWalk.
var errAny = errors.New("any error")

func TestOrphans(t *testing.T) { forEachWalk(t, testOrphans) }

func testOrphans(t *testing.T, wk walk) {
	root := t.TempDir()
	b := fsTree{t, root}
	b.file("m.py", "")
	b.file("__pycache__/m.cpython-312.pyc", "kept: m.py exists")
	b.file("__pycache__/m.cpython-312.opt-2.pyc", "kept")
	b.file("__pycache__/gone.cpython-312.pyc", "orphan")
	b.file("__pycache__/gone.cpython-312.opt-1.pyc", "orphan")
	b.file("__pycache__/gone.pypy39.pyc", "orphan")
	b.file("__pycache__/notes.txt", "kept: no source can be named")
	b.file("__pycache__/sub/x.cpython-312.pyc", "kept: nested")
	b.file("w.pyw", "")
	b.file("__pycache__/w.cpython-312.pyc", "kept: w.pyw exists")
	b.file("legacy.pyc", "orphan")
	b.file("legacy.pyo", "orphan")
	b.file("m.pyc", "kept")
	b.file("J$py.class", "orphan")
	b.file("K.py", "")
	b.file("K$py.class", "kept")
	b.file("pkg/__pycache__/only.cpython-312.pyc", "orphan: the cache empties and goes")
	b.file("pkg/__pycache__/only.cpython-311.pyc", "orphan")
	b.file("pkg/n.pyc", "orphan: n.py is elsewhere")
	b.file("n.py", "")
	want := map[string]bool{
		"__pycache__/gone.cpython-312.pyc": true, "__pycache__/gone.cpython-312.opt-1.pyc": true,
		"__pycache__/gone.pypy39.pyc": true, "legacy.pyc": true, "legacy.pyo": true, "J$py.class": true,
		"pkg/__pycache__/only.cpython-312.pyc": true, "pkg/__pycache__/only.cpython-311.pyc": true,
		"pkg/__pycache__": true, "pkg/n.pyc": true,
	}
	before := snapshot(t, root)
	sameSet(t, "model", model{orphans: true}.predict(before), want)
	res := mustRun(t, wk, Options{Dir: root, Orphans: true, List: true})
	checkRemoved(t, before, snapshot(t, root), want)
	sameSet(t, "Result.Removed", removedSet(t, res, "."), want)
}

func TestRefusesRootAndHome(t *testing.T) { forEachWalk(t, testRefusesRootAndHome) }

func testRefusesRootAndHome(t *testing.T, wk walk) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "x.pyc"), nil, 0o644)
	for _, r := range []Options{{Dir: home, Roots: []string{"/"}}, {Dir: "/", Roots: []string{home}, Home: home}, {Dir: home, Home: home}} {
		r.Portable = wk.portable
		_, err := Run(r)
		var re *RefusedError
		if !errors.Is(err, ErrRefused) || !errors.As(err, &re) {
			t.Errorf("Run(%+v) = %v, want a refusal", r, err)
		}
	}
	if _, err := os.Lstat(filepath.Join(home, "x.pyc")); err != nil {
		t.Fatal("a refused run removed something")
	}
	res := mustRun(t, wk, Options{Dir: home, Home: home, Force: true})
	if res.Files != 1 {
		t.Errorf("--force: removed %d files", res.Files)
	}
}

func TestCrossFilesystems(t *testing.T) { forEachWalk(t, testCrossFilesystems) }

func testCrossFilesystems(t *testing.T, wk walk) {
	for _, cross := range []bool{false, true} {
		root := t.TempDir()
		b := fsTree{t, root}
		b.file("mnt/x.pyc", "on another file system")
		b.file("mnt/__pycache__/y.pyc", "on another file system")
		b.file("pkg/__pycache__/z.pyc", "")
		b.file("pkg/__pycache__/sub/z.pyc", "")
		opts := Options{Dir: root, CrossFilesystems: cross, List: true}
		opts.devOf = func(rel string, dev uint64) uint64 {
			if rel == "mnt" || rel == "pkg/__pycache__/sub" {
				return dev + 1
			}
			return dev
		}
		res := mustRun(t, wk, opts)
		want := map[string]bool{"pkg/__pycache__/z.pyc": true}
		if cross {
			want = map[string]bool{"mnt/x.pyc": true, "mnt/__pycache__/y.pyc": true, "mnt/__pycache__": true,
				"pkg/__pycache__/z.pyc": true, "pkg/__pycache__/sub/z.pyc": true, "pkg/__pycache__/sub": true, "pkg/__pycache__": true}
		}
		sameSet(t, fmt.Sprintf("cross=%v", cross), removedSet(t, res, "."), want)
	}
}

func TestIncludeExclude(t *testing.T) { forEachWalk(t, testIncludeExclude) }

func testIncludeExclude(t *testing.T, wk walk) {
	mk := func() string {
		root := t.TempDir()
		b := fsTree{t, root}
		b.file(".venv/a.pyc", "")
		b.file("node_modules/b.pyc", "")
		b.file("env/pyvenv.cfg", "")
		b.file("env/c.pyc", "")
		b.file(".git/d.pyc", "")
		b.file("pkg/keep_me.pyc", "")
		b.file("pkg/sub/e.pyc", "")
		b.file("pkg/f.pyc", "")
		return root
	}
	tests := []struct {
		opts Options
		want []string
	}{
		{Options{}, []string{"pkg/keep_me.pyc", "pkg/sub/e.pyc", "pkg/f.pyc"}},
		{Options{Include: []string{".venv", ".git"}}, []string{".venv/a.pyc", "pkg/keep_me.pyc", "pkg/sub/e.pyc", "pkg/f.pyc"}},
		{Options{Include: []string{"env"}}, []string{"env/c.pyc", "pkg/keep_me.pyc", "pkg/sub/e.pyc", "pkg/f.pyc"}},
		{Options{Include: []string{"pyvenv.cfg", "node_modules/"}}, []string{"env/c.pyc", "node_modules/b.pyc", "pkg/keep_me.pyc", "pkg/sub/e.pyc", "pkg/f.pyc"}},
		{Options{Exclude: []string{"keep_*", "pkg/sub"}}, []string{"pkg/f.pyc"}},
	}
	for _, tt := range tests {
		tt.opts.Dir, tt.opts.List = mk(), true
		want := map[string]bool{}
		for _, p := range tt.want {
			want[p] = true
		}
		sameSet(t, fmt.Sprintf("include %q exclude %q", tt.opts.Include, tt.opts.Exclude), removedSet(t, mustRun(t, wk, tt.opts), "."), want)
	}
	if _, err := Run(Options{Dir: t.TempDir(), Exclude: []string{"[x"}}); !errors.Is(err, ErrBadPattern) {
		t.Errorf("bad pattern: %v", err)
	}
}

func TestRoots(t *testing.T) { forEachWalk(t, testRoots) }

func testRoots(t *testing.T, wk walk) {
	parent := t.TempDir()
	b := fsTree{t, parent}
	b.file("proj/pkg/__pycache__/a.pyc", "")
	b.file("proj/pkg/b.pyc", "")
	b.file("proj/pkg/m.py", "")
	b.file("proj/.venv/c.pyc", "")
	b.file("proj/__pycache__/d.pyc", "")
	b.file("elsewhere/e.pyc", "")
	b.link("proj-link", "proj")
	b.link("elsewhere-link", "elsewhere")

	// A root that is a symlink is not followed.
	res := mustRun(t, wk, Options{Dir: parent, Roots: []string{"proj-link"}, List: true})
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0], ErrRootSymlink) || res.Files != 0 {
		t.Errorf("symlink root: %+v %v", res, res.Errors)
	}
	// A missing root is an error; the other roots are still cleaned.
	// Overlapping roots list each entry once; an explicit .venv is entered;
	// file roots work (a source is not deleted); a root reached through a
	// symlinked directory is cleaned (only its last component must not be
	// a symlink).
	roots := []string{"missing", ".", "pkg", ".venv", "pkg/b.pyc", "pkg/m.py", "../elsewhere-link/e.pyc", "../proj-link"}
	res = mustRun(t, wk, Options{Dir: filepath.Join(parent, "proj"), DryRun: true, List: true, Roots: roots})
	var got []string
	for _, e := range res.Removed {
		got = append(got, e.Path)
	}
	want := []string{"../elsewhere-link/e.pyc", ".venv/c.pyc", "__pycache__", "__pycache__/d.pyc", "pkg/__pycache__", "pkg/__pycache__/a.pyc", "pkg/b.pyc"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("dry run of several roots: %q, want %q", got, want)
	}
	if len(res.Errors) != 2 || !errors.Is(res.Errors[0], ErrRootSymlink) || !errors.Is(res.Errors[1], fs.ErrNotExist) {
		t.Errorf("errors: %v", res.Errors)
	}
	res = mustRun(t, wk, Options{Dir: filepath.Join(parent, "proj"), List: true, Roots: roots})
	if res.Files != 5 || res.Dirs != 2 || len(res.Errors) != 2 {
		t.Errorf("real run of several roots: %d files %d dirs %v", res.Files, res.Dirs, res.Errors)
	}

	// A __pycache__ root is emptied but stays.
	b.file("proj/__pycache__/f.pyc", "")
	res = mustRun(t, wk, Options{Dir: filepath.Join(parent, "proj"), Roots: []string{"__pycache__"}})
	if _, err := os.Lstat(b.p("proj/__pycache__")); err != nil || res.Files != 1 || res.Dirs != 0 {
		t.Errorf("__pycache__ root: %d files, %d dirs, %v", res.Files, res.Dirs, err)
	}
}

func TestSourceStem(t *testing.T) {
	tests := []struct {
		name      string
		inPycache bool
		stem      string
		ok        bool
	}{
		{"m.cpython-312.pyc", true, "m", true},
		{"m.cpython-312.opt-1.pyc", true, "m", true},
		{"m.pypy39.pyo", true, "m", true},
		{"m.pyc", true, "", false},
		{".pyc", true, "", false},
		{"notes.txt", true, "", false},
		{"m.pyc", false, "m", true},
		{"m.pyo", false, "m", true},
		{"a.b.pyc", false, "a.b", true},
		{"M$py.class", false, "M", true},
		{"m.pyd", false, "", false},
	}
	for _, tt := range tests {
		stem, ok := sourceStem(tt.name, tt.inPycache, false)
		if stem != tt.stem || ok != tt.ok {
			t.Errorf("sourceStem(%q, %v) = %q, %v; want %q, %v", tt.name, tt.inPycache, stem, ok, tt.stem, tt.ok)
		}
	}
}

func TestPermissionDenied(t *testing.T) { forEachWalk(t, testPermissionDenied) }

func testPermissionDenied(t *testing.T, wk walk) {
	if isRoot() {
		t.Skip("running as root: permissions do not stop root; the mid-walk failures in TestChangesDuringWalk exercise the error path")
	}
	root := t.TempDir()
	b := fsTree{t, root}
	b.file("locked/a.pyc", "")
	b.file("open/b.pyc", "")
	b.chmod("locked", 0)
	res := mustRun(t, wk, Options{Dir: root})
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0], fs.ErrPermission) || res.Errors[0].Path != "locked" || res.Files != 1 {
		t.Errorf("got %d files, errors %v", res.Files, res.Errors)
	}
}

// TestConfiguredExclude: the configuration's gitignore-style exclude list
// keeps what it matches, relative to the work tree top even from a
// subdirectory root.
func TestConfiguredExclude(t *testing.T) { forEachWalk(t, testConfiguredExclude) }

func testConfiguredExclude(t *testing.T, wk walk) {
	top := t.TempDir()
	b := fsTree{t, top}
	b.file("src/vendor/a.pyc", "")
	b.file("src/vendor/__pycache__/b.pyc", "")
	b.file("src/pkg/__pycache__/c.pyc", "")
	b.file("src/pkg/fixture.pyc", "")
	b.file("src/pkg/d.pyc", "")
	b.file("build/__pycache__/e.pyc", "")
	conf := &ConfiguredExclude{Top: top, Source: ".pycguard.toml: exclude", Patterns: []string{"vendor/", "/src/pkg/fixture.pyc", "/build"}}
	res := mustRun(t, wk, Options{Dir: top, Roots: []string{"src", "build"}, List: true, Configured: conf})
	want := map[string]bool{"pkg/__pycache__/c.pyc": true, "pkg/__pycache__": true, "pkg/d.pyc": true}
	sameSet(t, "removed", removedSet(t, res, "src"), want)
	if !exists(b.p("build/__pycache__/e.pyc")) || !exists(b.p("src/vendor/__pycache__/b.pyc")) {
		t.Error("an excluded directory was entered")
	}
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// TestRootJudgedFromTheRootDown: a __pycache__ above the root does not make
// everything bytecode; "." and "link/" name the directory behind a symlink.
func TestRootJudgedFromTheRootDown(t *testing.T) { forEachWalk(t, testRootJudgedFromTheRootDown) }

func testRootJudgedFromTheRootDown(t *testing.T, wk walk) {
	parent := t.TempDir()
	b := fsTree{t, parent}
	b.file("__pycache__/proj/src.py", "a project that happens to live in a __pycache__")
	b.file("__pycache__/proj/x.pyc", "")
	b.file("__pycache__/proj/notes.txt", "")
	b.link("link", "__pycache__/proj")
	for _, opts := range []Options{
		{Dir: b.p("__pycache__/proj")},
		{Dir: b.p("link")},
		{Dir: parent, Roots: []string{"link/"}},
		{Dir: parent, Roots: []string{"__pycache__/proj/notes.txt", "__pycache__/proj/src.py"}},
	} {
		opts.List, opts.DryRun = true, true
		res := mustRun(t, wk, opts)
		if len(res.Errors) > 0 || res.Files > 1 || (res.Files == 1 && !strings.HasSuffix(res.Removed[0].Path, "x.pyc")) {
			t.Errorf("%+v: removed %v, errors %v", opts, res.Removed, res.Errors)
		}
	}
}

// TestRandomChangesDuringWalk: on random trees, random entries vanish, turn
// into symlinks pointing outside, or appear while the walk runs; whatever
// happens inside the root, nothing outside it changes.
func TestRandomChangesDuringWalk(t *testing.T) { forEachWalk(t, testRandomChangesDuringWalk) }

func testRandomChangesDuringWalk(t *testing.T, wk walk) {
	n := 40
	if testing.Short() {
		n = 10
	}
	for seed := int64(1); seed <= int64(n); seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng, parent, root, outside := seededTree(t, seed, "d/__pycache__/w.pyc")
			before := snapshot(t, parent)
			var mu sync.Mutex
			opts := Options{Dir: root, DryRun: rng.Intn(4) == 0, Workers: 1 + rng.Intn(4)}
			opts.hook = func(o op, rootReal, rel string) {
				mu.Lock()
				defer mu.Unlock()
				if rng.Intn(3) != 0 {
					return
				}
				p := filepath.Join(rootReal, filepath.FromSlash(rel))
				switch rng.Intn(5) {
				case 0:
					os.RemoveAll(p)
				case 1:
					os.Rename(p, p+".moved")
					os.Symlink(filepath.Join(outside, "d", "__pycache__"), p)
				case 2:
					os.Rename(p, p+".moved")
					os.Symlink(filepath.Join(outside, "victim.pyc"), p)
				case 3:
					os.WriteFile(filepath.Join(filepath.Dir(p), "late.pyc"), nil, 0o644)
				case 4:
					os.MkdirAll(filepath.Join(filepath.Dir(p), "late", "__pycache__"), 0o755)
					os.Symlink(outside, filepath.Join(filepath.Dir(p), "late", "__pycache__", "out"))
				}
			}
			mustRun(t, wk, opts)
			checkUnchanged(t, "outside the root", outsideOf(before, "root"), outsideOf(snapshot(t, parent), "root"))
		})
	}
}
