package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestCheckAndExplainResolvePathsAlike: check PATH… and explain PATH… take
// the same path forms the same way (one resolver, gitops.RepoPath): the
// paths check names are those git ls-files --full-name gives for the same
// arguments, and a path outside the work tree is exit 2 for both, as it is
// an error for git.
func TestCheckAndExplainResolvePathsAlike(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	for _, f := range []string{"a.pyc", "sub/x.pyc", "sub/d/y.pyc"} {
		r.Write(f, "x")
	}
	r.Git("add", ".")
	sub := filepath.Join(r.Dir, "sub")
	args := []string{"../a.pyc", "x.pyc", "./d/../x.pyc", "d//y.pyc", filepath.Join(r.Dir, "sub", "d", "y.pyc")}
	want := gittest.SplitZ(r.At("sub").Git(append([]string{"ls-files", "-z", "--full-name", "--"}, args...)...))
	out, errOut, code := runPycguard(t, "", append([]string{"-C", sub, "check", "--format", "json"}, args...)...)
	var doc struct {
		Findings []struct{ Path string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 1 {
		t.Fatalf("exit %d %s: %v\n%s", code, errOut, err, out)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, f.Path)
	}
	slices.Sort(got)
	got = slices.Compact(got) // each argument is a finding; git lists a file once
	if !slices.Equal(got, want) {
		t.Errorf("check names %q; git ls-files gives %q", got, want)
	}
	// "x.pyc/" names a directory: git selects nothing with it.
	if sel := r.At("sub").Git("ls-files", "--", "x.pyc/"); sel != "" {
		t.Fatalf("git ls-files x.pyc/ = %q", sel)
	}
	if _, errOut, code := runPycguard(t, "", "-C", sub, "check", "x.pyc/"); code != 0 {
		t.Errorf("check x.pyc/: exit %d %s", code, errOut)
	}
	for _, cmd := range []string{"check", "explain"} {
		for _, arg := range []string{"../../outside.pyc", filepath.Dir(r.Dir) + "/o.pyc"} {
			if _, _, err := r.At("sub").Run(nil, "ls-files", "--", arg); err == nil {
				t.Fatalf("git accepts %q", arg)
			}
			_, errOut, code := runPycguard(t, "", "-C", sub, cmd, arg)
			if code != 2 || !strings.Contains(errOut, "outside the repository") {
				t.Errorf("%s %s: exit %d %s", cmd, arg, code, errOut)
			}
		}
	}
}
