package main

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
	gittest.RequireGerman(t)
	files := []string{
		// check in every commit form
		"hook_initial_commit", "hook_commit_all_flag", "hook_commit_include",
		"hook_commit_only_paths", "hook_amend", "hook_merge_commit",
		"check_core_ignorecase", "check_writes_nothing",
		// fix and audit
		"fix_then_commit_passes_check", "fix_refuses_and_changes_nothing", "audit_history_like_scan",
		// scan (a bare repository too) and pre-receive
		"scan_range_since_all_formats", "prereceive_several_refs_at_once",
		"prereceive_config_from_pushed_tree_or_server", "prereceive_reads_quarantined_objects",
		// outside a repository, bad revisions, bad input
		"errors_exit_2_and_change_nothing",
	}
	for i, f := range files {
		files[i] = filepath.Join("testdata", "script", f+".txtar")
	}
	testscript.Run(t, scriptParams(t, files, gittest.GermanVars))
}
