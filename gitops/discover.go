package gitops

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// openInProcess answers Open without starting git for the one layout a
// pre-commit hook meets most: dir is the top of a work tree whose `.git` is a
// directory of a plain repository that the current user owns. It declines
// (ok false) for everything it does not fully understand — a linked worktree
// or submodule (`.git` is a file), a subdirectory, GIT_DIR and friends,
// core.worktree, core.bare, includes, any extensions.* (sha256,
// worktreeConfig, …), a configuration line it cannot read exactly, another
// owner (safe.directory), command-line configuration that could change any of
// these — and Open then asks git. What it returns is what `git rev-parse
// --path-format=absolute` says for the same directory: TestOpenInProcessAgreesWithGit
// compares the two on every layout the suite builds.
func openInProcess(dir string, env []string, plat discoveryPlatform) (*Repo, bool) {
	if !plat.ownerCheck {
		return nil, false
	}
	r := &Repo{dir: dir, env: env}
	if !discoveryEnvPlain(r.getenv) {
		return nil, false
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false
	}
	top, err := filepath.EvalSymlinks(abs)
	if err != nil || !filepath.IsAbs(top) {
		return nil, false
	}
	gitDir := filepath.Join(top, ".git")
	fi, err := os.Lstat(gitDir)
	if err != nil || !fi.IsDir() {
		return nil, false
	}
	if !plainGitDir(gitDir) {
		return nil, false
	}
	// safe.directory: git refuses a repository another user owns unless
	// configured to trust it; that judgement is git's to make.
	if !plat.ownedByMe(top) || !plat.ownedByMe(gitDir) {
		return nil, false
	}
	cfg, err := os.ReadFile(filepath.Join(gitDir, "config"))
	if err != nil || !plainRepoConfig(cfg) {
		return nil, false
	}
	index := filepath.Join(gitDir, "index")
	if v := r.getenv("GIT_INDEX_FILE"); v != "" {
		var ok bool
		if index, ok = realIndexPath(top, v); !ok {
			return nil, false
		}
	}
	r.ObjectFormat = "sha1"
	r.GitDir = gitDir
	r.CommonDir = gitDir
	r.IndexFile = index
	r.WorkTree = top
	return r, true
}

// discoveryPlatform is what the in-process discovery needs from the
// operating system, injected so that tests can decline it.
type discoveryPlatform struct {
	ownerCheck bool                   // ownership can be checked as git does
	ownedByMe  func(path string) bool // path is owned by the effective user
}

// discoveryEnvPlain reports whether the environment leaves discovery to
// the directory alone: no variable that moves the repository, the work tree
// or the object store, and no command-line configuration that could set
// core.bare, core.worktree, the format version, extensions.*, safe.* or
// includes (GIT_CONFIG_PARAMETERS, from `git -c`, is not read at all).
func discoveryEnvPlain(getenv func(string) string) bool {
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
		"GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES", "GIT_CONFIG_PARAMETERS",
		"GIT_CONFIG", "GIT_NAMESPACE", "GIT_TEST_ASSUME_DIFFERENT_OWNER", "SUDO_UID"} {
		if getenv(k) != "" {
			return false
		}
	}
	return configEnvPlain(getenv)
}

// configEnvPlain reports whether the configuration given in the
// environment (GIT_CONFIG_COUNT and its keys) leaves core.bare,
// core.worktree, the format version, extensions.*, safe.* and includes
// alone.
func configEnvPlain(getenv func(string) string) bool {
	n := getenv("GIT_CONFIG_COUNT")
	if n == "" {
		return true
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 0 || count > 1000 {
		return false
	}
	for i := 0; i < count; i++ {
		key := strings.ToLower(getenv("GIT_CONFIG_KEY_" + strconv.Itoa(i)))
		switch {
		case key == "", key == "core.bare", key == "core.worktree",
			key == "core.repositoryformatversion",
			strings.HasPrefix(key, "extensions."),
			strings.HasPrefix(key, "safe."),
			strings.HasPrefix(key, "include"):
			return false
		}
	}
	return true
}

// plainGitDir reports whether dir is a git directory of a repository's own
// (not a linked worktree's, which has a commondir file) whose HEAD git would
// accept, with its own objects and refs.
func plainGitDir(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, "commondir")); !os.IsNotExist(err) {
		return false
	}
	for _, sub := range []string{"objects", "refs"} {
		fi, err := os.Stat(filepath.Join(dir, sub))
		if err != nil || !fi.IsDir() {
			return false
		}
	}
	fi, err := os.Lstat(filepath.Join(dir, "HEAD"))
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 4096 {
		return false
	}
	head, err := os.ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return false
	}
	head = bytes.TrimRight(head, "\n")
	if ref, ok := bytes.CutPrefix(head, []byte("ref: ")); ok {
		return bytes.HasPrefix(ref, []byte("refs/")) && bytes.IndexByte(ref, '\n') < 0
	}
	_, err = parseHexID(string(head), sha1Len)
	return err == nil
}

