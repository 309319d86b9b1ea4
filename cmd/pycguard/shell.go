package main

import (
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/report"
)

// shell is the shell pycguard's advice is written for (cmd or PowerShell
// when run from them on Windows; sh elsewhere and in git hooks).
func (g *globals) shell() report.Shell {
	return report.DetectShell(gitops.HostPlatform(), g.getenv)
}
