package main

import (
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/report"
)

// runHookCommand runs `pycguard check` the way the hooks call it — the
// native hook runs `pycguard check`, the pre-commit framework `pycguard
// check FILE...` — without building the command line's command tree: on a
// small repository the hook's whole run costs little more than starting the
// program, and setting up every command's flags and help was a tenth of it
// (docs/performance.md). It handles only an argument list that urfave/cli
// would parse as no flags at all (no global flag, no argument starting with
// "-", so no help, completion or "--"), and then does exactly what the
// check command's action does with default flag values; ok is false for
// every other argument list, which goes through urfave/cli.
// TestHookCommandAsCLI compares the two paths.
func (g *globals) runHookCommand(args []string) (code int, ok bool) {
	if len(args) < 2 || args[1] != "check" {
		return 0, false
	}
	paths := args[2:]
	for _, a := range paths {
		if len(a) > 0 && a[0] == '-' {
			return 0, false
		}
	}
	growStack(0)
	g.color = "auto" // --color's default
	if err := g.resolveGlobals(); err != nil {
		return g.exitCode(err), true
	}
	rep, err := g.reporter("text", report.Options{SARIF: true})
	if err != nil {
		return g.exitCode(err), true
	}
	return g.exitCode(check(g.checkRequest(hook.CheckRequest{}, false, paths), rep)), true
}

// growStack grows the goroutine's stack, once and while it is shallow, to
// the size the check needs. A goroutine starts with 8 KiB and doubles its
// stack when a call needs more, copying every frame and reading each
// function's stack map from the binary; done deep in the check, that cost
// about 14 page faults a run (docs/performance.md). Called with 0, it
// writes nothing: only the frame's size matters.
//
//go:noinline
func growStack(n int) {
	if n > 0 {
		var pad [24 << 10]byte
		touchStack(&pad, n)
	}
}

//go:noinline
func touchStack(pad *[24 << 10]byte, n int) { pad[n%len(pad)] = 1 }
