package ignore

import "strings"

// This file judges a template line by line (the information part of
// coverage: which lines of GitHub's Python template, or of a template
// file, the repository already has). Whether bytecode is ignored is
// decided per kind of bytecode, in coverage.go.

// LineVerdict is how well a repository's rules cover one template line.
type LineVerdict uint8

// Verdicts, from best to worst.
const (
	// LineCovered: every path the template line ignores is ignored.
	LineCovered LineVerdict = iota
	// LineNegated: some path the line ignores is un-ignored by a "!" rule of
	// the repository. Appending the line would override that rule, so
	// Append leaves it to the user.
	LineNegated
	// LinePartial: some paths the line ignores are ignored, others not (say
	// "*.pyc" for "*.py[codz]").
	LinePartial
	// LineMissing: none of the paths the line ignores is ignored.
	LineMissing
)

var lineVerdictNames = [...]string{"covered", "negated", "partly covered", "missing"}

// String returns "covered", "negated", "partly covered" or "missing".
func (v LineVerdict) String() string { return lineVerdictNames[v] }

// LineCoverage is the coverage of one template line.
type LineCoverage struct {
	Section int          // index in Template.Sections
	Line    TemplateLine // the template's rule
	Verdict LineVerdict
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
func (c LineCoverage) NeedsAppend() bool { return c.Verdict == LineMissing || c.Verdict == LinePartial }

// TemplateCoverage decides, for each line of t, whether the rules m answers with
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
func TemplateCoverage(m *Matcher, t Template, ignoreCase bool) []LineCoverage {
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
		c.Verdict = LineNegated
	case len(c.Uncovered) == 0:
		c.Verdict = LineCovered
	case ignored > 0:
		c.Verdict = LinePartial
	default:
		c.Verdict = LineMissing
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
		c.Verdict = LineCovered
	case len(c.Uncovered) < len(c.Probes):
		c.Verdict = LinePartial
	default:
		c.Verdict = LineMissing
	}
	return c
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
