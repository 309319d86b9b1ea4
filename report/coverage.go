package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
)

// KindCoverage is how the ignore rules cover one kind of bytecode, as it
// is reported (audit's bytecode_coverage, explain --coverage).
type KindCoverage struct {
	Kind      string   `json:"kind"`      // __pycache__/, *.pyc, *.pyo, *$py.class
	Verdict   string   `json:"verdict"`   // covered, kept, missing
	Rules     []string `json:"rules"`     // SOURCE:LINE:PATTERN of the rules that ignore its probes
	Negations []string `json:"negations"` // the .gitignore "!" rules that keep some probes on purpose
	Kept      []string `json:"kept"`      // probe paths kept on purpose
	Missing   []string `json:"missing"`   // probe paths git does not ignore
	// Unignoring are negations of info/exclude or core.excludesFile that
	// un-ignore missing probes (personal rules: they keep nothing).
	Unignoring []string `json:"unignoring,omitempty"`
}

// LineCoverage is one template line's coverage: information only.
type LineCoverage struct {
	Line      string   `json:"line"`
	Verdict   string   `json:"verdict"` // covered, partly covered, negated, missing
	Rules     []string `json:"rules"`   // SOURCE:LINE:PATTERN of the rules that cover it
	Negation  string   `json:"negation,omitempty"`
	Uncovered []string `json:"uncovered"` // probe paths not ignored ("x/" for a directory)
}

// NewKindCoverage renders a coverage report's kinds.
func NewKindCoverage(r *ignore.Report) []KindCoverage {
	out := []KindCoverage{}
	for _, k := range r.Kinds {
		c := KindCoverage{Kind: k.Kind.String(), Verdict: k.Verdict.String(),
			Rules: ruleStrings(k.Rules), Negations: ruleStrings(k.Negations),
			Kept: probePaths(k.Kept), Missing: probePaths(k.Missing)}
		for _, p := range k.Missing {
			if n := r.Unignored(p); n != nil && !contains(c.Unignoring, n.String()) {
				c.Unignoring = append(c.Unignoring, n.String())
			}
		}
		out = append(out, c)
	}
	return out
}

// NewLineCoverage renders template line coverage.
func NewLineCoverage(cov []ignore.LineCoverage) []LineCoverage {
	out := []LineCoverage{}
	for _, c := range cov {
		lc := LineCoverage{Line: c.Line.Text, Verdict: c.Verdict.String(), Rules: ruleStrings(c.Rules), Uncovered: probePaths(c.Uncovered)}
		if c.Negation != nil {
			lc.Negation = c.Negation.String()
		}
		out = append(out, lc)
	}
	return out
}

func ruleStrings(rules []*ignore.Rule) []string {
	out := []string{}
	for _, r := range rules {
		out = append(out, r.String())
	}
	return out
}

