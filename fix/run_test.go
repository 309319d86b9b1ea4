package fix

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestFixDir: from a subdirectory FixDir finds the repository, reads the
// work tree's configuration (its warning handed to warn) with --allow
// added after its allow, and untracks the rest as git ls-files then
// shows; a dry run changes nothing; a bare repository, no repository and
// a malformed configuration are errors that change nothing.
func TestFixDir(t *testing.T) {
	r := gittest.Init(t)
	r.UseEnv(t)
	r.Write(".pycguard.toml", "allow = [\"fixtures/*.pyc\"]\n")
	r.Write("pyproject.toml", "[tool.pycguard]\nallow = [\"*.pyc\"]\n")
	r.Write("fixtures/f.pyc", "f")
	r.Write("vendored/v.pyc", "v")
	r.Write("sub/m.pyc", "m")
	r.Write("sub/m.py", "")
	r.Commit("legacy")
	sub := filepath.Join(r.Dir, "sub")

	var warned []config.ShadowedConfig
	warn := func(w config.ShadowedConfig) { warned = append(warned, w) }
	req := Request{Options: Options{Untrack: true, Gitignore: true, DryRun: true}, Dir: sub, Allow: []string{"vendored/"}}
	plan, err := FixDir(req, warn)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Untrack) != 1 || plan.Untrack[0].Path != "sub/m.pyc" || !plan.Changes() {
		t.Errorf("dry run plans %+v", plan.Untrack)
	}
	if want := []config.ShadowedConfig{{Used: ".pycguard.toml", Ignored: "pyproject.toml"}}; !slices.Equal(warned, want) {
		t.Errorf("warnings %+v, want %+v", warned, want)
	}
	all := []string{"fixtures/f.pyc", "sub/m.pyc", "vendored/v.pyc"}
	if got := trackedBytecode(t, r); !slices.Equal(got, all) {
		t.Errorf("the dry run changed the index: %q", got)
	}
	if r.Git("status", "--porcelain", "--", ".gitignore") != "" {
		t.Error("the dry run wrote .gitignore")
	}

	req.DryRun = false
	if _, err := FixDir(req, nil); err != nil {
		t.Fatal(err)
	}
	if got := trackedBytecode(t, r); !slices.Equal(got, []string{"fixtures/f.pyc", "vendored/v.pyc"}) {
		t.Errorf("after fix git tracks %q", got)
	}
	if out := r.Git("check-ignore", "--no-index", "--", "sub/m.pyc"); strings.TrimSpace(out) != "sub/m.pyc" {
		t.Errorf("git does not ignore sub/m.pyc after fix: %q", out)
	}

	bare := gittest.Init(t, "--bare")
	if _, err := FixDir(Request{Options: Options{Untrack: true}, Dir: bare.Dir}, nil); !errors.Is(err, gitops.ErrBareRepository) {
		t.Errorf("bare repository: %v", err)
	}
	if _, err := FixDir(Request{Options: Options{Untrack: true}, Dir: t.TempDir()}, nil); err == nil {
		t.Error("no repository: no error")
	}
	r.Write("sub/m2.pyc", "x")
	r.Git("add", "-f", "sub/m2.pyc")
	r.Write("bad.toml", "allow = 1\n")
	_, err = FixDir(Request{Options: Options{Untrack: true}, Dir: sub, ConfigFile: "../bad.toml"}, nil)
	if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "bad.toml:1") {
		t.Errorf("malformed --config: %v", err)
	}
	if got := trackedBytecode(t, r); !slices.Contains(got, "sub/m2.pyc") {
		t.Errorf("a failed fix untracked: %q", got)
	}
}

// TestExplainDir: ExplainDir answers for paths relative to the directory
// it is given, as git check-ignore run there does; ExplainCoverageDir
// reads a template relative to it.
func TestExplainDir(t *testing.T) {
	r := gittest.Init(t)
	r.UseEnv(t)
	r.Write(".gitignore", "*.pyc\n")
	r.Write("sub/.gitignore", "!keep.pyc\n")
	r.Write("sub/t.gitignore", "*.pyc\n*.log\n")
	sub := r.At("sub")
	paths := []string{"a.pyc", "keep.pyc", "../b.pyc", "c.py"}
	var got answers
	ignored, err := ExplainDir(sub.Dir, ExplainOptions{Paths: paths}, &got)
	if err != nil || !ignored {
		t.Fatalf("ExplainDir: %v, %v", ignored, err)
	}
	want := gittest.SplitZ(sub.GitIn([]byte(strings.Join(paths, "\x00")+"\x00"), "check-ignore", "--no-index", "-v", "-n", "--stdin", "-z"))
	for i, a := range got.all {
		if rule := strings.Join(want[4*i:4*i+3], "\x00"); ruleString(a) != strings.TrimSuffix(rule, "\x00\x00") || want[4*i+3] != a.Path {
			t.Errorf("%s: %q, git says %q", a.Path, ruleString(a), want[4*i:4*i+4])
		}
	}
	if len(got.all) != len(paths) {
		t.Errorf("%d answers for %d paths", len(got.all), len(paths))
	}
	res, err := ExplainCoverageDir(CoverageOptions{Template: "t.gitignore", Dir: sub.Dir})
	if err != nil || len(res.Lines) != 2 || !res.Incomplete {
		t.Errorf("coverage of sub/t.gitignore: %+v, %v", res, err)
	}
	if _, err := ExplainDir(t.TempDir(), ExplainOptions{Paths: paths}, &got); err == nil {
		t.Error("no repository: no error")
	}
}
