package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pycguard/pycguard/gitops"
)

// Audit is the result of `pycguard audit` as it is reported.
type Audit struct {
	Kinds    []KindCoverage // how .gitignore covers each kind of bytecode
	Template []LineCoverage // the current template's bytecode lines: information

	Tracked        []AuditFile
	Allowed        []string // tracked bytecode the allow list keeps
	Bytes          int64
	TrackedUnknown int      // tracked blobs absent from a partial clone (size unknown)
	TrackedMissing []string // tracked blobs missing and not promised
	TopDirs        []AuditDir
	Hooks          AuditHooks
	Blobs          int   // bytecode blobs in history
	BlobBytes      int64 // their size (of those present)
	UnknownBlobs   int   // history blobs absent from a partial clone (size unknown)
	MissingBlobs   []string
	Commits        []AuditCommit
	CommitsTotal   int
	Paths          int    // (commit, path) additions of bytecode
	Incomplete     string // why the history walk stopped; "" when it did not
	PurgeGlobs     []string
	NeedsFix       bool
	Shell          Shell // the shell the printed commands are written for
}

// Complete reports whether the audit read everything it reports on.
func (a *Audit) Complete() bool {
	return a.Incomplete == "" && len(a.MissingBlobs) == 0 && len(a.TrackedMissing) == 0
}

// AuditFile is a tracked bytecode file.
type AuditFile struct {
	Path     string
	Size     int64
	Unmerged bool
	KeptBy   string // the .gitignore negation that keeps it on purpose
}

// AuditDir counts tracked bytecode in one directory.
type AuditDir struct {
	Dir   string `json:"dir"`
	Files int    `json:"files"`
	Bytes int64  `json:"bytes"`
}

// AuditHooks says where a pycguard hook is configured.
type AuditHooks struct {
	HooksDir  string `json:"hooks_dir"`
	Native    bool   `json:"native"`
	PreCommit bool   `json:"pre_commit"`
	Lefthook  bool   `json:"lefthook"`
}

// AuditCommit is a commit that added bytecode.
type AuditCommit struct {
	Commit  string `json:"commit"`
	Subject string `json:"subject"`
	Paths   int    `json:"paths"`
}

// PurgeCommand is the git filter-repo command that removes bytecode from
// all history (printed, never run: it rewrites every commit).
// The JSON document carries it for POSIX sh; the text is in a.Shell's words.
func (a *Audit) PurgeCommand() string { return a.purgeCommand(POSIX) }

func (a *Audit) purgeCommand(sh Shell) string {
	var b strings.Builder
	b.WriteString("git filter-repo --invert-paths")
	for _, g := range a.PurgeGlobs {
		word, _ := sh.Quote(g)
		b.WriteString(" --path-glob ")
		b.WriteString(word)
	}
	return b.String()
}

