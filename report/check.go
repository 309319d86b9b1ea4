package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/gitops"
)

// CheckFinding is one blocking path of a check.
type CheckFinding struct {
	Path   string // git path, relative to the work tree top
	Status string // added, modified, typechange, unmerged, tracked, named
	Kind   string // pyc, pyo, $py.class, __pycache__
}

// Check is the result of `pycguard check` as it is reported.
type Check struct {
	Mode     string // staged, paths, all
	Findings []CheckFinding
	ViaGit   string // why git plumbing read the index ("" if not)
	Shell    Shell  // the shell the printed commands are written for
}

// checkJSON is the versioned JSON document of `pycguard check`.
type checkJSON struct {
	Version  int                `json:"version"`
	Command  string             `json:"command"`
	Mode     string             `json:"mode"`
	Blocked  bool               `json:"blocked"`
	Findings []checkFindingJSON `json:"findings"`
	Fix      []string           `json:"fix,omitempty"`
}

type checkFindingJSON struct {
	PathJSON
	Status string `json:"status"`
	Kind   string `json:"kind"`
}

// WriteJSON writes c as a JSON document.
func (c *Check) WriteJSON(w io.Writer) error {
	doc := checkJSON{Version: JSONVersion, Command: "check", Mode: c.Mode, Blocked: len(c.Findings) > 0,
		Findings: []checkFindingJSON{}}
	for _, f := range c.Findings {
		doc.Findings = append(doc.Findings, checkFindingJSON{PathJSON: NewPathJSON(f.Path), Status: f.Status, Kind: f.Kind})
	}
	if len(c.Findings) > 0 {
		doc.Fix = append([]string{"git", "rm", "--cached", "--"}, c.untrackPaths()...)
	}
	return WriteJSON(w, doc)
}

func (c *Check) untrackPaths() []string {
	var ps []string
	for _, f := range c.Findings {
		if f.Status != "unmerged" {
			ps = append(ps, f.Path)
		}
	}
	return ps
}

// WriteText writes c for a person. Nothing is written when nothing blocks.
// The paths in the fix command are relative to the work tree top, where git
// runs hooks.
func (c *Check) WriteText(w io.Writer, p Painter) error {
	if len(c.Findings) == 0 {
		return nil
	}
	var b strings.Builder
	n := len(c.Findings)
	files := "files"
	if n == 1 {
		files = "file"
	}
	switch c.Mode {
	case "all":
		fmt.Fprintf(&b, "%s %d bytecode %s tracked in the index:\n", p.Red("pycguard:"), n, files)
	case "paths":
		// The pre-commit framework passes the staged files for a commit
		// and every tracked file for `pre-commit run --all-files`.
		fmt.Fprintf(&b, "%s %d of the given files %s bytecode:\n", p.Red("pycguard: blocked:"), n, map[bool]string{true: "is", false: "are"}[n == 1])
	default:
		fmt.Fprintf(&b, "%s this commit stages %d bytecode %s:\n", p.Red("pycguard: commit blocked:"), n, files)
	}
	unmerged := false
	for _, f := range c.Findings {
		unmerged = unmerged || f.Status == "unmerged"
		fmt.Fprintf(&b, "  %s %s\n", p.Yellow(fmt.Sprintf("%-10s", f.Status)), gitops.QuotePath(f.Path))
	}
	if ps := c.untrackPaths(); len(ps) > 0 {
		b.WriteString("Untrack them (the files stay on disk), from the top of the work tree:\n")
		if left := c.Shell.commandWords(&b, "  git rm --cached --", ps); left > 0 {
			fmt.Fprintf(&b, "  (%d of the names cannot be typed in %s: pycguard fix untracks them)\n", left, c.Shell)
		}
	}
	if unmerged {
		b.WriteString("Resolve unmerged bytecode by removing it: git rm --cached -- <path>\n")
	}
	b.WriteString("or untrack all tracked bytecode and complete .gitignore:\n  pycguard fix\n")
	b.WriteString(c.Shell.bytecodeAdvice())
	_, err := io.WriteString(w, b.String())
	return err
}
