package hook

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestScriptPath(t *testing.T) {
	cases := []struct {
		in      string
		windows bool
		want    string
	}{
		{"/home/me/go/bin/pycguard", false, "/home/me/go/bin/pycguard"},
		{`/odd\name/pycguard`, false, `/odd\name/pycguard`}, // a POSIX name may hold a backslash
		{`C:\Users\me\go\bin\pycguard.exe`, true, "C:/Users/me/go/bin/pycguard.exe"},
		{`\\server\share\pycguard.exe`, true, "//server/share/pycguard.exe"},
		{`D:/already/forward.exe`, true, "D:/already/forward.exe"},
	}
	for _, c := range cases {
		if got := ScriptPath(c.in, c.windows); got != c.want {
			t.Errorf("ScriptPath(%q, %v) = %q, want %q", c.in, c.windows, got, c.want)
		}
	}
}

// The script is valid sh and embeds awkward paths safely: it runs the
// executable named, whatever quotes and dollars its path holds.
func TestScriptRunsOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), `it's $HOME "x" `+"`y`")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "pycguard")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\necho ran \"$@\"\nexit 5\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	hooks := t.TempDir()
	script := filepath.Join(hooks, HookName)
	if err := os.WriteFile(script, []byte(Script(exe, false)), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("sh", script).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 5 || strings.TrimSpace(string(out)) != "ran check" {
		t.Fatalf("got %q, %v", out, err)
	}
	// gone: the script says so and blocks (exit 2) rather than passing
	os.Remove(exe)
	cmd := exec.Command("sh", script)
	cmd.Env = []string{"PATH=/nonexistent", "HOME=" + t.TempDir()}
	out, err = cmd.CombinedOutput()
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "pycguard: not found") {
		t.Fatalf("missing executable: got %q, %v", out, err)
	}
}

func TestInstallStates(t *testing.T) {
	hooks := filepath.Join(t.TempDir(), "hooks") // created by Install
	res, err := Install(InstallOptions{HooksDir: hooks, Executable: "/x/pycguard"})
	if err != nil || !res.Changed || res.Saved != "" {
		t.Fatalf("fresh install: %+v, %v", res, err)
	}
	res, err = Install(InstallOptions{HooksDir: hooks, Executable: "/x/pycguard"})
	if err != nil || res.Changed {
		t.Fatalf("second install: %+v, %v", res, err)
	}
	// a new location of the executable updates our own script
	res, err = Install(InstallOptions{HooksDir: hooks, Executable: "/y/pycguard"})
	if err != nil || !res.Changed || res.Saved != "" {
		t.Fatalf("update: %+v, %v", res, err)
	}
	if _, err := Uninstall(hooks); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(hooks, HookName)); !os.IsNotExist(err) {
		t.Fatalf("hook left behind: %v", err)
	}
	if _, err := Uninstall(hooks); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("uninstall twice: %v", err)
	}
}

