package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/bytecode"
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
			if err := checkFormat(o.format, "sarif"); err != nil {
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
			return g.check(opts, o.format, o.config)
		},
	}
}

func (g *globals) check(opts hook.Options, format, configFile string) error {
	// Open, not Discover: the hook's hot path reads the configuration only
	// when it needs it.
	repo, err := gitops.Open(g.dir, nil)
	if err != nil {
		return err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return err
	}
	cfg, err := g.loadConfig(repo, configFile)
	if err != nil {
		return err
	}
	opts.Policy = policy(cfg)
	opts.Policy.Kept = hook.KeptByNegation(repo)
	res, err := hook.Check(repo, opts)
	if err != nil {
		return err
	}
	rep := &report.Check{Mode: string(res.Mode), ViaGit: res.ViaGit, Shell: g.shell()}
	for _, f := range res.Findings {
		rep.Findings = append(rep.Findings, report.CheckFinding{Path: f.Path, Status: f.Status, Kind: kindName(f.Kind)})
	}
	switch format {
	case "json":
		err = rep.WriteJSON(g.stdout)
	case "sarif":
		err = checkSARIF(rep).WriteSARIF(g.stdout)
	default:
		err = rep.WriteText(g.stdout, report.Painter{On: report.UseColor(g.color, g.getenv, g.stdout)})
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	g.warnIgnoreCoverage(repo)
	if res.Blocked() {
		return errFindings
	}
	return nil
}

// formatFlag is the --format flag shared by commands with JSON output.
func formatFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json", Destination: dest}
}

// sarifFormatFlag is the --format flag of commands that also write SARIF.
func sarifFormatFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text, json or sarif (SARIF 2.1.0, for code scanning)", Destination: dest}
}

// checkFormat accepts text and json, and the formats in more the command
// also supports (e.g. "sarif").
func checkFormat(f string, more ...string) error {
	if f == "text" || f == "json" || slices.Contains(more, f) {
		return nil
	}
	if len(more) > 0 {
		return usagef("--format must be text, json or %s, not %q", strings.Join(more, " or "), f)
	}
	return usagef("--format must be text or json, not %q", f)
}

// kindName names a finding's kind in reports; "extra" for a path blocked
// only by the configuration's extra patterns.
func kindName(k bytecode.Kind) string {
	if k == bytecode.None {
		return "extra"
	}
	return k.String()
}

// checkSARIF turns a check report into a SARIF log for code scanning.
func checkSARIF(rep *report.Check) *report.SARIF {
	s := &report.SARIF{ToolVersion: versionString(), Rules: []report.SARIFRule{report.RuleBytecodeCommitted}}
	for _, f := range rep.Findings {
		msg := fmt.Sprintf("Python bytecode (%s) is tracked in git: %s. Untrack it with `pycguard fix` or `git rm --cached -- %s`.",
			f.Kind, gitops.QuotePath(f.Path), gitops.ShellQuote(f.Path))
		if rep.Mode != "all" {
			msg = fmt.Sprintf("This commit stages Python bytecode (%s, %s): %s. Untrack it with `git rm --cached -- %s`.",
				f.Kind, f.Status, gitops.QuotePath(f.Path), gitops.ShellQuote(f.Path))
		}
		s.Results = append(s.Results, report.SARIFResult{Rule: report.RuleBytecodeCommitted, Path: f.Path, Message: msg,
			Properties: map[string]any{"status": f.Status, "kind": f.Kind}})
	}
	return s
}
