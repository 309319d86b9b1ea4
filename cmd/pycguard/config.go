package main

import (
	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

// configFlag is the --config flag of the commands that read the
// configuration.
func configFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "config", Usage: "read the configuration from `FILE` (a .pycguard.toml, or a pyproject.toml's [tool.pycguard]) instead of the work tree's", Destination: dest}
}

// loadConfig reads the configuration of repo's work tree (or file, when
// given, relative to -C's directory) and warns on stderr about a
// configuration it had to ignore. Errors are operational (exit 2) and name
// file:line:col.
func (g *globals) loadConfig(repo *gitops.Repo, file string) (*config.Config, error) {
	cfg, err := config.Load(repo.WorkTree, g.dir, file)
	if err != nil {
		return nil, err
	}
	if cfg.Shadowed != "" {
		report.WriteShadowedConfigWarning(g.stderr, cfg.Source, cfg.Shadowed)
	}
	return cfg, nil
}

// policy is the policy of repo's configuration (or file's, as loadConfig
// reads it, with its warning), allow adding patterns after the
// configuration's (fix --allow).
func (g *globals) policy(repo *gitops.Repo, file string, allow ...string) (hook.Policy, error) {
	warn := func(w hook.ShadowedConfig) { report.WriteShadowedConfigWarning(g.stderr, w.Used, w.Ignored) }
	return hook.LoadPolicy(repo, g.dir, file, warn, allow...)
}
