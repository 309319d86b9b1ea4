package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"
)

// Exit codes, as the CLI contract in DESIGN.md fixes them.
const (
	exitOK       = 0
	exitFindings = 1 // findings, commit blocked
	exitError    = 2 // usage or operational error
)

// globals holds what every subcommand shares: the streams, the environment
// lookup, and the global flags.
type globals struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	dir   string // -C: the directory to run in (absolute once parsed)
	color string // --color auto|always|never
}

// exitCodeError carries an exit code out of an Action without printing
// anything more. Findings use it with exitFindings after printing them.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// errFindings is returned by an Action whose results were printed and call
// for exit status 1.
var errFindings = exitCodeError{exitFindings}

// usageError marks a mistake in how pycguard was called (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// commands lists every subcommand, one constructor each.
func (g *globals) commands() []*cli.Command {
	return []*cli.Command{
		checkCommand(g),
		installCommand(g),
		uninstallCommand(g),
		auditCommand(g),
		fixCommand(g),
		explainCommand(g),
		cleanCommand(g),
		scanCommand(g),
		preReceiveCommand(g),
		versionCommand(g),
	}
}

// withUsageErrors makes every command report a flag mistake as a usage error
// (exit 2, one line on stderr) instead of printing its help on stdout.
func (g *globals) withUsageErrors(cmds []*cli.Command) []*cli.Command {
	for _, c := range cmds {
		c.HideHelpCommand = true
		if c.OnUsageError == nil {
			c.OnUsageError = func(c *cli.Context, err error, _ bool) error {
				return usagef("%s: %v (see pycguard %s --help)", c.Command.Name, err, c.Command.Name)
			}
		}
	}
	return cmds
}

func (g *globals) app() *cli.App {
	return &cli.App{
		Name:  "pycguard",
		Usage: "keep Python bytecode out of git",
		Description: "pycguard blocks commits that stage *.pyc, *.pyo, *$py.class or anything\n" +
			"inside __pycache__/, checks .gitignore against GitHub's Python template,\n" +
			"untracks committed bytecode and cleans it from working trees.\n\n" +
			"Exit status: 0 ok, 1 findings (commit blocked), 2 usage or operational error.",
		Reader:          g.stdin,
		Writer:          g.stdout,
		ErrWriter:       g.stderr,
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "C", Usage: "run as if pycguard was started in `DIR` (like git -C)", Destination: &g.dir},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour output: auto, always or never", Destination: &g.color},
		},
		Before: func(*cli.Context) error {
			switch g.color {
			case "auto", "always", "never":
			default:
				return usagef("--color must be auto, always or never, not %q", g.color)
			}
			return g.resolveDir()
		},
		Commands:     g.withUsageErrors(g.commands()),
		OnUsageError: func(c *cli.Context, err error, _ bool) error { return usageError{err.Error()} },
		// The library must never exit on its own: run maps errors to codes.
		ExitErrHandler: func(*cli.Context, error) {},
	}
}

// resolveDir makes g.dir absolute; -C is relative to the current directory.
func (g *globals) resolveDir() error {
	dir := g.dir
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("-C %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("-C %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("-C %s: not a directory", dir)
	}
	g.dir = abs
	return nil
}

func (g *globals) run(args []string) int {
	app := g.app()
	unknown := false
	app.CommandNotFound = func(c *cli.Context, name string) {
		unknown = true
		fmt.Fprintf(g.stderr, "pycguard: unknown command %q (see pycguard --help)\n", name)
	}
	err := app.Run(args)
	if unknown {
		return exitError
	}
	return g.exitCode(err)
}

// exitCode maps an Action's error to the exit status and prints what a
// person needs to read.
func (g *globals) exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ec exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(g.stderr, "pycguard: %s\n", ue.msg)
		return exitError
	}
	fmt.Fprintf(g.stderr, "pycguard: %v\n", err)
	return exitError
}
