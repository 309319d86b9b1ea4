package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
)

// gitignoreName is the .gitignore fix appends to, as reports name it
// (relative to the work tree top).
const gitignoreName = ".gitignore"

// fixView is a plan as it is reported: what a dry run would do, or what
// was done.
type fixView struct {
	*fix.Plan
	dryRun               bool
	deleted, deletedDirs []string
}

func newFixView(plan *fix.Plan, dryRun bool) fixView {
	v := fixView{Plan: plan, dryRun: dryRun, deleted: plan.Deleted, deletedDirs: plan.DeletedDirs}
	if dryRun {
		v.deleted, v.deletedDirs = plan.Delete, plan.DeleteDirs
	}
	return v
}

// changed reports whether something was (or would be) changed.
func (f fixView) changed() bool {
	return len(f.AppendLines) > 0 || len(f.Untrack) > 0 || len(f.deleted) > 0 || len(f.deletedDirs) > 0
}

func (f fixView) untracked() []string {
	var ps []string
	for _, e := range f.Untrack {
		ps = append(ps, e.Path)
	}
	return ps
}

// Fix writes plan for a person.
func (r *TextReporter) Fix(plan *fix.Plan, dryRun bool) error {
	f := newFixView(plan, dryRun)
	p := r.outPainter()
	var b strings.Builder
	would := func(done, planned string) string {
		if f.dryRun {
			return planned
		}
		return done
	}
	for _, l := range f.AppendLines {
		fmt.Fprintf(&b, "%s %s: %s\n", would("appended to", "would append to"), gitops.QuotePath(gitignoreName), gitops.QuotePath(l))
	}
	for _, rule := range f.Repeated {
		fmt.Fprintf(&b, "%s %s after the new lines, so that it still decides\n", would("repeated", "would repeat"), gitops.QuotePath(rule))
	}
	for _, rule := range f.Overridden {
		fmt.Fprintf(&b, "%s the new lines override %s inside a directory they ignore\n", p.Yellow("note:"), gitops.QuotePath(rule))
	}
	for _, e := range f.Untrack {
		fmt.Fprintf(&b, "%s %s\n", would("untracked", "would untrack"), gitops.QuotePath(e.Path))
	}
	for _, path := range f.deleted {
		fmt.Fprintf(&b, "%s %s\n", would("deleted", "would delete"), gitops.QuotePath(path))
	}
	for _, path := range f.deletedDirs {
		fmt.Fprintf(&b, "%s %s/\n", would("removed empty directory", "would remove empty directory"), gitops.QuotePath(path))
	}
	for _, path := range f.Allowed {
		fmt.Fprintf(&b, "kept %s (allowed)\n", gitops.QuotePath(path))
	}
	for _, k := range f.Kept {
		fmt.Fprintf(&b, "kept %s (un-ignored on purpose by %s; check lets it pass; --untrack-kept untracks it)\n", gitops.QuotePath(k.Path), gitops.QuotePath(k.Rule))
	}
	for _, path := range f.Unmerged {
		word, _ := r.Shell.Quote(path)
		fmt.Fprintf(&b, "%s %s is unmerged: resolve the conflict (git rm --cached -- %s), then run pycguard fix again\n",
			p.Yellow("left"), gitops.QuotePath(path), word)
	}
	switch {
	case !f.changed():
		b.WriteString("pycguard fix: nothing to fix: git ignores every kind of bytecode and no tracked bytecode needs untracking\n")
	case f.dryRun:
		fmt.Fprintf(&b, "pycguard fix --dry-run: would append %d line(s) to %s and untrack %d bytecode file(s) (%s)",
			len(f.AppendLines), gitignoreName, len(f.Untrack), Bytes(f.UntrackBytes))
		if len(f.deleted)+len(f.deletedDirs) > 0 {
			fmt.Fprintf(&b, ", delete %d file(s) and %d empty director(ies) from disk", len(f.deleted), len(f.deletedDirs))
		}
		b.WriteString("; nothing was changed\n")
	default:
		fmt.Fprintf(&b, "%s appended %d line(s) to %s, untracked %d bytecode file(s) (%s)",
			p.Green("pycguard fix:"), len(f.AppendLines), gitignoreName, len(f.Untrack), Bytes(f.UntrackBytes))
		if len(f.deleted)+len(f.deletedDirs) > 0 {
			fmt.Fprintf(&b, ", deleted %d file(s) and %d empty director(ies) from disk", len(f.deleted), len(f.deletedDirs))
		} else if len(f.Untrack) > 0 {
			b.WriteString("; the files stay on disk")
		}
		b.WriteString("\nNext: commit the change:\n")
		if len(f.AppendLines) > 0 {
			word, _ := r.Shell.Quote(gitignoreName)
			fmt.Fprintf(&b, "  git add -- %s\n", word)
		}
		b.WriteString("  git commit -m \"Stop tracking Python bytecode\"\n")
	}
	// In path order, as the JSON document has them: a map's order would
	// change from run to run.
	for _, path := range slices.Sorted(maps.Keys(f.DeleteErrors)) {
		fmt.Fprintf(&b, "could not delete %s: %s\n", gitops.QuotePath(path), f.DeleteErrors[path])
	}
	return writing(writeString(r.Stdout, b.String()))
}

type fixJSON struct {
	Version      int               `json:"version"`
	Command      string            `json:"command"`
	DryRun       bool              `json:"dry_run"`
	Changed      bool              `json:"changed"`
	Gitignore    string            `json:"gitignore"`
	Appended     []string          `json:"appended"`
	Repeated     []string          `json:"repeated"`
	Overridden   []string          `json:"overridden,omitempty"`
	Untracked    []PathJSON        `json:"untracked"`
	Bytes        int64             `json:"bytes"`
	Deleted      []PathJSON        `json:"deleted"`
	DeletedDirs  []PathJSON        `json:"deleted_dirs"`
	DeleteErrors map[string]string `json:"delete_errors,omitempty"`
	Allowed      []PathJSON        `json:"allowed"`
	Kept         []keptJSON        `json:"kept"`
	Unmerged     []PathJSON        `json:"unmerged"`
}

type keptJSON struct {
	PathJSON
	Rule string `json:"rule"`
}

func pathsJSON(ps []string) []PathJSON {
	out := make([]PathJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, NewPathJSON(p))
	}
	return out
}

// Fix writes plan as a JSON document.
func (r *JSONReporter) Fix(plan *fix.Plan, dryRun bool) error {
	f := newFixView(plan, dryRun)
	kept := []keptJSON{}
	for _, k := range f.Kept {
		kept = append(kept, keptJSON{NewPathJSON(k.Path), k.Rule})
	}
	return writing(WriteJSON(r.Stdout, fixJSON{
		Version: JSONVersion, Command: "fix", DryRun: f.dryRun, Changed: f.changed(),
		Gitignore: gitignoreName, Appended: orEmpty(f.AppendLines), Repeated: orEmpty(f.Repeated), Overridden: f.Overridden,
		Untracked: pathsJSON(f.untracked()), Bytes: f.UntrackBytes,
		Deleted: pathsJSON(f.deleted), DeletedDirs: pathsJSON(f.deletedDirs), DeleteErrors: f.DeleteErrors,
		Allowed: pathsJSON(f.Allowed), Kept: kept, Unmerged: pathsJSON(f.Unmerged),
	}))
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Bytes formats a byte count for people (1023 B, 1.5 KiB, 3.2 MiB).
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
