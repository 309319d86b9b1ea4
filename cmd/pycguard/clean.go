package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/clean"
	"github.com/pycguard/pycguard/report"
)

type cleanOptions struct {
	dryRun, tracked, orphans bool
	include, exclude         []string
	crossFilesystems, force  bool
	verbose, nul, noProgress bool
	portableWalk             bool
	format, config           string
	pycachePrefix            string
}

func cleanCommand(g *globals) *cli.Command {
	var o cleanOptions
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
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "list what would be removed, remove nothing", Destination: &o.dryRun},
			&cli.BoolFlag{Name: "tracked", Usage: "also delete bytecode that git tracks", Destination: &o.tracked},
			&cli.BoolFlag{Name: "orphans", Usage: "only delete bytecode whose source (.py) is gone", Destination: &o.orphans},
			&cli.StringSliceFlag{Name: "include", Usage: "enter directories called `NAME` that are skipped by default (repeatable; pyvenv.cfg: every virtualenv)", Destination: &o.include, Config: trimSpace},
			&cli.StringSliceFlag{Name: "exclude", Usage: "leave entries matching `PATTERN` alone (a name, or a path below the root if it has a /; repeatable)", Destination: &o.exclude, Config: trimSpace},
			&cli.StringFlag{Name: "pycache-prefix", Usage: "also clean the mirror of the PATHs in `DIR`, where Python writes bytecode with PYTHONPYCACHEPREFIX or -X pycache_prefix (default: $PYTHONPYCACHEPREFIX)", Destination: &o.pycachePrefix},
			&cli.BoolFlag{Name: "cross-filesystems", Usage: "enter directories on other file systems", Destination: &o.crossFilesystems},
			&cli.BoolFlag{Name: "force", Usage: "allow cleaning the file-system root or the home directory", Destination: &o.force},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "list every removed path", Destination: &o.verbose},
			&cli.BoolFlag{Name: "z", Usage: "list paths NUL-terminated and unquoted on stdout (summary on stderr)", Destination: &o.nul},
			&cli.BoolFlag{Name: "no-progress", Usage: "never draw the progress line (drawn only on a terminal)", Destination: &o.noProgress},
			// The walk Windows uses, on os.Root; hidden: for comparing the
			// walks (bench/clean.sh) on unix, where the default is faster.
			&cli.BoolFlag{Name: "portable-walk", Hidden: true, Destination: &o.portableWalk},
			configFlag(&o.config),
			formatFlag(&o.format),
		},
		Action: func(_ context.Context, c *cli.Command) error {
			rep, err := g.reporter(o.format, report.Options{NUL: o.nul})
			if err != nil {
				return err
			}
			if o.nul && o.format == "json" {
				return usagef("clean: -z and --format json do not go together")
			}
			return g.clean(c.Args().Slice(), &o, rep)
		},
	}
}

func (g *globals) clean(paths []string, o *cleanOptions, rep report.Reporter) error {
	req := clean.Request{
		Options: clean.Options{
			Dir: g.dir, Roots: paths,
			DryRun: o.dryRun, Tracked: o.tracked, Orphans: o.orphans,
			Include: o.include, Exclude: o.exclude,
			CrossFilesystems: o.crossFilesystems, Force: o.force,
			Portable: o.portableWalk,
			List:     o.dryRun || o.verbose || o.nul || o.format == "json",
		},
		ConfigFile: o.config, PycachePrefix: o.pycachePrefix, Getenv: g.getenv,
	}
	if !o.noProgress && report.ANSITerminal(g.stderr) {
		req.Options.Progress = g.stderr
	}
	res, err := clean.Clean(req, rep.ConfigWarning)
	if errors.Is(err, clean.ErrRefused) || errors.Is(err, clean.ErrBadPattern) || errors.Is(err, clean.ErrBadPrefix) {
		return usagef("clean: %v", err)
	}
	if err != nil {
		return err
	}
	if err := rep.Clean(res, paths); err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		return exitCodeError{exitError}
	}
	return nil
}
