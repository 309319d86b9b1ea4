package gitops

import (
	"os"
	"path/filepath"
)

// OpenForHook is Open for a server hook: every field (GitDir, CommonDir,
// Bare, ObjectFormat) is known when it returns, and the layout a
// pre-receive hook meets — git runs it in a bare repository with GIT_DIR
// set, beside the quarantine's GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY
// and GIT_ALTERNATE_OBJECT_DIRECTORIES — is read in-process, so the hook
// starts no git process to find its repository (openHookInProcess). Any
// other layout is Open. A directory that is not a repository is
// ErrNotRepository.
func OpenForHook(dir string, env []string) (*Repo, error) {
	if r, ok := openHookInProcess(dir, env, hostDiscovery()); ok {
		return r, nil
	}
	return Open(dir, env)
}

// openHookInProcess answers what `git rev-parse --path-format=absolute`
// answers for a bare repository named by GIT_DIR whose configuration it
// fully understands: core.bare true, format version 0, or 1 with
// extensions.objectformat (sha1 or sha256) as the only extension, no
// includes, no core.worktree, no line it cannot read exactly; no
// GIT_WORK_TREE, GIT_COMMON_DIR or GIT_INDEX_FILE, no configuration from
// the environment that could change these; a git directory of its own
// (not a linked worktree's) that the current user owns. It declines (ok
// false) for everything else. TestOpenForHookAgreesWithGit compares it
// with git.
func openHookInProcess(dir string, env []string, plat discoveryPlatform) (*Repo, bool) {
	if !plat.ownerCheck {
		return nil, false
	}
	r := &Repo{dir: dir, env: env}
	gitDirEnv := r.getenv("GIT_DIR")
	if gitDirEnv == "" {
		return nil, false
	}
	for _, k := range []string{"GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE",
		"GIT_CONFIG_PARAMETERS", "GIT_CONFIG", "GIT_TEST_ASSUME_DIFFERENT_OWNER", "SUDO_UID"} {
		if r.getenv(k) != "" {
			return nil, false
		}
	}
	if !configEnvPlain(r.getenv) {
		return nil, false
	}
	abs, err := filepath.Abs(absIn(dir, gitDirEnv))
	if err != nil {
		return nil, false
	}
	gitDir, err := filepath.EvalSymlinks(abs)
	if err != nil || !filepath.IsAbs(gitDir) {
		return nil, false
	}
	if fi, err := os.Lstat(gitDir); err != nil || !fi.IsDir() || !plainGitDir(gitDir) || !plat.ownedByMe(gitDir) {
		return nil, false
	}
	cfg, err := os.ReadFile(filepath.Join(gitDir, "config"))
	if err != nil {
		return nil, false
	}
	format, ok := bareRepoConfig(cfg)
	if !ok {
		return nil, false
	}
	r.ObjectFormat = format
	r.Bare = true
	r.GitDir = gitDir
	r.CommonDir = gitDir
	r.IndexFile = filepath.Join(gitDir, "index")
	return r, true
}

// bareRepoConfig returns the object format of a repository configuration
// that says core.bare = true and nothing openHookInProcess does not
// understand (see there); ok false otherwise.
func bareRepoConfig(b []byte) (format string, ok bool) {
	version, bare := "0", false
	plain := readPlainConfig(b, func(sec string, sub bool, key, val string, hasVal bool) bool {
		switch {
		case sec == "include", sec == "includeif":
			return false
		case sec == "core" || sec == "extensions":
			if sub {
				return false
			}
		default:
			return true
		}
		switch {
		case key == "":
			return true
		case sec == "extensions":
			if key != "objectformat" || !hasVal || (val != "sha1" && val != "sha256") || format != "" {
				return false
			}
			format = val
		case key == "bare":
			if !hasVal || val != "true" {
				return false
			}
			bare = true
		case key == "worktree":
			return false
		case key == "repositoryformatversion":
			if val != "0" && val != "1" {
				return false
			}
			version = val
		}
		return true
	})
	switch {
	case !plain, !bare:
		return "", false
	case format == "":
		return "sha1", true
	case version != "1":
		return "", false
	}
	return format, true
}
