//go:build unix

package clean

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPortableSwapBetweenLstatAndOpen: os.Root follows a symbolic link that
// stays inside it, so the portable walk compares the directory it opened
// with what Lstat saw. A directory swapped for a link (to a sibling, which
// os.Root would follow, or outside) in that window is reported and not
// walked: a source beside bytecode is not taken for the content of a
// __pycache__, nothing outside the root changes, nothing is removed twice.
func TestPortableSwapBetweenLstatAndOpen(t *testing.T) {
	for _, tc := range []struct{ name, swap, target string }{
		{"directory to a link to a sibling", "sub", "__pycache__"},
		{"directory to a link outside", "sub", "../../outside/sub"},
		{"__pycache__ to a link to a sibling", "__pycache__", "sub"},
		{"__pycache__ to a link outside", "__pycache__", "../../outside/__pycache__"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent, root, b := raceTree(t)
			b.file("pkg/sub/keep.py", "a source")
			before := snapshot(t, parent)
			swapped := false
			opts := Options{Dir: root, List: true, Workers: 1, Portable: true}
			opts.beforeOpen = func(name string) {
				if name == tc.swap && !swapped {
					swapped = true
					os.Rename(b.p("pkg/"+tc.swap), b.p("pkg/stash"))
					os.Symlink(tc.target, b.p("pkg/"+tc.swap))
				}
			}
			res, err := Run(opts)
			if err != nil {
				t.Fatal(err)
			}
			if !swapped {
				t.Fatal("the swap never happened")
			}
			if len(res.Errors) != 1 || res.Errors[0].Path != "pkg/"+tc.swap {
				t.Fatalf("errors %v, want one for pkg/%s", res.Errors, tc.swap)
			}
			checkUnchanged(t, "outside the root", outsideOf(before, "root"), outsideOf(snapshot(t, parent), "root"))
			for _, e := range res.Removed {
				if strings.HasPrefix(e.Path, "pkg/"+tc.swap+"/") {
					t.Errorf("walked through the swapped link: %s", e.Path)
				}
			}
			if fi, err := os.Lstat(b.p("pkg/" + tc.swap)); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("the link was removed: %v %v", fi, err)
			}
			if !exists(b.p("pkg/sub/keep.py")) && !exists(b.p("pkg/stash/keep.py")) {
				t.Error("a source was removed")
			}
			if ents, _ := os.ReadDir(b.p("pkg/stash")); len(ents) == 0 {
				t.Error("the directory moved away was cleaned through the link")
			}
		})
	}
}

// TestPlainDir: symbolic links and Windows junctions (ModeIrregular, not
// ModeDir, as Go reports mount points since 1.23) are never entered.
func TestPlainDir(t *testing.T) {
	for _, tc := range []struct {
		typ  fs.FileMode
		want bool
	}{
		{fs.ModeDir, true},
		{fs.ModeDir | fs.ModeIrregular, false},
		{fs.ModeDir | fs.ModeSymlink, false},
		{fs.ModeSymlink, false},
		{fs.ModeIrregular, false},
		{0, false},
	} {
		if got := isPlainDir(tc.typ); got != tc.want {
			t.Errorf("isPlainDir(%v) = %v", tc.typ, got)
		}
	}
}

// TestPortableRefusesNonDirectory: the portable walk's handles refuse a
// name that is not (or no longer) a plain directory or regular file.
func TestPortableRefusesNonDirectory(t *testing.T) {
	dir := t.TempDir()
	b := fsTree{t, dir}
	b.file("f.pyc", "")
	b.dir("d")
	b.link("l", "d")
	d, err := rootFS{}.openDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	for _, name := range []string{"f.pyc", "l"} {
		if _, err := d.openDir(name); !errors.Is(err, errChanged) {
			t.Errorf("openDir(%s) = %v, want errChanged", name, err)
		}
	}
	for _, name := range []string{"d", "l"} {
		if err := d.unlink(name); !errors.Is(err, errChanged) {
			t.Errorf("unlink(%s) = %v, want errChanged", name, err)
		}
	}
	c, err := d.openDir("d")
	if err != nil {
		t.Fatal(err)
	}
	c.close()
	if err := d.rmdir("l", c); !errors.Is(err, errChanged) {
		t.Errorf("rmdir(l) = %v, want errChanged", err)
	}
	if !exists(filepath.Join(dir, "d")) || !exists(filepath.Join(dir, "l")) || !exists(filepath.Join(dir, "f.pyc")) {
		t.Error("something was removed")
	}
	if err := d.rmdir("d", c); err != nil || exists(filepath.Join(dir, "d")) {
		t.Errorf("rmdir(d) = %v", err)
	}
}
