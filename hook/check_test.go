package hook

import (
	"path/filepath"
	"testing"
)

func TestGitPath(t *testing.T) {
	wt := filepath.FromSlash("/repo")
	cases := []struct{ prefix, arg, want string }{
		{"", "a.pyc", "a.pyc"},
		{"sub/", "a.pyc", "sub/a.pyc"},
		{"sub/", "../a.pyc", "a.pyc"},
		{"sub/", "./x/../b.pyc", "sub/b.pyc"},
		{"", "../outside.pyc", "../outside.pyc"},
		{"sub/", filepath.FromSlash("/repo/top.pyc"), "top.pyc"},
		{"", ".", ""},
	}
	for _, c := range cases {
		if got := GitPath(wt, c.prefix, c.arg); got != c.want {
			t.Errorf("GitPath(%q, %q) = %q, want %q", c.prefix, c.arg, got, c.want)
		}
	}
}
