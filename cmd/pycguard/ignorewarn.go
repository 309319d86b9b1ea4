package main

import (
	"fmt"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

// warnIgnoreCoverage prints check's warning on stderr when git does not
// ignore some kind of bytecode here (hook.MissingBytecodeKinds). It never
// changes the exit status: DESIGN.md makes an incomplete .gitignore a
// warning, not a block.
func (g *globals) warnIgnoreCoverage(repo *gitops.Repo) {
	missing, err := hook.MissingBytecodeKinds(repo)
	if err != nil {
		fmt.Fprintf(g.stderr, "pycguard: warning: could not check .gitignore coverage: %v\n", err)
		return
	}
	report.WriteCoverageWarning(g.stderr, missing)
}
