package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestScanRejectionCapsAndNamesRefs(t *testing.T) {
	s := &Scan{Command: "pre-receive", BadCommits: 2, Oldest: "c0", Updates: 2, Omitted: 7}
	for i := 0; i < maxRejectionLines+3; i++ {
		s.Findings = append(s.Findings, ScanFinding{Commit: fmt.Sprintf("c%d", i%2), Refs: []string{"refs/heads/bad"},
			Path: fmt.Sprintf("p%d.pyc", i), Action: "added", Kind: "pyc"})
	}
	var b bytes.Buffer
	if err := s.WriteRejection(&b, Painter{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"push rejected: Python bytecode added or changed in 2 commits\n",
		"rejected: refs/heads/bad\n", "  ... and 10 more\n", "git rebase -i c0~1", "Several refs were pushed at once"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if n := strings.Count(out, ".pyc\n"); n != maxRejectionLines {
		t.Errorf("%d finding lines, want %d", n, maxRejectionLines)
	}
}

func TestScanJSONPathsAndFrom(t *testing.T) {
	s := &Scan{Command: "scan", Range: "a..b", Commits: 3, BadCommits: 1, Findings: []ScanFinding{
		{Commit: "c", Path: "x\xff.pyc", Action: "renamed", From: "y.py", Kind: "pyc", Merge: true}}}
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Blocked  bool `json:"blocked"`
		Findings []struct {
			Path       string  `json:"path"`
			PathBase64 string  `json:"path_base64"`
			From       *string `json:"from"`
			Merge      bool    `json:"merge"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	f := doc.Findings[0]
	if !doc.Blocked || f.PathBase64 == "" || f.From == nil || *f.From != "y.py" || !f.Merge {
		t.Fatalf("%s", b.String())
	}
}
