package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/clean"
	"github.com/pycguard/pycguard/report"
)

func cleanCommand(g *globals) *cli.Command {
	var req clean.Request
	o := &req.Options
	var verbose, nul, noProgress bool
	var format string
	return &cli.Command{
		Name:      "clean",
		Usage:     "delete Python bytecode from the working tree",
		ArgsUsage: "[PATH...]",
		Description: "Delete *.pyc, *.pyo, *$py.class and the files inside __pycache__/ below each\n" +
			"PATH (default: .), then the __pycache__ directories left empty. Never follows\n" +
			"symlinks, never leaves the PATHs, skips .git and, unless --include NAME, the\n" +
			"directories .venv, venv, .tox, .nox, node_modules, .direnv and any virtualenv\n" +
			"(a directory holding pyvenv.cfg). Bytecode git tracks is kept unless --tracked.\n" +
			"With PYTHONPYCACHEPREFIX set (or --pycache-prefix), the PATHs' mirror there\n" +
			"(PREFIX/<absolute PATH>/m.cpython-312.pyc) is cleaned too, and only theirs.\n" +
			"Exit status 2 when an entry could not be removed (the rest still is).",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "list what would be removed, remove nothing", Destination: &o.DryRun},
			&cli.BoolFlag{Name: "tracked", Usage: "also delete bytecode that git tracks", Destination: &o.Tracked},
			&cli.BoolFlag{Name: "orphans", Usage: "only delete bytecode whose source (.py) is gone", Destination: &o.Orphans},
			&cli.StringSliceFlag{Name: "include", Usage: "enter directories called `NAME` that are skipped by default (repeatable; pyvenv.cfg: every virtualenv)", Destination: &o.Include, Config: trimSpace},
			&cli.StringSliceFlag{Name: "exclude", Usage: "leave entries matching `PATTERN` alone (a name, or a path below the root if it has a /; repeatable)", Destination: &o.Exclude, Config: trimSpace},
			&cli.StringFlag{Name: "pycache-prefix", Usage: "also clean the mirror of the PATHs in `DIR`, where Python writes bytecode with PYTHONPYCACHEPREFIX or -X pycache_prefix (default: $PYTHONPYCACHEPREFIX)", Destination: &req.PycachePrefix},
			&cli.BoolFlag{Name: "cross-filesystems", Usage: "enter directories on other file systems", Destination: &o.CrossFilesystems},
			&cli.BoolFlag{Name: "force", Usage: "allow cleaning the file-system root or the home directory", Destination: &o.Force},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "list every removed path", Destination: &verbose},
			&cli.BoolFlag{Name: "z", Usage: "list paths NUL-terminated and unquoted on stdout (summary on stderr)", Destination: &nul},
			&cli.BoolFlag{Name: "no-progress", Usage: "never draw the progress line (drawn only on a terminal)", Destination: &noProgress},
			// The walk Windows uses, on os.Root; hidden: for comparing the
			// walks (bench/clean.sh) on unix, where the default is faster.
			&cli.BoolFlag{Name: "portable-walk", Hidden: true, Destination: &o.Portable},
			configFlag(&req.ConfigFile),
			formatFlag(&format),
		},
		Action: func(_ context.Context, c *cli.Command) error {
			rep, err := g.reporter(format, report.Options{NUL: nul})
			if err != nil {
				return err
			}
			if nul && format == "json" {
				return usagef("clean: -z and --format json do not go together")
			}
			o.Dir, o.Roots, req.Getenv = g.dir, c.Args().Slice(), g.getenv
			o.List = o.DryRun || verbose || nul || format == "json"
			if !noProgress && report.ANSITerminal(g.stderr) {
				o.Progress = g.stderr
			}
			res, err := clean.Clean(req, rep.ConfigWarning)
			if errors.Is(err, clean.ErrRefused) || errors.Is(err, clean.ErrBadPattern) || errors.Is(err, clean.ErrBadPrefix) {
				return usagef("clean: %v", err)
			}
			if err != nil {
				return err
			}
			if err := rep.Clean(res, o.Roots); err != nil {
				return err
			}
			if len(res.Errors) > 0 {
				return exitCodeError{exitError}
			}
			return nil
		},
	}
}
