package wheel

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
)

func TestPlatformTags(t *testing.T) {
	for _, c := range []struct {
		goos, goarch string
		bin          Binary
		want         []string
	}{
		{"linux", "amd64", Binary{"linux", "amd64", true, "go1.26.8"},
			[]string{"manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64"}},
		{"linux", "arm64", Binary{"linux", "arm64", true, "go1.24.0"},
			[]string{"manylinux_2_17_aarch64", "manylinux2014_aarch64", "musllinux_1_1_aarch64"}},
		{"darwin", "amd64", Binary{"darwin", "amd64", false, "go1.26.8"}, []string{"macosx_12_0_x86_64"}},
		{"darwin", "arm64", Binary{"darwin", "arm64", false, "go1.25rc2"}, []string{"macosx_12_0_arm64"}},
		{"darwin", "amd64", Binary{"darwin", "amd64", false, "go1.24.13"}, []string{"macosx_11_0_x86_64"}},
		{"darwin", "amd64", Binary{"darwin", "amd64", false, "go1.22.1"}, []string{"macosx_10_15_x86_64"}},
		{"darwin", "arm64", Binary{"darwin", "arm64", false, "go1.22.1"}, []string{"macosx_11_0_arm64"}},
		{"windows", "amd64", Binary{"windows", "amd64", false, "go1.26.8"}, []string{"win_amd64"}},
		{"windows", "arm64", Binary{"windows", "arm64", false, "go1.26.8 X:nocoverageredesign"}, []string{"win_arm64"}},
	} {
		got, err := PlatformTags(c.goos, c.goarch, c.bin)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("PlatformTags(%s, %s, %+v) = %q, %v; want %q", c.goos, c.goarch, c.bin, got, err, c.want)
		}
	}
	for name, c := range map[string]struct {
		goos, goarch string
		bin          Binary
	}{
		"other target":       {"linux", "amd64", Binary{"linux", "arm64", true, "go1.26.8"}},
		"other OS":           {"darwin", "amd64", Binary{"linux", "amd64", true, "go1.26.8"}},
		"dynamic linux":      {"linux", "amd64", Binary{"linux", "amd64", false, "go1.26.8"}},
		"unknown Go, macOS":  {"darwin", "arm64", Binary{"darwin", "arm64", false, "go1.27.0"}},
		"bad Go version":     {"darwin", "arm64", Binary{"darwin", "arm64", false, "devel +abc"}},
		"unsupported target": {"freebsd", "amd64", Binary{"freebsd", "amd64", true, "go1.26.8"}},
	} {
		if got, err := PlatformTags(c.goos, c.goarch, c.bin); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: PlatformTags = %q, %v; want ErrInvalid", name, got, err)
		}
	}
}

// crossBuild builds a small Go program for goos/goarch once per test
// binary (the Go toolchain is on every machine that runs these tests).
var crossBuilds sync.Map

func crossBuild(t *testing.T, goos, goarch, cgo, src string) []byte {
	t.Helper()
	key := goos + "/" + goarch + "/" + cgo
	if b, ok := crossBuilds.Load(key); ok {
		return b.([]byte)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/hello\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", "hello", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED="+cgo, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build for %s: %v\n%s", key, err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "hello"))
	if err != nil {
		t.Fatal(err)
	}
	crossBuilds.Store(key, b)
	return b
}

// Inspect reads the target from real Go executables of every release
// target, and tells a cgo (dynamically linked) Linux build from a static one.
func TestInspect(t *testing.T) {
	const hello = "package main\n\nfunc main() { println(\"hello\") }\n"
	for _, target := range [][2]string{{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "amd64"}, {"darwin", "arm64"}, {"windows", "amd64"}, {"windows", "arm64"}} {
		t.Run(target[0]+"_"+target[1], func(t *testing.T) {
			t.Parallel()
			b, err := Inspect(crossBuild(t, target[0], target[1], "0", hello))
			if err != nil {
				t.Fatal(err)
			}
			if b.GOOS != target[0] || b.GOARCH != target[1] || b.Static != (target[0] == "linux") || b.GoVersion == "" {
				t.Fatalf("Inspect = %+v", b)
			}
		})
	}
	t.Run("cgo", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("the dynamically linked case is built for the host, which must run Linux")
		}
		if _, err := exec.LookPath("gcc"); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("gcc is not installed (CI is set, so this fails instead of skipping)")
			}
			t.Skip("gcc is not installed: the dynamically linked case needs cgo")
		}
		exe := crossBuild(t, "linux", runtime.GOARCH, "1", "package main\n\n// int answer(void) { return 42; }\nimport \"C\"\n\nfunc main() { println(C.answer()) }\n")
		b, err := Inspect(exe)
		if err != nil {
			t.Fatal(err)
		}
		if b.Static {
			t.Fatalf("a cgo build is reported static: %+v", b)
		}
		if _, err := PlatformTags("linux", runtime.GOARCH, b); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a dynamically linked binary got tags: %v", err)
		}
	})
	t.Run("not an executable", func(t *testing.T) {
		if _, err := Inspect([]byte("#!/bin/sh\necho hi\n")); !errors.Is(err, ErrInvalid) {
			t.Fatalf("Inspect(script) = %v, want ErrInvalid", err)
		}
	})
}
