package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

func TestReplaceRefusesALinkAndLeavesItsTarget(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, ".bashrc")
	if err := os.WriteFile(target, []byte("export PS1=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, ".gitignore")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	err := Replace(dir, ".gitignore", []byte("__pycache__/\n"), Mode{Perm: 0o644, Keep: true})
	if !errors.Is(err, ErrSymlink) {
		t.Fatalf("Replace through a link: %v, want ErrSymlink", err)
	}
	if err := Check(dir, ".gitignore"); !errors.Is(err, ErrSymlink) {
		t.Fatalf("Check: %v, want ErrSymlink", err)
	}
	if _, err := Read(dir, ".gitignore", 1<<20); !errors.Is(err, ErrSymlink) {
		t.Fatalf("Read: %v, want ErrSymlink", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "export PS1=x\n" {
		t.Fatalf("the link's target changed: %q", got)
	}
	if fi, err := os.Lstat(filepath.Join(dir, ".gitignore")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link itself was replaced: %v %v", fi, err)
	}
	assertNoTemp(t, dir)
}

func TestReplaceKeepsModeAndReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Replace(dir, "f", []byte("new"), Mode{Perm: 0o644, Keep: true}); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if got, _ := os.ReadFile(p); string(got) != "new" || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640) {
		t.Fatalf("after Replace: %q %v, want \"new\" -rw-r-----", got, fi.Mode())
	}
	if err := Replace(dir, "f", []byte("exec"), Mode{Perm: 0o755}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o755 {
		t.Fatalf("Mode without Keep: %v, want -rwxr-xr-x", fi.Mode())
	}
	if err := Replace(dir, "new", []byte("x"), Mode{Perm: 0o600, Keep: true}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "new")); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("a new file: %v, want -rw-------", fi.Mode())
	}
	assertNoTemp(t, dir)
}

func TestNamesAreOneElement(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"", ".", "..", "../x", "a/b", "/etc/passwd"} {
		if err := Replace(dir, n, nil, Mode{Perm: 0o644}); !errors.Is(err, ErrBadName) {
			t.Errorf("Replace(%q): %v, want ErrBadName", n, err)
		}
	}
}

// TestReadBudget: a directory and a sparse
// 2 GiB file are refused before a byte is read (no hang, no allocation).
func TestReadBudget(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, "d", 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a directory: %v, want ErrNotRegular", err)
	}
	big, err := os.Create(filepath.Join(dir, "big"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(2 << 30); err != nil {
		t.Skip("no sparse file:", err)
	}
	big.Close()
	if _, err := Read(dir, "big", 1<<20); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a 2 GiB file: %v, want ErrTooLarge", err)
	}
	f, err := Read(dir, "absent", 1<<20)
	if err != nil || f.Exists {
		t.Errorf("an absent file: %+v %v", f, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok"), []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := Read(dir, "ok", 5); err != nil || string(f.Data) != "12345" {
		t.Errorf("a file at the limit: %q %v", f.Data, err)
	}
	if _, err := Read(dir, "ok", 4); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file over the limit: %v, want ErrTooLarge", err)
	}
}

// TestRenameRetriesOnlyOnWindowsSharingErrors runs the Windows branch of the
// rename on any platform with an injected rename.
func TestRenameRetriesOnlyOnWindowsSharingErrors(t *testing.T) {
	linkErr := func(errno syscall.Errno) error {
		return &os.LinkError{Op: "rename", Old: "a", New: "b", Err: errno}
	}
	cases := []struct {
		name      string
		goos      string
		failures  int   // the first n renames fail with err
		err       error // what they fail with
		wantCalls int
		wantErr   bool
	}{
		{"sharing violation, then free", "windows", 2, linkErr(32), 3, false},
		{"access denied, then free", "windows", 1, linkErr(5), 2, false},
		{"lock violation, then free", "windows", 4, linkErr(33), 5, false},
		{"held open for good", "windows", 100, linkErr(32), 1 + len(retryDelays), true},
		{"another error is not retried", "windows", 100, linkErr(2), 1, true},
		{"not Windows: errno 5 is EIO, not retried", "linux", 100, linkErr(5), 1, true},
		{"no error", "windows", 0, nil, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			var slept time.Duration
			r := renamer{
				goos:   c.goos,
				delays: retryDelays,
				sleep:  func(d time.Duration) { slept += d },
				os: func(string, string) error {
					calls++
					if calls <= c.failures {
						return c.err
					}
					return nil
				},
			}
			err := r.rename("a", "b")
			if calls != c.wantCalls || (err != nil) != c.wantErr {
				t.Fatalf("%d calls, err %v; want %d calls, error %v", calls, err, c.wantCalls, c.wantErr)
			}
			if c.wantErr && !errors.Is(err, c.err.(*os.LinkError).Err) {
				t.Errorf("the error is not the rename's: %v", err)
			}
			if slept > 200*time.Millisecond {
				t.Errorf("waited %v in all", slept)
			}
		})
	}
}

// TestReplaceRetriesThroughTheRealWrite: a rename that fails twice with a
// sharing violation still leaves the new content and no temporary file.
func TestReplaceRetriesThroughTheRealWrite(t *testing.T) {
	dir := t.TempDir()
	calls := 0
	r := renamer{goos: "windows", delays: retryDelays, sleep: func(time.Duration) {},
		os: func(o, n string) error {
			calls++
			if calls < 3 {
				return &os.LinkError{Op: "rename", Old: o, New: n, Err: syscall.Errno(32)}
			}
			return os.Rename(o, n)
		}}
	if err := replace(dir, "f", []byte("data"), Mode{Perm: 0o644}, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f")); string(got) != "data" {
		t.Fatalf("content %q", got)
	}
	r.os = func(o, n string) error { return &os.LinkError{Op: "rename", Old: o, New: n, Err: syscall.Errno(32)} }
	if err := replace(dir, "f", []byte("other"), Mode{Perm: 0o644}, r); err == nil {
		t.Fatal("a rename that never succeeds gave no error")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f")); string(got) != "data" {
		t.Fatalf("a failed replace changed the file: %q", got)
	}
	assertNoTemp(t, dir)
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if m, _ := filepath.Match(".*.pycguard-*", e.Name()); m {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
