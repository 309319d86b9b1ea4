// Package e2e runs the real pycguard binary in real git repositories.
//
// Each file in testdata/script is one behaviour, written as a testscript
// (github.com/rogpeppe/go-internal/testscript); its name is the spec. The
// binary is built from the current tree once per test run and put first on
// PATH, so a script can install it as .git/hooks/pre-commit and run git
// commit. Extra script commands:
//
//	exits N PROG [ARGS...]   run PROG and require exit status N exactly
//	hook-agrees-with-git     compare the verdict the logging pre-commit hook
//	                         recorded with git's own staged set (see
//	                         testdata/hook-oracle.sh)
package e2e
