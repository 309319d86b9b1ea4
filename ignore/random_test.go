package ignore

import (
	"flag"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var (
	randomSeed = flag.Uint64("ignore.seed", 0, "seed of TestRandomAgainstGit (0: from the clock, logged)")
	randomSets = flag.Int("ignore.sets", 100, "rule sets TestRandomAgainstGit generates")
)

// ruleGen generates rule sets from a small alphabet, so that patterns and
// paths collide often and every feature meets every other.
type ruleGen struct{ r *rand.Rand }

var (
	genLiterals = []string{"a", "b", "A", "B", "é", ".", "-", " ", "x", "ab", "py", "c"}
	genWild     = []string{"*", "*", "**", "?", "[ab]", "[!a]", "[^b]", "[a-c]", "[A-C]", "[[:alpha:]]",
		"[[:upper:]]", "[[:lower:]]", "[[:digit:]]", "[[:space:]]", "[]a]", "[a-]", "[!]]", "[é]", "[\\]]",
		"\\*", "\\a", "\\ ", "\\!", "\\#", "\\\\", "\\?", "\\[", "[", "[[:punct:]]", "[\\-]",
		"[AB]", "[!A]", "[Aa]", "\\A", "[[:upper:]a]", "[Z-a]", "[^[:lower:]]", "[[:xdigit:]]"}
	genNames = []string{"a", "b", "A", "B", "ab", "a.b", "é", "x y", "aé", "ba", "-", "a ", "c", "!a", "#a",
		"py", "a.py", "a.pyc", "B.PYC", "*", "[", "\\", "1", "a]", "aa", "Ab"}
)

func (g ruleGen) pick(s []string) string { return s[g.r.IntN(len(s))] }
func (g ruleGen) chance(pct int) bool    { return g.r.IntN(100) < pct }

func (g ruleGen) segment() string {
	var b strings.Builder
	n := 1 + g.r.IntN(3)
	for i := 0; i < n; i++ {
		if g.chance(45) {
			b.WriteString(g.pick(genWild))
		} else {
			b.WriteString(g.pick(genLiterals))
		}
	}
	return b.String()
}

func (g ruleGen) pattern() string {
	var b strings.Builder
	if g.chance(20) {
		b.WriteString("!")
	}
	if g.chance(15) {
		b.WriteString("/")
	}
	if g.chance(10) {
		b.WriteString("**/")
	}
	n := 1
	if g.chance(35) {
		n += 1 + g.r.IntN(2)
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			if g.chance(15) {
				b.WriteString("/**/")
			} else {
				b.WriteString("/")
			}
		}
		b.WriteString(g.segment())
	}
	switch {
	case g.chance(8):
		b.WriteString("/**")
	case g.chance(20):
		b.WriteString("/")
	}
	switch {
	case g.chance(8):
		b.WriteString("  ")
	case g.chance(4):
		b.WriteString("\\ ")
	case g.chance(3):
		b.WriteString("\t")
	}
	return b.String()
}

// file returns ignore-file content: patterns, comments, blank lines, with
// random BOM, CRLF and missing final newline.
func (g ruleGen) file() string {
	var b strings.Builder
	if g.chance(10) {
		b.WriteString("\xef\xbb\xbf")
	}
	eol := "\n"
	if g.chance(20) {
		eol = "\r\n"
	}
	n := 1 + g.r.IntN(5)
	for i := 0; i < n; i++ {
		switch {
		case g.chance(5):
			b.WriteString("# comment")
		case g.chance(5):
			b.WriteString("  ")
		case g.chance(3):
			// bytes git reads specially inside a line
			b.WriteString(g.pattern() + g.pick([]string{"\x00x", "\r", "\rx", "\\", " \\ ", "\t "}))
		default:
			b.WriteString(g.pattern())
		}
		if i < n-1 || !g.chance(15) {
			b.WriteString(eol)
		}
	}
	return b.String()
}

func (g ruleGen) path() string {
	n := 1 + g.r.IntN(4)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.pick(genNames)
		if i < 2 && g.chance(50) {
			parts[i] = []string{"a", "b"}[g.r.IntN(2)] // reach the nested .gitignore files
		}
	}
	return strings.Join(parts, "/")
}

func (g ruleGen) ruleSet(i int) *ruleSet {
	rs := &ruleSet{name: "random #" + itoa(i), files: map[string]string{}, ignoreCase: g.chance(15)}
	rs.files[".gitignore"] = g.file()
	for _, loc := range []string{"a/.gitignore", "a/b/.gitignore", "b/.gitignore", infoExclude, excludesFile} {
		if g.chance(30) {
			rs.files[loc] = g.file()
		}
	}
	if g.chance(20) {
		// a .gitignore somewhere deeper, under a generated directory
		rs.files[g.path()+"/.gitignore"] = g.file()
	}
	for j := 0; j < 25; j++ {
		p := g.path()
		if g.chance(8) {
			p += "/" // a trailing slash says "directory"
		}
		rs.paths = append(rs.paths, p)
		if g.chance(30) {
			rs.dirs = append(rs.dirs, p)
		}
	}
	// A directory on disk cannot also be a file of the same name.
	for j, d := range rs.dirs {
		for loc := range rs.files {
			if strings.HasPrefix(strings.TrimSuffix(d, "/")+"/", loc+"/") {
				rs.dirs[j] = "a"
			}
		}
	}
	for loc := range rs.files {
		for other := range rs.files {
			if other != loc && strings.HasPrefix(other, loc+"/") {
				delete(rs.files, other) // a .gitignore cannot be a directory too
			}
		}
	}
	return rs
}

// TestRandomAgainstGit generates rule sets and paths from a seed and
// checks the Matcher against git check-ignore on each: verdict and
// SOURCE:LINE:PATTERN. Reproduce a failure with -ignore.seed=N.
func TestRandomAgainstGit(t *testing.T) {
	seed := *randomSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun: go test ./ignore -run TestRandomAgainstGit -ignore.seed=%d)", seed, seed)
	g := ruleGen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	o := newOracle(t)
	cases, bad := 0, 0
	for i := 0; i < *randomSets; i++ {
		rs := g.ruleSet(i)
		bad += o.compare(t, rs)
		cases += len(rs.paths)
		if bad > 20 {
			break
		}
	}
	if cases < 2000 && bad == 0 {
		t.Errorf("only %d cases; want at least 2000", cases)
	}
	t.Logf("%d rule-set/path cases, %d disagreements (%d matched a rule, %d of them a negation)", cases, bad, o.matched, o.negated)
}
