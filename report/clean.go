package report

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/clean"
	"github.com/pycguard/pycguard/gitops"
)

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

func cleanEntry(e clean.Entry, withBytes bool) cleanEntryJSON {
	j := cleanEntryJSON{PathJSON: NewPathJSON(e.Path), Type: "file"}
	if e.Dir {
		j.Type = "dir"
	} else {
		j.Kind = e.Kind.String()
		if withBytes {
			b := e.Size
			j.Bytes = &b
		}
	}
	return j
}

// cleanRoots are the roots a clean report names: "." when none was given.
func cleanRoots(roots []string) []string {
	if len(roots) == 0 {
		return []string{"."}
	}
	return roots
}

// Clean writes res as a JSON document on Stdout, and its errors for a
// person on Stderr.
func (r *JSONReporter) Clean(res *clean.Result, roots []string) error {
	doc := cleanJSON{Version: JSONVersion, Command: "clean", DryRun: res.DryRun,
		Roots: pathsJSON(cleanRoots(roots)), Removed: []cleanEntryJSON{}, KeptTracked: []cleanEntryJSON{}, Errors: []cleanErrorJSON{},
		Summary: cleanSummaryJSON{Files: res.Files, Dirs: res.Dirs, Bytes: res.Bytes, KeptTracked: len(res.KeptTracked), Errors: len(res.Errors)}}
	for _, e := range res.Removed {
		doc.Removed = append(doc.Removed, cleanEntry(e, true))
	}
	for _, e := range res.KeptTracked {
		doc.KeptTracked = append(doc.KeptTracked, cleanEntry(e, false))
	}
	for _, e := range res.Errors {
		doc.Errors = append(doc.Errors, cleanErrorJSON{PathJSON: NewPathJSON(e.Path), Error: e.Err.Error()})
	}
	if err := WriteJSON(r.Stdout, doc); err != nil {
		return writing(err)
	}
	if len(res.Errors) > 0 {
		return writing(writeCleanDiagnostics(r.Stderr, r.errPainter(), res))
	}
	return nil
}

// Clean writes what was removed (the list when res has one: one line per
// entry, or with NUL the raw paths each followed by a NUL byte) and the
// summary line on Stdout (with NUL on Stderr), then errors and a note
// about kept tracked files on Stderr.
func (r *TextReporter) Clean(res *clean.Result, _ []string) error {
	var err error
	if r.NUL {
		err = errors.Join(writeCleanList(r.Stdout, res, true), writeCleanSummary(r.Stderr, r.errPainter(), res))
	} else {
		err = errors.Join(writeCleanList(r.Stdout, res, false), writeCleanSummary(r.Stdout, r.outPainter(), res))
	}
	if err != nil {
		return writing(err)
	}
	return writing(writeCleanDiagnostics(r.Stderr, r.errPainter(), res))
}

// writeCleanList writes one line per removed entry ("would remove PATH" in
// a dry run, "removed PATH" otherwise; directories end in "/"), or, with
// nul, the raw paths each followed by a NUL byte (for xargs -0).
func writeCleanList(w io.Writer, res *clean.Result, nul bool) error {
	var b strings.Builder
	verb := "removed "
	if res.DryRun {
		verb = "would remove "
	}
	for _, e := range res.Removed {
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
	return writeString(w, b.String())
}

// writeCleanSummary writes the one-line summary: files, directories,
// bytes, kept tracked files, errors.
func writeCleanSummary(w io.Writer, p Painter, res *clean.Result) error {
	verb := "removed"
	if res.DryRun {
		verb = "would remove"
	}
	line := fmt.Sprintf("%s %s (%s) and %s; kept %s; %s\n", verb,
		cleanPlural(res.Files, "file"), Bytes(res.Bytes), cleanPlural(res.Dirs, "directory"),
		cleanPlural(len(res.KeptTracked), "tracked file"), cleanPlural(len(res.Errors), "error"))
	if len(res.Errors) > 0 {
		line = p.Red(strings.TrimSuffix(line, "\n")) + "\n"
	}
	return writeString(w, line)
}

// maxKeptShown bounds the tracked files named in the note on stderr.
const maxKeptShown = 10

// writeCleanDiagnostics writes, for a person on stderr, every error and a
// note about kept tracked files with the command that deals with them.
func writeCleanDiagnostics(w io.Writer, p Painter, res *clean.Result) error {
	var b strings.Builder
	for _, e := range res.Errors {
		fmt.Fprintf(&b, "%s %s: %s\n", p.Red("pycguard: clean:"), gitops.QuotePath(e.Path), e.Err.Error())
	}
	if n := len(res.KeptTracked); n > 0 {
		fmt.Fprintf(&b, "%s kept %s that git tracks:\n", p.Yellow("pycguard: note:"), cleanPlural(n, "bytecode file"))
		for i, e := range res.KeptTracked {
			if i == maxKeptShown {
				fmt.Fprintf(&b, "  ... and %d more\n", n-maxKeptShown)
				break
			}
			fmt.Fprintf(&b, "  %s\n", gitops.QuotePath(e.Path))
		}
		b.WriteString("Untrack them and complete .gitignore with: pycguard fix\n" +
			"(or delete them from disk as well with: pycguard clean --tracked)\n")
	}
	return writeString(w, b.String())
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
