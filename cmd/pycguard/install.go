package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
)

func installCommand(g *globals) *cli.Command {
	var force bool
	return &cli.Command{
		Name:  "install",
		Usage: "install pycguard as the repository's native git pre-commit hook",
		Description: "Writes a pre-commit hook in the directory git runs hooks from (core.hooksPath\n" +
			"when set; linked worktrees share the main repository's hooks). The hook runs\n" +
			"`pycguard check` by the absolute path of this pycguard, falling back to PATH.\n" +
			"An existing hook (the pre-commit framework's, lefthook's, your own) is kept\n" +
			"beside it as pre-commit.pycguard-saved and still runs first; its exit status\n" +
			"is respected. Installing again changes nothing; pycguard uninstall restores\n" +
			"the earlier hook exactly.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "force", Usage: "chain the current hook even when an earlier saved hook is in the way", Destination: &force},
		},
		Action: func(_ context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("install takes no arguments")
			}
			return g.install(force)
		},
	}
}

func uninstallCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "uninstall",
		Usage: "remove pycguard's native pre-commit hook and restore the hook it replaced",
		Action: func(_ context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("uninstall takes no arguments")
			}
			return g.uninstall()
		},
	}
}

// hooksDir finds the repository and the directory git runs its hooks from.
func (g *globals) hooksDir() (*gitops.Repo, string, error) {
	repo, err := gitops.Open(g.dir, nil)
	if err != nil {
		return nil, "", err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return nil, "", err
	}
	dir, err := repo.HooksDir()
	return repo, dir, err
}

func (g *globals) install(force bool) error {
	repo, dir, err := g.hooksDir()
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		exe = "" // the script then finds pycguard on PATH
	} else if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	res, err := hook.Install(hook.InstallOptions{HooksDir: dir, Executable: exe, Windows: runtime.GOOS == "windows", Force: force})
	if err != nil {
		return err
	}
	where := displayRel(repo.WorkTree, res.Hook)
	switch {
	case !res.Changed:
		fmt.Fprintf(g.stdout, "pycguard: hook already installed in %s\n", where)
	case res.Saved != "":
		fmt.Fprintf(g.stdout, "pycguard: installed %s; the existing hook was kept as %s and runs first\n",
			where, displayRel(repo.WorkTree, res.Saved))
	default:
		fmt.Fprintf(g.stdout, "pycguard: installed %s\n", where)
	}
	if res.Displaced != "" {
		fmt.Fprintf(g.stderr, "pycguard: warning: the older saved hook was moved to %s\n", displayRel(repo.WorkTree, res.Displaced))
	}
	return nil
}

func (g *globals) uninstall() error {
	repo, dir, err := g.hooksDir()
	if err != nil {
		return err
	}
	res, err := hook.Uninstall(dir)
	if err != nil {
		return err
	}
	where := displayRel(repo.WorkTree, res.Hook)
	if res.Restored {
		fmt.Fprintf(g.stdout, "pycguard: removed pycguard's hook; restored the earlier %s\n", where)
	} else {
		fmt.Fprintf(g.stdout, "pycguard: removed %s\n", where)
	}
	return nil
}

// displayRel names p relative to the work tree top when it is inside it.
func displayRel(workTree, p string) string {
	if rel, err := filepath.Rel(workTree, p); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return p
}
