package hook

import (
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
)

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
			plain, _ = ignore.New(ignoreFiles(repo))
		}
		if plain != nil {
			plain.Match(gitPath, ignore.KindFile)
			if !plain.HasGitignoreNegations() {
				return false
			}
		}
		if !fullTried {
			fullTried = true
			if src, err := IgnoreSources(repo); err == nil {
				full, _ = ignore.New(src)
			}
		}
		return full != nil && full.KeptOnPurpose(gitPath) != nil
	}
}
