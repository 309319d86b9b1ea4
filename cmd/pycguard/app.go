package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/gitops"
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

// exitCodeError ends a run with its exit code and prints nothing more:
// errFindings after findings were printed, errDone after a flag did all
// there was to do (--version). Every other error is printed and exits 2.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

var (
	errFindings = exitCodeError{exitFindings}
	errDone     = exitCodeError{exitOK}
)

// usagef is a mistake in how pycguard was called (exit 2, as every error).
func usagef(format string, a ...any) error { return fmt.Errorf(format, a...) }

// findings is errFindings when blocked, else nil: the exit status of a
// result that was printed.
func findings(blocked bool) error {
	if blocked {
		return errFindings
	}
	return nil
}

// noArgs is the Action of a command that takes no arguments: it runs
// action, or with an argument reports a usage error.
func noArgs(action func() error) cli.ActionFunc {
	return func(_ context.Context, c *cli.Command) error {
		if c.NArg() > 0 {
			return usagef("%s takes no arguments", c.Name)
		}
		return action()
	}
}

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
// (exit 2, one line on stderr) instead of printing its help, and parse
// flags only up to its first argument: what follows a path is a path, even
// when it starts with "-" (the pre-commit framework passes file names as
// they are). helpWording and UsageText keep the help's wording.
func (g *globals) withUsageErrors(cmds []*cli.Command) []*cli.Command {
	for _, c := range cmds {
		c.HideHelpCommand = true
		c.StopOnNthArg = intPtr(1)
		if c.OnUsageError == nil {
			c.OnUsageError = func(_ context.Context, c *cli.Command, err error, _ bool) error {
				return usagef("%s: %s (see pycguard %s --help)", c.Name, flagErrorText(err), c.Name)
			}
		}
		c.UsageText = "pycguard " + c.Name + " [command options]"
		if c.ArgsUsage != "" {
			c.UsageText += " " + c.ArgsUsage
		}
		helpWording(c.Flags)
	}
	return cmds
}

// helpWording words the flags' help lines as pycguard's help always has:
// a value without a named placeholder is shown as "value" (--format value),
// and a switch states its default (default: false).
func helpWording(flags []cli.Flag) {
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.BoolFlag:
			f.DefaultText = "false"
		case *cli.StringFlag:
			f.SetStringer(func(f cli.Flag) string {
				return strings.Replace(cli.FlagStringer(f), " string\t", " value\t", 1)
			})
		}
	}
}

// trimSpace is the configuration of the repeatable string flags: each value
// (and each comma-separated part of one) loses surrounding white space.
var trimSpace = cli.StringConfig{TrimSpace: true}

// flagErrorText words a flag parsing error as pycguard always has, in Go's
// flag package's words (pinned by TestCLIUsage): "flag needs an argument:
// -format", "invalid boolean value "x" for -all: parse error". It reads
// the message because urfave/cli v3 makes these errors with fmt.Errorf and
// no type; any other text, or another version's wording, passes through
// unchanged, so a library change can alter a usage error's wording, never
// its exit status.
func flagErrorText(err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "flag needs an argument: -" + strings.TrimLeft(rest, "-")
	}
	// Only switches can have an invalid value: every other flag is a string.
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		return "invalid boolean value " + strings.Replace(rest, " for flag -", " for -", 1)
	}
	return msg
}

