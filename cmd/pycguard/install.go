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
	// A hooks directory inside the work tree (core.hooksPath=.githooks) is
	// meant to be committed and shared by every clone and worktree: its
	// script names no path of this machine and finds pycguard on PATH.
	shared := inside(repo.WorkTree, dir) && !inside(repo.GitDir, dir) && !inside(repo.CommonDir, dir)
	exe := ""
	if !shared {
		if exe, err = os.Executable(); err != nil {
			exe = "" // the script then finds pycguard on PATH
		} else if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
	}
	res, err := hook.Install(hook.InstallOptions{HooksDir: dir, Executable: exe, Windows: runtime.GOOS == "windows", Force: force})
	if err != nil {
		return err
	}
	where := displayRel(repo.WorkTree, res.Hook)
	switch {
	case res.Repaired:
		fmt.Fprintf(g.stdout, "pycguard: %s ran pycguard twice per commit; put %s's hook back in front, which runs pycguard from %s\n",
			displayRel(repo.WorkTree, dir), res.RunBy, where)
	case res.RunBy != "" && res.Changed:
		fmt.Fprintf(g.stdout, "pycguard: updated %s, which %s's hook runs\n", where, res.RunBy)
	case res.RunBy != "":
		fmt.Fprintf(g.stdout, "pycguard: hook already installed in %s, which %s's hook runs\n", where, res.RunBy)
	case !res.Changed:
		fmt.Fprintf(g.stdout, "pycguard: hook already installed in %s\n", where)
	case res.Saved != "":
		fmt.Fprintf(g.stdout, "pycguard: installed %s; the existing hook was kept as %s and runs first\n",
			where, displayRel(repo.WorkTree, res.Saved))
	default:
		fmt.Fprintf(g.stdout, "pycguard: installed %s\n", where)
	}
	if shared && res.Changed {
		rel := displayRel(repo.WorkTree, res.Hook)
		word, _ := g.shell().Quote(rel)
		fmt.Fprintf(g.stdout, "pycguard: %s is inside the work tree: commit it (git add %s) so that every clone and worktree runs it\n",
			rel, word)
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
	for _, s := range res.Steps {
		where := displayRel(repo.WorkTree, s.Hook)
		if s.Restored {
			fmt.Fprintf(g.stdout, "pycguard: removed pycguard's hook; restored the earlier %s\n", where)
		} else {
			fmt.Fprintf(g.stdout, "pycguard: removed %s\n", where)
		}
		if s.KeptAside != "" {
			fmt.Fprintf(g.stderr, "pycguard: warning: an older copy of the hook manager's hook was moved to %s\n", displayRel(repo.WorkTree, s.KeptAside))
		}
	}
	return nil
}

// inside reports whether p is workTree or below it.
func inside(workTree, p string) bool {
	rel, err := filepath.Rel(workTree, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// displayRel names p relative to the work tree top when it is inside it.
func displayRel(workTree, p string) string {
	if rel, err := filepath.Rel(workTree, p); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return p
}
