package wheel

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func sample() *Wheel {
	return &Wheel{
		Metadata: Metadata{
			Name:                   "pycguard",
			Version:                "1.2.3rc1",
			Summary:                "Keep Python bytecode out of git",
			Description:            []byte("# pycguard\n\nReadme text.\n"),
			DescriptionContentType: "text/markdown",
			Keywords:               []string{"git", "pre-commit"},
			Classifiers:            []string{"Environment :: Console"},
			ProjectURLs:            []ProjectURL{{"Homepage", "https://example.com/pycguard"}, {"Issues", "https://example.com/pycguard/issues"}},
			License:                "MIT",
			LicenseFiles:           []File{{"LICENSE", []byte("license text\n")}},
		},
		Tags:       []string{"manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64"},
		Executable: File{"pycguard", []byte("\x7fELF not really, but bytes with a , and \n in them")},
		Generator:  "test",
		Modified:   time.Date(2025, 3, 4, 5, 6, 8, 0, time.UTC),
	}
}

func write(t *testing.T, w *Wheel) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := w.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readAll(t *testing.T, f *zip.File) []byte {
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

func TestFilename(t *testing.T) {
	w := sample()
	want := "pycguard-1.2.3rc1-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64.whl"
	if got := w.Filename(); got != want {
		t.Fatalf("Filename() = %q, want %q", got, want)
	}
	w.Metadata.Name = "Py.C--Guard"
	if got := w.Filename(); !strings.HasPrefix(got, "py_c_guard-1.2.3rc1-") {
		t.Fatalf("a name with separators is not normalised: %q", got)
	}
}

// The archive holds exactly the executable, the license, METADATA, WHEEL
// and RECORD; RECORD lists every other entry with the sha256 (URL-safe
// base64, no padding) and size of the bytes actually stored, and itself
// with empty fields; the executable's mode is 0o100755 (with the
// regular-file bit pip needs), every other file's 0o100644.
func TestWriteRecordAndModes(t *testing.T) {
	data := write(t, sample())
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	const di = "pycguard-1.2.3rc1.dist-info/"
	wantNames := []string{
		"pycguard-1.2.3rc1.data/scripts/pycguard",
		di + "licenses/LICENSE",
		di + "METADATA",
		di + "WHEEL",
		di + "RECORD",
	}
	var names []string
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		files[f.Name] = f
	}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("entries %q, want %q", names, wantNames)
	}

	for _, f := range zr.File {
		want := uint32(ModeFile)
		if strings.Contains(f.Name, ".data/scripts/") {
			want = ModeExecutable
		}
		if got := f.ExternalAttrs >> 16; got != want {
			t.Errorf("%s: mode %o in the external attributes, want %o", f.Name, got, want)
		}
		if f.CreatorVersion>>8 != 3 {
			t.Errorf("%s: not marked as made on Unix (creator %d): readers would ignore the mode", f.Name, f.CreatorVersion>>8)
		}
		if !f.Modified.Equal(time.Date(2025, 3, 4, 5, 6, 8, 0, time.UTC)) {
			t.Errorf("%s: modified %v", f.Name, f.Modified)
		}
	}
	if m := files[wantNames[0]].Mode(); m != 0o755 {
		t.Errorf("archive/zip reads the executable's mode as %v", m)
	}

	rows, err := csv.NewReader(bytes.NewReader(readAll(t, files[di+"RECORD"]))).ReadAll()
	if err != nil {
		t.Fatalf("RECORD is not CSV: %v", err)
	}
	hashRE := regexp.MustCompile(`^sha256=[A-Za-z0-9_-]{43}$`)
	listed := map[string]bool{}
	for _, row := range rows {
		if len(row) != 3 {
			t.Fatalf("RECORD row %q has %d fields", row, len(row))
		}
		name, hash, size := row[0], row[1], row[2]
		if listed[name] {
			t.Errorf("RECORD lists %s twice", name)
		}
		listed[name] = true
		f, ok := files[name]
		if !ok {
			t.Errorf("RECORD lists %s, which is not in the archive", name)
			continue
		}
		if name == di+"RECORD" {
			if hash != "" || size != "" {
				t.Errorf("RECORD's own row %q must have empty hash and size", row)
			}
			continue
		}
		content := readAll(t, f)
		sum := sha256.Sum256(content)
		if !hashRE.MatchString(hash) || hash != "sha256="+base64.RawURLEncoding.EncodeToString(sum[:]) {
			t.Errorf("%s: RECORD hash %q does not match the stored bytes", name, hash)
		}
		if size != strconv.Itoa(len(content)) {
			t.Errorf("%s: RECORD size %s, stored %d bytes", name, size, len(content))
		}
	}
	for name := range files {
		if !listed[name] {
			t.Errorf("%s is not in RECORD", name)
		}
	}
	if got := readAll(t, files[wantNames[0]]); !bytes.Equal(got, sample().Executable.Data) {
		t.Error("the stored executable differs from the input")
	}

	wheelFile := string(readAll(t, files[di+"WHEEL"]))
	wantWheel := "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n" +
		"Tag: py3-none-manylinux_2_17_x86_64\nTag: py3-none-manylinux2014_x86_64\nTag: py3-none-musllinux_1_1_x86_64\n"
	if wheelFile != wantWheel {
		t.Errorf("WHEEL:\n%s\nwant:\n%s", wheelFile, wantWheel)
	}

	metadata := string(readAll(t, files[di+"METADATA"]))
	wantMetadata := `Metadata-Version: 2.4
Name: pycguard
Version: 1.2.3rc1
Summary: Keep Python bytecode out of git
Keywords: git,pre-commit
Project-URL: Homepage, https://example.com/pycguard
Project-URL: Issues, https://example.com/pycguard/issues
License-Expression: MIT
License-File: LICENSE
Classifier: Environment :: Console
Description-Content-Type: text/markdown

# pycguard

Readme text.
`
	if metadata != wantMetadata {
		t.Errorf("METADATA:\n%s\nwant:\n%s", metadata, wantMetadata)
	}
}

