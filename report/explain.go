package report

import (
	"bufio"
	"io"
	"strconv"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
)

// CheckIgnore writes explain's answers (fix.Explain) as git check-ignore
// -v -n writes its own: SOURCE:LINE:PATTERN<TAB>PATH, or ::<TAB>PATH when
// no rule matches, the source and the path quoted as git quotes names and
// the pattern as written; with NUL each of the four fields ends in a NUL
// byte and nothing is quoted (git check-ignore -v -n -z). Output is
// buffered until Flush.
type CheckIgnore struct {
	w   *bufio.Writer
	nul bool
}

// NewCheckIgnore returns a CheckIgnore writing to w.
func NewCheckIgnore(w io.Writer, nul bool) *CheckIgnore {
	return &CheckIgnore{w: bufio.NewWriterSize(w, 64<<10), nul: nul}
}

// WriteAnswer writes one answer.
func (c *CheckIgnore) WriteAnswer(a fix.Answer) error {
	w := c.w
	if c.nul {
		if r := a.Rule; r != nil {
			w.WriteString(r.Source)
			w.WriteByte(0)
			w.WriteString(strconv.Itoa(r.Line))
			w.WriteByte(0)
			w.WriteString(r.Pattern)
			w.WriteByte(0)
		} else {
			w.WriteString("\x00\x00\x00")
		}
		w.WriteString(a.Path)
		return w.WriteByte(0)
	}
	if r := a.Rule; r != nil {
		// git check-ignore -v quotes the source and prints the pattern as
		// written.
		w.WriteString(gitops.QuotePath(r.Source))
		w.WriteByte(':')
		w.WriteString(strconv.Itoa(r.Line))
		w.WriteByte(':')
		w.WriteString(r.Pattern)
	} else {
		w.WriteString("::")
	}
	w.WriteByte('\t')
	w.WriteString(gitops.QuotePath(a.Path))
	return w.WriteByte('\n')
}

// Flush writes what is buffered.
func (c *CheckIgnore) Flush() error { return c.w.Flush() }
