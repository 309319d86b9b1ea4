package main

import (
	"fmt"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/report"
)

type fixOptions struct {
	fix.Request
	noGitignore, noUntrack bool
	exitNonZeroOnFix       bool
	format                 string
}

func fixCommand(g *globals) *cli.Command {
	var o fixOptions
	return &cli.Command{
		Name:  "fix",
		Usage: "untrack committed bytecode and complete .gitignore (files stay on disk)",
		Description: "Appends to .gitignore the lines of GitHub's Python template for each kind of\n" +
			"bytecode git does not ignore (__pycache__/ contents, *.pyc, *.pyo, *$py.class),\n" +
			"repeating after them any rule of .gitignore from a negation on that they would\n" +
			"otherwise override, and untracks every tracked bytecode file as git rm --cached\n" +
			"does (through git's own index writer). Bytecode a \"!\" rule of .gitignore keeps\n" +
			"on purpose stays tracked (check lets it pass) unless --untrack-kept. Nothing else\n" +
			"changes; a failure changes nothing. Unmerged bytecode is reported and left alone.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print what would change; change nothing", Destination: &o.DryRun},
			&cli.BoolFlag{Name: "delete", Usage: "also delete from disk the files this run untracks, and the __pycache__ directories that leaves empty (other bytecode on disk: pycguard clean)", Destination: &o.Delete},
			&cli.BoolFlag{Name: "untrack-kept", Usage: "also untrack bytecode that a \"!\" rule of .gitignore keeps on purpose", Destination: &o.UntrackKept},
			&cli.BoolFlag{Name: "no-gitignore", Usage: "leave .gitignore alone", Destination: &o.noGitignore},
			&cli.BoolFlag{Name: "no-untrack", Usage: "leave the index alone", Destination: &o.noUntrack},
			&cli.BoolFlag{Name: "exit-non-zero-on-fix", Usage: "exit 1 when something was (or would be) changed", Destination: &o.exitNonZeroOnFix},
			&cli.StringSliceFlag{Name: "allow", Usage: "gitignore-style `PATTERN` of bytecode that may stay tracked (repeatable; added to the configuration's allow)", Destination: &o.Allow, Config: trimSpace},
			configFlag(&o.ConfigFile),
			formatFlag(&o.format),
		},
		Action: noArgs(func() error {
			rep, err := g.reporter(o.format, report.Options{})
			if err != nil {
				return err
			}
			o.Dir, o.Gitignore, o.Untrack = g.dir, !o.noGitignore, !o.noUntrack
			plan, err := fix.FixDir(o.Request, rep.ConfigWarning)
			if err != nil {
				return err
			}
			if err := rep.Fix(plan, o.DryRun); err != nil {
				return err
			}
			if len(plan.DeleteErrors) > 0 {
				return fmt.Errorf("%d file(s) could not be deleted", len(plan.DeleteErrors))
			}
			return findings(o.exitNonZeroOnFix && plan.Changes())
		}),
	}
}
