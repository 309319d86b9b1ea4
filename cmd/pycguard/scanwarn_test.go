package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestScanWarningsOrder: on one stream, the shadowed configuration's
// warning comes before the scan's first finding.
func TestScanWarningsOrder(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".pycguard.toml", "")
	r.Write("pyproject.toml", "[tool.pycguard]\n")
	r.Write("m.pyc", "x")
	r.Git("add", "-f", "--", ".")
	r.Commit("bytecode")
	shadowed := "pycguard: warning: using .pycguard.toml; the [tool.pycguard] table in pyproject.toml is ignored (remove one of them)\n"
	for _, format := range []string{"text", "json", "sarif"} {
		var both bytes.Buffer
		code := run([]string{"pycguard", "-C", r.Dir, "--color", "never", "scan", "--all", "--format", format}, strings.NewReader(""), &both, &both)
		if out := both.String(); code != 1 || !strings.HasPrefix(out, shadowed) || strings.Count(out, "warning") != 1 || !strings.Contains(out, "m.pyc") {
			t.Errorf("%s: exit %d, output:\n%s", format, code, out)
		}
	}
}
