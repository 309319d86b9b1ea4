package ignore

import (
	"strings"
)

// Verdict is how well a repository's rules cover one template line.
type Verdict uint8

// Verdicts, from best to worst.
const (
	// Covered: every path the template line ignores is ignored.
	Covered Verdict = iota
	// Negated: some path the line ignores is un-ignored by a "!" rule of
	// the repository. Appending the line would override that rule, so
	// Append leaves it to the user.
	Negated
	// Partial: some paths the line ignores are ignored, others not (say
	// "*.pyc" for "*.py[codz]").
	Partial
	// Missing: none of the paths the line ignores is ignored.
	Missing
)

var verdictNames = [...]string{"covered", "negated", "partly covered", "missing"}

// String returns "covered", "negated", "partly covered" or "missing".
func (v Verdict) String() string { return verdictNames[v] }

// Probe is a path a template line ignores, used to test the repository's
// rules: at the top and deep, as a file and as a directory.
type Probe struct {
	Path string
	Kind Kind // KindFile or KindDir
}

// LineCoverage is the coverage of one template line.
type LineCoverage struct {
	Section int          // index in Template.Sections
	Line    TemplateLine // the template's rule
	Verdict Verdict
	// Rules are the distinct repository rules that ignore the line's
	// probes, in the order first met.
	Rules []*Rule
	// Negation is the first "!" rule that un-ignores a probe (Negated).
	Negation *Rule
	// Probes are all the paths tried; Uncovered those not ignored.
	Probes, Uncovered []Probe
}

// NeedsAppend reports whether appending the line would make the
// repository ignore more without overriding a negation: Missing or
// Partial.
func (c LineCoverage) NeedsAppend() bool { return c.Verdict == Missing || c.Verdict == Partial }

// probeDir is where deep probes are placed: a directory two levels down.
const probeDir = "src/pkg/"

// Coverage decides, for each line of t, whether the rules m answers with
// already ignore what the line ignores. It is semantic: the line's pattern
// is turned into probe paths (every member of a "[...]", a sample name for
// each wildcard, at the top and deep when the pattern floats, as a file
// and as a directory unless it is directory-only), plus the paths the
// repository's own negations name; each probe that the line alone ignores
// is asked of m. ignoreCase should be the repository's core.ignorecase.
//
// The negations considered are those of the files m has read:
// core.excludesFile, info/exclude and the top .gitignore, and a deeper
// .gitignore only once m was asked about a path below it (Match a path in
// that directory first to take it into account). Probes placed deep go
// below "src/pkg/", whose .gitignore files, if any, apply.
func Coverage(m *Matcher, t Template, ignoreCase bool) []LineCoverage {
	negations := m.negations()
	var all []*Rule
	for _, tl := range t.AllLines() {
		all = append(all, NewRule(tl.Text, ignoreCase))
	}
	whole := NewFromRules(all)
	var out []LineCoverage
	for si, s := range t.Sections {
		for _, tl := range s.Lines {
			out = append(out, lineCoverage(m, whole, si, tl, negations, ignoreCase))
		}
	}
	return out
}

// lineCoverage judges one template line. A probe counts for the line when
// the line alone ignores it and the whole template does not un-ignore it
// (".pixi/*" does not claim ".pixi/config.toml", which the template's
// next line re-includes).
func lineCoverage(m, whole *Matcher, section int, tl TemplateLine, negations []*Rule, fold bool) LineCoverage {
	c := LineCoverage{Section: section, Line: tl}
	rule := NewRule(tl.Text, fold)
	if rule.Negated {
		return negationCoverage(m, c, rule)
	}
	alone := NewFromRules([]*Rule{rule})
	seen := map[Probe]bool{}
	add := func(p Probe) {
		if seen[p] || !alone.Match(p.Path, p.Kind).Ignored() {
			return
		}
		if r := whole.Match(p.Path, p.Kind).Rule; r == nil || !r.Negated {
			seen[p] = true
			c.Probes = append(c.Probes, p)
		}
	}
	for _, p := range probesFor(rule) {
		add(p)
	}
	for _, n := range negations {
		for _, p := range probesFor(n) {
			add(p)
		}
	}
	ignored := 0
	for _, p := range c.Probes {
		res := m.Match(p.Path, p.Kind)
		switch {
		case res.Ignored():
			ignored++
			if !containsRule(c.Rules, res.Rule) {
				c.Rules = append(c.Rules, res.Rule)
			}
		default:
			c.Uncovered = append(c.Uncovered, p)
			if res.Rule != nil && c.Negation == nil {
				c.Negation = res.Rule
			}
		}
	}
	switch {
	case c.Negation != nil:
		c.Verdict = Negated
	case len(c.Uncovered) == 0:
		c.Verdict = Covered
	case ignored > 0:
		c.Verdict = Partial
	default:
		c.Verdict = Missing
	}
	return c
}

// negationCoverage judges a "!" line of the template (the Python template
// has "!.pixi/config.toml" after ".pixi/*"): it is covered when the
// repository does not ignore the paths it names, missing when it ignores
// all of them; Rules are then the rules that ignore them.
func negationCoverage(m *Matcher, c LineCoverage, rule *Rule) LineCoverage {
	alone := NewFromRules([]*Rule{rule})
	for _, p := range probesFor(rule) {
		if alone.Match(p.Path, p.Kind).Rule == rule {
			c.Probes = append(c.Probes, p)
		}
	}
	for _, p := range c.Probes {
		if res := m.Match(p.Path, p.Kind); res.Ignored() {
			c.Uncovered = append(c.Uncovered, p)
			if !containsRule(c.Rules, res.Rule) {
				c.Rules = append(c.Rules, res.Rule)
			}
		}
	}
	switch {
	case len(c.Uncovered) == 0:
		c.Verdict = Covered
	case len(c.Uncovered) < len(c.Probes):
		c.Verdict = Partial
	default:
		c.Verdict = Missing
	}
	return c
}

