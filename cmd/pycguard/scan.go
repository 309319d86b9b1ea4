package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

type scanOptions struct {
	rng    string
	since  string
	all    bool
	format string
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
			formatFlag(&o.format),
		},
		Action: func(c *cli.Context) error {
			if err := checkFormat(o.format); err != nil {
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
			return g.scan(revs, label, o.format)
		},
	}
}

func (g *globals) scan(revs gitops.Revisions, label, format string) error {
	repo, err := gitops.Open(g.dir, nil)
	if err != nil {
		return err
	}
	paint := report.Painter{On: format == "text" && report.UseColor(g.color, g.getenv, g.stdout)}
	rep := &report.Scan{Command: "scan", Range: label}
	emit := func(f hook.ScanFinding) error {
		rf := scanFinding(f)
		if format == "json" {
			rep.Findings = append(rep.Findings, rf)
			return nil
		}
		// Text is printed as the scan goes: a long history shows its
		// findings at once and nothing accumulates.
		if rep.Omitted == 0 {
			if err := report.WriteScanHeader(g.stdout, paint, label); err != nil {
				return err
			}
		}
		rep.Omitted++
		return report.WriteScanFindingText(g.stdout, paint, rf)
	}
	sum, err := hook.Scan(repo, hook.ScanOptions{Revisions: revs}, emit)
	if err != nil {
		return fmt.Errorf("scan %s: %w", label, err)
	}
	rep.Commits, rep.BadCommits, rep.Oldest = sum.Commits, sum.BadCommits, sum.Oldest
	if format == "json" {
		err = rep.WriteJSON(g.stdout)
	} else {
		err = rep.WriteSummaryText(g.stdout, paint)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if sum.Blocked() {
		return errFindings
	}
	return nil
}

// scanFinding converts the policy's finding to the report's.
func scanFinding(f hook.ScanFinding) report.ScanFinding {
	return report.ScanFinding{Commit: f.Commit, Refs: f.Refs, Path: f.Path, Action: string(f.Action),
		From: f.From, Kind: f.Kind.String(), Merge: f.Merge}
}
