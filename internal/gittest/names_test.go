package gittest

import "testing"

func TestWindowsForbids(t *testing.T) {
	for _, name := range []string{"a\tb.pyc", "new\nline.pyc", `a\b.pyc`, "a:b", `q"uote.pyc`, "x?.pyc", "x*.pyc",
		"a<b", "a>b", "a|b", "trailing. ", "dot.", "pkg/space /m.pyc", "CON", "nul.txt", "sub/com1.pyc", "LPT9", "Aux .py", "\xff.pyc"} {
		if !WindowsForbids(name) {
			t.Errorf("WindowsForbids(%q) = false", name)
		}
	}
	for _, name := range []string{"a.pyc", "pkg/__pycache__/m.cpython-312.pyc", "x$py.class", "café.pyc",
		"-dash.pyc", "it's.pyc", "sp ace.pyc", "console.py", "com10", "lpt0", ".gitignore", "./a", "../b"} {
		if WindowsForbids(name) {
			t.Errorf("WindowsForbids(%q) = true", name)
		}
	}
}