func containsRule(rules []*Rule, r *Rule) bool {
	for _, x := range rules {
		if x == r {
			return true
		}
	}
	return false
}

// negations returns the "!" rules of the sources read so far.
func (m *Matcher) negations() []*Rule {
	var out []*Rule
	add := func(rules []*Rule) {
		for _, r := range rules {
			if r.Negated {
				out = append(out, r)
			}
		}
	}
	for _, d := range m.dirs {
		add(d.rules.rules)
	}
	for _, l := range m.lower {
		add(l.rules)
	}
	return out
}

// maxSamples bounds the names one pattern expands to.
const maxSamples = 64

// probesFor returns paths that rule's pattern names: each sample of its
// body, where it applies (its own directory, and deep when it floats), as
// a file and as a directory (only a directory when directory-only).
func probesFor(r *Rule) []Probe {
	var out []Probe
	kinds := []Kind{KindFile, KindDir}
	if r.DirOnly {
		kinds = []Kind{KindDir}
	}
	for _, name := range samples(r.pattern.toksOrLiteral()) {
		if name == "" {
			continue
		}
		places := []string{r.base + name}
		if r.anyDir {
			places = append(places, r.base+probeDir+name)
		}
		for _, p := range places {
			for _, k := range kinds {
				out = append(out, Probe{Path: p, Kind: k})
			}
		}
	}
	return out
}

// toksOrLiteral returns the pattern as tokens whatever its shape.
func (g *glob) toksOrLiteral() []token {
	switch g.shape {
	case shapeLiteral:
		toks := make([]token, len(g.literal))
		for i := range g.literal {
			toks[i] = token{kind: tLiteral, b: g.literal[i]}
		}
		return toks
	case shapeSuffix:
		return append([]token{{kind: tStar}}, g.toks...)
	case shapeGeneral:
		return g.toks
	}
	return nil
}

// samples expands tokens into concrete names: every printable member of a
// small class (all of "[codz]"), one member of a large one, "x" for "*"
// and "?", "" and "d/" for "**/", "x" and "d/x" for a final "**".
func samples(toks []token) []string {
	names := []string{""}
	for _, t := range toks {
		var alts []string
		switch t.kind {
		case tLiteral:
			alts = []string{string(t.b)}
		case tAny, tStar:
			alts = []string{"x"}
		case tDirs:
			alts = []string{"", "d/"}
		case tRest:
			alts = []string{"x", "d/x"}
		case tClass:
			alts = classSamples(t.set)
		}
		if len(alts) == 0 {
			return nil
		}
		next := make([]string, 0, len(names)*len(alts))
		for _, n := range names {
			for _, a := range alts {
				if len(next) < maxSamples {
					next = append(next, n+a)
				}
			}
		}
		names = next
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, "/")
	}
	return names
}

func classSamples(set *byteSet) []string {
	var members []string
	for c := 0x21; c < 0x7f; c++ {
		if set.has(byte(c)) {
			members = append(members, string(rune(c)))
		}
	}
	if len(members) == 0 {
		for c := 0x80; c < 0x100; c++ {
			if set.has(byte(c)) {
				return []string{string([]byte{byte(c)})}
			}
		}
		return nil
	}
	if len(members) > 8 {
		// A large set: one letter when it has one, else its first member.
		for _, m := range members {
			if isLower(m[0]) {
				return []string{m}
			}
		}
		return members[:1]
	}
	return members
}

// MissingLines returns the lines of cov that appending would fix (Missing or
// Partial), in template order.
func MissingLines(cov []LineCoverage) []LineCoverage {
	var out []LineCoverage
	for _, c := range cov {
		if c.NeedsAppend() {
			out = append(out, c)
		}
	}
	return out
}

// MissingSections returns t restricted to the lines cov says need
// appending, each under its section's header; sections left empty are
// dropped. It is what Append takes. A "!" line of the template is taken
// along when a line before it in its section is appended, since it
// qualifies that line (".pixi/*" then "!.pixi/config.toml").
func MissingSections(t Template, cov []LineCoverage) []Section {
	var out []Section
	last := -1
	for _, c := range cov {
		qualifies := c.Section == last && strings.HasPrefix(c.Line.Text, "!")
		if !c.NeedsAppend() && !qualifies {
			continue
		}
		if c.Section != last {
			out = append(out, Section{Header: t.Sections[c.Section].Header})
			last = c.Section
		}
		out[len(out)-1].Lines = append(out[len(out)-1].Lines, c.Line)
	}
	return out
}

// MissingBytecode returns the bytecode lines of the Python template
// ("__pycache__/", "*.py[codz]", "*$py.class") that the rules of src do
// not fully cover and that no negation un-ignores on purpose: what
// `pycguard check` warns about.
func MissingBytecode(src Sources) ([]string, error) {
	m, err := New(src)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range MissingLines(Coverage(m, BytecodeTemplate(), src.IgnoreCase)) {
		out = append(out, c.Line.Text)
	}
	return out, nil
}
