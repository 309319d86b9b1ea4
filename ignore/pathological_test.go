package ignore

import (
	"strings"
	"testing"
)

// pathologicalSets are the patterns whose backtracking cost grew with the
// square of the name or with the depth of the path ("*a*b*c*d*" against a
// 40,000-byte name), with paths that match and paths that almost do (git
// itself backtracks: a long name that fails late takes it minutes), and
// "**/" repeated up to 10 times (git's own matcher does not finish "**/"
// repeated 200 times against a 200-level path in minutes; see
// TestRepeatedDoubleStarIsGitsDoubleStar for 200).
func pathologicalSets() []*ruleSet {
	long := strings.Repeat("a", 10000) + strings.Repeat("b", 10000) + strings.Repeat("c", 10000) + strings.Repeat("d", 10000)
	sets := []*ruleSet{
		{name: "stars and letters", files: map[string]string{".gitignore": "*a*b*c*d*\n"},
			paths: []string{long, strings.Repeat("a", 40000), "abcd", "dcba", "x/" + long}},
		{name: "stars and letters, ending in a letter", files: map[string]string{".gitignore": "*a*b*c*d*e\n"},
			paths: []string{long + "e", strings.Repeat("ab", 2000), "abcde", "abcd"}},
		{name: "stars in a path", files: map[string]string{".gitignore": "d/**/*a*b*/**/x*y\n"},
			paths: []string{"d/" + strings.Repeat("q/", 10) + "zazbz/" + strings.Repeat("r/", 10) + "xqy", "d/ab/x" + strings.Repeat("y", 5000), "d/ba/xy"}},
	}
	for _, n := range []int{2, 3, 5, 8, 10} {
		var paths []string
		for _, depth := range []int{0, 1, n - 1, n, n + 3} {
			paths = append(paths, strings.Repeat("d/", depth)+"x", strings.Repeat("d/", depth)+"y", strings.Repeat("d/", depth)+"x/z")
		}
		sets = append(sets,
			&ruleSet{name: "**/ x" + itoa(n) + " then x", files: map[string]string{".gitignore": strings.Repeat("**/", n) + "x\n"}, paths: paths},
			&ruleSet{name: "/**/ x" + itoa(n) + " then x", files: map[string]string{".gitignore": "/" + strings.Repeat("**/", n) + "x\n"}, paths: paths},
			&ruleSet{name: "d/**/ x" + itoa(n) + " then *x*", files: map[string]string{".gitignore": "d/" + strings.Repeat("**/", n) + "*x*\n"}, paths: paths})
	}
	return sets
}

// TestPathologicalPatternsAgainstGit: git check-ignore and the Matcher give
// the same answer on the pathological vectors.
func TestPathologicalPatternsAgainstGit(t *testing.T) {
	o := newOracle(t)
	for _, rs := range pathologicalSets() {
		if bad := o.compare(t, rs); bad > 0 {
			t.Errorf("%s: %d disagreements with git", rs.name, bad)
		}
	}
	if o.matched == 0 {
		t.Error("no vector matched: the test proves nothing")
	}
}

// TestRepeatedDoubleStarIsGitsDoubleStar: "**/" repeated 200 times then "x"
// ignores exactly what git's "**/x" does (repetitions of "**/" match what
// one does; the test above shows git agreeing up to 10 repetitions). git
// is asked about paths up to 19 levels deep: git 2.39's check-ignore
// crashes (SIGSEGV) on "**/x" against paths some 24 or more levels deep, and
// its matcher does not finish "**/" x 200 in minutes; the matcher's cost
// at 200 and 400 levels is in BenchmarkPathological and bench/config.sh.
func TestRepeatedDoubleStarIsGitsDoubleStar(t *testing.T) {
	o := newOracle(t)
	var paths []string
	for _, depth := range []int{0, 1, 5, 10, 18} {
		paths = append(paths, strings.Repeat("d/", depth)+"x", strings.Repeat("d/", depth)+"y", strings.Repeat("d/", depth)+"x/z")
	}
	rs := &ruleSet{name: "**/x", files: map[string]string{".gitignore": "**/x\n"}, paths: paths}
	o.setup(t, rs)
	want := o.gitAnswers(t, rs)
	m := NewFromRules(ParseRules([]byte(strings.Repeat("**/", 200)+"x\n"), ".gitignore", "", false))
	matched := 0
	for i, p := range paths {
		got := m.Match(p, KindUnknown).Ignored()
		if got != (want[i] != "") {
			t.Errorf("%q: pycguard ignores it: %v; git with **/x: %q", p, got, want[i])
		}
		if got {
			matched++
		}
	}
	if matched == 0 {
		t.Error("nothing matched: the test proves nothing")
	}
}

// BenchmarkPathological measures the matcher on the pathological vectors
// at growing sizes (bench/config.sh prints them beside git's times).
func BenchmarkPathological(b *testing.B) {
	for _, n := range []int{50, 100, 200, 400} {
		m := NewFromRules(ParseRules([]byte(strings.Repeat("**/", n)+"x\n"), ".gitignore", "", false))
		p := strings.Repeat("d/", n) + "y"
		b.Run("dirs-"+itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m.Match(p, KindFile)
			}
		})
	}
	for _, n := range []int{5000, 10000, 20000, 40000} {
		m := NewFromRules(ParseRules([]byte("*a*b*c*d*\n"), ".gitignore", "", false))
		p := strings.Repeat("a", n)
		b.Run("stars-"+itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m.Match(p, KindFile)
			}
		})
	}
}
