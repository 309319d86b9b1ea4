package main

import "github.com/urfave/cli/v3"

// configFlag is the --config flag of the commands that read the
// configuration.
func configFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "config", Usage: "read the configuration from `FILE` (a .pycguard.toml, or a pyproject.toml's [tool.pycguard]) instead of the work tree's", Destination: dest}
}
