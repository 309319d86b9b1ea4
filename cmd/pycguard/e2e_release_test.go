package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// A release build stamps the version the way .goreleaser.yaml does
// (-X main.version=...), with cgo off, and `pycguard version` prints it;
// --help still works. Every build, release or `go install`, leaves out a
// man-page and Markdown renderer: their package initialisation would cost
// every hook run start-up time. (-trimpath and -s -w are left out: the build
// then reuses what CI's cross-compile step compiled.)
func TestReleaseBuildStampsVersion(t *testing.T) {
	cfg, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), "-X main.version={{ .Version }}") || !strings.Contains(string(cfg), "CGO_ENABLED=0") ||
		strings.Contains(string(cfg), "-tags") {
		t.Fatal(".goreleaser.yaml no longer builds as this test does (version stamp, cgo off, no build tags); update the test with it")
	}
	exe := filepath.Join(t.TempDir(), "pycguard")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=9.8.7", "-o", exe, "github.com/pycguard/pycguard/cmd/pycguard")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(exe, "version").Output()
	if err != nil || strings.TrimSpace(string(out)) != "pycguard 9.8.7" {
		t.Fatalf("version: %q, %v", out, err)
	}
	if out, err := exec.Command(exe, "check", "--help").Output(); err != nil || !strings.Contains(string(out), "--all") {
		t.Fatalf("check --help: %q, %v", out, err)
	}
	mods, err := exec.Command("go", "version", "-m", exe).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	for _, renderer := range []string{"github.com/russross/blackfriday", "github.com/cpuguy83/go-md2man"} {
		if strings.Contains(string(mods), renderer) {
			t.Errorf("the binary links %s; its initialisation costs every run start-up time", renderer)
		}
	}
}

// `go install ./...` in the repository — what the pre-commit framework and
// prek run to build the golang hook — installs pycguard and nothing else:
// the benchmark programs and the release tools are modules of their own.
func TestGoInstallInstallsPycguardAlone(t *testing.T) {
	// go list reads the module in a child process, which go test's result
	// cache does not see; reading every directory here (the cache keys on
	// what the test opens, a directory by its entries) makes a new package
	// run this test again instead of reusing an earlier pass.
	err := filepath.WalkDir(filepath.Join("..", ".."), func(p string, d fs.DirEntry, err error) error {
		if d != nil && d.IsDir() && p != filepath.Join("..", "..") && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "list", "-f", "{{if eq .Name \"main\"}}{{.ImportPath}}{{end}}", "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if got := strings.Fields(string(out)); !slices.Equal(got, []string{"github.com/pycguard/pycguard/cmd/pycguard"}) {
		t.Fatalf("commands in the module: %q, want pycguard alone", got)
	}
}

// releaseVersion is the tag the release test's repository carries, and
// snapshotVersion what `goreleaser release --snapshot` makes of it
// (.goreleaser.yaml: the next patch, "-dev"), pep440Version the wheels'.
const (
	releaseTag      = "v1.2.3"
	snapshotVersion = "1.2.4-dev"
	pep440Version   = "1.2.4.dev0"
)

// releaseTargets are the release's targets, with goreleaser's build
// directory suffix and the wheel's platform tags (Go 1.25 and later need
// macOS 12).
type releaseTarget struct {
	goos, goarch, dir string
	tags              string
}

var releaseTargets = []releaseTarget{
	{"linux", "amd64", "linux_amd64_v1", "manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64"},
	{"linux", "arm64", "linux_arm64_v8.0", "manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64"},
	{"darwin", "amd64", "darwin_amd64_v1", "macosx_12_0_x86_64"},
	{"darwin", "arm64", "darwin_arm64_v8.0", "macosx_12_0_arm64"},
	{"windows", "amd64", "windows_amd64_v1", "win_amd64"},
	{"windows", "arm64", "windows_arm64_v8.0", "win_arm64"},
}

// The one release command, `goreleaser release --snapshot --clean`, run in
// a clean repository holding this source tree, writes the archives, a wheel
// per target holding the very binary it built, checksums of both, and the
// pre-commit mirror; the subtests install what it wrote, offline.
func TestSnapshotRelease(t *testing.T) {
	goreleaser := requireTool(t, "goreleaser", "go install github.com/goreleaser/goreleaser/v2@v2.15.1 (the version .ci/run pins)")
	genv, err := goEnv()
	if err != nil {
		t.Fatal(err)
	}
	src, _ := hookRepo(t)
	r := gittest.Dir(t, src).With(genv...)
	r.Git("tag", releaseTag)
	// as in a clone: without a remote goreleaser drops all it read from
	// git in snapshot mode (the tag, the commit's date)
	r.Git("remote", "add", "origin", "https://github.com/pycguard/pycguard.git")
	res := runInRepo(t, r, goreleaser, "release", "--snapshot", "--clean")
	expect(t, "goreleaser release --snapshot --clean", res, 0)
	dist := filepath.Join(src, "dist")

	t.Run("dist", func(t *testing.T) { checkDist(t, dist) })
	wheel := filepath.Join(dist, wheelName(hostTarget(t).tags))
	t.Run("pip venv", func(t *testing.T) { pipVenv(t, wheel) })
	t.Run("pipx", func(t *testing.T) { pipx(t, wheel) })
	t.Run("pre-commit python hook", func(t *testing.T) { preCommitPython(t, dist) })
}

// wheelName is the wheel file goreleaser's hook writes for a target.
func wheelName(tags string) string {
	return "pycguard-" + pep440Version + "-py3-none-" + tags + ".whl"
}

// hostTarget is the release target of this machine; the test fails on a
// machine the release has no wheel for.
func hostTarget(t *testing.T) releaseTarget {
	t.Helper()
	for _, tg := range releaseTargets {
		if tg.goos == runtime.GOOS && tg.goarch == runtime.GOARCH {
			return tg
		}
	}
	t.Fatalf("the release has no wheel for %s/%s", runtime.GOOS, runtime.GOARCH)
	return releaseTarget{}
}

func checkDist(t *testing.T, dist string) {
	sums := map[string]string{}
	f, err := os.Open(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("checksums.txt: line %q", sc.Text())
		}
		sums[name] = sum
	}
	var want []string
	for _, tg := range releaseTargets {
		exe := "pycguard"
		archive := "pycguard_" + snapshotVersion + "_" + tg.goos + "_" + tg.goarch + ".tar.gz"
		if tg.goos == "windows" {
			exe += ".exe"
			archive = strings.TrimSuffix(archive, ".tar.gz") + ".zip"
		}
		whl := wheelName(tg.tags)
		want = append(want, archive, whl)
		built, err := os.ReadFile(filepath.Join(dist, "pycguard_"+tg.dir, exe))
		if err != nil {
			t.Fatalf("the binary goreleaser built: %v", err)
		}
		// the wheel holds the very binary, executable
		zr, err := zip.OpenReader(filepath.Join(dist, whl))
		if err != nil {
			t.Fatalf("%s/%s: %v", tg.goos, tg.goarch, err)
		}
		script := "pycguard-" + pep440Version + ".data/scripts/" + exe
		found := false
		for _, zf := range zr.File {
			if zf.Name != script {
				continue
			}
			found = true
			if mode := zf.ExternalAttrs >> 16; mode != 0o100755 {
				t.Errorf("%s: %s has mode %o, want 100755", whl, script, mode)
			}
			if got := readZip(t, zf); !bytes.Equal(got, built) {
				t.Errorf("%s: %s is not the binary goreleaser built for %s/%s", whl, script, tg.goos, tg.goarch)
			}
		}
		zr.Close()
		if !found {
			t.Errorf("%s has no %s", whl, script)
		}
		// ... and so does the archive
		if got := archivedFile(t, filepath.Join(dist, archive), exe); !bytes.Equal(got, built) {
			t.Errorf("%s: %s is not the binary goreleaser built", archive, exe)
		}
	}
	for _, name := range want {
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Errorf("dist lacks %s", name)
			continue
		}
		sum := sha256.Sum256(data)
		if got := sums[name]; got != hex.EncodeToString(sum[:]) {
			t.Errorf("checksums.txt has %q for %s, the file's sha256 is %x", got, name, sum)
		}
	}
	if len(sums) != len(want) {
		t.Errorf("checksums.txt lists %d files, the release made %d", len(sums), len(want))
	}
	for _, f := range []string{".pre-commit-hooks.yaml", "pyproject.toml", "README.md"} {
		if _, err := os.Stat(filepath.Join(dist, "pre-commit-mirror", f)); err != nil {
			t.Errorf("pre-commit mirror: %v", err)
		}
	}
	if py := readFile(t, filepath.Join(dist, "pre-commit-mirror", "pyproject.toml")); !strings.Contains(py, `"pycguard==`+pep440Version+`"`) {
		t.Errorf("the mirror does not pin pycguard %s:\n%s", pep440Version, py)
	}
	verifyWheelsWithPython(t, dist)
}

