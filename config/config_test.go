package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadPrecedence(t *testing.T) {
	const own = "allow = [\"own/*.pyc\"]\n"
	const py = "[project]\nname = \"x\"\n[tool.pycguard]\nallow = [\"py/*.pyc\"]\n[tool.black]\nline-length = 99\n"
	cases := []struct {
		name         string
		files        map[string]string
		explicit     string
		wantAllow    []string
		wantSource   string
		wantShadowed string
	}{
		{name: "none", files: nil, wantSource: ""},
		{name: "pyproject only", files: map[string]string{PyprojectName: py}, wantAllow: []string{"py/*.pyc"}, wantSource: PyprojectName},
		{name: "pyproject without our table", files: map[string]string{PyprojectName: "[project]\nname = \"x\"\n[tool.ruff]\nfoo = 1\n"}},
		{name: "own only", files: map[string]string{FileName: own}, wantAllow: []string{"own/*.pyc"}, wantSource: FileName},
		{name: "own wins over pyproject", files: map[string]string{FileName: own, PyprojectName: py},
			wantAllow: []string{"own/*.pyc"}, wantSource: FileName, wantShadowed: PyprojectName},
		{name: "own wins over a broken pyproject", files: map[string]string{FileName: own, PyprojectName: "[tool.pycguard]\nallow = 3\n"},
			wantAllow: []string{"own/*.pyc"}, wantSource: FileName, wantShadowed: PyprojectName},
		{name: "explicit wins over both", files: map[string]string{FileName: own, PyprojectName: py, "ci.toml": "extra = [\"*.pyd\"]\n"},
			explicit: "ci.toml", wantSource: "ci.toml"},
		{name: "explicit pyproject reads the table", files: map[string]string{FileName: own, "other-pyproject.toml": py, PyprojectName: py},
			explicit: PyprojectName, wantAllow: []string{"py/*.pyc"}, wantSource: PyprojectName},
		{name: "empty own file", files: map[string]string{FileName: ""}, wantSource: FileName},
		{name: "empty table", files: map[string]string{PyprojectName: "[tool.pycguard]\n"}, wantSource: PyprojectName},
		{name: "dotted keys", files: map[string]string{PyprojectName: "tool.pycguard.allow = [\"a.pyc\"]\n"}, wantAllow: []string{"a.pyc"}, wantSource: PyprojectName},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, content := range c.files {
				write(t, dir, n, content)
			}
			cfg, err := Load(dir, dir, c.explicit)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.Allow, c.wantAllow) || cfg.Source != c.wantSource || cfg.Shadowed != c.wantShadowed {
				t.Errorf("got allow %q source %q shadowed %q, want %q %q %q",
					cfg.Allow, cfg.Source, cfg.Shadowed, c.wantAllow, c.wantSource, c.wantShadowed)
			}
		})
	}
}

func TestLoadAllKeys(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, FileName, "# comment\nallow = ['tests/fixtures/**']\nextra = [\"*.pyd\", \"*.pyz\"]\nexclude = [\"vendor/\"]\n")
	cfg, err := Load(dir, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Allow, []string{"tests/fixtures/**"}) || !slices.Equal(cfg.Extra, []string{"*.pyd", "*.pyz"}) ||
		!slices.Equal(cfg.Exclude, []string{"vendor/"}) || cfg.IsZero() {
		t.Errorf("got %+v", cfg)
	}
}

// Every malformed file is an *Error at the position of the mistake.
func TestLoadInvalid(t *testing.T) {
	cases := []struct {
		name, file, content string
		line, col           int
	}{
		{"unknown key", FileName, "allow = []\nalow = [\"x\"]\n", 2, 1},
		{"unknown key in table", PyprojectName, "[project]\nname = \"x\"\n\n[tool.pycguard]\nallow = []\nblock = [\"*.pyd\"]\n", 6, 1},
		{"unknown subtable", PyprojectName, "[tool.pycguard.extra_rules]\nx = 1\n", 1, 2},
		{"string instead of array", FileName, "extra = \"*.pyd\"\n", 1, 9},
		{"integer in array", FileName, "allow = [\n  \"a.pyc\",\n  3,\n]\n", 3, 3},
		{"table not a table", PyprojectName, "[tool]\npycguard = 3\n", 2, 12},
		{"syntax error", FileName, "allow = [\"a.pyc\"\n", 1, 17},
		{"unclosed table header", PyprojectName, "[tool.pycguard\nallow = []\n", 1, 15},
		{"duplicate key", FileName, "allow = []\nallow = []\n", 2, 1},
		{"bad pyproject elsewhere", PyprojectName, "[tool.pycguard]\nallow = []\n[project\n", 3, 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, c.file, c.content)
			_, err := Load(dir, dir, "")
			var ce *Error
			if !errors.As(err, &ce) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a *config.Error", err)
			}
			if ce.File != c.file || ce.Line != c.line || ce.Col != c.col {
				t.Errorf("got %s, want %s:%d:%d", err, c.file, c.line, c.col)
			}
		})
	}
}

func TestLoadExplicitMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir, dir, "nope.toml")
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v", err)
	}
	write(t, dir, PyprojectName, "[project]\n")
	if _, err := Load(dir, dir, PyprojectName); !errors.Is(err, ErrInvalid) {
		t.Fatalf("explicit pyproject without the table: got %v", err)
	}
}

// The --config argument is relative to where pycguard runs, not to the
// work tree top.
func TestLoadExplicitRelativeToDir(t *testing.T) {
	top := t.TempDir()
	sub := filepath.Join(top, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, sub, "c.toml", "extra = [\"*.pyd\"]\n")
	cfg, err := Load(top, sub, "c.toml")
	if err != nil || !slices.Equal(cfg.Extra, []string{"*.pyd"}) {
		t.Fatalf("got %+v, %v", cfg, err)
	}
	cfg, err = Load(top, top, filepath.Join(sub, "c.toml"))
	if err != nil || !slices.Equal(cfg.Extra, []string{"*.pyd"}) {
		t.Fatalf("absolute: got %+v, %v", cfg, err)
	}
}

// IsPyproject decides by base name, with Windows separators and drive
// letters as well as POSIX ones (the test runs on every OS).
func TestIsPyproject(t *testing.T) {
	cases := []struct {
		p    string
		sep  byte
		want bool
	}{
		{"pyproject.toml", '/', true},
		{"sub/pyproject.toml", '/', true},
		{"/abs/pyproject.toml", '/', true},
		{"my-pyproject.toml", '/', false},
		{"pyproject.toml/x.toml", '/', false},
		{`sub\pyproject.toml`, '/', false}, // a POSIX file name with a backslash
		{`sub\pyproject.toml`, '\\', true},
		{`C:\repo\pyproject.toml`, '\\', true},
		{`C:pyproject.toml`, '\\', true}, // drive-relative
		{`C:pyproject.toml`, '/', false}, // a POSIX name
		{`C:/repo/pyproject.toml`, '\\', true},
		{`\\server\share\pyproject.toml`, '\\', true},
		{`C:\repo\.pycguard.toml`, '\\', false},
	}
	for _, c := range cases {
		if got := IsPyproject(c.p, c.sep); got != c.want {
			t.Errorf("IsPyproject(%q, %q) = %v, want %v", c.p, c.sep, got, c.want)
		}
	}
}
