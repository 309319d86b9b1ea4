package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestAuditWarningsOrder: on one stream, the shadowed configuration's
// warning comes once, before the audit's report, in both formats.
func TestAuditWarningsOrder(t *testing.T) {
	r := gittest.Init(t)
	isolate(t, r)
	r.Write(".pycguard.toml", "")
	r.Write("pyproject.toml", "[tool.pycguard]\n")
	r.Commit("configuration")
	shadowed := "pycguard: warning: using .pycguard.toml; the [tool.pycguard] table in pyproject.toml is ignored (remove one of them)\n"
	for _, format := range []string{"text", "json"} {
		var both bytes.Buffer
		code := run([]string{"pycguard", "-C", r.Dir, "--color", "never", "audit", "--format", format}, strings.NewReader(""), &both, &both)
		if out := both.String(); code != 1 || !strings.HasPrefix(out, shadowed) || strings.Count(out, shadowed) != 1 || len(out) == len(shadowed) {
			t.Errorf("%s: exit %d, output:\n%s", format, code, out)
		}
	}
}
