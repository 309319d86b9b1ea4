package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/clean"
	"github.com/pycguard/pycguard/fix"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
)

func TestScanRejectionCapsAndNamesRefs(t *testing.T) {
	var stdout, stderr bytes.Buffer
	r := NewText(Options{Stdout: &stdout, Stderr: &stderr})
	n := maxKeptFindings + 7
	for i := 0; i < n; i++ {
		if err := r.PreReceiveFinding(hook.ScanFinding{Commit: fmt.Sprintf("c%d", i%2), Refs: []string{"refs/heads/bad"},
			Path: fmt.Sprintf("p%d.pyc", i), Action: gitops.Added, Kind: bytecode.Pyc}); err != nil {
			t.Fatal(err)
		}
	}
	res := &hook.PreReceiveResult{ScanSummary: hook.ScanSummary{BadCommits: 2, Findings: n, Oldest: "c0"}, Updates: 2}
	if err := r.PreReceive(res); err != nil {
		t.Fatal(err)
	}
	out := stderr.String()
	for _, want := range []string{"push rejected: Python bytecode added or changed in 2 commits\n",
		"rejected: refs/heads/bad\n", fmt.Sprintf("  ... and %d more\n", n-maxRejectionLines), "git rebase -i c0~1", "Several refs were pushed at once"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if c := strings.Count(out, ".pyc\n"); c != maxRejectionLines {
		t.Errorf("%d finding lines, want %d", c, maxRejectionLines)
	}
	if stdout.Len() != 0 {
		t.Errorf("the rejection went to stdout: %q", stdout.String())
	}

	// A push that passes writes nothing.
	stderr.Reset()
	if err := NewText(Options{Stdout: &stdout, Stderr: &stderr}).PreReceive(&hook.PreReceiveResult{Updates: 1}); err != nil || stderr.Len() != 0 {
		t.Fatalf("a passing push: %v, %q", err, stderr.String())
	}
}

func TestScanJSONPathsAndFrom(t *testing.T) {
	var b bytes.Buffer
	r, err := New("json", Options{Stdout: &b})
	if err != nil {
		t.Fatal(err)
	}
	f := hook.ScanFinding{Commit: "c", Path: "x\xff.pyc", Action: gitops.Renamed, From: "y.py", Kind: bytecode.Pyc, Merge: true}
	if err := r.ScanFinding("a..b", f); err != nil || b.Len() != 0 {
		t.Fatalf("a JSON finding is written before the summary: %v, %q", err, b.String())
	}
	if err := r.ScanSummary("a..b", &hook.ScanSummary{Commits: 3, BadCommits: 1, Findings: 1}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Blocked  bool   `json:"blocked"`
		Range    string `json:"range"`
		Findings []struct {
			Path       string  `json:"path"`
			PathBase64 string  `json:"path_base64"`
			From       *string `json:"from"`
			Merge      bool    `json:"merge"`
			Kind       string  `json:"kind"`
			Action     string  `json:"action"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Findings[0]
	if !doc.Blocked || doc.Range != "a..b" || got.PathBase64 == "" || got.From == nil || *got.From != "y.py" || !got.Merge ||
		got.Kind != "pyc" || got.Action != "renamed" {
		t.Fatalf("%s", b.String())
	}
}

// TestScanTextStreams: the text report writes each finding as the scan
// makes it, the header once before the first, and the summary counts what
// was written.
func TestScanTextStreams(t *testing.T) {
	var b bytes.Buffer
	r, err := New("text", Options{Stdout: &b})
	if err != nil {
		t.Fatal(err)
	}
	for i, path := range []string{"a.pyc", "b\tc.pyc"} {
		if err := r.ScanFinding("A..B", hook.ScanFinding{Commit: "c1", Path: path, Action: gitops.Added, Kind: bytecode.Pyc}); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(b.String(), "\n"); n != i+2 {
			t.Fatalf("after finding %d: %d lines written:\n%s", i, n, b.String())
		}
	}
	if err := r.ScanSummary("A..B", &hook.ScanSummary{Commits: 4, BadCommits: 1, Findings: 2, Oldest: "c1"}); err != nil {
		t.Fatal(err)
	}
	want := "pycguard: Python bytecode added or changed by commits in A..B:\n" +
		"  c1  added      a.pyc\n" +
		"  c1  added      \"b\\tc.pyc\"\n" +
		"pycguard: 2 bytecode paths in 1 commit of 4 commits scanned (A..B)\n" +
		"Fix the history in your clone, then push again:\n" +
		"  git rebase -i c1~1   # mark the listed commits 'edit'\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Fatalf("got\n%s\nwant it to start with\n%s", b.String(), want)
	}

	b.Reset()
	r, _ = New("text", Options{Stdout: &b})
	if err := r.ScanSummary("--all", &hook.ScanSummary{Commits: 1}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "pycguard: 1 commit in --all: no bytecode added or changed\n" {
		t.Fatalf("clean scan: %q", got)
	}
}

// TestNewFormats: the formats a command has, and the usage message for
// one it has not (worded as pycguard always has).
func TestNewFormats(t *testing.T) {
	for _, c := range []struct {
		format string
		sarif  bool
		err    string
	}{
		{"text", false, ""},
		{"json", false, ""},
		{"sarif", true, ""},
		{"sarif", false, `--format must be text or json, not "sarif"`},
		{"xml", false, `--format must be text or json, not "xml"`},
		{"xml", true, `--format must be text, json or sarif, not "xml"`},
		{"", true, `--format must be text, json or sarif, not ""`},
	} {
		_, err := New(c.format, Options{SARIF: c.sarif})
		var fe *FormatError
		switch {
		case c.err == "" && err != nil:
			t.Errorf("New(%q, sarif=%v): %v", c.format, c.sarif, err)
		case c.err != "" && (!errors.As(err, &fe) || err.Error() != c.err):
			t.Errorf("New(%q, sarif=%v) = %v, want %q", c.format, c.sarif, err, c.err)
		}
	}
}

// The SARIF reporter has no rendering of audit, fix or clean: asked for
// one anyway, it says so rather than write another format.
func TestSARIFOnlyCheckAndScan(t *testing.T) {
	var b bytes.Buffer
	r, err := New("sarif", Options{Stdout: &b, SARIF: true})
	if err != nil {
		t.Fatal(err)
	}
	var fe *FormatError
	for _, err := range []error{r.Audit(&fix.Audit{}), r.Fix(&fix.Plan{}, false), r.Clean(&clean.Result{}, nil)} {
		if !errors.As(err, &fe) {
			t.Errorf("got %v, want a *FormatError", err)
		}
	}
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
}
