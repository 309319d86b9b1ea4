package gitops

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// quoteProbes are names holding every byte git may quote, and the hostile
// shapes people meet: tabs, newlines, quotes, backslashes, invalid UTF-8,
// a leading dash, terminal escape sequences.
func quoteProbes() []string {
	names := []string{
		"plain.pyc", "with space.pyc", "caf\u00e9.pyc", "new\nline.pyc", "tab\t.pyc",
		"back\\slash", "q\"uote", "it's.pyc", "-dash.pyc", "\xff\xfe.pyc", "\x1b[31mred\x1b[0m.pyc",
		"\u202egnp.pyc", "del\x7f", "$HOME`cmd`!*.pyc",
	}
	for c := 1; c < 256; c++ {
		if c != '/' {
			names = append(names, "b"+string([]byte{byte(c)})+"x")
		}
	}
	return names
}

// TestQuotePathIsGits compares QuotePath with the names `git ls-files`
// prints (core.quotepath at its default) for every byte value.
func TestQuotePathIsGits(t *testing.T) {
	r := gittest.Init(t)
	names := quoteProbes()
	const blob = "e69de29bb2d1d6434b8b29ae775ad8c2d357d69b" // the empty blob
	var in strings.Builder
	for _, n := range names {
		in.WriteString("100644 " + blob + "\t" + n + "\x00")
	}
	r.GitIn([]byte(in.String()), "update-index", "--add", "-z", "--index-info")
	got := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(r.Git("ls-files"), "\n"), "\n") {
		got[line] = true
	}
	for _, n := range names {
		q := QuotePath(n)
		if !got[q] {
			t.Errorf("QuotePath(%q) = %s, which git ls-files does not print", n, q)
		}
		back := n
		if strings.HasPrefix(q, `"`) {
			var err error
			if back, err = UnquotePath(q); err != nil {
				t.Errorf("UnquotePath(%s): %v", q, err)
			}
		}
		if back != n {
			t.Errorf("UnquotePath(QuotePath(%q)) = %q", n, back)
		}
	}
	if len(got) != len(names) {
		t.Errorf("git lists %d names, want %d", len(got), len(names))
	}
}

func TestUnquotePathRefusesBadQuoting(t *testing.T) {
	for _, s := range []string{`"`, `"a`, `"a\"`, `"a"b"`, `"\q"`, `"\4000"`, `"\12"`, `"\"`} {
		if u, err := UnquotePath(s); err == nil {
			t.Errorf("UnquotePath(%s) = %q, want an error", s, u)
		}
	}
}

// TestShellQuoteRoundTrips gives every quoted word to bash and checks that
// it comes back byte for byte, and that no control byte is printed raw.
func TestShellQuoteRoundTrips(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	for _, p := range quoteProbes() {
		q := ShellQuote(p)
		for i := 0; i < len(q); i++ {
			if q[i] < 0x20 || q[i] == 0x7f {
				t.Errorf("ShellQuote(%q) = %q holds a raw control byte", p, q)
				break
			}
		}
		out, err := exec.Command("bash", "-c", "printf %s "+q).Output()
		if err != nil {
			t.Fatalf("bash with %s: %v", q, err)
		}
		if string(out) != p {
			t.Errorf("ShellQuote(%q) = %s gives back %q", p, q, out)
		}
	}
}
