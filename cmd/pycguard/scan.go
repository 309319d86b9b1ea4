package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

type scanOptions struct {
	rng    string
	since  string
	all    bool
	format string
	config string
}

func scanCommand(g *globals) *cli.Command {
	var o scanOptions
	return &cli.Command{
		Name:  "scan",
		Usage: "find commits that add or change bytecode (for CI)",
		Description: "Judge every commit of a range by what it changes against its first parent\n" +
			"(a root commit against the empty tree; a merge by what it has that none of\n" +
			"its parents had) and report commit, action and path of every bytecode file\n" +
			"added, modified, renamed to or type-changed. Deletions pass.\n" +
			"Exit status 1 when any commit adds or changes bytecode. Works in bare\n" +
			"repositories; commits are streamed, memory does not grow with the range.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "range", Usage: "scan the commits of `A..B` (any git revision range)", Destination: &o.rng},
			&cli.StringFlag{Name: "since", Usage: "scan the commits of HEAD not reachable from `REF` (REF..HEAD)", Destination: &o.since},
			&cli.BoolFlag{Name: "all", Usage: "scan the history of every ref", Destination: &o.all},
			sarifFormatFlag(&o.format),
			configFlag(&o.config),
		},
		Action: func(_ context.Context, c *cli.Command) error {
			rep, err := g.reporter(o.format, report.Options{SARIF: true})
			if err != nil {
				return err
			}
			if c.Args().Len() > 0 {
				return usagef("scan: unexpected argument %q (use --range A..B)", c.Args().First())
			}
			var revs gitops.Revisions
			var label string
			n := 0
			if o.rng != "" {
				n++
				revs.Tips, label = []string{o.rng}, o.rng
			}
			if o.since != "" {
				n++
				revs.Tips, label = []string{o.since + "..HEAD"}, o.since+"..HEAD"
			}
			if o.all {
				n++
				revs.All, label = true, "--all"
			}
			if n != 1 {
				return usagef("scan: give exactly one of --range A..B, --since REF, --all")
			}
			return scan(hook.ScanRequest{Dir: g.dir, ConfigFile: o.config, Revisions: revs, Label: label}, rep)
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
	if sum.Blocked() {
		return errFindings
	}
	return nil
}
