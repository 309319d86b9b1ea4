package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

func checkCommand(g *globals) *cli.Command {
	var req hook.CheckRequest
	var all bool
	var format string
	return &cli.Command{
		Name:      "check",
		Usage:     "block a commit that stages bytecode (the pre-commit hook)",
		ArgsUsage: "[PATH...]",
		Description: "Without paths, judge what this commit stages: the index git is committing\n" +
			"(GIT_INDEX_FILE) against HEAD. With paths (as the pre-commit framework passes\n" +
			"them), judge those paths by name. With --all, every tracked bytecode file.\n" +
			"Exit status 1 when something would be committed that is bytecode.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "all", Usage: "report every tracked bytecode file", Destination: &all},
			sarifFormatFlag(&format),
			configFlag(&req.ConfigFile),
		},
		Action: func(_ context.Context, c *cli.Command) error {
			rep, err := g.reporter(format, report.Options{SARIF: true})
			if err != nil {
				return err
			}
			if all && c.NArg() > 0 {
				return usagef("check: --all takes no paths")
			}
			return check(g.checkRequest(req, all, c.Args().Slice()), rep)
		},
	}
}

// checkRequest completes req: what is staged, or with all every tracked
// file, or the paths given.
func (g *globals) checkRequest(req hook.CheckRequest, all bool, paths []string) hook.CheckRequest {
	req.Dir, req.Mode, req.Paths = g.dir, hook.Staged, paths
	switch {
	case all:
		req.Mode = hook.All
	case len(paths) > 0:
		req.Mode = hook.Paths
	}
	return req
}

// check runs req and writes its run with rep: the warnings found before a
// failure are still written, then the error is returned.
func check(req hook.CheckRequest, rep report.Reporter) error {
	run, err := hook.RunCheck(req)
	if werr := rep.Check(run); err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	return findings(run.Result.Blocked())
}
