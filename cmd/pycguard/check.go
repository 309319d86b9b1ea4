package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

type checkOptions struct {
	all    bool
	format string
	config string
}

func checkCommand(g *globals) *cli.Command {
	var o checkOptions
	return &cli.Command{
		Name:      "check",
		Usage:     "block a commit that stages bytecode (the pre-commit hook)",
		ArgsUsage: "[PATH...]",
		Description: "Without paths, judge what this commit stages: the index git is committing\n" +
			"(GIT_INDEX_FILE) against HEAD. With paths (as the pre-commit framework passes\n" +
			"them), judge those paths by name. With --all, every tracked bytecode file.\n" +
			"Exit status 1 when something would be committed that is bytecode.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "all", Usage: "report every tracked bytecode file", Destination: &o.all},
			sarifFormatFlag(&o.format),
			configFlag(&o.config),
		},
		Action: func(_ context.Context, c *cli.Command) error {
			rep, err := g.reporter(o.format, report.Options{SARIF: true})
			if err != nil {
				return err
			}
			opts := hook.Options{Mode: hook.Staged, Paths: c.Args().Slice()}
			switch {
			case o.all && len(opts.Paths) > 0:
				return usagef("check: --all takes no paths")
			case o.all:
				opts.Mode = hook.All
			case len(opts.Paths) > 0:
				opts.Mode = hook.Paths
			}
			return g.check(opts, rep, o.config)
		},
	}
}

func (g *globals) check(opts hook.Options, rep report.Reporter, configFile string) error {
	repo, err := gitops.Open(g.dir, nil)
	if err != nil {
		return err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return err
	}
	if opts.Policy, err = g.policy(repo, configFile); err != nil {
		return err
	}
	opts.Policy.Kept = hook.KeptByNegation(repo)
	res, err := hook.Check(repo, opts)
	if err != nil {
		return err
	}
	if err := rep.Check(res); err != nil {
		return err
	}
	g.warnIgnoreCoverage(repo)
	if res.Blocked() {
		return errFindings
	}
	return nil
}
