package ignore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
	"github.com/pycguard/pycguard/internal/safefile"
)

var bytecodeLines = []string{"__pycache__/", "*.py[codz]", "*$py.class"}

const addedLF = BytecodeHeader + "\n__pycache__/\n*.py[codz]\n*$py.class\n"

// TestAppendRoundTrips: every existing byte stays, the addition follows
// the file's conventions, git reads the result, and a second run changes
// nothing.
func TestAppendRoundTrips(t *testing.T) {
	crlf := strings.ReplaceAll(addedLF, "\n", "\r\n")
	cases := []struct {
		name      string
		before    *string // nil: no file
		want      string
		wantAdded int
	}{
		{"LF", ptr("*.log\n"), "*.log\n\n" + addedLF, 3},
		{"LF ending in a blank line", ptr("*.log\n\n"), "*.log\n\n" + addedLF, 3},
		{"CRLF", ptr("*.log\r\n.env\r\n"), "*.log\r\n.env\r\n\r\n" + crlf, 3},
		{"no final newline", ptr("*.log"), "*.log\n\n" + addedLF, 3},
		{"CRLF no final newline", ptr("*.log\r\nx"), "*.log\r\nx\r\n\r\n" + crlf, 3},
		{"BOM", ptr("\xef\xbb\xbf*.log\n"), "\xef\xbb\xbf*.log\n\n" + addedLF, 3},
		{"BOM only", ptr("\xef\xbb\xbf"), "\xef\xbb\xbf" + addedLF, 3},
		{"empty", ptr(""), addedLF, 3},
		{"absent", nil, addedLF, 3},
		{"some present", ptr("__pycache__/\n"), "__pycache__/\n\n" + BytecodeHeader + "\n*.py[codz]\n*$py.class\n", 2},
		{"present with CRLF and trailing spaces", ptr("*.py[codz]  \r\n"), "*.py[codz]  \r\n\r\n" + BytecodeHeader + "\r\n__pycache__/\r\n*$py.class\r\n", 2},
		{"all present", ptr("# mine\n__pycache__/\n*.py[codz]\n*$py.class"), "# mine\n__pycache__/\n*.py[codz]\n*$py.class", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			path := filepath.Join(r.Dir, ".gitignore")
			if tc.before != nil {
				if err := os.WriteFile(path, []byte(*tc.before), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Append(path, bytecodeLines, BytecodeHeader)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Added) != tc.wantAdded || res.Created != (tc.before == nil) {
				t.Errorf("result %+v", res)
			}
			got := readString(t, path)
			if got != tc.want {
				t.Errorf("file is\n%q\nwant\n%q", got, tc.want)
			}
			if tc.before != nil && !strings.HasPrefix(got, *tc.before) {
				t.Errorf("existing bytes changed")
			}
			wantMode := os.FileMode(0o640)
			if tc.before == nil {
				wantMode = 0o644
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != wantMode {
				t.Errorf("mode %v, want %v", fi.Mode().Perm(), wantMode)
			}
			// git now ignores bytecode through the appended lines.
			r.Write("pkg/__pycache__/m.pyc", "")
			out := r.Git("check-ignore", "--no-index", "-v", "-n", "x.pyc", "x.pyz", "Foo$py.class", "pkg/__pycache__")
			if strings.Contains(out, "::\t") {
				t.Errorf("git does not ignore everything after the append:\n%s", out)
			}
			again, err := Append(path, bytecodeLines, BytecodeHeader)
			if err != nil || again.Changed() {
				t.Errorf("second append: %+v %v", again, err)
			}
			if readString(t, path) != got {
				t.Errorf("second append changed the file")
			}
			assertNoTemp(t, r.Dir)
		})
	}
}

func ptr(s string) *string { return &s }

func readString(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func assertNoTemp(t testing.TB, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "pycguard-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestAppendRefusesSymlink: a .gitignore that is a symbolic link (to a file
// inside or outside the repository, or dangling) is refused and nothing is
// written, neither the link nor its target.
func TestAppendRefusesSymlink(t *testing.T) {
	for _, target := range []string{"shared.ignore", "../outside/.bashrc", "missing"} {
		dir := filepath.Join(t.TempDir(), "repo")
		if err := os.MkdirAll(filepath.Join(dir, "..", "outside"), 0o755); err != nil {
			t.Fatal(err)
		}
		os.Mkdir(dir, 0o755)
		abs := filepath.Join(dir, target)
		if target != "missing" {
			if err := os.WriteFile(abs, []byte("*.log\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		link := filepath.Join(dir, ".gitignore")
		if err := os.Symlink(target, link); err != nil {
			t.Skip("no symbolic links:", err)
		}
		if err := CheckAppendable(link); !errors.Is(err, ErrSymlink) {
			t.Errorf("%s: CheckAppendable: %v, want ErrSymlink", target, err)
		}
		_, err := Append(link, bytecodeLines, BytecodeHeader)
		if !errors.Is(err, ErrSymlink) || !strings.Contains(err.Error(), "git does not read a symlinked .gitignore") {
			t.Errorf("%s: %v, want ErrSymlink saying git does not read it", target, err)
		}
		if target != "missing" {
			if got := readString(t, abs); got != "*.log\n" {
				t.Errorf("%s: the link's target changed: %q", target, got)
			}
		} else if _, err := os.Lstat(abs); err == nil {
			t.Errorf("the dangling link's target was created")
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: the link is no longer a link: %v %v", target, fi, err)
		}
		assertNoTemp(t, dir)
	}
}

// TestAppendReadBudget: a .gitignore larger than git reads (a sparse file)
// is refused before it is read.
func TestAppendReadBudget(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".gitignore")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Skip("no sparse files:", err)
	}
	f.Close()
	if _, err := Append(p, bytecodeLines, BytecodeHeader); !errors.Is(err, safefile.ErrTooLarge) {
		t.Errorf("a %d-byte .gitignore: %v, want ErrTooLarge", MaxFileSize+1, err)
	}
	if fi, _ := os.Stat(p); fi.Size() != MaxFileSize+1 {
		t.Errorf("the file changed size: %d", fi.Size())
	}
}

func TestAppendRefusesReadOnlyAndDirectory(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro", ".gitignore")
	os.MkdirAll(filepath.Dir(ro), 0o755)
	if err := os.WriteFile(ro, []byte("*.log\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	if _, err := Append(ro, bytecodeLines, BytecodeHeader); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only: err = %v, want ErrReadOnly", err)
	}
	if got := readString(t, ro); got != "*.log\n" {
		t.Errorf("read-only file changed: %q", got)
	}
	d := filepath.Join(dir, "d", ".gitignore")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Append(d, bytecodeLines, BytecodeHeader); !errors.Is(err, ErrNotRegularFile) {
		t.Errorf("directory: err = %v, want ErrNotRegularFile", err)
	}
	assertNoTemp(t, filepath.Dir(ro))
	assertNoTemp(t, filepath.Dir(d))
}

func TestAppendMillionLines(t *testing.T) {
	var b bytes.Buffer
	for i := 0; i < 1_000_000; i++ {
		b.WriteString("generated/file-")
		b.WriteString(itoa(i))
		b.WriteString(".txt\r\n")
	}
	before := b.Bytes()
	path := filepath.Join(t.TempDir(), ".gitignore")
	if err := os.WriteFile(path, before, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Append(path, bytecodeLines, BytecodeHeader)
	if err != nil || len(res.Added) != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.HasPrefix(got, before) || string(got[len(before):]) != "\r\n"+strings.ReplaceAll(addedLF, "\n", "\r\n") {
		t.Errorf("tail after the million lines: %q", got[len(before):])
	}
	if again, err := Append(path, bytecodeLines, BytecodeHeader); err != nil || again.Changed() {
		t.Errorf("second append: %+v %v", again, err)
	}
}

func TestAppendSectionsHeaders(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".gitignore")
	secs := []Section{
		{Header: []string{"# A"}, Lines: []TemplateLine{{Text: "a"}}},
		{Header: []string{"# B", "#   more"}, Lines: []TemplateLine{{Text: "b/"}, {Text: "a"}}},
		{Header: []string{"# C"}, Lines: []TemplateLine{{Text: "a"}}}, // nothing new: no header
	}
	if _, err := AppendSections(path, secs); err != nil {
		t.Fatal(err)
	}
	if got, want := readString(t, path), "# A\na\n\n# B\n#   more\nb/\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
