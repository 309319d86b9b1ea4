package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// hostileNames are names git stores byte for byte and that break naive
// tools: spaces, NFC and NFD unicode, newlines, backslashes, leading dashes,
// invalid UTF-8, quotes.
var hostileNames = []string{
	"with space.pyc",
	"caf\u00e9/m.pyc",
	"cafe\u0301/m.pyc",
	"new\nline.pyc",
	"back\\slash.pyc",
	"-leading-dash.pyc",
	"--all.pyc",
	"bad-\xff\xfe-utf8.pyc",
	"it's \"quoted\".pyo",
	"tab\tand $dollar/__pycache__/m.cpython-312.pyc",
	"ok-source.py",
	"lookalike.pyc.txt",
}

// TestHookHostileNames commits hostile names through a real pre-commit hook
// and checks that pycguard blocks exactly what git stages, that the JSON
// report round-trips the bytes, and that the printed fix command, run by a
// shell, untracks exactly those files.
func TestHookHostileNames(t *testing.T) {
	r := gittest.Init(t)
	r.Env = append(r.Env, "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	r.Write("base.py", "base")
	r.Commit("base")
	oracle, err := os.ReadFile("testdata/hook-oracle.sh")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.Dir, ".git", "hooks", "pre-commit"), oracle, 0o755); err != nil {
		t.Fatal(err)
	}
	log := t.TempDir()
	r.Env = append(r.Env, "HOOKLOG="+log)
	for i, n := range hostileNames {
		r.Write(n, strings.Repeat("x", i+1))
	}
	r.Git("add", "-A")
	if _, _, err := r.Run(nil, "commit", "-q", "-m", "hostile"); err == nil {
		t.Fatal("commit with hostile bytecode names was not blocked")
	}
	var want []string
	for _, p := range gittest.SplitZ(readFile(t, filepath.Join(log, "git.z"))) {
		if bytecode.IsBytecode(p, false) {
			want = append(want, p)
		}
	}
	if len(want) != 10 {
		t.Fatalf("git staged %d bytecode paths, want 10: %q", len(want), want)
	}
	var doc struct {
		Findings []struct {
			Path       string `json:"path"`
			PathBase64 string `json:"path_base64"`
		} `json:"findings"`
		Fix []string `json:"fix"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(log, "pycguard.json"))), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Findings {
		p := f.Path
		if f.PathBase64 != "" {
			b, err := decodeBase64(f.PathBase64)
			if err != nil {
				t.Fatal(err)
			}
			p = string(b)
		}
		got = append(got, p)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("pycguard blocked\n %q\ngit stages\n %q", got, want)
	}

	// The fix command printed for people works when pasted into bash.
	text, _, err := runIn(r, pycguardExe, "check")
	if err == nil {
		t.Fatal("pycguard check passed")
	}
	var fix string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "git rm --cached --") {
			fix = strings.TrimSpace(line)
		}
	}
	if fix == "" {
		t.Fatalf("no fix command in:\n%s", text)
	}
	if _, errOut, err := runIn(r, "bash", "-c", fix); err != nil {
		t.Fatalf("running the printed fix %q: %v\n%s", fix, err, errOut)
	}
	if out, errOut, err := runIn(r, pycguardExe, "check"); err != nil {
		t.Fatalf("after the printed fix, check still blocks:\n%s%s", out, errOut)
	}
	left := gittest.SplitZ(r.Git("diff", "--cached", "--name-only", "-z"))
	slices.Sort(left)
	if wantLeft := []string{"lookalike.pyc.txt", "ok-source.py"}; !slices.Equal(left, wantLeft) {
		t.Fatalf("after the fix git stages %q, want %q", left, wantLeft)
	}
}
