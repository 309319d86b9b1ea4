package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

func preReceiveCommand(g *globals) *cli.Command {
	var configFile string
	return &cli.Command{
		Name:  "pre-receive",
		Usage: "server-side hook: reject a push whose new commits add bytecode",
		Description: "Install as hooks/pre-receive of a (bare) repository. Reads the lines git\n" +
			"gives the hook on stdin (\"<old> <new> <ref>\"), checks all of them first (a\n" +
			"malformed line is exit 2), then judges the commits each pushed ref brings\n" +
			"that no existing ref reaches, like pycguard scan. Deletions pass; tags\n" +
			"pointing at commits are judged like branches. A rejection (exit 1) is\n" +
			"written to stderr, which git relays to the pusher. Pushed objects are read\n" +
			"from git's quarantine directory, as git hands it to the hook.\n\n" +
			"Each ref is judged by the configuration in the tree pushed to it\n" +
			"(.pycguard.toml or pyproject.toml's [tool.pycguard]) and its .gitignore's\n" +
			"\"!\" rules; with --config, by the server's file alone, which pushers cannot\n" +
			"change.",
		Flags: []cli.Flag{configFlag(&configFile)},
		Action: func(_ context.Context, c *cli.Command) error {
			if c.Args().Len() > 0 {
				return usagef("pre-receive: unexpected argument %q (the ref updates come on stdin)", c.Args().First())
			}
			rep := report.NewText(g.reportOptions(report.Options{}))
			res, err := hook.RunPreReceive(hook.PreReceiveRequest{Dir: g.dir, ConfigFile: configFile, Stdin: g.stdin}, rep.PreReceiveFinding)
			if err != nil {
				return err
			}
			if err := rep.PreReceive(res); err != nil {
				return err
			}
			return findings(res.Blocked())
		},
	}
}
