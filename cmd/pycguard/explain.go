package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/report"
)

type explainOptions struct {
	stdin    bool
	nul      bool
	coverage bool
	template string
	append   bool
}

func explainCommand(g *globals) *cli.Command {
	var o explainOptions
	return &cli.Command{
		Name:      "explain",
		Usage:     "say which ignore rule decides each path (like git check-ignore -v -n --no-index)",
		ArgsUsage: "[PATH...]",
		Description: "For each path prints SOURCE:LINE:PATTERN<TAB>PATH, or ::<TAB>PATH when no rule\n" +
			"matches; a matching negation is printed with its \"!\" and the path is not\n" +
			"ignored. Paths are relative to the current directory. Exit status 0 when any\n" +
			"path is ignored, 1 when none is.\n\n" +
			"With --coverage, reports instead whether git ignores each kind of bytecode\n" +
			"(__pycache__/ contents, *.pyc, *.pyo, *$py.class): covered (by which rules),\n" +
			"kept (a \"!\" rule of .gitignore keeps some on purpose; the rest ignored) or\n" +
			"missing, then the template lines the rules lack as information (*.pyd, *.pyz);\n" +
			"exit status 1 when a kind is missing. --append then appends what pycguard fix\n" +
			"would. With --template FILE, every line of FILE is judged instead (covered,\n" +
			"negated, partly covered, missing) and --append adds the missing lines.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "stdin", Usage: "read paths from standard input, one per line", Destination: &o.stdin},
			&cli.BoolFlag{Name: "z", Usage: "NUL-separated input paths and output fields", Destination: &o.nul},
			&cli.BoolFlag{Name: "coverage", Usage: "report template coverage instead of explaining paths", Destination: &o.coverage},
			&cli.StringFlag{Name: "template", Usage: "with --coverage: every rule of template `FILE` (default: the bytecode section)", Destination: &o.template},
			&cli.BoolFlag{Name: "append", Usage: "with --coverage: append the missing template lines to .gitignore", Destination: &o.append},
		},
		Action: func(_ context.Context, c *cli.Command) error {
			if o.coverage {
				if o.stdin || o.nul || c.NArg() > 0 {
					return usagef("explain --coverage takes no paths, --stdin or -z")
				}
				return g.explainCoverage(o)
			}
			if o.template != "" || o.append {
				return usagef("explain: --template and --append need --coverage")
			}
			if o.stdin == (c.NArg() > 0) {
				return usagef("explain: give paths or --stdin (not both)")
			}
			opts := fix.ExplainOptions{Paths: c.Args().Slice(), NUL: o.nul}
			if o.stdin {
				opts.Stdin = g.stdin
			}
			ignored, err := fix.ExplainDir(g.dir, opts, report.NewCheckIgnore(g.stdout, o.nul))
			if err != nil {
				return err
			}
			return findings(!ignored) // exit 1: no path is ignored, as git check-ignore
		},
	}
}

// explainCoverage is explain --coverage: the coverage found is written even
// when appending failed; exit 1 when something is missing and nothing was
// appended.
func (g *globals) explainCoverage(o explainOptions) error {
	res, err := fix.ExplainCoverageDir(fix.CoverageOptions{Template: o.template, Dir: g.dir, Append: o.append})
	if res != nil {
		if werr := report.WriteExplainCoverage(g.stdout, res); err == nil {
			err = werr
		}
	}
	if err != nil {
		return err
	}
	return findings(res.Incomplete)
}
