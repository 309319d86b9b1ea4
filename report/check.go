package report

import (
	"fmt"
	"strings"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
)

// kindName names a finding's kind in reports; "extra" for a path blocked
// only by the configuration's extra patterns.
func kindName(k bytecode.Kind) string {
	if k == bytecode.None {
		return "extra"
	}
	return k.String()
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

// Check writes run (checkRun), res as a JSON document.
func (r *JSONReporter) Check(run *hook.CheckRun) error { return r.checkRun(run, r.check) }

func (r *JSONReporter) check(res *hook.Result) error {
	doc := checkJSON{Version: JSONVersion, Command: "check", Mode: string(res.Mode), Blocked: res.Blocked(),
		Findings: []checkFindingJSON{}}
	for _, f := range res.Findings {
		doc.Findings = append(doc.Findings, checkFindingJSON{PathJSON: NewPathJSON(f.Path), Status: f.Status, Kind: kindName(f.Kind)})
	}
	if res.Blocked() {
		doc.Fix = append([]string{"git", "rm", "--cached", "--"}, untrackPaths(res)...)
	}
	return writing(WriteJSON(r.Stdout, doc))
}

// untrackPaths are the findings `git rm --cached` untracks: all but the
// unmerged ones, which need resolving first.
func untrackPaths(res *hook.Result) []string {
	var ps []string
	for _, f := range res.Findings {
		if f.Status != string(gitops.Unmerged) {
			ps = append(ps, f.Path)
		}
	}
	return ps
}

// Check writes run (checkRun), res for a person. Nothing is written on
// Stdout when nothing blocks. The paths in the fix command are relative to
// the work tree top, where git runs hooks.
func (r *TextReporter) Check(run *hook.CheckRun) error { return r.checkRun(run, r.check) }

func (r *TextReporter) check(res *hook.Result) error {
	if !res.Blocked() {
		return nil
	}
	p := r.outPainter()
	var b strings.Builder
	n := len(res.Findings)
	files := "files"
	if n == 1 {
		files = "file"
	}
	switch res.Mode {
	case hook.All:
		fmt.Fprintf(&b, "%s %d bytecode %s tracked in the index:\n", p.Red("pycguard:"), n, files)
	case hook.Paths:
		// The pre-commit framework passes the staged files for a commit
		// and every tracked file for `pre-commit run --all-files`.
		fmt.Fprintf(&b, "%s %d of the given files %s bytecode:\n", p.Red("pycguard: blocked:"), n, map[bool]string{true: "is", false: "are"}[n == 1])
	default:
		fmt.Fprintf(&b, "%s this commit stages %d bytecode %s:\n", p.Red("pycguard: commit blocked:"), n, files)
	}
	unmerged := false
	for _, f := range res.Findings {
		unmerged = unmerged || f.Status == string(gitops.Unmerged)
		fmt.Fprintf(&b, "  %s %s\n", p.Yellow(fmt.Sprintf("%-10s", f.Status)), gitops.QuotePath(f.Path))
	}
	if ps := untrackPaths(res); len(ps) > 0 {
		b.WriteString("Untrack them (the files stay on disk), from the top of the work tree:\n")
		if left := r.Shell.commandWords(&b, "  git rm --cached --", ps); left > 0 {
			fmt.Fprintf(&b, "  (%d of the names cannot be typed in %s: pycguard fix untracks them)\n", left, r.Shell)
		}
	}
	if unmerged {
		b.WriteString("Resolve unmerged bytecode by removing it: git rm --cached -- <path>\n")
	}
	b.WriteString("or untrack all tracked bytecode and complete .gitignore:\n  pycguard fix\n")
	b.WriteString(r.Shell.bytecodeAdvice())
	return writing(writeString(r.Stdout, b.String()))
}

// Check writes run (checkRun), res as a SARIF log: one result per finding.
func (r *SARIFReporter) Check(run *hook.CheckRun) error { return r.checkRun(run, r.check) }

func (r *SARIFReporter) check(res *hook.Result) error {
	s := &SARIF{ToolVersion: r.Version, Rules: []SARIFRule{RuleBytecodeCommitted}}
	for _, f := range res.Findings {
		kind := kindName(f.Kind)
		msg := fmt.Sprintf("Python bytecode (%s) is tracked in git: %s. Untrack it with `pycguard fix` or `git rm --cached -- %s`.",
			kind, gitops.QuotePath(f.Path), gitops.ShellQuote(f.Path))
		if res.Mode != hook.All {
			msg = fmt.Sprintf("This commit stages Python bytecode (%s, %s): %s. Untrack it with `git rm --cached -- %s`.",
				kind, f.Status, gitops.QuotePath(f.Path), gitops.ShellQuote(f.Path))
		}
		s.Results = append(s.Results, SARIFResult{Rule: RuleBytecodeCommitted, Path: f.Path, Message: msg,
			Properties: map[string]any{"status": f.Status, "kind": kind}})
	}
	return writing(s.WriteSARIF(r.Stdout))
}

// checkRun writes a run of hook.RunCheck in the order the check finds it:
// the configuration's warning on Stderr, the verdict (write, on Stdout)
// when there is one, then the .gitignore coverage warning on Stderr.
// Only writing the verdict can fail: the warnings are best effort.
func (s *streams) checkRun(run *hook.CheckRun, write func(*hook.Result) error) error {
	if run.Shadowed != nil {
		s.ConfigWarning(*run.Shadowed)
	}
	if run.Result == nil {
		return nil
	}
	if err := write(run.Result); err != nil {
		return err
	}
	if run.CoverageErr != nil {
		fmt.Fprintf(s.Stderr, "pycguard: warning: could not check .gitignore coverage: %v\n", run.CoverageErr)
		return nil
	}
	WriteCoverageWarning(s.Stderr, run.Missing)
	return nil
}

// ConfigWarning writes on Stderr that the configuration w.Used is read and
// the [tool.pycguard] table in w.Ignored is not.
func (s *streams) ConfigWarning(w config.ShadowedConfig) {
	fmt.Fprintf(s.Stderr, "pycguard: warning: using %s; the [tool.pycguard] table in %s is ignored (remove one of them)\n", w.Used, w.Ignored)
}
