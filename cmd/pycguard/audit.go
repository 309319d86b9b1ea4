package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
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
		Action: func(_ context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("audit takes no arguments")
			}
			if err := checkFormat(format); err != nil {
				return err
			}
			return g.audit(format)
		},
	}
}

func (g *globals) audit(format string) error {
	repo, err := gitops.Discover(g.dir, nil)
	if err != nil {
		return err
	}
	cfg, err := g.loadConfig(repo, "")
	if err != nil {
		return err
	}
	a, err := fix.RunAudit(repo, fix.AuditOptions{Policy: policy(cfg)})
	if err != nil {
		return err
	}
	rep := &report.Audit{Bytes: a.Bytes, Allowed: a.Allowed, TrackedUnknown: a.TrackedUnknown,
		TrackedMissing: a.TrackedMissing, Blobs: a.History.Blobs, BlobBytes: a.History.Bytes,
		UnknownBlobs: a.History.Unknown, MissingBlobs: a.History.Missing, Paths: a.History.Paths,
		Incomplete: a.History.Incomplete, CommitsTotal: a.History.CommitsTotal,
		PurgeGlobs: fix.PurgeGlobs, NeedsFix: a.NeedsFix(), Hooks: report.AuditHooks(a.Hooks),
		Shell: g.shell()}
	rep.Kinds = report.NewKindCoverage(a.Coverage)
	rep.Template = report.NewLineCoverage(a.Coverage.Template())
	for _, f := range a.Tracked {
		rep.Tracked = append(rep.Tracked, report.AuditFile(f))
	}
	for _, d := range a.TopDirs {
		rep.TopDirs = append(rep.TopDirs, report.AuditDir(d))
	}
	for _, c := range a.History.Commits {
		rep.Commits = append(rep.Commits, report.AuditCommit(c))
	}
	if format == "json" {
		err = rep.WriteJSON(g.stdout)
	} else {
		err = rep.WriteText(g.stdout, report.Painter{On: report.UseColor(g.color, g.getenv, g.stdout)})
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if !a.Complete() {
		return errIncompleteAudit
	}
	if rep.NeedsFix {
		return errFindings
	}
	return nil
}

// errIncompleteAudit: the report is printed, but objects were missing
// (exit 2; the report says which).
var errIncompleteAudit = errors.New("the audit is incomplete: objects are missing from the repository (see the report)")