// verifyWheelsWithPython unpacks every wheel with the reference
// implementation of the format, the wheel package (Debian ships it for
// virtualenv as /usr/share/python-wheels/wheel-*.whl; a wheel of pure
// Python runs from PYTHONPATH). `wheel unpack` checks each file against
// RECORD's sha256 and size. (Debian's wheel 0.38 does not restore file
// modes: those are checked in the archive above and by pip below.)
func verifyWheelsWithPython(t *testing.T, dist string) {
	t.Helper()
	python := requireTool(t, "python3", "apt-get install python3")
	ref, _ := filepath.Glob("/usr/share/python-wheels/wheel-*.whl")
	if len(ref) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("no wheel package in /usr/share/python-wheels (CI is set, so this fails instead of skipping): apt-get install python3-wheel-whl")
		}
		t.Skip("no wheel package in /usr/share/python-wheels: apt-get install python3-wheel-whl")
	}
	for _, tg := range releaseTargets {
		whl := filepath.Join(dist, wheelName(tg.tags))
		out := t.TempDir()
		cmd := exec.Command(python, "-m", "wheel", "unpack", "--dest", out, whl)
		cmd.Env = append(os.Environ(), "PYTHONPATH="+ref[len(ref)-1])
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("wheel unpack %s: %v\n%s", filepath.Base(whl), err, b)
			continue
		}
		exe := "pycguard"
		if tg.goos == "windows" {
			exe += ".exe"
		}
		if _, err := os.Stat(filepath.Join(out, "pycguard-"+pep440Version, "pycguard-"+pep440Version+".data", "scripts", exe)); err != nil {
			t.Errorf("%s unpacked: %v", filepath.Base(whl), err)
		}
	}
}

func readZip(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// archivedFile returns the content of name in a .zip or .tar.gz archive.
func archivedFile(t *testing.T, archive, name string) []byte {
	t.Helper()
	if strings.HasSuffix(archive, ".zip") {
		zr, err := zip.OpenReader(archive)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == name {
				return readZip(t, f)
			}
		}
		return nil
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}
