package main

import (
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScriptsDiscoveryViaGit runs the layout and hook scripts again with
// repository discovery left to git. pycguard opens a plain repository at
// the top of its work tree without starting git; any command-line
// safe.directory setting makes it ask git instead (git alone judges
// ownership), so the same scripts pass through both paths.
func TestScriptsDiscoveryViaGit(t *testing.T) {
	var files []string
	for _, pat := range []string{"layout_*.txtar", "hook_*.txtar", "check_*.txtar"} {
		m, err := filepath.Glob(filepath.Join("testdata/script", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d layout and hook scripts", len(files))
	}
	testscript.Run(t, scriptParams(t, files, []string{
		"GIT_CONFIG_COUNT=4",
		"GIT_CONFIG_KEY_3=safe.directory",
		"GIT_CONFIG_VALUE_3=*",
	}))
}
