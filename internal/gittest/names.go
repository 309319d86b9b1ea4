package gittest

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// WindowsForbids reports whether Windows cannot create the '/'-separated
// path rel (Microsoft's "Naming Files, Paths, and Namespaces"): a component
// with a control character or one of < > : " \ | ? *, ending in a space or a
// dot, or a reserved device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also
// with an extension); and a name that is not UTF-8, which Windows' UTF-16
// names cannot hold byte for byte. Git on Windows cannot check such a name
// out either.
func WindowsForbids(rel string) bool {
	for _, c := range strings.Split(rel, "/") {
		if c == "" || c == "." || c == ".." {
			continue
		}
		if !utf8.ValidString(c) || strings.ContainsAny(c, `<>:"\|?*`) || strings.IndexFunc(c, func(r rune) bool { return r < 0x20 }) >= 0 ||
			strings.HasSuffix(c, " ") || strings.HasSuffix(c, ".") {
			return true
		}
		stem, _, _ := strings.Cut(c, ".")
		switch s := strings.ToUpper(strings.TrimRight(stem, " ")); {
		case s == "CON" || s == "PRN" || s == "AUX" || s == "NUL":
			return true
		case len(s) == 4 && (strings.HasPrefix(s, "COM") || strings.HasPrefix(s, "LPT")) && s[3] >= '1' && s[3] <= '9':
			return true
		}
	}
	return false
}

// skipForbidden skips t on Windows when rel is a name Windows forbids: the
// behaviour such a test pins cannot arise there.
func skipForbidden(t testing.TB, rel string) {
	if runtime.GOOS == "windows" && WindowsForbids(rel) {
		t.Helper()
		t.Skipf("Windows cannot create %q", rel)
	}
}