// A symbolic link as the hook (dotfiles managers, husky) is kept as a link
// and restored as the same link.
func TestInstallKeepsSymlinkHook(t *testing.T) {
	hooks := t.TempDir()
	target := filepath.Join(t.TempDir(), "shared-hook")
	if err := os.WriteFile(target, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	hook := filepath.Join(hooks, HookName)
	if err := os.Symlink(target, hook); err != nil {
		t.Fatal(err)
	}
	res, err := Install(InstallOptions{HooksDir: hooks, Executable: "/x/pycguard"})
	if err != nil || res.Saved == "" {
		t.Fatalf("%+v, %v", res, err)
	}
	if l, err := os.Readlink(res.Saved); err != nil || l != target {
		t.Fatalf("saved hook is not the link: %q, %v", l, err)
	}
	if _, err := Uninstall(hooks); err != nil {
		t.Fatal(err)
	}
	if l, err := os.Readlink(hook); err != nil || l != target {
		t.Fatalf("restored hook is not the link: %q, %v", l, err)
	}
}

func TestInstallRefusesDirectory(t *testing.T) {
	hooks := t.TempDir()
	if err := os.Mkdir(filepath.Join(hooks, HookName), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(InstallOptions{HooksDir: hooks}); !errors.Is(err, ErrUnknownState) {
		t.Fatalf("got %v", err)
	}
}

func TestIsOurs(t *testing.T) {
	if !IsOurs([]byte(Script("", false))) || IsOurs([]byte("#!/bin/sh\nexec pycguard check\n")) {
		t.Fatal("IsOurs")
	}
}

// frameworkHook is the start of the pre-commit framework's hook (its
// resources/hook-tmpl), enough for it to be recognised.
const frameworkHook = "#!/usr/bin/env bash\n" + preCommitMarker + "\n# ID: 138fd403232d2ddd5efb44317e38bf03\nexit 0\n"

// Inspect follows what a commit runs: pycguard's script and its saved
// hook, the framework's hook and its legacy one; install and uninstall
// act on what it finds.
func TestInspectChains(t *testing.T) {
	ours := Script("/x/pycguard", false)
	other := "#!/bin/sh\nexit 0\n"
	cases := []struct {
		name                 string
		hook, saved, legacy  string // "" = absent
		runs                 []string
		installDoes, afterUn string // what install reports; the hook file after uninstall ("" = none)
	}{
		{"nothing", "", "", "", nil, "installed", ""},
		{"ours alone", ours, "", "", []string{"pre-commit"}, "unchanged", ""},
		{"ours over other", ours, other, "", []string{"pre-commit"}, "unchanged", other},
		{"other alone", other, "", "", nil, "installed", other},
		{"a script that only mentions pycguard", "#!/bin/sh\npycguard check\n", "", "", nil, "installed", "#!/bin/sh\npycguard check\n"},
		{"framework over ours", frameworkHook, "", ours, []string{"pre-commit.legacy"}, "via legacy", frameworkHook},
		{"ours over framework over ours (twice)", ours, frameworkHook, ours, []string{"pre-commit", "pre-commit.legacy"}, "repaired", frameworkHook},
		{"framework over ours over framework", frameworkHook, frameworkHook, ours, []string{"pre-commit.legacy"}, "via legacy", frameworkHook},
		{"other over ours in legacy (not run)", other, "", ours, nil, "installed", other},
	}
	write := func(t *testing.T, p, content string) {
		if content == "" {
			return
		}
		if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			hook := filepath.Join(dir, HookName)
			write(t, hook, c.hook)
			write(t, hook+SavedSuffix, c.saved)
			write(t, hook+LegacySuffix, c.legacy)
			chain, err := Inspect(dir)
			if err != nil {
				t.Fatal(err)
			}
			var runs []string
			for _, p := range chain.Runs {
				runs = append(runs, filepath.Base(p))
			}
			if strings.Join(runs, ",") != strings.Join(c.runs, ",") {
				t.Fatalf("runs %q, want %q", runs, c.runs)
			}
			if chain.Installed() != (len(c.runs) > 0) {
				t.Fatal("Installed disagrees with Runs")
			}
			res, err := Install(InstallOptions{HooksDir: dir, Executable: "/x/pycguard"})
			if err != nil {
				t.Fatal(err)
			}
			var did string
			switch {
			case res.Repaired:
				did = "repaired"
			case res.RunBy != "":
				did = "via legacy"
			case res.Changed:
				did = "installed"
			default:
				did = "unchanged"
			}
			if did != c.installDoes {
				t.Fatalf("install: %s (%+v), want %s", did, res, c.installDoes)
			}
			after, err := Inspect(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Runs) != 1 {
				t.Fatalf("after install pycguard runs from %q, want exactly one place", after.Runs)
			}
			if _, err := Uninstall(dir); err != nil {
				t.Fatal(err)
			}
			after, err = Inspect(dir)
			if err != nil {
				t.Fatal(err)
			}
			if after.Installed() || after.Legacy == KindPycguard || after.Saved != KindNone {
				t.Fatalf("after uninstall: %+v", after)
			}
			got, err := os.ReadFile(hook)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if string(got) != c.afterUn {
				t.Fatalf("hook after uninstall:\n%s\nwant:\n%s", got, c.afterUn)
			}
		})
	}
}

// lefthook's .old copy of pycguard's script is not run (lefthook does not
// run it) but is removed by uninstall, with the hook pycguard had saved
// put back there in its place, so that lefthook's uninstall restores that
// one.
func TestUninstallFromLefthookOld(t *testing.T) {
	ours := Script("/x/pycguard", false)
	lefthook := "#!/bin/sh\n# lefthook's hook\nexit 0\n"
	original := "#!/bin/sh\n# the user's own hook\nexit 0\n"
	dir := t.TempDir()
	hook := filepath.Join(dir, HookName)
	for p, c := range map[string]string{hook: lefthook, hook + OldSuffix: ours, hook + SavedSuffix: original} {
		if err := os.WriteFile(p, []byte(c), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	chain, err := Inspect(dir)
	if err != nil || chain.Installed() || chain.Old != KindPycguard {
		t.Fatalf("%+v, %v", chain, err)
	}
	res, err := Uninstall(dir)
	if err != nil || len(res.Steps) != 1 || !res.Steps[0].Restored || filepath.Base(res.Steps[0].Hook) != HookName+OldSuffix {
		t.Fatalf("%+v, %v", res, err)
	}
	for p, want := range map[string]string{hook: lefthook, hook + OldSuffix: original} {
		if b, err := os.ReadFile(p); err != nil || string(b) != want {
			t.Fatalf("%s: %q, %v; want %q", p, b, err, want)
		}
	}
	if _, err := os.Lstat(hook + SavedSuffix); !os.IsNotExist(err) {
		t.Fatalf("saved hook left: %v", err)
	}
}
