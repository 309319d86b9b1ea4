package report

import (
	"fmt"
	"io"

	"github.com/pycguard/pycguard/clean"
	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/hook"
)

// Reporter renders the domain packages' results in one output format. Each
// method writes one command's result; an error is a failure to write it
// ("writing the report: ..."). A reporter belongs to one run: the scan
// methods keep what a report needs between the findings and the summary.
type Reporter interface {
	// Check writes hook.RunCheck's run: the verdict and its warnings.
	Check(run *hook.CheckRun) error
	// ConfigWarning writes the warning of a configuration that shadows
	// another, on Stderr.
	ConfigWarning(w config.ShadowedConfig)
	// ScanFinding takes one finding of hook.Scan over rng as the scan
	// makes it (text writes it at once); ScanSummary ends the report.
	ScanFinding(rng string, f hook.ScanFinding) error
	ScanSummary(rng string, sum *hook.ScanSummary) error
	// Audit writes fix.RunAudit's report.
	Audit(a *fix.Audit) error
	// Fix writes a plan of fix: what a dry run would do, or what was done.
	Fix(plan *fix.Plan, dryRun bool) error
	// Clean writes what clean.Run removed below roots (as given; none
	// means ".").
	Clean(res *clean.Result, roots []string) error
}

var (
	_ Reporter = (*TextReporter)(nil)
	_ Reporter = (*JSONReporter)(nil)
	_ Reporter = (*SARIFReporter)(nil)
)

// Options say where a reporter writes and in whose words.
type Options struct {
	// Stdout receives the results; Stderr diagnostics (and pre-receive's
	// rejection, which git relays to the pusher).
	Stdout, Stderr io.Writer
	// Color is the --color mode (auto, always, never); Getenv reads the
	// variables colour depends on (NO_COLOR, CLICOLOR_FORCE, TERM).
	Color  string
	Getenv func(string) string
	// Shell is the shell the printed commands are written for.
	Shell Shell
	// Version is pycguard's version, named as the tool of a SARIF log.
	Version string
	// SARIF says the command's results have a SARIF rendering (check,
	// scan); New refuses the format otherwise.
	SARIF bool
	// NUL makes clean list paths raw, each followed by a NUL byte (for
	// xargs -0), and write its summary on Stderr.
	NUL bool
}

// FormatError is a --format the command has no rendering for.
type FormatError struct {
	Format string
	SARIF  bool // the command also writes SARIF
}

func (e *FormatError) Error() string {
	if e.SARIF {
		return fmt.Sprintf("--format must be text, json or sarif, not %q", e.Format)
	}
	return fmt.Sprintf("--format must be text or json, not %q", e.Format)
}

// New returns the reporter of format: "text" (for people: git's quoting,
// colour only on a terminal), "json" (a versioned document, docs/json.md)
// or, when o.SARIF, "sarif" (SARIF 2.1.0). Any other format is a
// *FormatError.
func New(format string, o Options) (Reporter, error) {
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	s := streams{Options: o}
	switch {
	case format == "text":
		return &TextReporter{streams: s}, nil
	case format == "json":
		return &JSONReporter{streams: s}, nil
	case format == "sarif" && o.SARIF:
		return &SARIFReporter{JSONReporter{streams: s}}, nil
	}
	return nil, &FormatError{Format: format, SARIF: o.SARIF}
}

// NewText returns the text reporter (pre-receive's rejection has no other
// format).
func NewText(o Options) *TextReporter {
	r, _ := New("text", o)
	return r.(*TextReporter)
}

// TextReporter writes results for a person: names quoted as git quotes
// them, colour only where the stream takes it, commands in the user's
// shell.
type TextReporter struct {
	streams
	scanned int // findings of the scan written so far
	pushed  pushedFindings
}

// JSONReporter writes each result as a versioned JSON document on Stdout.
type JSONReporter struct {
	streams
	scanned []hook.ScanFinding
}

// SARIFReporter writes check's and scan's findings as a SARIF 2.1.0 log
// for code scanning. It has no rendering of audit, fix or clean (New
// refuses "sarif" for them): those methods return a *FormatError.
type SARIFReporter struct {
	JSONReporter
}

// Audit, Fix and Clean have no SARIF rendering.
func (r *SARIFReporter) Audit(*fix.Audit) error { return &FormatError{Format: "sarif"} }

// Fix: see Audit.
func (r *SARIFReporter) Fix(*fix.Plan, bool) error { return &FormatError{Format: "sarif"} }

// Clean: see Audit.
func (r *SARIFReporter) Clean(*clean.Result, []string) error { return &FormatError{Format: "sarif"} }

// streams holds the options and decides colour once per stream, when a
// coloured text is first written to it.
type streams struct {
	Options
	outColor, errColor *bool
}

// outPainter paints text for Stdout.
func (s *streams) outPainter() Painter { return s.painter(&s.outColor, s.Stdout) }

// errPainter paints text for Stderr.
func (s *streams) errPainter() Painter { return s.painter(&s.errColor, s.Stderr) }

func (s *streams) painter(decided **bool, w io.Writer) Painter {
	if *decided == nil {
		on := UseColor(s.Color, s.Getenv, w)
		*decided = &on
	}
	return Painter{On: **decided}
}

// writing wraps a failure to write a report.
func writing(err error) error {
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

func writeString(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}
