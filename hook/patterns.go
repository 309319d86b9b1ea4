package hook

import (
	"strings"

	"github.com/pycguard/pycguard/ignore"
)

// Patterns is a list of gitignore-style patterns applying at the top of the
// work tree (the allow and extra lists of the configuration), matched with
// gitignore(5)'s rules by the ignore engine: later patterns win, "!"
// negates, a trailing "/" matches directories (and so everything below
// them), a slash at the start or in the middle anchors to the top. A nil
// *Patterns matches nothing.
type Patterns struct {
	exact, folded *ignore.Matcher
}

// NewPatterns compiles lines; source names them in messages (the
// configuration file and key, e.g. "pyproject.toml:tool.pycguard.allow").
// Nil when lines is empty, so that the common case costs nothing.
func NewPatterns(source string, lines []string) *Patterns {
	if len(lines) == 0 {
		return nil
	}
	data := []byte(strings.Join(lines, "\n") + "\n")
	return &Patterns{
		exact:  ignore.NewFromRules(ignore.ParseRules(data, source, "", false)),
		folded: ignore.NewFromRules(ignore.ParseRules(data, source, "", true)),
	}
}

// Match reports whether the file gitPath (relative to the work tree top)
// matches, folding ASCII case when fold is set (core.ignorecase). A file
// inside a matched directory matches.
func (p *Patterns) Match(gitPath string, fold bool) bool {
	if p == nil {
		return false
	}
	m := p.exact
	if fold {
		m = p.folded
	}
	return m.Match(gitPath, ignore.KindFile).Ignored()
}
