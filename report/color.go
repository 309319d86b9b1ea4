package report

import (
	"io"
	"os"
)

// UseColor decides whether output written to w is coloured. mode is the
// --color flag: "always", "never" or "auto". On a Windows console the
// console's virtual-terminal processing is switched on first (older
// consoles show escapes raw without it); where that fails, "auto" means no
// colour.
func UseColor(mode string, getenv func(string) string, w io.Writer) bool {
	return colorDecision(mode, getenv, IsTerminal(w), func() error { return enableVirtualTerminal(w) })
}

// colorDecision is UseColor for a writer that is a terminal or not, with
// enableVT switching the terminal to interpret escapes (a no-op but on a
// Windows console). enableVT runs only when colour is about to be used on
// a terminal; "always" and CLICOLOR_FORCE keep colour even if it fails.
func colorDecision(mode string, getenv func(string) string, terminal bool, enableVT func() error) bool {
	forced := false
	switch mode {
	case "always":
		forced = true
	case "never":
		return false
	default:
		if getenv("NO_COLOR") != "" {
			return false
		}
		if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
			forced = true
		} else if getenv("TERM") == "dumb" || !terminal {
			return false
		}
	}
	if !terminal {
		return forced
	}
	return enableVT() == nil || forced
}

// ANSITerminal reports whether w is a terminal that interprets ANSI
// escapes (for a progress line redrawn in place): a terminal, and on
// Windows a console whose virtual-terminal processing could be switched on.
func ANSITerminal(w io.Writer) bool {
	return IsTerminal(w) && enableVirtualTerminal(w) == nil
}

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Painter wraps text in ANSI colours when enabled.
type Painter struct{ On bool }

func (p Painter) wrap(code, s string) string {
	if !p.On {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Red, Yellow, Green and Bold colour s when the painter is on.
func (p Painter) Red(s string) string    { return p.wrap("31", s) }
func (p Painter) Yellow(s string) string { return p.wrap("33", s) }
func (p Painter) Green(s string) string  { return p.wrap("32", s) }
func (p Painter) Bold(s string) string   { return p.wrap("1", s) }
