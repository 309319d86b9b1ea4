package main

import (
	"fmt"
	"runtime/debug"

	"github.com/urfave/cli/v3"
)

// version is stamped by release builds (-ldflags "-X main.version=v1.2.3");
// otherwise it comes from the module's build information.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func versionCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:   "version",
		Usage:  "print pycguard's version",
		Action: noArgs(g.printVersion),
	}
}

// printVersion prints the line `pycguard version` and `pycguard --version`
// print.
func (g *globals) printVersion() error {
	_, err := fmt.Fprintf(g.stdout, "pycguard %s\n", versionString())
	return err
}
