package ignore

import (
	"slices"
	"testing"
)

func TestLines(t *testing.T) {
	cases := []struct {
		in    string
		lines []string
		nums  []int
	}{
		{"a\nb\n", []string{"a", "b"}, []int{1, 2}},
		{"\xef\xbb\xbfa\r\nb", []string{"a", "b"}, []int{1, 2}},
		{"# c\n\n\\#h\n", []string{`\#h`}, []int{3}},
		{"a  \nb\\ \nc\\\\  \n", []string{"a", `b\ `, `c\\`}, []int{1, 2, 3}},
		{"x\r\r\n", []string{"x\r"}, []int{1}},
		{"  \n", []string{""}, []int{1}},
		{"a\x00b\n", []string{"a"}, []int{1}},
		{"\t\n", []string{"\t"}, []int{1}},
	}
	for _, tc := range cases {
		lines, nums := Lines([]byte(tc.in))
		if !slices.Equal(lines, tc.lines) || !slices.Equal(nums, tc.nums) {
			t.Errorf("Lines(%q) = %q %v, want %q %v", tc.in, lines, nums, tc.lines, tc.nums)
		}
	}
}

// TestMatchKinds: directory-only rules, negation and the parent rule with
// kinds given by the caller (no file system), as coverage uses them.
func TestMatchKinds(t *testing.T) {
	rules := ParseRules([]byte("build/\n*.log\n!keep.log\nout/\n!out/x\n"), ".gitignore", "", false)
	m := NewFromRules(rules)
	cases := []struct {
		path    string
		kind    Kind
		pattern string // "" for no rule
		ignored bool
	}{
		{"build", KindDir, "build/", true},
		{"build", KindFile, "", false},
		{"a/build/x.c", KindFile, "build/", true},
		{"a.log", KindFile, "*.log", true},
		{"keep.log", KindFile, "!keep.log", false},
		{"out/x", KindFile, "out/", true}, // a negation cannot reach below an ignored directory
		{"src/main.c", KindFile, "", false},
	}
	for _, tc := range cases {
		res := m.Match(tc.path, tc.kind)
		got := ""
		if res.Rule != nil {
			got = res.Rule.Pattern
		}
		if got != tc.pattern || res.Ignored() != tc.ignored {
			t.Errorf("Match(%q, %v) = %q ignored=%v, want %q %v", tc.path, tc.kind, got, res.Ignored(), tc.pattern, tc.ignored)
		}
	}
}
