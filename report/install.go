package report

import (
	"fmt"
	"io"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
)

// WriteInstall writes what pycguard install did (hook.InstallDir) on
// stdout, naming the hook files relative to res.Repo's work tree top; a
// shared hook comes with the git add command to commit it, quoted for sh,
// and an older saved hook moved aside is a warning on stderr.
func WriteInstall(stdout, stderr io.Writer, res hook.RepoInstallResult, sh Shell) {
	where := workTreeName(res.Repo, res.Hook)
	switch {
	case res.Repaired:
		fmt.Fprintf(stdout, "pycguard: %s ran pycguard twice per commit; put %s's hook back in front, which runs pycguard from %s\n",
			workTreeName(res.Repo, res.HooksDir), res.RunBy, where)
	case res.RunBy != "" && res.Changed:
		fmt.Fprintf(stdout, "pycguard: updated %s, which %s's hook runs\n", where, res.RunBy)
	case res.RunBy != "":
		fmt.Fprintf(stdout, "pycguard: hook already installed in %s, which %s's hook runs\n", where, res.RunBy)
	case !res.Changed:
		fmt.Fprintf(stdout, "pycguard: hook already installed in %s\n", where)
	case res.Saved != "":
		fmt.Fprintf(stdout, "pycguard: installed %s; the existing hook was kept as %s and runs first\n",
			where, workTreeName(res.Repo, res.Saved))
	default:
		fmt.Fprintf(stdout, "pycguard: installed %s\n", where)
	}
	if res.Shared && res.Changed {
		word, _ := sh.Quote(where)
		fmt.Fprintf(stdout, "pycguard: %s is inside the work tree: commit it (git add %s) so that every clone and worktree runs it\n",
			where, word)
	}
	if res.Displaced != "" {
		fmt.Fprintf(stderr, "pycguard: warning: the older saved hook was moved to %s\n", workTreeName(res.Repo, res.Displaced))
	}
}

// WriteUninstall writes what pycguard uninstall did (hook.UninstallDir)
// on stdout, naming the hook files as WriteInstall does; a hook manager's
// hook kept aside is a warning on stderr.
func WriteUninstall(stdout, stderr io.Writer, res hook.RepoUninstallResult) {
	for _, s := range res.Steps {
		where := workTreeName(res.Repo, s.Hook)
		if s.Restored {
			fmt.Fprintf(stdout, "pycguard: removed pycguard's hook; restored the earlier %s\n", where)
		} else {
			fmt.Fprintf(stdout, "pycguard: removed %s\n", where)
		}
		if s.KeptAside != "" {
			fmt.Fprintf(stderr, "pycguard: warning: an older copy of the hook manager's hook was moved to %s\n", workTreeName(res.Repo, s.KeptAside))
		}
	}
}

// workTreeName names the absolute path p as a person reads it: relative
// to the work tree top, '/'-separated, when it lies inside the work tree
// (gitops.Repo.RepoPath decides that), else as it is.
func workTreeName(repo *gitops.Repo, p string) string {
	if rel, err := repo.RepoPath(p); err == nil && rel != "" {
		return rel
	}
	return p
}
