package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
	"github.com/pycguard/pycguard/internal/sarifcheck"
)

// fakeRelease lays out, under root, what a release page serves:
// download/v<version>/pycguard_<version>_<os>_<arch>.tar.gz (.zip for
// windows) holding the binary under test (and README.md, as the release
// archives do), and checksums.txt in goreleaser's format. It returns the
// checksums file's path.
func fakeRelease(t *testing.T, root, version string) string {
	t.Helper()
	bin, err := os.ReadFile(pycguardExe)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "download", "v"+version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var sums strings.Builder
	for _, target := range []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"} {
		var buf bytes.Buffer
		name := fmt.Sprintf("pycguard_%s_%s", version, target)
		if strings.HasPrefix(target, "windows") {
			name += ".zip"
			zw := zip.NewWriter(&buf)
			for _, f := range []struct {
				name string
				data []byte
			}{{"README.md", []byte("readme\n")}, {"pycguard.exe", bin}} {
				h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
				h.SetMode(0o755)
				w, err := zw.CreateHeader(h)
				if err != nil {
					t.Fatal(err)
				}
				w.Write(f.data)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
		} else {
			name += ".tar.gz"
			gz := gzip.NewWriter(&buf)
			tw := tar.NewWriter(gz)
			for _, f := range []struct {
				name string
				data []byte
			}{{"README.md", []byte("readme\n")}, {"pycguard", bin}} {
				if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.data)), Typeflag: tar.TypeReg}); err != nil {
					t.Fatal(err)
				}
				tw.Write(f.data)
			}
			if err := tw.Close(); err != nil {
				t.Fatal(err)
			}
			if err := gz.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	sumsFile := filepath.Join(dir, "checksums.txt")
	if err := os.WriteFile(sumsFile, []byte(sums.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return sumsFile
}

// runnerArch is RUNNER_ARCH for the machine the tests run on.
func runnerArch(t *testing.T) string {
	switch runtime.GOARCH {
	case "amd64":
		return "X64"
	case "arm64":
		return "ARM64"
	}
	t.Skipf("no pycguard release for %s", runtime.GOARCH)
	return ""
}

// actionEnv is the environment GitHub Actions gives a composite step, for
// a workspace ws: fresh GITHUB_OUTPUT, GITHUB_PATH and RUNNER_TEMP files and
// directories, RUNNER_OS and RUNNER_ARCH, plus the step's inputs.
type actionEnv struct {
	vars         []string
	output, path string
}

func newActionEnv(t *testing.T, r *gittest.Repo, runnerOS string, inputs ...string) actionEnv {
	t.Helper()
	tmp := t.TempDir()
	e := actionEnv{output: filepath.Join(tmp, "github_output"), path: filepath.Join(tmp, "github_path")}
	for _, f := range []string{e.output, e.path} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runnerTemp := filepath.Join(tmp, "runner_temp")
	if err := os.Mkdir(runnerTemp, 0o755); err != nil {
		t.Fatal(err)
	}
	e.vars = append(append([]string(nil), r.Env...),
		"GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE="+r.Dir,
		"GITHUB_OUTPUT="+e.output,
		"GITHUB_PATH="+e.path,
		"RUNNER_TEMP="+runnerTemp,
		"RUNNER_OS="+runnerOS,
		"RUNNER_ARCH="+runnerArch(t),
	)
	e.vars = append(e.vars, inputs...)
	return e
}

// script runs one of the action's scripts with bash in the workspace.
func (e actionEnv) script(t *testing.T, r *gittest.Repo, name string, extra ...string) result {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "action", name))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", p)
	cmd.Dir = r.Dir
	cmd.Env = append(append([]string(nil), e.vars...), extra...)
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return result{b.String(), ee.ExitCode()}
	} else if err != nil {
		t.Fatal(err)
	}
	return result{b.String(), 0}
}

