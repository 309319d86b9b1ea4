package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

func scanCommand(g *globals) *cli.Command {
	var req hook.ScanRequest
	var rng, since, format string
	var all bool
	return &cli.Command{
		Name:  "scan",
		Usage: "find commits that add or change bytecode (for CI)",
		Description: "Judge every commit of a range by what it changes against its first parent\n" +
			"(a root commit against the empty tree; a merge by what it has that none of\n" +
			"its parents had) and report commit, action and path of every bytecode file\n" +
			"added, modified, renamed to or type-changed. Deletions pass, and so does a\n" +
			"file a \"!\" rule of the commit's own .gitignore keeps on purpose (as in check).\n" +
			"Exit status 1 when any commit adds or changes bytecode. Works in bare\n" +
			"repositories; commits are streamed, memory does not grow with the range.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "range", Usage: "scan the commits of `A..B` (any git revision range)", Destination: &rng},
			&cli.StringFlag{Name: "since", Usage: "scan the commits of HEAD not reachable from `REF` (REF..HEAD)", Destination: &since},
			&cli.BoolFlag{Name: "all", Usage: "scan the history of every ref", Destination: &all},
			sarifFormatFlag(&format),
			configFlag(&req.ConfigFile),
		},
		Action: func(_ context.Context, c *cli.Command) error {
			rep, err := g.reporter(format, report.Options{SARIF: true})
			if err != nil {
				return err
			}
			if c.Args().Len() > 0 {
				return usagef("scan: unexpected argument %q (use --range A..B)", c.Args().First())
			}
			n := 0
			if rng != "" {
				n++
				req.Revisions.Tips, req.Label = []string{rng}, rng
			}
			if since != "" {
				n++
				req.Revisions.Tips, req.Label = []string{since + "..HEAD"}, since+"..HEAD"
			}
			if all {
				n++
				req.Revisions.All, req.Label = true, "--all"
			}
			if n != 1 {
				return usagef("scan: give exactly one of --range A..B, --since REF, --all")
			}
			req.Dir = g.dir
			return scan(req, rep)
		},
	}
}

// scan runs req, rep writing each finding as it is made, then the summary.
func scan(req hook.ScanRequest, rep report.Reporter) error {
	emit := func(f hook.ScanFinding) error { return rep.ScanFinding(req.Label, f) }
	sum, err := hook.RunScan(req, rep.ConfigWarning, emit)
	if err != nil {
		return err
	}
	if err := rep.ScanSummary(req.Label, sum); err != nil {
		return err
	}
	return findings(sum.Blocked())
}
