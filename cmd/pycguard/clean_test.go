package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

func cleanRepo(t *testing.T) *gittest.Repo {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write("pkg/m.py", "src")
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "12345")
	r.Write("pkg/t.pyc", "tracked")
	r.Write("pkg/new\nline.pyc", "x")
	r.Write("pkg/\xff.pyc", "x")
	r.Write(".venv/lib/__pycache__/site.cpython-312.pyc", "env")
	r.Git("add", "pkg/m.py")
	r.Git("add", "-f", "pkg/t.pyc")
	r.Git("commit", "-q", "-m", "base")
	return r
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

func TestCleanCLIText(t *testing.T) {
	r := cleanRepo(t)
	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "clean")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if want := "removed 3 files (7 B) and 1 directory; kept 1 tracked file; 0 errors\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	for _, s := range []string{"pkg/t.pyc", "pycguard fix", "clean --tracked"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
	if strings.Contains(errOut, "\r") {
		t.Error("progress drawn on a pipe")
	}
	if exists(filepath.Join(r.Dir, "pkg/__pycache__")) || !exists(filepath.Join(r.Dir, "pkg/t.pyc")) ||
		!exists(filepath.Join(r.Dir, ".venv/lib/__pycache__/site.cpython-312.pyc")) {
		t.Error("wrong files removed")
	}
	out, _, code = runPycguard(t, "", "-C", r.Dir, "clean", "--tracked", "-v")
	if code != 0 || out != "removed pkg/t.pyc\nremoved 1 file (7 B) and 0 directories; kept 0 tracked files; 0 errors\n" {
		t.Errorf("--tracked -v: exit %d, %q", code, out)
	}
}

