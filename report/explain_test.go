package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestCheckIgnoreMatchesGit: CheckIgnore writes the answers byte for
// byte as git check-ignore -v -n --no-index does, with and without -z,
// for sources and paths whose names need quoting (tab, newline, quote,
// backslash, non-ASCII, invalid UTF-8, a leading dash).
func TestCheckIgnoreMatchesGit(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.pyc\n!keep.pyc\n")
	r.Write("t\tab/.gitignore", "*.log\n")
	r.Write("caf\xc3\xa9 \"q\"/.gitignore", "x*\n")
	r.Write("b\\s/.gitignore", "/local\n")
	paths := []string{"a.pyc", "keep.pyc", "plain.py", "t\tab/x.log", "caf\xc3\xa9 \"q\"/xy", "b\\s/local",
		"new\nline.pyc", "-dash.pyc", "bad\xff.pyc", "back\\slash.py"}
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	for _, nul := range []bool{false, true} {
		args := []string{"check-ignore", "--no-index", "-v", "-n"}
		var want string
		if nul { // git takes -z with --stdin only
			want = r.GitIn([]byte(strings.Join(paths, "\x00")+"\x00"), append(args, "--stdin", "-z")...)
		} else {
			want = r.Git(append(append(args, "--"), paths...)...)
		}
		var out bytes.Buffer
		ignored, err := fix.Explain(repo, fix.ExplainOptions{Paths: paths}, NewCheckIgnore(&out, nul))
		if err != nil || !ignored {
			t.Fatalf("-z %v: ignored %v, %v", nul, ignored, err)
		}
		if out.String() != want {
			t.Errorf("-z %v:\ngot  %q\nwant %q", nul, out.String(), want)
		}
	}
}
