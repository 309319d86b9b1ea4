//go:build windows

package report

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/windows"
)

// enableVirtualTerminal switches the console behind w to interpret ANSI
// escapes (ENABLE_VIRTUAL_TERMINAL_PROCESSING, Windows 10 1511 and later).
// An error means the escapes would be shown raw: w is not a console, or
// the console is too old.
func enableVirtualTerminal(w io.Writer) error {
	f, ok := w.(*os.File)
	if !ok {
		return errors.New("not a console")
	}
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return err
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return nil
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING)
}