// TestCleanCLIDryRunThenRun: the -z listing of a dry run is exactly what the
// real run then removes, names with newlines and invalid UTF-8 included.
func TestCleanCLIDryRunThenRun(t *testing.T) {
	r := cleanRepo(t)
	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "clean", "-n", "-z", "--include", ".venv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	listed := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	sort.Strings(listed)
	want := []string{".venv/lib/__pycache__", ".venv/lib/__pycache__/site.cpython-312.pyc", "pkg/\xff.pyc",
		"pkg/__pycache__", "pkg/__pycache__/m.cpython-312.pyc", "pkg/new\nline.pyc"}
	sort.Strings(want)
	if strings.Join(listed, "|") != strings.Join(want, "|") {
		t.Errorf("dry run listed %q, want %q", listed, want)
	}
	if !strings.Contains(errOut, "would remove 4 files") {
		t.Errorf("-z summary not on stderr: %q", errOut)
	}
	for _, p := range listed {
		if !exists(filepath.Join(r.Dir, p)) {
			t.Errorf("dry run removed %q", p)
		}
	}
	text, _, _ := runPycguard(t, "", "-C", r.Dir, "clean", "-n", "--include", ".venv")
	if !strings.Contains(text, "would remove \"pkg/new\\nline.pyc\"\n") || !strings.Contains(text, "would remove pkg/__pycache__/\n") {
		t.Errorf("text listing:\n%s", text)
	}
	if _, _, code := runPycguard(t, "", "-C", r.Dir, "clean", "--include", ".venv"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, p := range listed {
		if exists(filepath.Join(r.Dir, p)) {
			t.Errorf("listed but not removed: %q", p)
		}
	}
	if !exists(filepath.Join(r.Dir, "pkg/t.pyc")) || !exists(filepath.Join(r.Dir, "pkg/m.py")) {
		t.Error("removed something not listed")
	}
}

func TestCleanCLIJSON(t *testing.T) {
	r := cleanRepo(t)
	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "clean", "--format", "json", "pkg", "missing")
	if code != 2 {
		t.Errorf("exit %d, want 2 (a missing root)", code)
	}
	if !strings.Contains(errOut, "missing") {
		t.Errorf("stderr: %q", errOut)
	}
	var doc struct {
		Version int    `json:"version"`
		Command string `json:"command"`
		DryRun  bool   `json:"dry_run"`
		Removed []struct {
			Path       string `json:"path"`
			PathBase64 string `json:"path_base64"`
			Type       string `json:"type"`
			Kind       string `json:"kind"`
			Bytes      *int64 `json:"bytes"`
		} `json:"removed"`
		KeptTracked []struct{ Path string } `json:"kept_tracked"`
		Errors      []struct{ Path, Error string }
		Summary     map[string]int64
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Version != 1 || doc.Command != "clean" || doc.DryRun {
		t.Errorf("header: %+v", doc)
	}
	if s := doc.Summary; s["files"] != 3 || s["dirs"] != 1 || s["bytes"] != 7 || s["kept_tracked"] != 1 || s["errors"] != 1 {
		t.Errorf("summary %v", s)
	}
	found := false
	for _, e := range doc.Removed {
		if e.PathBase64 != "" {
			raw, _ := base64.StdEncoding.DecodeString(e.PathBase64)
			found = string(raw) == "pkg/\xff.pyc"
		}
	}
	if !found {
		t.Errorf("no exact path for the invalid UTF-8 name: %+v", doc.Removed)
	}
	if len(doc.KeptTracked) != 1 || doc.KeptTracked[0].Path != "pkg/t.pyc" || len(doc.Errors) != 1 || doc.Errors[0].Path != "missing" {
		t.Errorf("kept %+v errors %+v", doc.KeptTracked, doc.Errors)
	}
}

func TestCleanCLIRefusesAndUsage(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.WriteFile(filepath.Join(home, "x.pyc"), nil, 0o644)
	for _, args := range [][]string{
		{"clean", "--dry-run", "/"},
		{"-C", home, "clean", "--dry-run"},
		{"-C", home, "clean", "--exclude", "[x"},
		{"-C", home, "clean", "--format", "xml"},
		{"-C", home, "clean", "-z", "--format", "json"},
	} {
		out, errOut, code := runPycguard(t, "", args...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if _, errOut, _ := runPycguard(t, "", "-C", home, "clean"); !strings.Contains(errOut, "--force") {
		t.Errorf("refusal does not name --force: %q", errOut)
	}
	if !exists(filepath.Join(home, "x.pyc")) {
		t.Fatal("a refused run removed something")
	}
	if _, _, code := runPycguard(t, "", "-C", home, "clean", "--force"); code != 0 || exists(filepath.Join(home, "x.pyc")) {
		t.Errorf("--force: exit %d", code)
	}
}

func TestCleanCLIConfigExclude(t *testing.T) {
	r := cleanRepo(t)
	r.Write(".pycguard.toml", "exclude = [\"pkg/__pycache__/\"]\n")
	out, errOut, code := runPycguard(t, "", "-C", filepath.Join(r.Dir, "pkg"), "clean", "-n")
	if code != 0 || strings.Contains(out, "__pycache__") || !strings.Contains(out, "would remove 2 files") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	r.Write(".pycguard.toml", "exclude = 3\n")
	if _, errOut, code := runPycguard(t, "", "-C", r.Dir, "clean", "-n"); code != 2 || !strings.Contains(errOut, ".pycguard.toml:1") {
		t.Errorf("invalid configuration: exit %d, %q", code, errOut)
	}
}

// TestCleanCLIPortableWalk: the hidden --portable-walk (the walk Windows
// uses) gives the same listing, summary and result as the default walk.
func TestCleanCLIPortableWalk(t *testing.T) {
	var outs []string
	for _, args := range [][]string{{"clean", "-v"}, {"clean", "-v", "--portable-walk"}} {
		r := cleanRepo(t)
		out, errOut, code := runPycguard(t, "", append([]string{"-C", r.Dir}, args...)...)
		if code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, errOut)
		}
		if exists(filepath.Join(r.Dir, "pkg/__pycache__")) || !exists(filepath.Join(r.Dir, "pkg/t.pyc")) {
			t.Errorf("%q: wrong files removed", args)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] || !strings.Contains(outs[0], "removed 3 files") {
		t.Errorf("default walk:\n%s\nportable walk:\n%s", outs[0], outs[1])
	}
	if help, _, _ := runPycguard(t, "", "clean", "--help"); strings.Contains(help, "portable") {
		t.Errorf("--portable-walk is shown in the help")
	}
}

// TestCleanCLIPycachePrefix: CPython (the machine's python3) compiles two
// projects under -X pycache_prefix; `clean -n --pycache-prefix` lists
// exactly the first project's mirror, and `clean` with PYTHONPYCACHEPREFIX
// set removes exactly it; a named prefix that is not a directory is exit 2.
func TestCleanCLIPycachePrefix(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is needed (CI is set)")
		}
		t.Skip("python3 not found")
	}
	t.Setenv("PYTHONPYCACHEPREFIX", "")
	parent, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a/pkg/m.py", "b/pkg/m.py"} {
		if err := os.MkdirAll(filepath.Join(parent, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(parent, p), []byte("x = 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(py, "-X", "pycache_prefix=cache", "-m", "compileall", "-q", "a", "b")
	cmd.Dir = parent
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("compileall: %v\n%s", err, out)
	}
	mirror := func(proj string) string { return filepath.Join(parent, "cache", parent, proj, "pkg") }
	pycs, _ := filepath.Glob(filepath.Join(mirror("a"), "m.*.pyc"))
	if len(pycs) != 1 {
		t.Fatalf("Python wrote %q", pycs)
	}
	out, errOut, code := runPycguard(t, "", "-C", parent, "clean", "-n", "-z", "--pycache-prefix", "cache", "a")
	want := mirror("a") + "\x00" + pycs[0] + "\x00"
	if code != 0 || out != want {
		t.Fatalf("dry run: exit %d, listed %q, want %q\n%s", code, out, want, errOut)
	}
	if !exists(pycs[0]) {
		t.Fatal("the dry run removed something")
	}
	t.Setenv("PYTHONPYCACHEPREFIX", filepath.Join(parent, "cache"))
	out, errOut, code = runPycguard(t, "", "-C", parent, "clean", "a")
	if code != 0 || !strings.HasPrefix(out, "removed 1 file") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if exists(mirror("a")) || !exists(mirror("b")) || !exists(filepath.Join(parent, "a/pkg/m.py")) {
		t.Error("removed the wrong things")
	}
	if _, errOut, code := runPycguard(t, "", "-C", parent, "clean", "--pycache-prefix", "missing", "a"); code != 2 || !strings.Contains(errOut, "missing") {
		t.Errorf("missing prefix: exit %d, %q", code, errOut)
	}
}
