package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/gitops"
)

// ScanFinding is one bytecode path a commit introduces or modifies, as the
// CI scan and the pre-receive hook report it. Every field a SARIF result
// needs is here: the commit (a version-control location), the path (an
// artifact location), the action and the kind (the rule).
type ScanFinding struct {
	Commit string   // full object id
	Refs   []string // pushed refs bringing the commit (pre-receive only)
	Path   string   // git path in the commit
	Action string   // added, modified, typechange, renamed
	From   string   // for renamed: the path before
	Kind   string   // pyc, pyo, $py.class, __pycache__
	Merge  bool     // found in a merge: the path differs from every parent
}

// Scan is the result of `pycguard scan` or `pycguard pre-receive`.
type Scan struct {
	Command    string // "scan" or "pre-receive"
	Range      string // what was scanned, as given (A..B, --all, the ref updates)
	Commits    int    // commits judged
	BadCommits int    // commits with findings
	Oldest     string // the oldest bad commit in walk order: where a rewrite starts
	Findings   []ScanFinding
	// Updates is the number of refs a push updates (pre-receive).
	Updates int
	// Omitted counts findings not kept in Findings (a text report caps what
	// it holds; the counts above stay exact).
	Omitted int
}

// Blocked reports whether any commit introduces or modifies bytecode.
func (s *Scan) Blocked() bool { return len(s.Findings)+s.Omitted > 0 }

type scanJSON struct {
	Version    int               `json:"version"`
	Command    string            `json:"command"`
	Range      string            `json:"range"`
	Blocked    bool              `json:"blocked"`
	Commits    int               `json:"commits_scanned"`
	BadCommits int               `json:"bad_commits"`
	Findings   []scanFindingJSON `json:"findings"`
}

type scanFindingJSON struct {
	Commit string `json:"commit"`
	PathJSON
	Action string   `json:"action"`
	From   *string  `json:"from,omitempty"`
	Kind   string   `json:"kind"`
	Merge  bool     `json:"merge,omitempty"`
	Refs   []string `json:"refs,omitempty"`
}

// WriteJSON writes s as a versioned JSON document (docs/json.md).
func (s *Scan) WriteJSON(w io.Writer) error {
	doc := scanJSON{Version: JSONVersion, Command: s.Command, Range: s.Range, Blocked: s.Blocked(),
		Commits: s.Commits, BadCommits: s.BadCommits, Findings: []scanFindingJSON{}}
	for _, f := range s.Findings {
		j := scanFindingJSON{Commit: f.Commit, PathJSON: NewPathJSON(f.Path), Action: f.Action,
			Kind: f.Kind, Merge: f.Merge, Refs: f.Refs}
		if f.From != "" {
			from := f.From
			j.From = &from
		}
		doc.Findings = append(doc.Findings, j)
	}
	return WriteJSON(w, doc)
}

// WriteScanFindingText writes one finding as one line, for a text report
// that is printed while the scan runs:
//
//	<commit>  <action>    <path> [(from <path>)] [(merge)]
func WriteScanFindingText(w io.Writer, p Painter, f ScanFinding) error {
	_, err := io.WriteString(w, "  "+findingLine(p, f)+"\n")
	return err
}

func findingLine(p Painter, f ScanFinding) string {
	var b strings.Builder
	b.WriteString(p.Bold(f.Commit))
	b.WriteString("  ")
	b.WriteString(p.Yellow(fmt.Sprintf("%-10s", f.Action)))
	b.WriteString(" ")
	b.WriteString(gitops.QuotePath(f.Path))
	if f.From != "" {
		b.WriteString(" (from " + gitops.QuotePath(f.From) + ")")
	}
	if f.Merge {
		b.WriteString(" (merge: differs from every parent)")
	}
	return b.String()
}

// WriteScanHeader writes the line that precedes the findings of a text
// scan report, or nothing: it is written when the first finding arrives.
func WriteScanHeader(w io.Writer, p Painter, rng string) error {
	_, err := fmt.Fprintf(w, "%s Python bytecode added or changed by commits in %s:\n", p.Red("pycguard:"), rng)
	return err
}

// WriteSummaryText writes the closing lines of a text scan report: counts,
// and when something was found how to fix the history.
func (s *Scan) WriteSummaryText(w io.Writer, p Painter) error {
	var b strings.Builder
	if !s.Blocked() {
		fmt.Fprintf(&b, "pycguard: %s in %s: no bytecode added or changed\n", plural(s.Commits, "commit"), s.Range)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%s %s in %s of %s scanned (%s)\n", p.Red("pycguard:"),
		plural(len(s.Findings)+s.Omitted, "bytecode path"), plural(s.BadCommits, "commit"),
		plural(s.Commits, "commit"), s.Range)
	s.writeFix(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// maxRejectionLines caps the findings a rejection message lists: git
// relays every line to the pusher's terminal.
const maxRejectionLines = 50

// WriteRejection writes the message a pusher reads when pre-receive
// rejects a push (git prefixes each line with "remote:"): which refs,
// commits and paths, and how to fix the history locally.
func (s *Scan) WriteRejection(w io.Writer, p Painter) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s push rejected: Python bytecode added or changed in %s\n",
		p.Red("pycguard:"), plural(s.BadCommits, "commit"))
	byRef := map[string]bool{}
	var refs []string
	for _, f := range s.Findings {
		for _, r := range f.Refs {
			if !byRef[r] {
				byRef[r] = true
				refs = append(refs, gitops.QuotePath(r))
			}
		}
	}
	if len(refs) > 0 {
		fmt.Fprintf(&b, "rejected: %s\n", strings.Join(refs, ", "))
	}
	for i, f := range s.Findings {
		if i == maxRejectionLines {
			fmt.Fprintf(&b, "  ... and %d more\n", len(s.Findings)-i+s.Omitted)
			break
		}
		b.WriteString("  " + findingLine(p, f) + "\n")
	}
	if s.Omitted > 0 && len(s.Findings) <= maxRejectionLines {
		fmt.Fprintf(&b, "  ... and %d more\n", s.Omitted)
	}
	s.writeFix(&b)
	if s.Updates > 1 {
		b.WriteString("Several refs were pushed at once: git rejects the whole push when any ref is rejected.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFix explains how to take the bytecode out of the commits.
func (s *Scan) writeFix(b *strings.Builder) {
	b.WriteString("Fix the history in your clone, then push again:\n")
	if s.Oldest != "" {
		fmt.Fprintf(b, "  git rebase -i %s~1   # mark the listed commits 'edit'\n", s.Oldest)
		b.WriteString("                         # (a root commit: git rebase -i --root)\n")
	}
	b.WriteString("  git rm --cached -- <paths>   # at each stop: untrack, the files stay on disk\n" +
		"  git commit --amend --no-edit && git rebase --continue\n" +
		"Keep bytecode out from now on: pycguard fix (completes .gitignore), pycguard install (pre-commit hook)\n")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
