package e2e

import (
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pycguard/pycguard/internal/gittest"
)

// TestScriptsInGerman runs the key scenarios again with git speaking
// German (LANGUAGE=de; Debian's git ships the translation): check in every
// commit form, fix, audit, scan and pre-receive, and the errors around
// them (outside a repository, bad revisions). They must give the same results and exit codes:
// pycguard decides nothing by git's messages, and fixes their locale for
// the git it starts. Without git's German translation the test skips, and
// fails under CI.
func TestScriptsInGerman(t *testing.T) {
	trackSources(t)
	gittest.RequireGerman(t)
	var files []string
	for _, pat := range []string{"hook_*.txtar", "check_*.txtar", "fix_*.txtar", "audit_*.txtar",
		"scan_*.txtar", "prereceive_*.txtar", "errors_*.txtar"} {
		m, err := filepath.Glob(filepath.Join("testdata/script", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d scripts", len(files))
	}
	testscript.Run(t, scriptParams(t, files, gittest.GermanVars))
}
