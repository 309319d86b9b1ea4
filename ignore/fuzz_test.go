package ignore

import (
	"strings"
	"testing"
)

// validPath reports whether p is a path git check-ignore takes literally:
// relative, no empty, "." or ".." component, no ".git" component, no NUL,
// not starting with ":" (pathspec magic).
func validPath(p string) bool {
	if p == "" || strings.HasPrefix(p, ":") || strings.ContainsRune(p, 0) || strings.HasPrefix(p, "/") {
		return false
	}
	for _, c := range strings.Split(p, "/") {
		switch c {
		case "", ".", "..", ".git", ".gitignore":
			return false
		}
	}
	return true
}

// FuzzLines feeds arbitrary bytes to the line reader as a .gitignore:
// never a panic, sane line numbers, and for paths named after the rules it
// reads, the same answers as git.
func FuzzLines(f *testing.F) {
	for _, s := range []string{
		"*.pyc\n", "\xef\xbb\xbf__pycache__/\r\n*.py[codz]\r\n", "# c\n\\#h\n\\!b\n!n\n", "a  \nb\\ \nc\\\\  \n",
		"x\r\r\n", "last", "\n\n\n", "[", "\\", "!", "/", "**/", "a\tb\n", "\xef\xbb\xbf",
	} {
		f.Add([]byte(s))
	}
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, numbers := Lines(data)
		last := 0
		for i, l := range lines {
			if strings.ContainsRune(l, '\n') || strings.HasPrefix(l, "#") || numbers[i] <= last {
				t.Fatalf("line %d %q after %d", numbers[i], l, last)
			}
			last = numbers[i]
		}
		rules := ParseRules(data, ".gitignore", "", false)
		if len(rules) != len(lines) {
			t.Fatalf("%d rules for %d lines", len(rules), len(lines))
		}
		if len(data) > 4096 {
			return
		}
		rs := &ruleSet{name: "fuzz", files: map[string]string{".gitignore": string(data)}}
		for _, l := range lines {
			p := strings.Trim(strings.NewReplacer("\\", "", "*", "x", "?", "q", "[", "", "]", "").Replace(strings.TrimPrefix(l, "!")), "/")
			if validPath(p) && len(rs.paths) < 20 {
				rs.paths = append(rs.paths, p)
			}
		}
		if len(rs.paths) == 0 {
			return
		}
		o.compare(t, rs)
	})
}

// FuzzMatch compiles an arbitrary pattern and matches an arbitrary path:
// never a panic, and when git can be asked about the path, its answer.
func FuzzMatch(f *testing.F) {
	f.Add("*.py[codz]", "pkg/m.pyc", false, false)
	f.Add("__pycache__/", "a/__pycache__", false, true)
	f.Add("a/**/b", "a/x/y/b", false, false)
	f.Add("[[:upper:]]*", "Readme", true, false)
	f.Add("[!a-c]?x", "d\xc3\xa9x", false, false)
	f.Add("*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false, false)
	f.Add("\\!x\\ ", "!x ", false, false)
	f.Add("!*.pyc\n*.pyc", "x.pyc", false, false)
	f.Add("/**/", "d/e", false, true)
	f.Add("[\\]-a]", "^", true, false)
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, pattern, path string, ignoreCase, isDir bool) {
		kind := KindFile
		if isDir {
			kind = KindDir
		}
		rules := ParseRules([]byte(pattern), ".gitignore", "", ignoreCase)
		m := NewFromRules(rules)
		m.Match(path, kind)
		if !validPath(path) || len(pattern) > 1024 || len(path) > 512 || strings.ContainsRune(pattern, 0) {
			return
		}
		rs := &ruleSet{name: "fuzz", files: map[string]string{".gitignore": pattern}, paths: []string{path}, ignoreCase: ignoreCase}
		if isDir {
			rs.dirs = []string{path}
		}
		o.compare(t, rs)
	})
}
