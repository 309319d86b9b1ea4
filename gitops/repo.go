package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Sentinel errors for conditions callers turn into clear messages.
var (
	// ErrNotRepository: the directory is not inside a git repository.
	ErrNotRepository = errors.New("not a git repository")
	// ErrBareRepository: the repository has no work tree (git init --bare).
	ErrBareRepository = errors.New("bare repository has no work tree")
	// ErrNoWorkTree: running inside the git directory of a non-bare repository.
	ErrNoWorkTree = errors.New("not inside a work tree")
	// ErrGitMissing: the git executable was not found.
	ErrGitMissing = errors.New("git executable not found")
)

// Repo is a repository as git resolves it from a directory and an
// environment. Paths are absolute and cleaned.
type Repo struct {
	WorkTree     string // top of the work tree; "" for a bare repository
	GitDir       string // the repository's git directory (a linked worktree's own)
	CommonDir    string // the directory shared by all worktrees (objects, refs, hooks)
	IndexFile    string // the index git commits: GIT_INDEX_FILE if set
	Prefix       string // the starting directory relative to WorkTree, '/'-separated, "" or ending in '/'
	Bare         bool
	ObjectFormat string // "sha1" or "sha256" (git rev-parse --show-object-format)

	settings *Settings // nil until Settings has read them
	dir      string    // where git commands run (the starting directory)
	env      []string  // nil: inherit the process environment

	plat           *Platform // nil: HostPlatform (tests set Windows' rules)
	promisors      []string  // remotes git fetches missing objects from (PromisorRemotes)
	promisorsKnown bool
	noFetch        bool // set by NoLazyFetch
}

// Open finds the repository that git would use when started in dir with
// the environment env (nil means the process environment), the way git
// finds it, without reading its configuration: for the plain layout a
// pre-commit hook meets most it starts no process at all (openInProcess),
// otherwise one git rev-parse. A bare repository is returned with Bare
// set; callers that need a work tree use RequireWorkTree. The settings
// that come from the configuration are read by Settings, when asked.
func Open(dir string, env []string) (*Repo, error) {
	if r, ok := openInProcess(dir, env, hostDiscovery()); ok {
		return r, nil
	}
	return openViaGit(dir, env)
}

// openViaGit is Open asking git: every layout, every check git makes.
func openViaGit(dir string, env []string) (*Repo, error) {
	r := &Repo{dir: dir, env: env}
	// --show-toplevel comes last: it is the one request git refuses when
	// there is no work tree (a bare repository, or inside the git
	// directory), after it has answered the others. Whether there is a
	// work tree is git's own answer, --is-inside-work-tree, not its message.
	out, err := r.gitOutput(nil, "rev-parse", "--path-format=absolute",
		"--show-object-format", "--is-bare-repository", "--is-inside-work-tree",
		"--git-dir", "--git-common-dir", "--git-path", "index", "--show-prefix", "--show-toplevel")
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if err != nil {
		var ge *GitError
		switch {
		case errors.As(err, &ge) && ge.ExitCode == 128 && len(out) == 0 && notRepository(ge):
			return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
		case errors.As(err, &ge) && len(lines) == 7 && lines[2] == "false":
			// No work tree: git answered everything before --show-toplevel.
		default:
			return nil, err
		}
	}
	if len(lines) < 6 {
		return nil, fmt.Errorf("git rev-parse in %s: unexpected output %q", dir, out)
	}
	r.ObjectFormat = lines[0]
	r.Bare = lines[1] == "true"
	r.GitDir = filepath.Clean(lines[3])
	r.CommonDir = filepath.Clean(lines[4])
	r.IndexFile = filepath.Clean(lines[5])
	if len(lines) == 8 && err == nil {
		r.Prefix = lines[6]
		r.WorkTree = filepath.Clean(lines[7])
	}
	return r, nil
}

// notRepository reports whether git refused to run because no repository
// was found. git has no exit code or plumbing answer that tells this from
// other fatal set-up errors (an unsafe owner, a broken configuration file):
// all exit 128 before printing anything. Its message is read in the C
// locale startGit fixes, so it is git's own untranslated text.
func notRepository(ge *GitError) bool {
	return strings.Contains(ge.Stderr, "not a git repository")
}

// RequireWorkTree returns an error naming the repository when r has no work
// tree (bare, or run from inside the git directory).
func (r *Repo) RequireWorkTree() error {
	switch {
	case r.Bare:
		return fmt.Errorf("%s: %w", r.GitDir, ErrBareRepository)
	case r.WorkTree == "":
		return fmt.Errorf("%s: %w", r.dir, ErrNoWorkTree)
	}
	return nil
}