// outputs reads GITHUB_OUTPUT's name=value lines.
func (e actionEnv) outputs(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(readFile(t, e.output)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// The action's install script installs the release's archive for the
// runner after checking it against checksums.txt (from a file:// release
// and from a local HTTP server, where "latest" follows the redirect to the
// newest tag, as GitHub's releases page does), and its run script runs
// check --all or scan with SARIF written for code scanning, with the
// outputs in GITHUB_OUTPUT and pycguard's exit status.
func TestActionInstallAndRun(t *testing.T) {
	requireTool(t, "curl", "apt-get install curl")
	requireTool(t, "bash", "apt-get install bash")
	schema, err := sarifcheck.Load("../../report/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	releases := t.TempDir()
	fakeRelease(t, releases, "9.8.7")

	r := gittest.Init(t)
	r.Write("app.py", "print()\n")
	r.Write("pkg/__pycache__/m.cpython-312.pyc", "bytecode")
	r.Commit("legacy")

	env := newActionEnv(t, r, "Linux", "INPUT_VERSION=v9.8.7", "INPUT_RELEASE_URL=file://"+releases)
	res := env.script(t, r, "install.sh")
	expect(t, "install.sh", res, 0, "installed pycguard", "pycguard_9.8.7_linux_")
	out := env.outputs(t)
	exe := out["pycguard-path"]
	if out["version"] != "9.8.7" || exe == "" {
		t.Fatalf("outputs: %v", out)
	}
	if got := strings.TrimSpace(readFile(t, env.path)); got != filepath.Dir(exe) {
		t.Fatalf("GITHUB_PATH: %q, want %q", got, filepath.Dir(exe))
	}

	// check --all (the default args) with SARIF: findings are exit 1, the
	// SARIF file is valid and fingerprinted, the text report is in the log
	res = env.script(t, r, "run.sh", "PYCGUARD="+exe, "INPUT_SARIF_FILE=reports/pycguard.sarif")
	expect(t, "run.sh check --all", res, 1, "pkg/__pycache__/m.cpython-312.pyc", "::error title=pycguard::")
	out = env.outputs(t)
	sarif := filepath.Join(r.Dir, "reports", "pycguard.sarif")
	if out["exit-code"] != "1" || out["sarif-file"] != sarif {
		t.Fatalf("outputs: %v", out)
	}
	data := readFile(t, sarif)
	if err := schema.Validate([]byte(data)); err != nil || !strings.Contains(data, "pycguardFinding/v1") ||
		!strings.Contains(data, "pycguard/bytecode-committed") {
		t.Fatalf("SARIF: %v\n%s", err, data)
	}

	// scan, in a subdirectory given as src
	res = env.script(t, r, "run.sh", "PYCGUARD="+exe, "INPUT_ARGS=scan --all", "INPUT_SRC=pkg")
	expect(t, "run.sh scan --all", res, 1, "pkg/__pycache__/m.cpython-312.pyc")

	// clean: exit 0
	r.Git("rm", "-q", "-r", "--cached", "pkg")
	r.Git("commit", "-q", "-m", "untrack")
	res = env.script(t, r, "run.sh", "PYCGUARD="+exe, "INPUT_SARIF_FILE=clean.sarif")
	expect(t, "run.sh on a clean repository", res, 0)
	if env.outputs(t)["exit-code"] != "0" {
		t.Fatalf("outputs: %v", env.outputs(t))
	}
	// an error is exit 2, never a pass
	res = env.script(t, r, "run.sh", "PYCGUARD="+exe, "INPUT_ARGS=scan --range no-such..HEAD")
	expect(t, "run.sh with a bad range", res, 2, "could not decide")

	// Windows' zip, unpacked as pycguard.exe
	win := newActionEnv(t, r, "Windows", "INPUT_VERSION=9.8.7", "INPUT_RELEASE_URL=file://"+releases)
	expect(t, "install.sh on Windows", win.script(t, r, "install.sh"), 0, "pycguard_9.8.7_windows_")
	if p := win.outputs(t)["pycguard-path"]; filepath.Base(p) != "pycguard.exe" {
		t.Fatalf("windows path %q", p)
	}

	// over HTTP on loopback, "latest" redirected to the newest tag
	mux := http.NewServeMux()
	mux.Handle("/pycguard/releases/download/", http.StripPrefix("/pycguard/releases", http.FileServer(http.Dir(releases))))
	mux.HandleFunc("/pycguard/releases/latest", func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, "/pycguard/releases/tag/v9.8.7", http.StatusFound)
	})
	mux.HandleFunc("/pycguard/releases/tag/v9.8.7", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("release page")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	web := newActionEnv(t, r, "Linux", "INPUT_VERSION=latest", "INPUT_RELEASE_URL="+srv.URL+"/pycguard/releases")
	expect(t, "install.sh latest over HTTP", web.script(t, r, "install.sh"), 0, "latest release is v9.8.7", "installed pycguard")
	if v := web.outputs(t)["version"]; v != "9.8.7" {
		t.Fatalf("version %q", v)
	}
}

// An archive whose SHA-256 is not the one checksums.txt lists, or that the
// list does not name, is refused: exit 1, nothing installed, no outputs.
// Unknown runners and versions that are not versions are refused too.
func TestActionInstallRefuses(t *testing.T) {
	requireTool(t, "curl", "apt-get install curl")
	r := gittest.Init(t)
	arch := map[string]string{"X64": "amd64", "ARM64": "arm64"}[runnerArch(t)]

	refused := func(what, want string, inputs ...string) {
		t.Helper()
		env := newActionEnv(t, r, "Linux", inputs...)
		res := env.script(t, r, "install.sh")
		expect(t, what, res, 1, want)
		if readFile(t, env.output) != "" || readFile(t, env.path) != "" {
			t.Fatalf("%s: outputs written: %q %q", what, readFile(t, env.output), readFile(t, env.path))
		}
		entries, err := os.ReadDir(strings.TrimPrefix(env.vars[slicesIndexPrefix(env.vars, "RUNNER_TEMP=")], "RUNNER_TEMP="))
		if err != nil || len(entries) != 0 {
			t.Fatalf("%s: left in RUNNER_TEMP: %v %v", what, entries, err)
		}
	}

	tampered := t.TempDir()
	fakeRelease(t, tampered, "1.0.0")
	archive := filepath.Join(tampered, "download", "v1.0.0", "pycguard_1.0.0_linux_"+arch+".tar.gz")
	f, err := os.OpenFile(archive, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("appended by someone else"))
	f.Close()
	refused("a tampered archive", "checksum mismatch for pycguard_1.0.0_linux_"+arch+".tar.gz", "INPUT_VERSION=1.0.0", "INPUT_RELEASE_URL=file://"+tampered)

	unlisted := t.TempDir()
	sums := fakeRelease(t, unlisted, "1.0.0")
	var kept []string
	for _, line := range strings.Split(readFile(t, sums), "\n") {
		if !strings.Contains(line, "linux_"+arch) {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(sums, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	refused("an archive checksums.txt does not list", "is not listed in", "INPUT_VERSION=1.0.0", "INPUT_RELEASE_URL=file://"+unlisted)

	refused("a missing release", "could not download", "INPUT_VERSION=2.0.0", "INPUT_RELEASE_URL=file://"+unlisted)
	refused("a version that is not one", "is not a release version", "INPUT_VERSION=1.0.0/../../x", "INPUT_RELEASE_URL=file://"+unlisted)
	refused("an unknown architecture", "unsupported RUNNER_ARCH", "INPUT_VERSION=1.0.0", "INPUT_RELEASE_URL=file://"+unlisted, "RUNNER_ARCH=X86")
	refused("an unknown OS", "unsupported RUNNER_OS", "INPUT_VERSION=1.0.0", "INPUT_RELEASE_URL=file://"+unlisted, "RUNNER_OS=Plan9")
}

func slicesIndexPrefix(s []string, prefix string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if strings.HasPrefix(s[i], prefix) {
			return i
		}
	}
	return -1
}

// action.yml declares every input its steps use, passes inputs to the
// scripts through the environment only (never spliced into the shell
// text), and runs the two scripts tested above.
func TestActionYAML(t *testing.T) {
	y := readFile(t, "../../action.yml")
	for _, want := range []string{"using: composite", `"$GITHUB_ACTION_PATH/action/install.sh"`, `"$GITHUB_ACTION_PATH/action/run.sh"`} {
		if !strings.Contains(y, want) {
			t.Errorf("action.yml lacks %q", want)
		}
	}
	for _, line := range strings.Split(y, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "run:") && strings.Contains(l, "${{") {
			t.Errorf("an expression in a run line (inject inputs through env): %s", l)
		}
		for rest := l; strings.Contains(rest, "inputs."); {
			_, after, _ := strings.Cut(rest, "inputs.")
			name := after
			if i := strings.IndexAny(name, " }"); i >= 0 {
				name = name[:i]
			}
			if !strings.Contains(y, "\n  "+name+":\n") {
				t.Errorf("input %q is used but not declared", name)
			}
			rest = after
		}
	}
}

// The documented workflows use the current majors of the actions they name
// (Node.js 24: checkout v6, setup-go v6, codeql-action v4), none of the
// deprecated ones.
func TestDocumentedActionVersions(t *testing.T) {
	for _, doc := range []string{"../../docs/ci.md", "../../README.md"} {
		text := readFile(t, doc)
		for _, old := range []string{"codeql-action/upload-sarif@v3", "codeql-action/upload-sarif@v2", "actions/checkout@v4", "actions/checkout@v3", "actions/setup-go@v5", "actions/setup-go@v4"} {
			if strings.Contains(text, old) {
				t.Errorf("%s still uses %s", doc, old)
			}
		}
	}
	if ci := readFile(t, "../../docs/ci.md"); !strings.Contains(ci, "upload-sarif@v4") || !strings.Contains(ci, "actions/checkout@v6") {
		t.Error("docs/ci.md does not show the current actions")
	}
}
