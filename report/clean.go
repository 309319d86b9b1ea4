package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/gitops"
)

// CleanEntry is one file or directory `pycguard clean` removed (or would
// remove), or a tracked file it kept.
type CleanEntry struct {
	Path  string // relative to where pycguard runs, or absolute when the root was
	Dir   bool
	Kind  string // pyc, pyo, $py.class, __pycache__ ("" for directories)
	Bytes int64
}

// CleanError is a failure on one entry.
type CleanError struct {
	Path  string
	Error string
}

// Clean is the result of `pycguard clean` as it is reported.
type Clean struct {
	DryRun      bool
	Roots       []string
	Removed     []CleanEntry
	KeptTracked []CleanEntry
	Errors      []CleanError
	Files, Dirs int
	Bytes       int64
}

type cleanJSON struct {
	Version     int              `json:"version"`
	Command     string           `json:"command"`
	DryRun      bool             `json:"dry_run"`
	Roots       []PathJSON       `json:"roots"`
	Removed     []cleanEntryJSON `json:"removed"`
	KeptTracked []cleanEntryJSON `json:"kept_tracked"`
	Errors      []cleanErrorJSON `json:"errors"`
	Summary     cleanSummaryJSON `json:"summary"`
}

type cleanEntryJSON struct {
	PathJSON
	Type  string `json:"type"`
	Kind  string `json:"kind,omitempty"`
	Bytes *int64 `json:"bytes,omitempty"`
}

type cleanErrorJSON struct {
	PathJSON
	Error string `json:"error"`
}

type cleanSummaryJSON struct {
	Files       int   `json:"files"`
	Dirs        int   `json:"dirs"`
	Bytes       int64 `json:"bytes"`
	KeptTracked int   `json:"kept_tracked"`
	Errors      int   `json:"errors"`
}

func (e CleanEntry) json(withBytes bool) cleanEntryJSON {
	j := cleanEntryJSON{PathJSON: NewPathJSON(e.Path), Type: "file", Kind: e.Kind}
	if e.Dir {
		j.Type = "dir"
	} else if withBytes {
		b := e.Bytes
		j.Bytes = &b
	}
	return j
}

// WriteJSON writes c as a JSON document.
func (c *Clean) WriteJSON(w io.Writer) error {
	doc := cleanJSON{Version: JSONVersion, Command: "clean", DryRun: c.DryRun,
		Roots: []PathJSON{}, Removed: []cleanEntryJSON{}, KeptTracked: []cleanEntryJSON{}, Errors: []cleanErrorJSON{},
		Summary: cleanSummaryJSON{Files: c.Files, Dirs: c.Dirs, Bytes: c.Bytes, KeptTracked: len(c.KeptTracked), Errors: len(c.Errors)}}
	for _, r := range c.Roots {
		doc.Roots = append(doc.Roots, NewPathJSON(r))
	}
	for _, e := range c.Removed {
		doc.Removed = append(doc.Removed, e.json(true))
	}
	for _, e := range c.KeptTracked {
		doc.KeptTracked = append(doc.KeptTracked, e.json(false))
	}
	for _, e := range c.Errors {
		doc.Errors = append(doc.Errors, cleanErrorJSON{PathJSON: NewPathJSON(e.Path), Error: e.Error})
	}
	return WriteJSON(w, doc)
}

// WriteList writes one line per removed entry ("would remove PATH" in a dry
// run, "removed PATH" otherwise; directories end in "/"), or, with nul, the
// raw paths each followed by a NUL byte (for xargs -0).
func (c *Clean) WriteList(w io.Writer, nul bool) error {
	var b strings.Builder
	verb := "removed "
	if c.DryRun {
		verb = "would remove "
	}
	for _, e := range c.Removed {
		if nul {
			b.WriteString(e.Path)
			b.WriteByte(0)
			continue
		}
		b.WriteString(verb)
		b.WriteString(gitops.QuotePath(e.Path))
		if e.Dir {
			b.WriteByte('/')
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteSummary writes the one-line summary: files, directories, bytes,
// kept tracked files, errors.
func (c *Clean) WriteSummary(w io.Writer, p Painter) error {
	verb := "removed"
	if c.DryRun {
		verb = "would remove"
	}
	line := fmt.Sprintf("%s %s (%s) and %s; kept %s; %s\n", verb,
		cleanPlural(c.Files, "file"), Bytes(c.Bytes), cleanPlural(c.Dirs, "directory"),
		cleanPlural(len(c.KeptTracked), "tracked file"), cleanPlural(len(c.Errors), "error"))
	if len(c.Errors) > 0 {
		line = p.Red(strings.TrimSuffix(line, "\n")) + "\n"
	}
	_, err := io.WriteString(w, line)
	return err
}

// maxKeptShown bounds the tracked files named in the note on stderr.
const maxKeptShown = 10

// WriteDiagnostics writes, for a person on stderr, every error and a note
// about kept tracked files with the command that deals with them.
func (c *Clean) WriteDiagnostics(w io.Writer, p Painter) error {
	var b strings.Builder
	for _, e := range c.Errors {
		fmt.Fprintf(&b, "%s %s: %s\n", p.Red("pycguard: clean:"), gitops.QuotePath(e.Path), e.Error)
	}
	if n := len(c.KeptTracked); n > 0 {
		fmt.Fprintf(&b, "%s kept %s that git tracks:\n", p.Yellow("pycguard: note:"), cleanPlural(n, "bytecode file"))
		for i, e := range c.KeptTracked {
			if i == maxKeptShown {
				fmt.Fprintf(&b, "  ... and %d more\n", n-maxKeptShown)
				break
			}
			fmt.Fprintf(&b, "  %s\n", gitops.QuotePath(e.Path))
		}
		b.WriteString("Untrack them and complete .gitignore with: pycguard fix\n" +
			"(or delete them from disk as well with: pycguard clean --tracked)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cleanPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