// Env returns the environment git commands of r run with (nil: inherited).
func (r *Repo) Env() []string { return r.env }

// Settings are the values of git's configuration that pycguard's answers
// depend on. The only way to obtain them is Repo.Settings, which reads
// them: a Repo has no field that could be read before they are known.
type Settings struct {
	// IgnoreCase is core.ignorecase: bytecode and ignore rules match
	// without regard to ASCII case when it is true.
	IgnoreCase bool
	// ExcludesFile is core.excludesFile with ~ expanded, or the XDG
	// default ($XDG_CONFIG_HOME/git/ignore, ~/.config/git/ignore); ""
	// when neither applies.
	ExcludesFile string
}

// Settings returns r's Settings, reading them on first use (one git config
// process) and remembering them: later calls start nothing. A
// configuration git cannot read is an error (and is asked again on the
// next call), never the defaults. Commands on the pre-commit hook's hot
// path ask only when an answer needs them (hook.KeptByNegation,
// hook.MissingBytecodeKinds, a path that is bytecode only when case is
// folded).
func (r *Repo) Settings() (Settings, error) {
	if r.settings != nil {
		return *r.settings, nil
	}
	out, err := r.gitOutput(nil, "config", "-z", "--get-regexp",
		`^(core\.ignorecase|core\.excludesfile)$`)
	var ge *GitError
	if err != nil && !(errors.As(err, &ge) && ge.ExitCode == 1) { // 1: no such key
		return Settings{}, err
	}
	var s Settings
	excludes := ""
	for _, rec := range bytes.Split(out, []byte{0}) {
		key, val, _ := strings.Cut(string(rec), "\n")
		switch strings.ToLower(key) {
		case "core.ignorecase":
			s.IgnoreCase = parseBool(val)
		case "core.excludesfile":
			excludes = val
		}
	}
	s.ExcludesFile = r.resolveExcludesFile(excludes)
	r.settings = &s
	return s, nil
}

// resolveExcludesFile applies git's rules for core.excludesFile: "~/" and
// "~user/" expand to home directories; unset means
// $XDG_CONFIG_HOME/git/ignore, or $HOME/.config/git/ignore (the home
// directory as git finds it: HomeDir).
func (r *Repo) resolveExcludesFile(v string) string {
	getenv := r.getenv
	if v == "" {
		if x := getenv("XDG_CONFIG_HOME"); x != "" {
			return filepath.Join(x, "git", "ignore")
		}
		if h := homeDir(r.platform(), getenv); h != "" {
			return filepath.Join(h, ".config", "git", "ignore")
		}
		return ""
	}
	if v == "~" || strings.HasPrefix(v, "~/") {
		return filepath.Join(homeDir(r.platform(), getenv), v[1:])
	}
	if strings.HasPrefix(v, "~") {
		// ~user/...: git asks the password database.
		name, rest, _ := strings.Cut(v[1:], "/")
		if home := passwdHome(name); home != "" {
			return filepath.Join(home, rest)
		}
		return v
	}
	if !filepath.IsAbs(v) && r.WorkTree != "" {
		// A relative value is relative to where git runs, the work tree top.
		return filepath.Join(r.WorkTree, v)
	}
	return v
}

func (r *Repo) getenv(k string) string {
	v, _ := r.lookupEnv(k)
	return v
}

// lookupEnv is os.LookupEnv in the repository's environment: git tells a
// variable set to "" from one that is not set.
func (r *Repo) lookupEnv(k string) (string, bool) {
	if r.env == nil {
		return os.LookupEnv(k)
	}
	for i := len(r.env) - 1; i >= 0; i-- {
		if kk, v, ok := strings.Cut(r.env[i], "="); ok && kk == k {
			return v, true
		}
	}
	return "", false
}

// passwdHome looks a user's home directory up in /etc/passwd. (os/user would
// do it through libc, which makes the binary dynamically linked and costs
// every hook run milliseconds of loader time.)
func passwdHome(name string) string {
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 7 && f[0] == name {
			return f[5]
		}
	}
	return ""
}

func parseBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1", "":
		// A key with no value ("[core] ignorecase") is true in git.
		return true
	}
	return false
}

// GitError is a git command that failed.
type GitError struct {
	Args     []string
	ExitCode int
	Stderr   string
}

func (e *GitError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = fmt.Sprintf("exit status %d", e.ExitCode)
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), msg)
}
