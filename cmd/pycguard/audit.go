package main

import (
	"errors"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/report"
)

func auditCommand(g *globals) *cli.Command {
	var format string
	return &cli.Command{
		Name:  "audit",
		Usage: "report .gitignore coverage, tracked bytecode, hooks and bytecode in history (read-only)",
		Description: "Changes nothing and fetches nothing. Exit status 1 when pycguard fix has\n" +
			"something to do (tracked bytecode the configuration blocks, or .gitignore lines\n" +
			"to append); 2 when objects are missing from the repository (the report is\n" +
			"still printed and says what it could not read).",
		Flags: []cli.Flag{formatFlag(&format)},
		Action: noArgs(func() error {
			rep, err := g.reporter(format, report.Options{})
			if err != nil {
				return err
			}
			a, err := fix.AuditDir(g.dir, rep.ConfigWarning)
			if err != nil {
				return err
			}
			if err := rep.Audit(a); err != nil {
				return err
			}
			if !a.Complete() {
				return errIncompleteAudit
			}
			return findings(a.NeedsFix())
		}),
	}
}

// errIncompleteAudit: the report is printed, but objects were missing
// (exit 2; the report says which).
var errIncompleteAudit = errors.New("the audit is incomplete: objects are missing from the repository (see the report)")
