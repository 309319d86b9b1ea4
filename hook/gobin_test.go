package hook

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestScriptFindsGoInstalledBinary: with no pycguard on PATH, the hook runs
// the one `go install` put in GOBIN: pycguard there, pycguard.exe in the
// script written for Windows (Git for Windows runs hooks in its own sh).
func TestScriptFindsGoInstalledBinary(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the hook script")
	}
	for _, windows := range []bool{false, true} {
		gobin := t.TempDir()
		name := map[bool]string{false: "pycguard", true: "pycguard.exe"}[windows]
		ran := filepath.Join(gobin, "ran")
		// The stand-in records its arguments; the other name is a decoy
		// that fails.
		fake := "#!/bin/sh\necho \"$@\" > '" + ran + "'\n"
		decoy := map[bool]string{false: "pycguard.exe", true: "pycguard"}[windows]
		if err := os.WriteFile(filepath.Join(gobin, name), []byte(fake), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(gobin, decoy), []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		hooks := t.TempDir()
		script := filepath.Join(hooks, HookName)
		if err := os.WriteFile(script, []byte(Script("", windows)), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(sh, script)
		cmd.Env = []string{"PATH=" + filepath.Dir(sh), "GOBIN=" + gobin, "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		got, rerr := os.ReadFile(ran)
		if err != nil || rerr != nil || string(got) != "check\n" {
			t.Errorf("windows=%v: hook: %v %s; %s ran with %q (%v)", windows, err, out, name, got, rerr)
		}
	}
}
