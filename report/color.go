package report

import (
	"io"
	"os"
)

// UseColor decides whether output written to w is coloured. mode is the
// --color flag: "always", "never" or "auto".
func UseColor(mode string, getenv func(string) string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if getenv("NO_COLOR") != "" {
		return false
	}
	if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if getenv("TERM") == "dumb" {
		return false
	}
	return IsTerminal(w)
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
