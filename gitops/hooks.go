package gitops

import (
	"path/filepath"
	"strings"
)

// HooksDir returns the directory git runs hooks from, as `git rev-parse
// --git-path hooks` names it: core.hooksPath when set (relative values are
// relative to the work tree top), else the common directory's hooks, which
// linked worktrees share.
func (r *Repo) HooksDir() (string, error) {
	out, err := r.gitOutput(nil, "rev-parse", "--path-format=absolute", "--git-path", "hooks")
	if err != nil {
		return "", err
	}
	return filepath.Clean(strings.TrimSuffix(string(out), "\n")), nil
}