// plainRepoConfig reports whether a repository's config file (the only file
// git reads to set up a repository) leaves it a plain SHA-1 repository with
// the work tree around its `.git`: format version 0 or 1 without
// extensions, core.bare false or unset, no core.worktree, no include. The
// reader is strict: a continuation line, a quoted or escaped section name,
// a key after a section header on its line — anything it does not read
// exactly — declines.
func plainRepoConfig(b []byte) bool {
	return readPlainConfig(b, func(sec string, sub bool, key, val string, hasVal bool) bool {
		switch {
		case sec == "extensions", sec == "include", sec == "includeif":
			return false
		case sec != "core" || sub:
			return true
		}
		switch key {
		case "bare":
			return hasVal && isFalse(val)
		case "worktree":
			return false
		case "repositoryformatversion":
			return val == "0" || val == "1"
		}
		return true
	})
}

// readPlainConfig calls fn for each section header (key "") and each
// variable of a configuration file, with the section's name in lower case,
// whether it has a subsection, the variable's name in lower case and its
// value without surrounding blanks or an unquoted comment (hasVal false
// for a name alone). It returns false when fn does, and for anything it
// cannot read exactly: a byte order mark, a file over 1 MiB, a line
// continued by a backslash, a header that is not plain.
func readPlainConfig(b []byte, fn func(sec string, sub bool, key, val string, hasVal bool) bool) bool {
	if len(b) > 1<<20 || bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		return false
	}
	section, sub := "", false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, " \t\r")
		if strings.HasSuffix(line, `\`) {
			return false
		}
		line = strings.TrimLeft(line, " \t")
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 || strings.TrimSpace(stripComment(line[end+1:])) != "" {
				return false
			}
			name := line[1:end]
			if strings.ContainsAny(name, `\`) {
				return false
			}
			sec, _, spaced := strings.Cut(name, " ")
			sec, _, dotted := strings.Cut(sec, ".")
			section, sub = strings.ToLower(sec), spaced || dotted
			if !fn(section, sub, "", "", false) {
				return false
			}
			continue
		}
		key, val, hasVal := strings.Cut(line, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(stripComment(val))
		if !fn(section, sub, key, val, hasVal) {
			return false
		}
	}
	return true
}

// stripComment cuts an unquoted # or ; comment off a value; a value with a
// quote or an escape is returned unchanged for the caller to judge (it is
// then not one of the plain words the caller accepts).
func stripComment(v string) string {
	if strings.ContainsAny(v, `"\`) {
		return v
	}
	if i := strings.IndexAny(v, "#;"); i >= 0 {
		return v[:i]
	}
	return v
}

// isFalse reports whether v is one of git's spellings of false.
func isFalse(v string) bool {
	switch strings.ToLower(v) {
	case "false", "no", "off", "0":
		return true
	}
	return false
}

// realIndexPath is GIT_INDEX_FILE as `git rev-parse --path-format=absolute
// --git-path index` prints it: relative to the top of the work tree (where
// git runs the hook), its directory's symbolic links resolved. An index that
// is itself a symbolic link declines.
func realIndexPath(top, v string) (string, bool) {
	if !filepath.IsAbs(v) {
		v = filepath.Join(top, v)
	}
	v = filepath.Clean(v)
	dir, err := filepath.EvalSymlinks(filepath.Dir(v))
	if err != nil {
		return "", false
	}
	p := filepath.Join(dir, filepath.Base(v))
	if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return "", false
	}
	return p, true
}