// probePaths names probes once each, a directory with a trailing "/".
func probePaths(probes []ignore.Probe) []string {
	out := []string{}
	for _, p := range probes {
		name := p.Path
		if p.Kind == ignore.KindDir {
			name += "/"
		}
		if !contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Detail says in words why a kind has its verdict.
func (c KindCoverage) Detail() string {
	var parts []string
	if len(c.Rules) > 0 {
		parts = append(parts, "ignored by "+quoteAll(c.Rules))
	}
	if len(c.Kept) > 0 {
		parts = append(parts, "kept on purpose by "+quoteAll(c.Negations)+": "+list(c.Kept))
	}
	if len(c.Missing) > 0 {
		s := "not ignored: " + list(c.Missing)
		if len(c.Unignoring) > 0 {
			s += " (un-ignored only by " + quoteAll(c.Unignoring) + ", a personal rule)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// Detail says in words why a template line has its verdict.
func (c LineCoverage) Detail() string {
	switch {
	case c.Negation != "":
		return "un-ignored by " + gitops.QuotePath(c.Negation)
	case len(c.Rules) > 0 && len(c.Uncovered) > 0:
		return "by " + quoteAll(c.Rules) + "; not: " + list(c.Uncovered)
	case len(c.Rules) > 0:
		return "by " + quoteAll(c.Rules)
	}
	return "no rule ignores " + list(c.Uncovered)
}

// quoteAll quotes each name as git does and joins them with ", ".
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = gitops.QuotePath(n)
	}
	return strings.Join(q, ", ")
}

// list joins at most four paths for a line of text.
func list(paths []string) string {
	const max = 4
	shown := make([]string, 0, max+1)
	for i, p := range paths {
		if i == max {
			shown = append(shown, fmt.Sprintf("and %d more", len(paths)-max))
			break
		}
		shown = append(shown, gitops.QuotePath(p))
	}
	return strings.Join(shown, ", ")
}

// TemplateNotes are the information lines about the template's lines that
// the rules do not have (say "*.py[codz]" in a repository with the older
// "*.py[cod]": .pyz zipapps), never a reason to fix anything.
func TemplateNotes(lines []LineCoverage) []string {
	var out []string
	for _, l := range lines {
		if others := notBytecode(l.Uncovered); len(others) > 0 {
			out = append(out, fmt.Sprintf("the current template also lists %s; not ignored here: %s (not bytecode: information only)", gitops.QuotePath(l.Line), list(others)))
		}
	}
	return out
}

// notBytecode keeps the files among a line's uncovered probes that are
// not bytecode (.pyd, .pyz): bytecode is the kinds' business, and
// directories named like files are no news.
func notBytecode(paths []string) []string {
	var out []string
	for _, p := range paths {
		if !bytecode.IsBytecode(p, false) && !strings.HasSuffix(p, "/") {
			out = append(out, p)
		}
	}
	return out
}

// WriteCoverageTSV writes one line per kind, VERDICT<TAB>KIND<TAB>DETAIL,
// then "info<TAB>LINE<TAB>NOTE" for template lines (explain --coverage).
func WriteCoverageTSV(w io.Writer, kinds []KindCoverage, lines []LineCoverage) error {
	var b strings.Builder
	for _, k := range kinds {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", k.Verdict, k.Kind, k.Detail())
	}
	for _, l := range lines {
		if others := notBytecode(l.Uncovered); len(others) > 0 {
			fmt.Fprintf(&b, "info\t%s\tthe current template's line; not ignored here: %s (not bytecode: information only)\n", gitops.QuotePath(l.Line), list(others))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCoverageWarning writes check's warning naming the kinds of
// bytecode git does not ignore (hook.MissingBytecodeKinds), and how to add
// them; nothing when none is missing.
func WriteCoverageWarning(w io.Writer, missing []ignore.BytecodeKind) error {
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, len(missing))
	for i, k := range missing {
		names[i] = k.String()
	}
	_, err := fmt.Fprintf(w, "pycguard: warning: .gitignore does not cover Python bytecode; missing: %s\n"+
		"  add them: pycguard fix (or pycguard explain --coverage --append)\n", strings.Join(names, " "))
	return err
}

// WriteExplainCoverage writes explain --coverage's report
// (fix.ExplainCoverage): the kinds and the template's information lines
// (WriteCoverageTSV), or with a template VERDICT<TAB>LINE<TAB>DETAIL for
// each of its lines; then the lines appended to .gitignore, if any.
func WriteExplainCoverage(w io.Writer, res *fix.CoverageResult) error {
	bw := bufio.NewWriter(w)
	if res.Kinds != nil {
		if err := WriteCoverageTSV(bw, NewKindCoverage(res.Kinds), NewLineCoverage(res.Kinds.Template())); err != nil {
			return err
		}
	}
	for _, c := range NewLineCoverage(res.Lines) {
		fmt.Fprintf(bw, "%s\t%s\t%s\n", c.Verdict, gitops.QuotePath(c.Line), c.Detail())
	}
	if res.Appended.Changed() {
		fmt.Fprintf(bw, "appended %d line(s) to %s\n", len(res.Appended.Added), res.Appended.Path)
	}
	return bw.Flush()
}
