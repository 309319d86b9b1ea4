package report

import (
	"os/exec"
	"testing"
)

func TestDisplayPath(t *testing.T) {
	for in, want := range map[string]string{
		"a/b.pyc":        "a/b.pyc",
		"with space.pyc": "with space.pyc",
		"caf\u00e9.pyc":  "caf\u00e9.pyc",
		"new\nline.pyc":  `"new\nline.pyc"`,
		"back\\slash":    `"back\\slash"`,
		"\xff.pyc":       `"\xff.pyc"`,
		`q"uote`:         `"q\"uote"`,
	} {
		if got := DisplayPath(in); got != want {
			t.Errorf("DisplayPath(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestShellQuoteRoundTrips gives every quoted word to bash and checks that
// it comes back byte for byte.
func TestShellQuoteRoundTrips(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	for _, p := range []string{
		"plain.pyc", "with space.pyc", "it's.pyc", "new\nline.pyc", "tab\t.pyc", "\xff\xfe.pyc",
		"back\\slash.pyc", "$HOME.pyc", "`cmd`.pyc", "caf\u00e9.pyc", "-dash.pyc", "a\x01b", "!bang", "*.pyc",
	} {
		out, err := exec.Command("bash", "-c", "printf %s "+ShellQuote(p)).Output()
		if err != nil {
			t.Fatalf("bash with %s: %v", ShellQuote(p), err)
		}
		if string(out) != p {
			t.Errorf("ShellQuote(%q) = %s gives back %q", p, ShellQuote(p), out)
		}
	}
}

func TestUseColor(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	cases := []struct {
		mode string
		env  map[string]string
		want bool
	}{
		{"always", map[string]string{"NO_COLOR": "1"}, true},
		{"never", map[string]string{"CLICOLOR_FORCE": "1"}, false},
		{"auto", map[string]string{}, false}, // not a terminal
		{"auto", map[string]string{"CLICOLOR_FORCE": "1"}, true},
		{"auto", map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "x"}, false},
		{"auto", map[string]string{"CLICOLOR_FORCE": "0"}, false},
	}
	for _, c := range cases {
		if got := UseColor(c.mode, env(c.env), nil); got != c.want {
			t.Errorf("UseColor(%s, %v) = %v, want %v", c.mode, c.env, got, c.want)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 20: "5.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
