package hook

import "testing"

// Windows' rules, tested on every OS: both separators, drive letters
// (case-insensitive, like the names), UNC shares, paths rooted on the
// current drive, other drives.
func TestGitPathWindows(t *testing.T) {
	const wt = `C:\Users\me\repo`
	cases := []struct{ prefix, arg, want string }{
		{"", `a.pyc`, "a.pyc"},
		{"", `pkg\__pycache__\m.pyc`, "pkg/__pycache__/m.pyc"},
		{"sub/", `x\y.pyc`, "sub/x/y.pyc"},
		{"sub/", `..\top.pyc`, "top.pyc"},
		{"sub/", `C:\Users\me\repo\top.pyc`, "top.pyc"},
		{"sub/", `c:\users\ME\Repo\pkg\m.pyc`, "pkg/m.pyc"}, // drive and names fold
		{"sub/", `C:/Users/me/repo/pkg/m.pyc`, "pkg/m.pyc"}, // forward slashes
		{"sub/", `\Users\me\repo\r.pyc`, "r.pyc"},           // rooted on the work tree's drive
		{"", `C:\Users\me\other\o.pyc`, "../other/o.pyc"},
		{"", `D:\repo\d.pyc`, "D:/repo/d.pyc"}, // another drive stays absolute
		{"", `C:\Users\me\repo`, ""},
		{"", `C:rel.pyc`, "C:rel.pyc"}, // drive-relative: not absolute, kept as given
	}
	for _, c := range cases {
		if got := gitPath(wt, c.prefix, c.arg, true); got != c.want {
			t.Errorf("gitPath(%q, %q, %q, windows) = %q, want %q", wt, c.prefix, c.arg, got, c.want)
		}
	}
	const unc = `\\server\share\repo`
	for _, c := range []struct{ arg, want string }{
		{`\\server\share\repo\pkg\m.pyc`, "pkg/m.pyc"},
		{`\\SERVER\Share\repo\m.pyc`, "m.pyc"},
		{`\\server\other\repo\m.pyc`, "//server/other/repo/m.pyc"},
		{`\\server\share\elsewhere\m.pyc`, "../elsewhere/m.pyc"},
		{`C:\x.pyc`, "C:/x.pyc"},
	} {
		if got := gitPath(unc, "", c.arg, true); got != c.want {
			t.Errorf("gitPath(%q, %q, windows) = %q, want %q", unc, c.arg, got, c.want)
		}
	}
}

// On POSIX systems a backslash is part of a name, not a separator.
func TestGitPathPOSIXBackslash(t *testing.T) {
	if got := gitPath("/repo", "sub/", `a\b.pyc`, false); got != `sub/a\b.pyc` {
		t.Errorf("got %q", got)
	}
}
