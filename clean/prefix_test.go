//go:build unix

package clean

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// needPython3 returns the python3 to run, skipping the test when there is
// none, except in CI, where a missing interpreter fails it.
func needPython3(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed (CI is set): %v", err)
		}
		t.Skip("python3 not found: the pycache prefix is checked against CPython's own rule")
	}
	return py
}

// TestPycacheMirror: where the bytecode of a source directory goes under a
// pycache prefix. The unix cases are compared with CPython's own
// importlib._bootstrap_external.cache_from_source; the Windows cases (the
// platform injected) follow its drive and separator rules, with the
// example of its source comment (C:\Bytecode, C:\Somewhere\Foo\Bar).
func TestPycacheMirror(t *testing.T) {
	unix := []struct{ prefix, dir string }{
		{"/cache", "/home/u/proj"},
		{"/cache/", "/home/u/proj/pkg"},
		{"/", "/home/u/proj"},
		{"/c a/che", "/we ird/d:ir"},
		{"/cache", "/x"},
	}
	py := needPython3(t)
	for _, c := range unix {
		out, err := exec.Command(py, "-c", `import sys, importlib._bootstrap_external as b
sys.pycache_prefix = sys.argv[1]
print(b.cache_from_source(sys.argv[2] + "/m.py").rsplit("/", 1)[0])`, c.prefix, c.dir).Output()
		if err != nil {
			t.Fatalf("python3: %v", err)
		}
		want := strings.TrimSuffix(string(out), "\n")
		if got := pycacheMirror(c.prefix, c.dir, false); got != want {
			t.Errorf("pycacheMirror(%q, %q) = %q; CPython: %q", c.prefix, c.dir, got, want)
		}
	}
	windows := []struct{ prefix, dir, want string }{
		{`C:\Bytecode`, `C:\Somewhere\Foo\Bar`, `C:\Bytecode\Somewhere\Foo\Bar`},
		{`C:\Bytecode\`, `D:\proj`, `C:\Bytecode\proj`},
		{`D:\`, `C:\Users\u\proj`, `D:\Users\u\proj`},
		{`C:\cache`, `\\server\share\proj`, `C:\cache\server\share\proj`},
		{`C:/cache`, `C:/Users/u/proj`, `C:/cache\Users\u\proj`},
		{`C:\cache`, `c:\proj`, `C:\cache\proj`},
	}
	for _, c := range windows {
		if got := pycacheMirror(c.prefix, c.dir, true); got != c.want {
			t.Errorf("pycacheMirror(%q, %q, windows) = %q, want %q", c.prefix, c.dir, got, c.want)
		}
	}
}

// compileTwoProjects lays out projects a and b in parent, with a source
// that Python compiles in each, and runs `python3 -m compileall` over both
// with the prefix given to Python by env (PYTHONPYCACHEPREFIX) or -X
// pycache_prefix, from parent. It returns the files Python wrote.
func compileTwoProjects(t *testing.T, py, parent, prefix string, useEnv bool) []string {
	t.Helper()
	b := fsTree{t, parent}
	for _, proj := range []string{"a", "b"} {
		b.file(proj+"/pkg/__init__.py", "")
		b.file(proj+"/pkg/m.py", "x = 1\n")
		b.file(proj+"/pkg/gone.py", "y = 2\n")
		b.file(proj+"/top.py", "import pkg\n")
		b.file(proj+"/notes.txt", "not python")
	}
	args := []string{"-m", "compileall", "-q", "a", "b"}
	env := append(os.Environ(), "PYTHONDONTWRITEBYTECODE=")
	if useEnv {
		env = append(env, "PYTHONPYCACHEPREFIX="+prefix)
	} else {
		args = append([]string{"-X", "pycache_prefix=" + prefix}, args...)
	}
	cmd := exec.Command(py, args...)
	cmd.Dir, cmd.Env = parent, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("compileall: %v\n%s", err, out)
	}
	var written []string
	filepath.Walk(parent, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".pyc") {
			written = append(written, p)
		}
		return nil
	})
	return written
}

// TestPycachePrefixWithPython: CPython compiles two projects with a pycache
// prefix (PYTHONPYCACHEPREFIX or -X pycache_prefix, absolute or relative),
// where it also writes the bytecode of the standard library it imports;
// cleaning one project removes exactly that project's mirror (its files and
// the directories left empty below it), in a dry run (listed, nothing
// changed) and for real, through both walks, and leaves the other
// project's mirror, the sources and everything else as they were.
// --orphans removes only the mirrored bytecode whose source is gone.
func TestPycachePrefixWithPython(t *testing.T) {
	py := needPython3(t)
	for _, tc := range []struct {
		name             string
		useEnv, relative bool
	}{
		{"PYTHONPYCACHEPREFIX", true, false},
		{"-X pycache_prefix", false, false},
		{"relative PYTHONPYCACHEPREFIX", true, true},
		{"relative -X pycache_prefix", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			prefix := filepath.Join(parent, "cache")
			given := prefix
			if tc.relative {
				given = "cache" // Python ran in parent
			}
			forEachWalk(t, func(t *testing.T, wk walk) {
				// The second compile writes only what the first run removed.
				written := compileTwoProjects(t, py, parent, given, tc.useEnv)
				mirrorA := pycacheMirror(prefix, filepath.Join(parent, "a"), false)
				mirrorB := pycacheMirror(prefix, filepath.Join(parent, "b"), false)
				want := map[string]bool{}
				inB, others := 0, 0
				for _, p := range written {
					switch {
					case strings.HasPrefix(p, mirrorA+"/"):
						rel, _ := filepath.Rel(parent, p)
						want[rel] = true
					case strings.HasPrefix(p, mirrorB+"/"):
						inB++
					case strings.HasPrefix(p, prefix+"/"):
						others++ // the standard library's
					default:
						t.Fatalf("Python wrote %s outside the prefix", p)
					}
				}
				if len(want) != 4 || inB != 4 {
					t.Fatalf("Python wrote %q", written)
				}
				relPkg, _ := filepath.Rel(parent, filepath.Join(mirrorA, "pkg"))
				want[relPkg] = true // emptied, so removed; the mirror's top stays

				before := snapshot(t, parent)
				opts := Options{Dir: parent, Roots: []string{"a"}, PycachePrefix: given, List: true}
				dryOpts := opts
				dryOpts.DryRun = true
				dry := mustRun(t, wk, dryOpts)
				checkUnchanged(t, "the tree after a dry run", before, snapshot(t, parent))
				sameSet(t, "dry run", removedSet(t, dry, parent), want)

				res := mustRun(t, wk, opts)
				checkRemoved(t, before, snapshot(t, parent), want)
				sameSet(t, "removed", removedSet(t, res, parent), want)
				if len(res.Errors)+len(dry.Errors) > 0 || res.Files != 4 || res.Dirs != 1 {
					t.Errorf("%d files, %d dirs, errors %v %v", res.Files, res.Dirs, dry.Errors, res.Errors)
				}
			})
		})
	}
	t.Run("orphans", func(t *testing.T) {
		parent, err := filepath.EvalSymlinks(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		prefix := filepath.Join(parent, "cache")
		forEachWalk(t, func(t *testing.T, wk walk) {
			compileTwoProjects(t, py, parent, prefix, true)
			for _, proj := range []string{"a", "b"} {
				if err := os.Remove(filepath.Join(parent, proj, "pkg", "gone.py")); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, parent)
			res := mustRun(t, wk, Options{Dir: parent, Roots: []string{"a"}, PycachePrefix: prefix, Orphans: true, List: true})
			want := map[string]bool{}
			mirrorA, _ := filepath.Rel(parent, pycacheMirror(prefix, filepath.Join(parent, "a"), false))
			for rel := range before {
				if strings.HasPrefix(rel, mirrorA+"/") && strings.HasPrefix(path.Base(rel), "gone.") {
					want[rel] = true
				}
			}
			if len(want) != 1 {
				t.Fatalf("setup: %q", sortedKeys(want))
			}
			checkRemoved(t, before, snapshot(t, parent), want)
			sameSet(t, "removed", removedSet(t, res, parent), want)
		})
	})
}
