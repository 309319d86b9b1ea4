package report

import (
	"fmt"
	"strings"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
)

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

// ScanFinding keeps f for the document ScanSummary writes.
func (r *JSONReporter) ScanFinding(_ string, f hook.ScanFinding) error {
	r.scanned = append(r.scanned, f)
	return nil
}

// ScanSummary writes the scan of rng as a versioned JSON document
// (docs/json.md).
func (r *JSONReporter) ScanSummary(rng string, sum *hook.ScanSummary) error {
	doc := scanJSON{Version: JSONVersion, Command: "scan", Range: rng, Blocked: len(r.scanned) > 0,
		Commits: sum.Commits, BadCommits: sum.BadCommits, Findings: []scanFindingJSON{}}
	for _, f := range r.scanned {
		j := scanFindingJSON{Commit: f.Commit, PathJSON: NewPathJSON(f.Path), Action: string(f.Action),
			Kind: kindName(f.Kind), Merge: f.Merge, Refs: f.Refs}
		if f.From != "" {
			from := f.From
			j.From = &from
		}
		doc.Findings = append(doc.Findings, j)
	}
	return writing(WriteJSON(r.Stdout, doc))
}

// ScanSummary writes the scan of rng as a SARIF log: one result per commit
// and path, the commit in its properties.
func (r *SARIFReporter) ScanSummary(_ string, _ *hook.ScanSummary) error {
	s := &SARIF{ToolVersion: r.Version, Rules: []SARIFRule{RuleBytecodeIntroduced}}
	for _, f := range r.scanned {
		kind := kindName(f.Kind)
		msg := fmt.Sprintf("Commit %s %s Python bytecode (%s): %s.", f.Commit, sarifVerb(f.Action), kind, gitops.QuotePath(f.Path))
		props := map[string]any{"commit": f.Commit, "action": string(f.Action), "kind": kind}
		if f.From != "" {
			props["from"] = f.From
		}
		if f.Merge {
			props["merge"] = true
		}
		s.Results = append(s.Results, SARIFResult{Rule: RuleBytecodeIntroduced, Path: f.Path, Commit: f.Commit, Message: msg, Properties: props})
	}
	return writing(s.WriteSARIF(r.Stdout))
}

func sarifVerb(action gitops.Status) string {
	switch action {
	case gitops.Added:
		return "adds"
	case gitops.Renamed:
		return "renames a file to"
	case gitops.TypeChanged:
		return "changes the type of"
	}
	return "modifies"
}

// ScanFinding writes f at once, as one line (the first finding after a
// header): a long history shows its findings as the scan goes and nothing
// accumulates.
//
//	<commit>  <action>    <path> [(from <path>)] [(merge)]
func (r *TextReporter) ScanFinding(rng string, f hook.ScanFinding) error {
	p := r.outPainter()
	line := "  " + findingLine(p, f) + "\n"
	if r.scanned == 0 {
		line = fmt.Sprintf("%s Python bytecode added or changed by commits in %s:\n", p.Red("pycguard:"), rng) + line
	}
	r.scanned++
	return writeString(r.Stdout, line)
}

// ScanSummary writes the closing lines of a text scan report: counts,
// and when something was found how to fix the history.
func (r *TextReporter) ScanSummary(rng string, sum *hook.ScanSummary) error {
	var b strings.Builder
	if r.scanned == 0 {
		fmt.Fprintf(&b, "pycguard: %s in %s: no bytecode added or changed\n", plural(sum.Commits, "commit"), rng)
		return writing(writeString(r.Stdout, b.String()))
	}
	fmt.Fprintf(&b, "%s %s in %s of %s scanned (%s)\n", r.outPainter().Red("pycguard:"),
		plural(r.scanned, "bytecode path"), plural(sum.BadCommits, "commit"),
		plural(sum.Commits, "commit"), rng)
	writeHistoryFix(&b, sum.Oldest)
	return writing(writeString(r.Stdout, b.String()))
}

func findingLine(p Painter, f hook.ScanFinding) string {
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

// maxKeptFindings bounds the findings pre-receive holds for its message
// (which lists fewer still, maxRejectionLines); counts stay exact beyond
// it.
const maxKeptFindings = 1000

// maxRejectionLines caps the findings a rejection message lists: git
// relays every line to the pusher's terminal.
const maxRejectionLines = 50

// pushedFindings are the findings of a push kept for the rejection.
type pushedFindings struct {
	kept    []hook.ScanFinding
	omitted int
}

// PreReceiveFinding keeps f (the first maxKeptFindings of a push; the rest
// are counted) for the rejection PreReceive writes.
func (r *TextReporter) PreReceiveFinding(f hook.ScanFinding) error {
	if len(r.pushed.kept) < maxKeptFindings {
		r.pushed.kept = append(r.pushed.kept, f)
	} else {
		r.pushed.omitted++
	}
	return nil
}

// PreReceive writes, on Stderr, the message a pusher reads when res
// rejects a push (git prefixes each line with "remote:"): which refs,
// commits and paths, and how to fix the history locally. Nothing when the
// push passes.
func (r *TextReporter) PreReceive(res *hook.PreReceiveResult) error {
	if !res.Blocked() {
		return nil
	}
	p := r.errPainter()
	kept, omitted := r.pushed.kept, r.pushed.omitted
	var b strings.Builder
	fmt.Fprintf(&b, "%s push rejected: Python bytecode added or changed in %s\n",
		p.Red("pycguard:"), plural(res.BadCommits, "commit"))
	byRef := map[string]bool{}
	var refs []string
	for _, f := range kept {
		for _, ref := range f.Refs {
			if !byRef[ref] {
				byRef[ref] = true
				refs = append(refs, gitops.QuotePath(ref))
			}
		}
	}
	if len(refs) > 0 {
		fmt.Fprintf(&b, "rejected: %s\n", strings.Join(refs, ", "))
	}
	for i, f := range kept {
		if i == maxRejectionLines {
			fmt.Fprintf(&b, "  ... and %d more\n", len(kept)-i+omitted)
			break
		}
		b.WriteString("  " + findingLine(p, f) + "\n")
	}
	if omitted > 0 && len(kept) <= maxRejectionLines {
		fmt.Fprintf(&b, "  ... and %d more\n", omitted)
	}
	writeHistoryFix(&b, res.Oldest)
	if res.Updates > 1 {
		b.WriteString("Several refs were pushed at once: git rejects the whole push when any ref is rejected.\n")
	}
	if err := writeString(r.Stderr, b.String()); err != nil {
		return fmt.Errorf("writing the rejection: %w", err)
	}
	return nil
}

// writeHistoryFix explains how to take the bytecode out of the commits,
// the oldest of them (in walk order) given.
func writeHistoryFix(b *strings.Builder, oldest string) {
	b.WriteString("Fix the history in your clone, then push again:\n")
	if oldest != "" {
		fmt.Fprintf(b, "  git rebase -i %s~1   # mark the listed commits 'edit'\n", oldest)
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
