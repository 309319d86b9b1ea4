package wheel

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Metadata is a distribution's core metadata, written as METADATA.
type Metadata struct {
	Name                   string // as published, e.g. "pycguard"
	Version                string // PEP 440 normal form (see Version)
	Summary                string
	Description            []byte // the long description, e.g. the README
	DescriptionContentType string // e.g. "text/markdown"
	Keywords               []string
	Classifiers            []string
	ProjectURLs            []ProjectURL
	License                string // an SPDX expression; empty: none declared
	LicenseFiles           []File // written to .dist-info/licenses/
}

// ProjectURL is one Project-URL line: a label and an address.
type ProjectURL struct{ Label, URL string }

// File is a named file's content.
type File struct {
	Name string
	Data []byte
}

// Wheel is a binary wheel holding one executable.
type Wheel struct {
	Metadata   Metadata
	Tags       []string  // platform tags, e.g. manylinux_2_17_x86_64 (see PlatformTags)
	Executable File      // Name is the installed command, "pycguard" or "pycguard.exe"
	Generator  string    // the WHEEL file's Generator line
	Modified   time.Time // every entry's time; zero: 1980-01-01, zip's earliest
}

// ErrInvalid reports a wheel that cannot be written as described.
var ErrInvalid = errors.New("invalid wheel")

// The zip entries' Unix modes. The regular-file type bit (0o100000) is
// what makes pip restore the execute bit; see the package documentation.
const (
	ModeExecutable = 0o100755
	ModeFile       = 0o100644
)

var (
	nameRE = regexp.MustCompile(`^(?i:[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$`)
	// versionRE accepts PEP 440's normal form, as Version writes it.
	versionRE = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?(\+[a-z0-9]+(\.[a-z0-9]+)*)?$`)
	tagRE     = regexp.MustCompile(`^[a-z0-9_]+$`)
	fileRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	runRE     = regexp.MustCompile(`[-_.]+`)
)

// normalizedName is the name as it appears in file and directory names:
// lower case, each run of "-", "_" and "." one "_".
func normalizedName(name string) string {
	return strings.ToLower(runRE.ReplaceAllString(name, "_"))
}

// Filename is the wheel's file name,
// {name}-{version}-py3-none-{tag}[.{tag}...].whl.
func (w *Wheel) Filename() string {
	return fmt.Sprintf("%s-%s-py3-none-%s.whl", normalizedName(w.Metadata.Name), w.Metadata.Version, strings.Join(w.Tags, "."))
}

func (w *Wheel) validate() error {
	m := &w.Metadata
	switch {
	case !nameRE.MatchString(m.Name):
		return fmt.Errorf("%w: distribution name %q", ErrInvalid, m.Name)
	case !versionRE.MatchString(m.Version):
		return fmt.Errorf("%w: version %q is not in PEP 440 normal form", ErrInvalid, m.Version)
	case len(w.Tags) == 0:
		return fmt.Errorf("%w: no platform tag", ErrInvalid)
	case !fileRE.MatchString(w.Executable.Name):
		return fmt.Errorf("%w: executable name %q", ErrInvalid, w.Executable.Name)
	case len(w.Executable.Data) == 0:
		return fmt.Errorf("%w: the executable is empty", ErrInvalid)
	}
	for _, t := range w.Tags {
		if !tagRE.MatchString(t) {
			return fmt.Errorf("%w: platform tag %q", ErrInvalid, t)
		}
	}
	for _, f := range m.LicenseFiles {
		if !fileRE.MatchString(f.Name) {
			return fmt.Errorf("%w: license file name %q", ErrInvalid, f.Name)
		}
	}
	return nil
}

// Write writes the wheel as a zip archive to out. The archive's bytes
// depend only on w: the same binary and metadata give the same wheel.
func (w *Wheel) Write(out io.Writer) error {
	if err := w.validate(); err != nil {
		return err
	}
	metadata, err := w.metadataFile()
	if err != nil {
		return err
	}
	base := normalizedName(w.Metadata.Name) + "-" + w.Metadata.Version
	distInfo := base + ".dist-info/"
	modified := w.Modified
	if modified.Before(zipEpoch) {
		modified = zipEpoch
	}

	zw := zip.NewWriter(out)
	put := func(name string, mode uint32, data []byte) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()}
		h.CreatorVersion = 3<<8 | 20 // made on Unix: readers take the mode from ExternalAttrs
		h.ExternalAttrs = mode << 16
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	var record bytes.Buffer
	rec := csv.NewWriter(&record)
	add := func(name string, mode uint32, data []byte) error {
		if err := put(name, mode, data); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		return rec.Write([]string{name, "sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]), strconv.Itoa(len(data))})
	}

	if err := add(base+".data/scripts/"+w.Executable.Name, ModeExecutable, w.Executable.Data); err != nil {
		return err
	}
	for _, f := range w.Metadata.LicenseFiles {
		if err := add(distInfo+"licenses/"+f.Name, ModeFile, f.Data); err != nil {
			return err
		}
	}
	if err := add(distInfo+"METADATA", ModeFile, metadata); err != nil {
		return err
	}
	if err := add(distInfo+"WHEEL", ModeFile, w.wheelFile()); err != nil {
		return err
	}
	if err := rec.Write([]string{distInfo + "RECORD", "", ""}); err != nil {
		return err
	}
	rec.Flush()
	if err := rec.Error(); err != nil {
		return err
	}
	if err := put(distInfo+"RECORD", ModeFile, record.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// metadataFile renders METADATA: version 2.1 fields, and 2.4 when a license
// is declared (License-Expression, License-File).
func (w *Wheel) metadataFile() ([]byte, error) {
	m := &w.Metadata
	var b bytes.Buffer
	var bad error
	field := func(k, v string) {
		if strings.ContainsAny(v, "\r\n") {
			bad = fmt.Errorf("%w: METADATA field %s holds a line break", ErrInvalid, k)
		}
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	version := "2.1"
	if m.License != "" || len(m.LicenseFiles) > 0 {
		version = "2.4"
	}
	field("Metadata-Version", version)
	field("Name", m.Name)
	field("Version", m.Version)
	field("Summary", m.Summary)
	field("Keywords", strings.Join(m.Keywords, ","))
	for _, u := range m.ProjectURLs {
		if strings.Contains(u.Label, ",") {
			return nil, fmt.Errorf("%w: project URL label %q holds a comma", ErrInvalid, u.Label)
		}
		field("Project-URL", u.Label+", "+u.URL)
	}
	field("License-Expression", m.License)
	for _, f := range m.LicenseFiles {
		field("License-File", f.Name)
	}
	for _, c := range m.Classifiers {
		field("Classifier", c)
	}
	if len(m.Description) > 0 {
		field("Description-Content-Type", m.DescriptionContentType)
	}
	if bad != nil {
		return nil, bad
	}
	if len(m.Description) > 0 {
		b.WriteByte('\n')
		b.Write(m.Description)
	}
	return b.Bytes(), nil
}

// wheelFile renders WHEEL: one Tag line per tag of the compressed set.
func (w *Wheel) wheelFile() []byte {
	var b bytes.Buffer
	b.WriteString("Wheel-Version: 1.0\n")
	if w.Generator != "" {
		fmt.Fprintf(&b, "Generator: %s\n", w.Generator)
	}
	b.WriteString("Root-Is-Purelib: false\n")
	for _, t := range w.Tags {
		fmt.Fprintf(&b, "Tag: py3-none-%s\n", t)
	}
	return b.Bytes()
}
