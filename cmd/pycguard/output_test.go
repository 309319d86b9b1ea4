package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestFormatUsage: a --format a command has no rendering for is a usage
// error (exit 2, one line on stderr, nothing on stdout), worded as
// pycguard always has, and decided before anything is read: the directory
// here is no repository.
func TestFormatUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--format", "xml"}, `--format must be text, json or sarif, not "xml"`},
		{[]string{"check", "--format", "xml", "--all", "a.pyc"}, `--format must be text, json or sarif, not "xml"`},
		{[]string{"scan", "--format", "", "--all"}, `--format must be text, json or sarif, not ""`},
		{[]string{"audit", "--format", "sarif"}, `--format must be text or json, not "sarif"`},
		{[]string{"fix", "--format", "yaml"}, `--format must be text or json, not "yaml"`},
		{[]string{"clean", "--format", "sarif"}, `--format must be text or json, not "sarif"`},
		{[]string{"clean", "-z", "--format", "xml"}, `--format must be text or json, not "xml"`},
		{[]string{"clean", "-z", "--format", "json"}, `clean: -z and --format json do not go together`},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"pycguard", "-C", dir}, tc.args...)
		code := run(args, strings.NewReader(""), &stdout, &stderr)
		if code != exitError || stdout.Len() != 0 || stderr.String() != "pycguard: "+tc.want+"\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout.String(), stderr.String(), tc.want)
		}
	}
}
