package report

import (
	"errors"
	"testing"
)

// TestColorDecisionConsole: on a terminal, colour needs the terminal to
// interpret escapes (a Windows console whose virtual-terminal mode cannot
// be switched on does not): then "auto" gives no colour, while "always" and
// CLICOLOR_FORCE still colour. The switch is tried only when colour would
// be used on a terminal.
func TestColorDecisionConsole(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	failed := errors.New("SetConsoleMode: the parameter is incorrect")
	cases := []struct {
		mode     string
		getenv   func(string) string
		terminal bool
		vtErr    error
		want     bool
		tried    bool
	}{
		{"auto", env(), true, nil, true, true},
		{"auto", env(), true, failed, false, true},
		{"auto", env(), false, nil, false, false},
		{"auto", env("NO_COLOR", "1"), true, nil, false, false},
		{"auto", env("TERM", "dumb"), true, nil, false, false},
		{"auto", env("CLICOLOR_FORCE", "1"), true, failed, true, true},
		{"auto", env("CLICOLOR_FORCE", "1"), false, failed, true, false},
		{"always", env(), true, failed, true, true},
		{"always", env(), false, nil, true, false},
		{"never", env("CLICOLOR_FORCE", "1"), true, nil, false, false},
	}
	for _, c := range cases {
		tried := false
		got := colorDecision(c.mode, c.getenv, c.terminal, func() error { tried = true; return c.vtErr })
		if got != c.want || tried != c.tried {
			t.Errorf("colorDecision(%s, terminal=%v, vt error %v) = %v (switch tried: %v), want %v (%v)",
				c.mode, c.terminal, c.vtErr, got, tried, c.want, c.tried)
		}
	}
}
