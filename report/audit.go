package report

import (
	"fmt"
	"strings"

	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
)

// auditDir counts tracked bytecode in one directory.
type auditDir struct {
	Dir   string `json:"dir"`
	Files int    `json:"files"`
	Bytes int64  `json:"bytes"`
}

// auditHooks says where a pycguard hook is configured.
type auditHooks struct {
	HooksDir  string `json:"hooks_dir"`
	Native    bool   `json:"native"`
	PreCommit bool   `json:"pre_commit"`
	Lefthook  bool   `json:"lefthook"`
}

// auditCommit is a commit that added bytecode.
type auditCommit struct {
	Commit  string `json:"commit"`
	Subject string `json:"subject"`
	Paths   int    `json:"paths"`
}

// purgeCommand is the git filter-repo command that removes bytecode from
// all history (printed, never run: it rewrites every commit), in sh's
// words. The JSON document carries it for POSIX sh.
func purgeCommand(sh Shell) string {
	var b strings.Builder
	b.WriteString("git filter-repo --invert-paths")
	for _, g := range fix.PurgeGlobs {
		word, _ := sh.Quote(g)
		b.WriteString(" --path-glob ")
		b.WriteString(word)
	}
	return b.String()
}

// Audit writes a for a person.
func (r *TextReporter) Audit(a *fix.Audit) error {
	p := r.outPainter()
	var b strings.Builder
	b.WriteString(p.Bold(".gitignore coverage of Python bytecode") + "\n")
	for _, c := range NewKindCoverage(a.Coverage) {
		v := fmt.Sprintf("%-8s", c.Verdict)
		if c.Verdict == "missing" {
			v = p.Yellow(v)
		} else {
			v = p.Green(v)
		}
		fmt.Fprintf(&b, "  %s %-12s %s\n", v, c.Kind, c.Detail())
	}
	for _, n := range TemplateNotes(NewLineCoverage(a.Coverage.Template())) {
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
	h := a.History
	fmt.Fprintf(&b, "%s\n  %d bytecode blob(s), %s%s, %d path(s) added by %d commit(s)\n", p.Bold("History"),
		h.Blobs, Bytes(h.Bytes), unknownSizes(h.Unknown), h.Paths, h.CommitsTotal)
	if h.Incomplete != "" {
		fmt.Fprintf(&b, "  %s the history could not be read to the end: %s\n", p.Yellow("incomplete:"), h.Incomplete)
	}
	for _, id := range h.Missing {
		fmt.Fprintf(&b, "  missing from the repository: blob %s\n", id)
	}
	for _, c := range h.Commits {
		fmt.Fprintf(&b, "  %6d  %.12s %s\n", c.Paths, c.Commit, gitops.QuotePath(c.Subject))
	}
	if h.Blobs > 0 {
		fmt.Fprintf(&b, "  to purge them from history (rewrites every commit; coordinate with everyone who has a clone):\n    %s\n", purgeCommand(r.Shell))
	}
	if !a.Complete() {
		b.WriteString(p.Yellow("Incomplete:") + " objects are missing from the repository; the numbers above cover what could be read\n")
	}
	if a.NeedsFix() {
		b.WriteString(p.Yellow("Needs fixing:") + " run pycguard fix, then commit\n")
	} else {
		b.WriteString(p.Green("Nothing to fix.") + "\n")
	}
	return writing(writeString(r.Stdout, b.String()))
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
		TopDirs      []auditDir      `json:"top_dirs"`
	} `json:"tracked"`
	Hooks   auditHooks `json:"hooks"`
	History struct {
		Complete     bool          `json:"complete"`
		Incomplete   string        `json:"incomplete_reason,omitempty"`
		Blobs        int           `json:"blobs"`
		Bytes        int64         `json:"bytes"`
		UnknownSizes int           `json:"unknown_sizes"`
		Missing      []string      `json:"missing"`
		CommitsTotal int           `json:"commits"`
		Paths        int           `json:"paths"`
		TopCommits   []auditCommit `json:"top_commits"`
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

type auditFileJSON struct {
	PathJSON
	Size     int64  `json:"size"`
	Unmerged bool   `json:"unmerged,omitempty"`
	KeptBy   string `json:"kept_by,omitempty"`
}

// Audit writes a as a JSON document.
func (r *JSONReporter) Audit(a *fix.Audit) error {
	h := a.History
	doc := auditJSON{Version: JSONVersion, Command: "audit", NeedsFix: a.NeedsFix(), Complete: a.Complete(),
		Kinds: NewKindCoverage(a.Coverage), Coverage: NewLineCoverage(a.Coverage.Template()), Hooks: auditHooks(a.Hooks)}
	if doc.Kinds == nil {
		doc.Kinds = []KindCoverage{}
	}
	if doc.Coverage == nil {
		doc.Coverage = []LineCoverage{}
	}
	doc.Tracked.Files, doc.Tracked.Bytes, doc.Tracked.TopDirs = len(a.Tracked), a.Bytes, []auditDir{}
	for _, d := range a.TopDirs {
		doc.Tracked.TopDirs = append(doc.Tracked.TopDirs, auditDir(d))
	}
	doc.Tracked.UnknownSizes, doc.Tracked.Missing = a.TrackedUnknown, orEmpty(a.TrackedMissing)
	doc.Tracked.Allowed = pathsJSON(a.Allowed)
	doc.History.Complete = h.Complete()
	doc.History.Incomplete = h.Incomplete
	doc.History.UnknownSizes, doc.History.Missing, doc.History.Paths = h.Unknown, orEmpty(h.Missing), h.Paths
	doc.Tracked.Paths = []auditFileJSON{}
	for _, f := range a.Tracked {
		doc.Tracked.Paths = append(doc.Tracked.Paths, auditFileJSON{NewPathJSON(f.Path), f.Size, f.Unmerged, f.KeptBy})
	}
	doc.History.Blobs, doc.History.Bytes, doc.History.CommitsTotal = h.Blobs, h.Bytes, h.CommitsTotal
	doc.History.TopCommits = []auditCommit{}
	for _, c := range h.Commits {
		doc.History.TopCommits = append(doc.History.TopCommits, auditCommit(c))
	}
	if h.Blobs > 0 {
		doc.History.Purge = purgeCommand(POSIX)
	}
	return writing(WriteJSON(r.Stdout, doc))
}
