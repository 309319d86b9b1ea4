package main

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/tools/wheel"
)

// The project's own manifest, two directories up (tools/releasewheel).
const projectManifest = "../../.pre-commit-hooks.yaml"

// The mirror offers every golang hook of the project's manifest as a python
// hook with the same fields, and nothing else.
func TestMirrorHooksFromProjectManifest(t *testing.T) {
	manifest, err := os.ReadFile(projectManifest)
	if err != nil {
		t.Fatal(err)
	}
	got, err := mirrorHooks(manifest)
	if err != nil {
		t.Fatal(err)
	}
	mirror := string(got)
	if strings.Contains(mirror, "golang") || strings.Count(mirror, "\n  language: python\n") != strings.Count(string(manifest), "\n  language: golang\n") {
		t.Fatalf("languages not carried over one for one:\n%s", mirror)
	}
	for _, id := range []string{"pycguard", "pycguard-fix"} {
		if !strings.Contains(mirror, "- id: "+id+"\n") {
			t.Errorf("the mirror lacks hook %s:\n%s", id, mirror)
		}
	}
	if strings.Contains(mirror, "pycguard-system") {
		t.Errorf("the mirror offers the system hook:\n%s", mirror)
	}
	// every field of the kept hooks is there as written
	for _, hook := range strings.Split(string(manifest), "\n- id: ")[1:] {
		if !strings.Contains(hook, "\n  language: golang\n") {
			continue
		}
		for _, line := range strings.Split(hook, "\n")[1:] {
			if strings.HasPrefix(line, "  ") && line != "  language: golang" && !strings.Contains(mirror, line+"\n") {
				t.Errorf("field %q of hook %s is not in the mirror", line, strings.SplitN(hook, "\n", 2)[0])
			}
		}
	}
}

func TestMirrorHooksRefuses(t *testing.T) {
	for name, manifest := range map[string]string{
		"no golang hook":   "- id: a\n  language: system\n",
		"other layout":     "-   id: a\n    language: golang\n",
		"two languages":    "- id: a\n  language: golang\n  language: python\n",
		"field before id":  "  language: golang\n",
		"no language":      "- id: a\n  entry: a\n",
		"top-level key":    "- id: a\n  language: golang\nfoo: bar\n",
		"empty":            "",
		"only comments":    "# - id: a\n#   language: golang\n",
		"tab-indented key": "- id: a\n\tlanguage: golang\n",
	} {
		if got, err := mirrorHooks([]byte(manifest)); err == nil {
			t.Errorf("%s: accepted, gave:\n%s", name, got)
		}
	}
}

func TestMirrorPinsTheVersion(t *testing.T) {
	manifest, err := os.ReadFile(projectManifest)
	if err != nil {
		t.Fatal(err)
	}
	files, err := mirrorFiles("1.2.3-rc.1", "1.2.3rc1", manifest)
	if err != nil {
		t.Fatal(err)
	}
	py := string(files["pyproject.toml"])
	for _, want := range []string{`dependencies = ["pycguard==1.2.3rc1"]`, `version = "1.2.3rc1"`, `build-backend = "setuptools.build_meta"`, "py-modules = []"} {
		if !strings.Contains(py, want) {
			t.Errorf("pyproject.toml lacks %s:\n%s", want, py)
		}
	}
	if !strings.Contains(string(files["README.md"]), "rev: v1.2.3-rc.1\n") {
		t.Errorf("README.md does not name the tag:\n%s", files["README.md"])
	}
}

// hostBinary builds a small static Go program for this machine.
func hostBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/hello\n\ngo 1.21\n"), 0o644)
	cmd := exec.Command("go", "build", "-o", "hello", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "hello")
}

func TestRun(t *testing.T) {
	bin := hostBinary(t)
	out := t.TempDir()
	mirror := filepath.Join(out, "pre-commit-mirror")
	readme := filepath.Join(t.TempDir(), "README.md")
	os.WriteFile(readme, []byte("# pycguard\n"), 0o644)
	var stdout, stderr bytes.Buffer
	args := []string{"-binary", bin, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-version", "0.3.1-next",
		"-readme", readme, "-out", out, "-mtime", "1700000000", "-mirror", mirror, "-hooks", projectManifest}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	wheels, _ := filepath.Glob(filepath.Join(out, "*.whl"))
	if len(wheels) != 1 || !strings.HasPrefix(filepath.Base(wheels[0]), "pycguard-0.3.1.dev0-py3-none-") {
		t.Fatalf("wheels written: %q", wheels)
	}
	if !strings.Contains(stdout.String(), wheels[0]) {
		t.Errorf("stdout does not name the wheel: %q", stdout.String())
	}
	zr, err := zip.OpenReader(wheels[0])
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	exe := zr.File[0]
	if want := "pycguard-0.3.1.dev0.data/scripts/" + wheel.ExecutableName("pycguard", runtime.GOOS); exe.Name != want {
		t.Fatalf("first entry %s, want %s", exe.Name, want)
	}
	rc, _ := exe.Open()
	var got bytes.Buffer
	got.ReadFrom(rc)
	rc.Close()
	if want, _ := os.ReadFile(bin); !bytes.Equal(got.Bytes(), want) {
		t.Fatal("the wheel's executable is not the binary given")
	}
	for _, f := range []string{".pre-commit-hooks.yaml", "pyproject.toml", "README.md"} {
		if _, err := os.Stat(filepath.Join(mirror, f)); err != nil {
			t.Errorf("mirror: %v", err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(out, ".tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// A failed run exits 2, says why, and leaves no wheel behind.
func TestRunFails(t *testing.T) {
	bin := hostBinary(t)
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	out := t.TempDir()
	for name, args := range map[string][]string{
		"no flags":           {},
		"wrong architecture": {"-binary", bin, "-goos", runtime.GOOS, "-goarch", other, "-version", "1.0.0", "-readme", projectManifest, "-out", out},
		"bad version":        {"-binary", bin, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-version", "1.0.0-foo", "-readme", projectManifest, "-out", out},
		"not a Go binary":    {"-binary", projectManifest, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-version", "1.0.0", "-readme", projectManifest, "-out", out},
		"mirror, no hooks":   {"-binary", bin, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-version", "1.0.0", "-readme", projectManifest, "-out", out, "-mirror", out},
		"bad mtime":          {"-binary", bin, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-version", "1.0.0", "-readme", projectManifest, "-out", out, "-mtime", "yesterday"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || stderr.Len() == 0 {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr.String())
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("failed runs left %d files in the output directory", len(entries))
	}
}