func (g *globals) root() *cli.Command {
	root := &cli.Command{
		Name:  "pycguard",
		Usage: "keep Python bytecode out of git",
		Description: "pycguard blocks commits that stage *.pyc, *.pyo, *$py.class or anything\n" +
			"inside __pycache__/, checks .gitignore against GitHub's Python template,\n" +
			"untracks committed bytecode and cleans it from working trees.\n\n" +
			"Exit status: 0 ok, 1 findings (commit blocked), 2 usage or operational error.\n\n" +
			"Shell completion: pycguard completion bash|zsh|fish|pwsh prints the script\n" +
			"(e.g. source <(pycguard completion bash) in ~/.bashrc).",
		Reader:          g.stdin,
		Writer:          g.stdout,
		ErrWriter:       g.stderr,
		HideHelpCommand: true,
		UsageText:       "pycguard [global options] command [command options]",
		StopOnNthArg:    intPtr(1),
		// The global flags go before the command (Local: not inherited by
		// the commands).
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "C", Usage: "run as if pycguard was started in `DIR` (like git -C)", Destination: &g.dir, Local: true},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour output: auto, always or never", Destination: &g.color, Local: true},
			&cli.BoolFlag{Name: "version", Usage: "print pycguard's version (as pycguard version does)", Local: true,
				Action: func(context.Context, *cli.Command, bool) error {
					if err := g.printVersion(); err != nil {
						return err
					}
					return errDone
				}},
		},
		Before: func(ctx context.Context, _ *cli.Command) (context.Context, error) {
			return ctx, g.resolveGlobals()
		},
		Commands: g.withUsageErrors(g.commands()),
		OnUsageError: func(_ context.Context, _ *cli.Command, err error, _ bool) error {
			return errors.New(flagErrorText(err))
		},
		// The library must never exit or print on its own: run maps errors
		// to codes and prints them.
		ExitErrHandler: func(context.Context, *cli.Command, error) {},
	}
	helpWording(root.Flags)
	return root
}

// resolveGlobals checks --color and makes g.dir the directory pycguard
// runs in (-C), before any command runs.
func (g *globals) resolveGlobals() (err error) {
	switch g.color {
	case "auto", "always", "never":
	default:
		return usagef("--color must be auto, always or never, not %q", g.color)
	}
	g.dir, err = gitops.StartDir(g.dir)
	return err
}

func (g *globals) run(args []string) int {
	root := g.root()
	// Shell completion only when asked for: a file named
	// --generate-shell-completion, passed last by the pre-commit framework,
	// is a path to judge, never a request that would skip the check.
	root.EnableShellCompletion = wantsCompletion(args)
	unknown := false
	notFound := func(_ context.Context, _ *cli.Command, name string) {
		unknown = true
		fmt.Fprintf(g.stderr, "pycguard: unknown command %q (see pycguard --help)\n", name)
	}
	// The commands too: help asked for an unknown topic (pycguard check
	// --help x) is the same mistake.
	root.CommandNotFound = notFound
	for _, c := range root.Commands {
		c.CommandNotFound = notFound
	}
	err := root.Run(context.Background(), args)
	if unknown {
		return exitError
	}
	return g.exitCode(err)
}

// exitCode maps an Action's error to the exit status, printing the error
// unless it is an exitCodeError.
func (g *globals) exitCode(err error) int {
	var ec exitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ec):
		return ec.code
	}
	fmt.Fprintf(g.stderr, "pycguard: %v\n", err)
	return exitError
}

// completionFlag is what urfave/cli's completion scripts append to the
// words typed so far to ask for the candidates.
const completionFlag = "--generate-shell-completion"

// wantsCompletion reports whether args (os.Args) ask for shell completion:
// the command is `completion`, or the last argument is completionFlag and
// no positional argument comes between the command and it.
func wantsCompletion(args []string) bool {
	if len(args) < 2 {
		return false
	}
	last := len(args) - 1
	command := false
	for i := 1; i < len(args); i++ {
		a := args[i]
		if i == last && a == completionFlag {
			return true
		}
		switch {
		case a == "--":
			return false
		case strings.HasPrefix(a, "-"):
			// the global flags that take a value, when it is not given with =
			switch strings.TrimLeft(a, "-") {
			case "C", "color":
				if !command {
					i++
				}
			}
		case !command:
			if a == "completion" {
				return true
			}
			command = true
		default:
			return false // a path or other argument: never a completion request
		}
	}
	return false
}

// intPtr returns a pointer to n. (new(1) needs Go 1.26; go.mod's minimum
// is lower, see docs/release.md.)
func intPtr(n int) *int { return &n }
