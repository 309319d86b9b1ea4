package wheel

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"fmt"
	"strconv"
	"strings"
)

// Binary is what PlatformTags needs to know about an executable, read from
// the executable itself by Inspect.
type Binary struct {
	GOOS      string // "linux", "darwin" or "windows", from the file format
	GOARCH    string // "amd64" or "arm64", from the machine type
	Static    bool   // no program interpreter and no shared library needed (ELF only)
	GoVersion string // the Go release that built it, e.g. "go1.26.8"
}

// Inspect reads an executable's format, architecture, linking and Go
// version. It fails for a file that is not a Go executable for one of the
// architectures wheels are made for.
func Inspect(exe []byte) (Binary, error) {
	var b Binary
	r := bytes.NewReader(exe)
	info, err := buildinfo.Read(r)
	if err != nil {
		return b, fmt.Errorf("%w: not a Go executable: %v", ErrInvalid, err)
	}
	b.GoVersion = info.GoVersion
	if f, err := elf.NewFile(r); err == nil {
		b.GOOS = "linux"
		switch f.Machine {
		case elf.EM_X86_64:
			b.GOARCH = "amd64"
		case elf.EM_AARCH64:
			b.GOARCH = "arm64"
		}
		interp := false
		for _, p := range f.Progs {
			interp = interp || p.Type == elf.PT_INTERP
		}
		libs, err := f.ImportedLibraries()
		b.Static = err == nil && len(libs) == 0 && !interp
	} else if f, err := macho.NewFile(r); err == nil {
		b.GOOS = "darwin"
		switch f.Cpu {
		case macho.CpuAmd64:
			b.GOARCH = "amd64"
		case macho.CpuArm64:
			b.GOARCH = "arm64"
		}
	} else if f, err := pe.NewFile(r); err == nil {
		b.GOOS = "windows"
		switch f.Machine {
		case pe.IMAGE_FILE_MACHINE_AMD64:
			b.GOARCH = "amd64"
		case pe.IMAGE_FILE_MACHINE_ARM64:
			b.GOARCH = "arm64"
		}
	} else {
		return b, fmt.Errorf("%w: neither ELF, Mach-O nor PE", ErrInvalid)
	}
	if b.GOARCH == "" {
		return b, fmt.Errorf("%w: a %s executable for an architecture other than amd64 and arm64", ErrInvalid, b.GOOS)
	}
	return b, nil
}

// linuxMachine names Go's architectures as Linux platform tags do.
var linuxMachine = map[string]string{"amd64": "x86_64", "arm64": "aarch64"}

// macOSMinimum is the oldest macOS each Go release runs on (Go's release
// notes: 1.21 requires macOS 10.15, 1.23 macOS 11, 1.25 macOS 12; Go 1.26
// is the last to support macOS 12). A release not listed is refused, so a
// newer Go cannot silently produce wheels tagged for systems it dropped.
var macOSMinimum = map[int]string{21: "10_15", 22: "10_15", 23: "11_0", 24: "11_0", 25: "12_0", 26: "12_0"}

// PlatformTags returns the platform tags of a wheel carrying b, built for
// goos/goarch, most specific first. It refuses a binary that was built for
// another target than the one named, and a Linux binary that is not static.
//
//   - linux: manylinux_2_17 (= manylinux2014, the oldest policy with aarch64;
//     Go needs a 3.2 kernel, which every manylinux2014 system has) and
//     musllinux_1_1: a static binary uses neither glibc nor musl.
//   - darwin: macosx_<the Go release's minimum>_{x86_64,arm64}, never below
//     11.0 for arm64 (the first macOS on Apple silicon).
//   - windows: win_amd64, win_arm64.
func PlatformTags(goos, goarch string, b Binary) ([]string, error) {
	if b.GOOS != goos || b.GOARCH != goarch {
		return nil, fmt.Errorf("%w: the executable is for %s/%s, not %s/%s", ErrInvalid, b.GOOS, b.GOARCH, goos, goarch)
	}
	switch goos {
	case "linux":
		if !b.Static {
			return nil, fmt.Errorf("%w: the linux executable is dynamically linked (build it with CGO_ENABLED=0): a manylinux/musllinux tag would be wrong", ErrInvalid)
		}
		m := linuxMachine[goarch]
		return []string{"manylinux_2_17_" + m, "manylinux2014_" + m, "musllinux_1_1_" + m}, nil
	case "darwin":
		minor, err := goMinor(b.GoVersion)
		if err != nil {
			return nil, err
		}
		min, ok := macOSMinimum[minor]
		if !ok {
			return nil, fmt.Errorf("%w: the oldest macOS that %s supports is not known here; add it to macOSMinimum from its release notes", ErrInvalid, b.GoVersion)
		}
		if goarch == "arm64" {
			if major, _, _ := strings.Cut(min, "_"); major == "10" {
				min = "11_0"
			}
			return []string{"macosx_" + min + "_arm64"}, nil
		}
		return []string{"macosx_" + min + "_x86_64"}, nil
	case "windows":
		return []string{"win_" + goarch}, nil
	}
	return nil, fmt.Errorf("%w: no wheel platform for %s/%s", ErrInvalid, goos, goarch)
}

// goMinor returns 26 for "go1.26.8" (or "go1.26rc1", "go1.26.8 X:exp").
func goMinor(v string) (int, error) {
	rest, ok := strings.CutPrefix(v, "go1.")
	if ok {
		end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if end < 0 {
			end = len(rest)
		}
		if n, err := strconv.Atoi(rest[:end]); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: unrecognised Go version %q", ErrInvalid, v)
}

// ExecutableName is the installed command's file name on goos.
func ExecutableName(name, goos string) string {
	if goos == "windows" {
		return name + ".exe"
	}
	return name
}
