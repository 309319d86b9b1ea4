// Command releasewheel repacks one release binary as a binary wheel, and
// writes the pre-commit hook repository that installs it. .goreleaser.yaml
// runs it after building each target (a post-build hook), so the wheels
// carry the very binaries of the release:
//
//	go run ./releasewheel -binary DIST/pycguard_linux_amd64_v1/pycguard \
//	    -goos linux -goarch amd64 -version 1.2.3 -readme README.md \
//	    -out DIST [-mirror DIST/pre-commit-mirror -hooks .pre-commit-hooks.yaml]
//
// -version takes the release's version as the release tool gives it
// (1.2.3, 1.2.3-rc.1, 1.2.4-next) and writes its PEP 440 form. The wheel
// is written to a temporary file in -out and renamed into place, so a
// failed run leaves no partial wheel. Exit status 0 on success, 2 on any
// failure (the message says what failed).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pycguard/pycguard/tools/wheel"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// project is pycguard's metadata as a Python package index shows it.
var project = wheel.Metadata{
	Name:                   "pycguard",
	Summary:                "Keep Python bytecode out of git: a pre-commit hook, repository sanitizer and cleaner in one static binary",
	DescriptionContentType: "text/markdown",
	Keywords:               []string{"git", "pre-commit", "hook", "bytecode", "pyc", "__pycache__"},
	Classifiers: []string{
		"Development Status :: 4 - Beta",
		"Environment :: Console",
		"Intended Audience :: Developers",
		"Operating System :: MacOS",
		"Operating System :: Microsoft :: Windows",
		"Operating System :: POSIX :: Linux",
		"Programming Language :: Go",
		"Topic :: Software Development :: Quality Assurance",
		"Topic :: Software Development :: Version Control :: Git",
	},
	ProjectURLs: []wheel.ProjectURL{
		{Label: "Homepage", URL: "https://github.com/pycguard/pycguard"},
		{Label: "Source", URL: "https://github.com/pycguard/pycguard"},
		{Label: "Issues", URL: "https://github.com/pycguard/pycguard/issues"},
		{Label: "Changelog", URL: "https://github.com/pycguard/pycguard/releases"},
	},
}

type options struct {
	binary, goos, goarch, version, readme, out string
	licenseFile, license                       string
	mtime                                      string
	mirror, hooks                              string
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("releasewheel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.binary, "binary", "", "the release binary to repack (required)")
	fs.StringVar(&o.goos, "goos", "", "the binary's GOOS (required)")
	fs.StringVar(&o.goarch, "goarch", "", "the binary's GOARCH (required)")
	fs.StringVar(&o.version, "version", "", "the release version, e.g. 1.2.3 or 1.2.4-next (required)")
	fs.StringVar(&o.readme, "readme", "", "Markdown file for the long description (required)")
	fs.StringVar(&o.out, "out", "", "directory the wheel is written to (required)")
	fs.StringVar(&o.licenseFile, "license-file", "", "license file to ship in .dist-info/licenses/")
	fs.StringVar(&o.license, "license", "", "SPDX license expression for License-Expression")
	fs.StringVar(&o.mtime, "mtime", "", "Unix time stored for every entry (e.g. the commit's), for reproducible wheels")
	fs.StringVar(&o.mirror, "mirror", "", "also write the pre-commit hook repository (language: python) to this directory")
	fs.StringVar(&o.hooks, "hooks", "", "the project's .pre-commit-hooks.yaml, which -mirror derives its hooks from")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := release(o, stdout); err != nil {
		fmt.Fprintln(stderr, "releasewheel:", err)
		return 2
	}
	return 0
}

func release(o options, stdout io.Writer) error {
	if o.binary == "" || o.goos == "" || o.goarch == "" || o.version == "" || o.readme == "" || o.out == "" {
		return errors.New("-binary, -goos, -goarch, -version, -readme and -out are required")
	}
	if (o.mirror == "") != (o.hooks == "") {
		return errors.New("-mirror and -hooks go together")
	}
	version, err := wheel.Version(o.version)
	if err != nil {
		return err
	}
	exe, err := os.ReadFile(o.binary)
	if err != nil {
		return err
	}
	bin, err := wheel.Inspect(exe)
	if err != nil {
		return fmt.Errorf("%s: %w", o.binary, err)
	}
	tags, err := wheel.PlatformTags(o.goos, o.goarch, bin)
	if err != nil {
		return fmt.Errorf("%s: %w", o.binary, err)
	}
	readme, err := os.ReadFile(o.readme)
	if err != nil {
		return err
	}
	w := &wheel.Wheel{
		Metadata:   project,
		Tags:       tags,
		Executable: wheel.File{Name: wheel.ExecutableName("pycguard", o.goos), Data: exe},
		Generator:  "pycguard releasewheel",
	}
	w.Metadata.Version = version
	w.Metadata.Description = readme
	w.Metadata.License = o.license
	if o.licenseFile != "" {
		data, err := os.ReadFile(o.licenseFile)
		if err != nil {
			return err
		}
		w.Metadata.LicenseFiles = []wheel.File{{Name: filepath.Base(o.licenseFile), Data: data}}
	}
	if o.mtime != "" {
		sec, err := strconv.ParseInt(o.mtime, 10, 64)
		if err != nil {
			return fmt.Errorf("-mtime %q: not a Unix time", o.mtime)
		}
		w.Modified = time.Unix(sec, 0)
	}
	path := filepath.Join(o.out, w.Filename())
	if err := writeAtomic(path, 0o644, w.Write); err != nil {
		return err
	}
	fmt.Fprintln(stdout, path)
	if o.mirror != "" {
		manifest, err := os.ReadFile(o.hooks)
		if err != nil {
			return err
		}
		if err := writeMirror(o.mirror, o.version, version, manifest); err != nil {
			return err
		}
		fmt.Fprintln(stdout, o.mirror)
	}
	return nil
}

// writeAtomic writes a file through a temporary file in the same directory
// and a rename, so the path holds either nothing or the whole content.
func writeAtomic(path string, mode os.FileMode, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename, a no-op
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
