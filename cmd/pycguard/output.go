package main

import (
	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/report"
)

// formatFlag is the --format flag shared by commands with JSON output.
func formatFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json", Destination: dest}
}

// sarifFormatFlag is the --format flag of commands that also write SARIF.
func sarifFormatFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text, json or sarif (SARIF 2.1.0, for code scanning)", Destination: dest}
}

// reporter is the reporter of --format for a command: o says whether it
// writes SARIF and how clean lists paths; a format it has no rendering for
// is a usage error.
func (g *globals) reporter(format string, o report.Options) (report.Reporter, error) {
	o = g.reportOptions(o)
	if format == "sarif" {
		o.Version = versionString() // named in the log; not read on the hook's path otherwise
	}
	return report.New(format, o)
}

// reportOptions completes o with the streams, the colour mode, the
// environment and the user's shell.
func (g *globals) reportOptions(o report.Options) report.Options {
	o.Stdout, o.Stderr, o.Color, o.Getenv, o.Shell = g.stdout, g.stderr, g.color, g.getenv, g.shell()
	return o
}

// shell is the shell pycguard's advice is written for (cmd or PowerShell
// when run from them on Windows; sh elsewhere and in git hooks).
func (g *globals) shell() report.Shell {
	return report.DetectShell(gitops.HostPlatform(), g.getenv)
}
