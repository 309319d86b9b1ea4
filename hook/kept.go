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
// leaves such files tracked. The first call reads the configuration (one
// git process) and the rules; when that fails nothing counts as kept, so
// the path still blocks.
func KeptByNegation(repo *gitops.Repo) func(gitPath string) bool {
	var m *ignore.Matcher
	tried := false
	return func(gitPath string) bool {
		if !tried {
			tried = true
			if repo.LoadConfig() == nil {
				m, _ = ignore.New(IgnoreSources(repo))
			}
		}
		return m != nil && m.KeptOnPurpose(gitPath) != nil
	}
}
