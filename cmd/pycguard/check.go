package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

type checkOptions struct {
	all    bool
	format string
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
			formatFlag(&o.format),
		},
		Action: func(c *cli.Context) error {
			if err := checkFormat(o.format); err != nil {
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
			return g.check(opts, o.format)
		},
	}
}

func (g *globals) check(opts hook.Options, format string) error {
	// Open, not Discover: the hook's hot path reads the configuration only
	// when it needs it.
	repo, err := gitops.Open(g.dir, nil)
	if err != nil {
		return err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return err
	}
	res, err := hook.Check(repo, opts)
	if err != nil {
		return err
	}
	rep := &report.Check{Mode: string(res.Mode), ViaGit: res.ViaGit}
	for _, f := range res.Findings {
		rep.Findings = append(rep.Findings, report.CheckFinding{Path: f.Path, Status: f.Status, Kind: f.Kind.String()})
	}
	if format == "json" {
		err = rep.WriteJSON(g.stdout)
	} else {
		err = rep.WriteText(g.stdout, report.Painter{On: report.UseColor(g.color, g.getenv, g.stdout)})
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if res.Blocked() {
		return errFindings
	}
	return nil
}

// formatFlag is the --format flag shared by commands with JSON output.
func formatFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json", Destination: dest}
}

func checkFormat(f string) error {
	if f != "text" && f != "json" {
		return usagef("--format must be text or json, not %q", f)
	}
	return nil
}
