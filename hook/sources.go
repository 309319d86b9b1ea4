package hook

import (
	"path/filepath"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
)

// IgnoreSources returns where git reads ignore rules from for repo: the
// work tree's .gitignore files, info/exclude of the common directory
// (linked worktrees share it) and core.excludesFile, matched with
// core.ignorecase. The configuration is read first when it has not been
// (one git process). It is the one place the ignore sources of a
// repository are built: check, explain, audit and fix all ask it.
func IgnoreSources(repo *gitops.Repo) (ignore.Sources, error) {
	set, err := repo.Settings()
	if err != nil {
		return ignore.Sources{}, err
	}
	src := ignoreFiles(repo)
	src.ExcludesFile, src.IgnoreCase = set.ExcludesFile, set.IgnoreCase
	return src, nil
}

// ignoreFiles is IgnoreSources without what the configuration adds
// (core.excludesFile, core.ignorecase): no git process. The answers that
// are lazy about the configuration (KeptByNegation, MissingBytecodeKinds)
// ask these first.
func ignoreFiles(repo *gitops.Repo) ignore.Sources {
	return ignore.Sources{WorkTree: repo.WorkTree, InfoExclude: filepath.Join(repo.CommonDir, "info", "exclude")}
}

// MissingBytecodeKinds returns the kinds of bytecode (__pycache__/
// contents, *.pyc, *.pyo, *$py.class) that git does not ignore in repo:
// ignore.Bytecode's Missing verdict, the one audit, explain --coverage and
// fix act on. Bytecode a .gitignore negation keeps on purpose, and the
// template's other lines (*.pyd, *.pyz), are not missing. It is check's
// warning.
//
// It starts no git process when the rules are complete and have no
// negation: the first pass reads .gitignore and info/exclude only;
// core.excludesFile can only add coverage, and core.ignorecase can take
// some away only through a negation that matches more when case is
// folded, so the configuration is read (one git config process) only to
// confirm missing kinds, or when there is a negation.
func MissingBytecodeKinds(repo *gitops.Repo) ([]ignore.BytecodeKind, error) {
	cov, err := ignore.Bytecode(ignoreFiles(repo), nil)
	if err == nil && !cov.HasMissing() && !cov.HasNegations() {
		return nil, nil
	}
	src, err := IgnoreSources(repo)
	if err != nil {
		return nil, err
	}
	if cov, err = ignore.Bytecode(src, nil); err != nil {
		return nil, err
	}
	return cov.MissingKinds(), nil
}
