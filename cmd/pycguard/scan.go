package main

import (
	"context"
	"fmt"

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
			if err := checkFormat(o.format, "sarif"); err != nil {
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
			return g.scan(revs, label, o.format, o.config)
		},
	}
}

func (g *globals) scan(revs gitops.Revisions, label, format, configFile string) error {
	repo, err := gitops.Open(g.dir, nil)
	if err != nil {
		return err
	}
	// The configuration of the work tree (in CI: the checked-out commit),
	// or --config; a bare repository has none of its own.
	var pol hook.Policy
	if repo.WorkTree != "" || configFile != "" {
		cfg, err := g.loadConfig(repo, configFile)
		if err != nil {
			return err
		}
		pol = policy(cfg)
	}
	paint := report.Painter{On: format == "text" && report.UseColor(g.color, g.getenv, g.stdout)}
	rep := &report.Scan{Command: "scan", Range: label}
	emit := func(f hook.ScanFinding) error {
		rf := scanFinding(f)
		if format != "text" {
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
	sum, err := hook.Scan(repo, hook.ScanOptions{Revisions: revs, Policy: pol}, emit)
	if err != nil {
		return fmt.Errorf("scan %s: %w", label, err)
	}
	rep.Commits, rep.BadCommits, rep.Oldest = sum.Commits, sum.BadCommits, sum.Oldest
	switch format {
	case "json":
		err = rep.WriteJSON(g.stdout)
	case "sarif":
		err = scanSARIF(rep).WriteSARIF(g.stdout)
	default:
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
		From: f.From, Kind: kindName(f.Kind), Merge: f.Merge}
}

// scanSARIF turns a scan report into a SARIF log for code scanning: one
// result per commit and path, the commit in its properties.
func scanSARIF(rep *report.Scan) *report.SARIF {
	s := &report.SARIF{ToolVersion: versionString(), Rules: []report.SARIFRule{report.RuleBytecodeIntroduced}}
	for _, f := range rep.Findings {
		msg := fmt.Sprintf("Commit %s %s Python bytecode (%s): %s.", f.Commit, sarifVerb(f.Action), f.Kind, gitops.QuotePath(f.Path))
		props := map[string]any{"commit": f.Commit, "action": f.Action, "kind": f.Kind}
		if f.From != "" {
			props["from"] = f.From
		}
		if f.Merge {
			props["merge"] = true
		}
		s.Results = append(s.Results, report.SARIFResult{Rule: report.RuleBytecodeIntroduced, Path: f.Path, Commit: f.Commit, Message: msg, Properties: props})
	}
	return s
}

func sarifVerb(action string) string {
	switch action {
	case "added":
		return "adds"
	case "renamed":
		return "renames a file to"
	case "typechange":
		return "changes the type of"
	}
	return "modifies"
}
