package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/gitops"
)

// Fix is the result of `pycguard fix` as it is reported.
type Fix struct {
	DryRun       bool
	Gitignore    string   // the .gitignore path, relative to the work tree top
	Appended     []string // rules appended (or to append), in order
	Repeated     []string // rules of .gitignore repeated after the new lines (SOURCE:LINE:PATTERN)
	Overridden   []string // negations the new lines override somewhere (SOURCE:LINE:PATTERN)
	Untracked    []string // bytecode paths untracked (or to untrack)
	Bytes        int64    // their total size
	Deleted      []string // files removed (or to remove) from disk (--delete)
	DeletedDirs  []string // __pycache__ directories removed (or to remove), left empty
	DeleteErrors map[string]string
	Allowed      []string  // tracked bytecode kept by the allow-list
	Kept         []FixKept // tracked bytecode kept by a .gitignore negation
	Unmerged     []string  // unmerged bytecode left alone
	Shell        Shell     // the shell the printed commands are written for
}

// FixKept is tracked bytecode a .gitignore negation keeps on purpose.
type FixKept struct {
	Path string
	Rule string // SOURCE:LINE:PATTERN of the negation
}

// Changed reports whether something was (or would be) changed.
func (f *Fix) Changed() bool {
	return len(f.Appended) > 0 || len(f.Untracked) > 0 || len(f.Deleted) > 0 || len(f.DeletedDirs) > 0
}

// WriteText writes f for a person.
func (f *Fix) WriteText(w io.Writer, p Painter) error {
	var b strings.Builder
	would := func(done, planned string) string {
		if f.DryRun {
			return planned
		}
		return done
	}
	for _, l := range f.Appended {
		fmt.Fprintf(&b, "%s %s: %s\n", would("appended to", "would append to"), gitops.QuotePath(f.Gitignore), gitops.QuotePath(l))
	}
	for _, r := range f.Repeated {
		fmt.Fprintf(&b, "%s %s after the new lines, so that it still decides\n", would("repeated", "would repeat"), gitops.QuotePath(r))
	}
	for _, r := range f.Overridden {
		fmt.Fprintf(&b, "%s the new lines override %s inside a directory they ignore\n", p.Yellow("note:"), gitops.QuotePath(r))
	}
	for _, path := range f.Untracked {
		fmt.Fprintf(&b, "%s %s\n", would("untracked", "would untrack"), gitops.QuotePath(path))
	}
	for _, path := range f.Deleted {
		fmt.Fprintf(&b, "%s %s\n", would("deleted", "would delete"), gitops.QuotePath(path))
	}
	for _, path := range f.DeletedDirs {
		fmt.Fprintf(&b, "%s %s/\n", would("removed empty directory", "would remove empty directory"), gitops.QuotePath(path))
	}
	for _, path := range f.Allowed {
		fmt.Fprintf(&b, "kept %s (allowed)\n", gitops.QuotePath(path))
	}
	for _, k := range f.Kept {
		fmt.Fprintf(&b, "kept %s (un-ignored on purpose by %s; check lets it pass; --untrack-kept untracks it)\n", gitops.QuotePath(k.Path), gitops.QuotePath(k.Rule))
	}
	for _, path := range f.Unmerged {
		word, _ := f.Shell.Quote(path)
		fmt.Fprintf(&b, "%s %s is unmerged: resolve the conflict (git rm --cached -- %s), then run pycguard fix again\n",
			p.Yellow("left"), gitops.QuotePath(path), word)
	}
	switch {
	case !f.Changed():
		b.WriteString("pycguard fix: nothing to fix: git ignores every kind of bytecode and no tracked bytecode needs untracking\n")
	case f.DryRun:
		fmt.Fprintf(&b, "pycguard fix --dry-run: would append %d line(s) to %s and untrack %d bytecode file(s) (%s)",
			len(f.Appended), f.Gitignore, len(f.Untracked), Bytes(f.Bytes))
		if len(f.Deleted)+len(f.DeletedDirs) > 0 {
			fmt.Fprintf(&b, ", delete %d file(s) and %d empty director(ies) from disk", len(f.Deleted), len(f.DeletedDirs))
		}
		b.WriteString("; nothing was changed\n")
	default:
		fmt.Fprintf(&b, "%s appended %d line(s) to %s, untracked %d bytecode file(s) (%s)",
			p.Green("pycguard fix:"), len(f.Appended), f.Gitignore, len(f.Untracked), Bytes(f.Bytes))
		if len(f.Deleted)+len(f.DeletedDirs) > 0 {
			fmt.Fprintf(&b, ", deleted %d file(s) and %d empty director(ies) from disk", len(f.Deleted), len(f.DeletedDirs))
		} else if len(f.Untracked) > 0 {
			b.WriteString("; the files stay on disk")
		}
		b.WriteString("\nNext: commit the change:\n")
		if len(f.Appended) > 0 {
			word, _ := f.Shell.Quote(f.Gitignore)
			fmt.Fprintf(&b, "  git add -- %s\n", word)
		}
		b.WriteString("  git commit -m \"Stop tracking Python bytecode\"\n")
	}
	for path, msg := range f.DeleteErrors {
		fmt.Fprintf(&b, "could not delete %s: %s\n", gitops.QuotePath(path), msg)
	}
	_, err := io.WriteString(w, b.String())
	return err
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

// WriteJSON writes f as a JSON document.
func (f *Fix) WriteJSON(w io.Writer) error {
	kept := []keptJSON{}
	for _, k := range f.Kept {
		kept = append(kept, keptJSON{NewPathJSON(k.Path), k.Rule})
	}
	return WriteJSON(w, fixJSON{
		Version: JSONVersion, Command: "fix", DryRun: f.DryRun, Changed: f.Changed(),
		Gitignore: f.Gitignore, Appended: orEmpty(f.Appended), Repeated: orEmpty(f.Repeated), Overridden: f.Overridden,
		Untracked: pathsJSON(f.Untracked), Bytes: f.Bytes,
		Deleted: pathsJSON(f.Deleted), DeletedDirs: pathsJSON(f.DeletedDirs), DeleteErrors: f.DeleteErrors,
		Allowed: pathsJSON(f.Allowed), Kept: kept, Unmerged: pathsJSON(f.Unmerged),
	})
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
