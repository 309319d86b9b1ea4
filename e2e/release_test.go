package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A release build stamps the version the way .goreleaser.yaml does
// (-X main.version=...), with cgo off, and `pycguard version` prints it;
// --help still works. Every build, release or `go install`, leaves out a
// man-page and Markdown renderer: their package initialisation would cost
// every hook run start-up time. (-trimpath and -s -w are left out: the build
// then reuses what CI's cross-compile step compiled.)
func TestReleaseBuildStampsVersion(t *testing.T) {
	cfg, err := os.ReadFile("../.goreleaser.yaml")
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