// WriteText writes a for a person.
func (a *Audit) WriteText(w io.Writer, p Painter) error {
	var b strings.Builder
	b.WriteString(p.Bold(".gitignore coverage of Python bytecode") + "\n")
	for _, c := range a.Kinds {
		v := fmt.Sprintf("%-8s", c.Verdict)
		if c.Verdict == "missing" {
			v = p.Yellow(v)
		} else {
			v = p.Green(v)
		}
		fmt.Fprintf(&b, "  %s %-12s %s\n", v, c.Kind, c.Detail())
	}
	for _, n := range TemplateNotes(a.Template) {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	fmt.Fprintf(&b, "%s\n  %d file(s), %s%s\n", p.Bold("Tracked bytecode"), len(a.Tracked), Bytes(a.Bytes), unknownSizes(a.TrackedUnknown))
	for _, id := range a.TrackedMissing {
		fmt.Fprintf(&b, "  missing from the repository: blob %s\n", id)
	}
	if len(a.Allowed) > 0 {
		fmt.Fprintf(&b, "  %d more kept by the configuration's allow list\n", len(a.Allowed))
	}
	for _, d := range a.TopDirs {
		dir := d.Dir
		if dir == "" {
			dir = "."
		}
		fmt.Fprintf(&b, "  %6d  %10s  %s\n", d.Files, Bytes(d.Bytes), gitops.QuotePath(dir))
	}
	for _, f := range a.Tracked {
		switch {
		case f.Unmerged:
			fmt.Fprintf(&b, "  unmerged: %s\n", gitops.QuotePath(f.Path))
		case f.KeptBy != "":
			fmt.Fprintf(&b, "  kept on purpose: %s (un-ignored by %s; fix leaves it tracked)\n", gitops.QuotePath(f.Path), gitops.QuotePath(f.KeptBy))
		}
	}
	b.WriteString(p.Bold("Hook") + "\n")
	var where []string
	if a.Hooks.Native {
		where = append(where, "native pre-commit hook in "+gitops.QuotePath(a.Hooks.HooksDir))
	}
	if a.Hooks.PreCommit {
		where = append(where, ".pre-commit-config.yaml")
	}
	if a.Hooks.Lefthook {
		where = append(where, "lefthook configuration")
	}
	if len(where) == 0 {
		b.WriteString("  no pycguard hook is configured (run: pycguard install)\n")
	} else {
		fmt.Fprintf(&b, "  configured: %s\n", strings.Join(where, "; "))
	}
	fmt.Fprintf(&b, "%s\n  %d bytecode blob(s), %s%s, %d path(s) added by %d commit(s)\n", p.Bold("History"),
		a.Blobs, Bytes(a.BlobBytes), unknownSizes(a.UnknownBlobs), a.Paths, a.CommitsTotal)
	if a.Incomplete != "" {
		fmt.Fprintf(&b, "  %s the history could not be read to the end: %s\n", p.Yellow("incomplete:"), a.Incomplete)
	}
	for _, id := range a.MissingBlobs {
		fmt.Fprintf(&b, "  missing from the repository: blob %s\n", id)
	}
	for _, c := range a.Commits {
		fmt.Fprintf(&b, "  %6d  %.12s %s\n", c.Paths, c.Commit, gitops.QuotePath(c.Subject))
	}
	if a.Blobs > 0 {
		fmt.Fprintf(&b, "  to purge them from history (rewrites every commit; coordinate with everyone who has a clone):\n    %s\n", a.purgeCommand(a.Shell))
	}
	if !a.Complete() {
		b.WriteString(p.Yellow("Incomplete:") + " objects are missing from the repository; the numbers above cover what could be read\n")
	}
	if a.NeedsFix {
		b.WriteString(p.Yellow("Needs fixing:") + " run pycguard fix, then commit\n")
	} else {
		b.WriteString(p.Green("Nothing to fix.") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type auditJSON struct {
	Version  int            `json:"version"`
	Command  string         `json:"command"`
	NeedsFix bool           `json:"needs_fix"`
	Complete bool           `json:"complete"`
	Kinds    []KindCoverage `json:"bytecode_coverage"`
	Coverage []LineCoverage `json:"coverage"`
	Tracked  struct {
		Files        int             `json:"files"`
		Bytes        int64           `json:"bytes"`
		UnknownSizes int             `json:"unknown_sizes"`
		Missing      []string        `json:"missing"`
		Allowed      []PathJSON      `json:"allowed"`
		Paths        []auditFileJSON `json:"paths"`
		TopDirs      []AuditDir      `json:"top_dirs"`
	} `json:"tracked"`
	Hooks   AuditHooks `json:"hooks"`
	History struct {
		Complete     bool          `json:"complete"`
		Incomplete   string        `json:"incomplete_reason,omitempty"`
		Blobs        int           `json:"blobs"`
		Bytes        int64         `json:"bytes"`
		UnknownSizes int           `json:"unknown_sizes"`
		Missing      []string      `json:"missing"`
		CommitsTotal int           `json:"commits"`
		Paths        int           `json:"paths"`
		TopCommits   []AuditCommit `json:"top_commits"`
		Purge        string        `json:"purge_command,omitempty"`
	} `json:"history"`
}

// unknownSizes is the text note on blobs whose size is not known.
func unknownSizes(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (and %d blob(s) of unknown size: not present in this partial clone)", n)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type auditFileJSON struct {
	PathJSON
	Size     int64  `json:"size"`
	Unmerged bool   `json:"unmerged,omitempty"`
	KeptBy   string `json:"kept_by,omitempty"`
}

// WriteJSON writes a as a JSON document.
func (a *Audit) WriteJSON(w io.Writer) error {
	doc := auditJSON{Version: JSONVersion, Command: "audit", NeedsFix: a.NeedsFix, Complete: a.Complete(), Kinds: a.Kinds, Coverage: a.Template, Hooks: a.Hooks}
	if doc.Kinds == nil {
		doc.Kinds = []KindCoverage{}
	}
	if doc.Coverage == nil {
		doc.Coverage = []LineCoverage{}
	}
	doc.Tracked.Files, doc.Tracked.Bytes, doc.Tracked.TopDirs = len(a.Tracked), a.Bytes, a.TopDirs
	doc.Tracked.UnknownSizes, doc.Tracked.Missing = a.TrackedUnknown, nonNil(a.TrackedMissing)
	doc.Tracked.Allowed = []PathJSON{}
	for _, p := range a.Allowed {
		doc.Tracked.Allowed = append(doc.Tracked.Allowed, NewPathJSON(p))
	}
	doc.History.Complete = a.Incomplete == "" && len(a.MissingBlobs) == 0
	doc.History.Incomplete = a.Incomplete
	doc.History.UnknownSizes, doc.History.Missing, doc.History.Paths = a.UnknownBlobs, nonNil(a.MissingBlobs), a.Paths
	doc.Tracked.Paths = []auditFileJSON{}
	for _, f := range a.Tracked {
		doc.Tracked.Paths = append(doc.Tracked.Paths, auditFileJSON{NewPathJSON(f.Path), f.Size, f.Unmerged, f.KeptBy})
	}
	if doc.Tracked.TopDirs == nil {
		doc.Tracked.TopDirs = []AuditDir{}
	}
	doc.History.Blobs, doc.History.Bytes, doc.History.CommitsTotal = a.Blobs, a.BlobBytes, a.CommitsTotal
	doc.History.TopCommits = a.Commits
	if doc.History.TopCommits == nil {
		doc.History.TopCommits = []AuditCommit{}
	}
	if a.Blobs > 0 {
		doc.History.Purge = a.PurgeCommand()
	}
	return WriteJSON(w, doc)
}
