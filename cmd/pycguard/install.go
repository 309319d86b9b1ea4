package main

import (
	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

func installCommand(g *globals) *cli.Command {
	var force bool
	return &cli.Command{
		Name:  "install",
		Usage: "install pycguard as the repository's native git pre-commit hook",
		Description: "Writes a pre-commit hook in the directory git runs hooks from (core.hooksPath\n" +
			"when set; linked worktrees share the main repository's hooks). The hook runs\n" +
			"`pycguard check` by the absolute path of this pycguard, falling back to PATH.\n" +
			"A hooks directory inside the work tree (core.hooksPath=.githooks) is shared\n" +
			"through git: there the hook names no path of this machine, finds pycguard on\n" +
			"PATH, and is to be committed.\n" +
			"An existing hook (the pre-commit framework's, lefthook's, your own) is kept\n" +
			"beside it as pre-commit.pycguard-saved and still runs first; its exit status\n" +
			"is respected. pycguard runs once per commit however often it is installed:\n" +
			"when the pre-commit framework's or prek's hook already runs pycguard's from\n" +
			"pre-commit.legacy, that one is kept. pycguard uninstall removes pycguard's\n" +
			"hook from wherever it is and restores the earlier hook exactly.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "force", Usage: "chain the current hook even when an earlier saved hook is in the way", Destination: &force},
		},
		Action: noArgs(func() error {
			opts := hook.InstallOptions{Executable: hook.Executable(), Windows: gitops.HostPlatform().Windows, Force: force}
			res, err := hook.InstallDir(g.dir, opts)
			if err != nil {
				return err
			}
			report.WriteInstall(g.stdout, g.stderr, res, g.shell())
			return nil
		}),
	}
}

func uninstallCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "uninstall",
		Usage: "remove pycguard's native pre-commit hook and restore the hook it replaced",
		Action: noArgs(func() error {
			res, err := hook.UninstallDir(g.dir)
			if err != nil {
				return err
			}
			report.WriteUninstall(g.stdout, g.stderr, res)
			return nil
		}),
	}
}
