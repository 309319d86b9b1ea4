package gittest

import (
	"os"
	"strings"
	"testing"
)

// GermanVars are the settings that make git speak German: LANGUAGE picks
// the translation, and a UTF-8 LC_ALL other than "C" lets gettext use it
// (with LC_ALL=C GNU gettext ignores LANGUAGE). C.UTF-8 is present on
// every Debian without generating locales.
var GermanVars = []string{"LANGUAGE=de", "LC_ALL=C.UTF-8"}

// RequireGerman skips the test when the git found on PATH does not print
// its messages in German under GermanVars (its translations are not
// installed) — and fails it instead when the CI variable is set, so that
// CI never silently skips the translated-git tests.
func RequireGerman(t testing.TB) {
	t.Helper()
	r := Dir(t, t.TempDir()).With(GermanVars...)
	r.Env = append(r.Env, "GIT_CEILING_DIRECTORIES="+r.Dir)
	_, stderr, err := r.Run(nil, "rev-parse", "--git-dir")
	if err != nil && strings.Contains(string(stderr), "Kein Git-Repository") {
		return
	}
	msg := "git does not print German messages with LANGUAGE=de (its translations are not installed: Debian's git ships them in /usr/share/locale/de/LC_MESSAGES/git.mo)"
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; got %q", msg, stderr)
	}
	t.Skip(msg)
}
