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

// keptInCommit returns which of the findings of commit a "!" rule of the
// commit's own .gitignore files keeps on purpose (ignore.Matcher
// .KeptOnPurpose over the commit's tree): KeptByNegation lets such a file
// pass check, so the commit that carries it passes scan and pre-receive
// too. The files are those a checkout of the commit writes
// (gitops.GitignoreReader); a repository's personal rules
// (info/exclude, core.excludesFile) keep nothing, as in check. When the
// files cannot be read nothing is kept, so every finding still blocks.
// ignoreCase is asked only when a negation is found.
func keptInCommit(gr *gitops.GitignoreReader, commit string, found []ScanFinding, ignoreCase func() (bool, error)) (map[string]bool, error) {
	if len(found) == 0 {
		return nil, nil
	}
	paths := make([]string, len(found))
	for i, f := range found {
		paths[i] = f.Path
	}
	files, err := gr.Read(commit, pathDirs(paths))
	if err != nil {
		return nil, nil
	}
	src := ignore.Sources{Gitignore: func(rel string) []byte { return files[rel] }}
	plain, err := ignore.New(src)
	if err != nil {
		return nil, nil
	}
	for _, p := range paths {
		plain.Match(p, ignore.KindFile)
	}
	if !plain.HasGitignoreNegations() {
		return nil, nil
	}
	if src.IgnoreCase, err = ignoreCase(); err != nil {
		return nil, err
	}
	m := plain // the same rules, unless case folding changes what they match
	if src.IgnoreCase {
		if m, err = ignore.New(src); err != nil {
			return nil, nil
		}
	}
	kept := map[string]bool{}
	for _, p := range paths {
		if m.KeptOnPurpose(p) != nil {
			kept[p] = true
		}
	}
	return kept, nil
}

// pathDirs returns the directories paths lie in, the top ("") first, each
// once: those whose .gitignore files can decide them.
func pathDirs(paths []string) []string {
	seen := map[string]bool{"": true}
	dirs := []string{""}
	for _, p := range paths {
		for i := 0; i < len(p); i++ {
			if p[i] == '/' && !seen[p[:i]] {
				seen[p[:i]] = true
				dirs = append(dirs, p[:i])
			}
		}
	}
	return dirs
}