// Without a license the metadata stays at version 2.1, which every pip
// reads.
func TestMetadataWithoutLicense(t *testing.T) {
	w := sample()
	w.Metadata.License, w.Metadata.LicenseFiles = "", nil
	data := write(t, w)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.Contains(f.Name, "licenses/") {
			t.Errorf("unexpected %s", f.Name)
		}
		if strings.HasSuffix(f.Name, "/METADATA") {
			m := string(readAll(t, f))
			if !strings.HasPrefix(m, "Metadata-Version: 2.1\n") || strings.Contains(m, "License") {
				t.Errorf("METADATA:\n%s", m)
			}
		}
	}
}

func TestWriteIsReproducible(t *testing.T) {
	if a, b := write(t, sample()), write(t, sample()); !bytes.Equal(a, b) {
		t.Fatal("two writes of the same wheel differ")
	}
	w := sample()
	w.Modified = time.Time{}
	data := write(t, w)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := zr.File[0].Modified; !got.Equal(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("zero time stored as %v, want zip's epoch", got)
	}
}

func TestWriteRefuses(t *testing.T) {
	for name, change := range map[string]func(*Wheel){
		"bad name":              func(w *Wheel) { w.Metadata.Name = "-x" },
		"version not normal":    func(w *Wheel) { w.Metadata.Version = "1.2.3-rc.1" },
		"no tags":               func(w *Wheel) { w.Tags = nil },
		"bad tag":               func(w *Wheel) { w.Tags = []string{"manylinux x86"} },
		"empty executable":      func(w *Wheel) { w.Executable.Data = nil },
		"executable in a dir":   func(w *Wheel) { w.Executable.Name = "bin/pycguard" },
		"line break in summary": func(w *Wheel) { w.Metadata.Summary = "a\nMetadata-Version: 9" },
		"license file path":     func(w *Wheel) { w.Metadata.LicenseFiles[0].Name = "../LICENSE" },
		"comma in URL label":    func(w *Wheel) { w.Metadata.ProjectURLs[0].Label = "a,b" },
	} {
		w := sample()
		change(w)
		var b bytes.Buffer
		if err := w.Write(&b); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Write returned %v, want ErrInvalid", name, err)
		}
	}
}

func TestVersion(t *testing.T) {
	for tag, want := range map[string]string{
		"1.2.3":              "1.2.3",
		"v1.2.3":             "1.2.3",
		"v01.02.03":          "1.2.3",
		"1.2.3-rc.1":         "1.2.3rc1",
		"1.2.3-rc1":          "1.2.3rc1",
		"1.2.3-RC.2":         "1.2.3rc2",
		"1.2.3-alpha":        "1.2.3a0",
		"1.2.3-beta.4":       "1.2.3b4",
		"1.2.3-pre.1":        "1.2.3rc1",
		"0.0.1-next":         "0.0.1.dev0",
		"0.0.1-dev.7":        "0.0.1.dev7",
		"1.0.0+abc123":       "1.0.0+abc123",
		"1.0.0-rc.1+Build-5": "1.0.0rc1+build.5",
	} {
		got, err := Version(tag)
		if err != nil || got != want {
			t.Errorf("Version(%q) = %q, %v; want %q", tag, got, err, want)
		}
	}
	for _, tag := range []string{"", "v", "1.x", "1..2", "1.2.3-", "1.2.3-foo", "1.2.3-rc.1.2", "1.2.3-SNAPSHOT-abc1234", "1.0+", "1.0+a b", "-1.0"} {
		if got, err := Version(tag); !errors.Is(err, ErrInvalid) {
			t.Errorf("Version(%q) = %q, %v; want ErrInvalid", tag, got, err)
		}
	}
}
