package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
)

// warnIgnoreCoverage prints a warning on stderr, naming the lines, when the
// repository's ignore rules do not cover the bytecode lines of the Python
// template (__pycache__/, *.py[codz], *$py.class). A line un-ignored on
// purpose by a "!" rule is not warned about. It never changes the exit
// status: DESIGN.md makes an incomplete .gitignore a warning, not a block.
//
// It costs no git process when the rules are complete: the first pass
// reads .gitignore and info/exclude only; core.excludesFile and
// core.ignorecase can only add coverage, so they are read (one git config
// process) just to confirm a warning.
func (g *globals) warnIgnoreCoverage(repo *gitops.Repo) {
	src := ignore.Sources{WorkTree: repo.WorkTree, InfoExclude: filepath.Join(repo.CommonDir, "info", "exclude")}
	missing, err := ignore.MissingBytecode(src)
	if err == nil && len(missing) == 0 {
		return
	}
	if err := repo.LoadConfig(); err != nil {
		fmt.Fprintf(g.stderr, "pycguard: warning: could not check .gitignore coverage: %v\n", err)
		return
	}
	src.ExcludesFile, src.IgnoreCase = repo.ExcludesFile, repo.IgnoreCase
	if missing, err = ignore.MissingBytecode(src); err != nil {
		fmt.Fprintf(g.stderr, "pycguard: warning: could not check .gitignore coverage: %v\n", err)
		return
	}
	if len(missing) > 0 {
		fmt.Fprintf(g.stderr, "pycguard: warning: .gitignore does not cover Python bytecode; missing: %s\n"+
			"  add them: pycguard fix (or pycguard explain --coverage --append)\n", strings.Join(missing, " "))
	}
}
