package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
)

// warnIgnoreCoverage prints a warning on stderr, naming the kinds, when git
// does not ignore some kind of bytecode (__pycache__/ contents, *.pyc,
// *.pyo, *$py.class) here: ignore.Bytecode's Missing verdict, the one
// audit, explain --coverage and fix act on. Bytecode a .gitignore negation
// keeps on purpose, and the template's other lines (*.pyd, *.pyz), are no
// reason for a warning. It never changes the exit status: DESIGN.md makes
// an incomplete .gitignore a warning, not a block.
//
// It costs no git process when the rules are complete and have no
// negation: the first pass reads .gitignore and info/exclude only;
// core.excludesFile can only add coverage, and core.ignorecase can take
// some away only through a negation that matches more when case is
// folded, so they are read (one git config process) just to confirm a
// warning, or when there is a negation.
func (g *globals) warnIgnoreCoverage(repo *gitops.Repo) {
	src := ignore.Sources{WorkTree: repo.WorkTree, InfoExclude: filepath.Join(repo.CommonDir, "info", "exclude")}
	cov, err := ignore.Bytecode(src, nil)
	if err == nil && !cov.HasMissing() && !cov.HasNegations() {
		return
	}
	if err := repo.LoadConfig(); err != nil {
		fmt.Fprintf(g.stderr, "pycguard: warning: could not check .gitignore coverage: %v\n", err)
		return
	}
	src.ExcludesFile, src.IgnoreCase = repo.ExcludesFile, repo.IgnoreCase
	if cov, err = ignore.Bytecode(src, nil); err != nil {
		fmt.Fprintf(g.stderr, "pycguard: warning: could not check .gitignore coverage: %v\n", err)
		return
	}
	if missing := cov.MissingKinds(); len(missing) > 0 {
		names := make([]string, len(missing))
		for i, k := range missing {
			names[i] = k.String()
		}
		fmt.Fprintf(g.stderr, "pycguard: warning: .gitignore does not cover Python bytecode; missing: %s\n"+
			"  add them: pycguard fix (or pycguard explain --coverage --append)\n", strings.Join(names, " "))
	}
}
