package clean

import (
	"os"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
)

// Request is what `pycguard clean` asks for: the walk's options, and what
// Clean completes them with from the repository, the configuration and the
// environment.
type Request struct {
	// Options are the walk's (Dir is -C's directory, Roots the PATHs).
	// Clean sets Home, PycachePrefix, PycachePrefixNamed and Configured
	// itself, from the fields below; values given there are replaced.
	Options Options
	// ConfigFile is --config: a .pycguard.toml or pyproject.toml to read
	// instead of the work tree's ("" for the work tree's), relative to
	// Options.Dir unless absolute.
	ConfigFile string
	// PycachePrefix is --pycache-prefix ("" for $PYTHONPYCACHEPREFIX).
	PycachePrefix string
	// Getenv reads the environment (nil: the process's): HOME (or, on
	// Windows, what Git for Windows takes for it) for the home-directory
	// refusal, and PYTHONPYCACHEPREFIX.
	Getenv func(string) string
}

// Clean is `pycguard clean`: it reads the configuration's exclude list
// (configuredExclude), takes the home directory and the pycache prefix
// from the environment unless the prefix is named, and cleans (Run). warn,
// when not nil, receives the warning of a configuration that shadows
// another as soon as it is known, before the walk starts. The errors are
// Run's, and a configuration's (*config.Error, naming file:line).
func Clean(req Request, warn func(config.ShadowedConfig)) (*Result, error) {
	getenv := req.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	opts := req.Options
	opts.Home = gitops.HomeDir(getenv)
	opts.PycachePrefix, opts.PycachePrefixNamed = pycachePrefix(req.PycachePrefix, getenv)
	conf, err := configuredExclude(opts.Dir, opts.Env, req.ConfigFile, warn)
	if err != nil {
		return nil, err
	}
	opts.Configured = conf
	return Run(opts)
}

// pycachePrefix is the prefix to clean the mirror in and whether the user
// named it. As CPython: PYTHONPYCACHEPREFIX, when set and not empty,
// unless named (-X pycache_prefix there, --pycache-prefix here).
func pycachePrefix(named string, getenv func(string) string) (string, bool) {
	if named != "" {
		return named, true
	}
	return getenv("PYTHONPYCACHEPREFIX"), false
}

// configuredExclude reads the configuration's exclude list: inside a work
// tree its configuration (or file, when given), applying at the top of the
// work tree; outside one only file, applying at dir (-C's directory);
// otherwise there is none. A repository git cannot read is an error: its
// configuration's excludes are never silently dropped. env is the
// environment git runs with (nil: the process's).
func configuredExclude(dir string, env []string, file string, warn func(config.ShadowedConfig)) (*ConfiguredExclude, error) {
	repo, err := openWorkTree(dir, env)
	var top string
	switch {
	case err != nil:
		return nil, err
	case repo != nil:
		top = repo.WorkTree
	case file != "":
		top = dir
	default:
		return nil, nil
	}
	cfg, err := config.Load(top, dir, file)
	if err != nil {
		return nil, err
	}
	cfg.Warn(warn)
	if len(cfg.Exclude) == 0 {
		return nil, nil
	}
	return &ConfiguredExclude{Top: top, Source: cfg.Source + ": exclude", Patterns: cfg.Exclude}, nil
}
