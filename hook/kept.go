package hook

import (
	"path/filepath"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
)

// IgnoreSources returns where git reads ignore rules from for repo (its
// configuration read: core.excludesFile and core.ignorecase).
func IgnoreSources(repo *gitops.Repo) ignore.Sources {
	return ignore.Sources{
		WorkTree:     repo.WorkTree,
		InfoExclude:  filepath.Join(repo.CommonDir, "info", "exclude"),
		ExcludesFile: repo.ExcludesFile,
		IgnoreCase:   repo.IgnoreCase,
	}
}

// KeptByNegation returns the Policy.Kept of repo: a path is kept on
// purpose when a "!" rule of the repository's .gitignore files decides it
// (ignore.Matcher.KeptOnPurpose), so that check agrees with fix, which
// leaves such files tracked. The .gitignore files along the path are read
// first without the configuration; only when one of them has a negation
// is the configuration read (one git process) and the path judged with
// core.excludesFile and core.ignorecase, so the common blocking commit
// starts no git process for it. When reading fails nothing counts as kept,
// so the path still blocks.
func KeptByNegation(repo *gitops.Repo) func(gitPath string) bool {
	var plain, full *ignore.Matcher
	plainTried, fullTried := false, false
	return func(gitPath string) bool {
		if !plainTried {
			plainTried = true
			plain, _ = ignore.New(ignore.Sources{
				WorkTree:    repo.WorkTree,
				InfoExclude: filepath.Join(repo.CommonDir, "info", "exclude"),
			})
		}
		if plain != nil {
			plain.Match(gitPath, ignore.KindFile)
			if !plain.HasGitignoreNegations() {
				return false
			}
		}
		if !fullTried {
			fullTried = true
			if repo.LoadConfig() == nil {
				full, _ = ignore.New(IgnoreSources(repo))
			}
		}
		return full != nil && full.KeptOnPurpose(gitPath) != nil
	}
}
