//go:build !windows

package report

import "io"

// enableVirtualTerminal does nothing: terminals outside Windows interpret
// ANSI escapes.
func enableVirtualTerminal(io.Writer) error { return nil }
