package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pycguard/pycguard/internal/sarifcheck"
)

const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

func compileSARIFSchema(t *testing.T) *sarifcheck.Schema {
	t.Helper()
	s, err := sarifcheck.Load(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateSARIF(t *testing.T, s *sarifcheck.Schema, out []byte) {
	t.Helper()
	if err := s.Validate(out); err != nil {
		t.Fatalf("SARIF does not validate: %v\n%s", err, out)
	}
}

func TestSARIFValidates(t *testing.T) {
	schema := compileSARIFSchema(t)
	hostile := []string{
		"pkg/__pycache__/m.cpython-312.pyc",
		"a b/c d.pyc",
		"x$py.class",
		"weird:name.pyc",
		"pct%41.pyc",
		"hash#q?.pyc",
		"back\\slash.pyc",
		"caf\xc3\xa9.pyc",
		"bad\xff\xfe.pyc",
		"tab\there/\x01.pyc",
		"[brackets]/{x}.pyc",
	}
	s := &SARIF{ToolVersion: "v1.2.3", Rules: []SARIFRule{RuleBytecodeCommitted}}
	for _, p := range hostile {
		s.Results = append(s.Results, SARIFResult{Rule: RuleBytecodeCommitted, Path: p, Message: "Bytecode " + p + " is tracked.",
			Properties: map[string]any{"status": "tracked"}})
	}
	s.Results = append(s.Results, SARIFResult{Rule: RuleBytecodeIntroduced, Path: "y.pyo", Message: "added"})
	var buf bytes.Buffer
	if err := s.WriteSARIF(&buf); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, schema, buf.Bytes())

	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if len(run.Tool.Driver.Rules) != 2 || len(run.Results) != len(hostile)+1 {
		t.Fatalf("rules %v, %d results", run.Tool.Driver.Rules, len(run.Results))
	}
	for i, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID || r.Level != "error" {
			t.Errorf("result %d: rule %q index %d level %q", i, r.RuleID, r.RuleIndex, r.Level)
		}
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URIBaseID != SARIFSrcRoot {
			t.Errorf("result %d: uriBaseId %q", i, loc.URIBaseID)
		}
		if i < len(hostile) {
			got, err := sarifUnescape(loc.URI)
			if err != nil || got != hostile[i] {
				t.Errorf("uri %q decodes to %q (%v), want %q", loc.URI, got, err, hostile[i])
			}
		}
	}
}

// An empty run is valid too (nothing tracked): code scanning then closes
// earlier alerts.
func TestSARIFEmptyValidates(t *testing.T) {
	var buf bytes.Buffer
	if err := (&SARIF{Rules: []SARIFRule{RuleBytecodeCommitted}}).WriteSARIF(&buf); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, compileSARIFSchema(t), buf.Bytes())
	if !bytes.Contains(buf.Bytes(), []byte(`"results": []`)) {
		t.Errorf("no empty results array:\n%s", buf.Bytes())
	}
}

// The schema really is checked: a document missing a required field, and
// one with a bad URI, are rejected.
func TestSARIFSchemaRejects(t *testing.T) {
	schema := compileSARIFSchema(t)
	for _, bad := range []string{
		`{"version": "2.1.0"}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "artifacts": [{"location": {"uri": "a b"}}]}]}`,
	} {
		if schema.Validate([]byte(bad)) == nil {
			t.Errorf("schema accepts %s", bad)
		}
	}
}

func TestSARIFURI(t *testing.T) {
	cases := map[string]string{
		"a/b.pyc":       "a/b.pyc",
		"a b.pyc":       "a%20b.pyc",
		"x:y/z.pyc":     "./x:y/z.pyc",
		"d/x:y.pyc":     "d/x:y.pyc",
		"100%.pyc":      "100%25.pyc",
		"q?#.pyc":       "q%3F%23.pyc",
		"w\\in.pyc":     "w%5Cin.pyc",
		"\xff.pyc":      "%FF.pyc",
		"x$py.class":    "x$py.class",
		"caf\u00e9.pyc": "caf%C3%A9.pyc",
	}
	for in, want := range cases {
		if got := SARIFURI(in); got != want {
			t.Errorf("SARIFURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every result carries pycguard's fingerprint: the same for the same rule,
// commit and path bytes, different when any of them differs (also for
// paths that differ only in bytes that are not UTF-8), whatever the
// message or properties say.
func TestSARIFFingerprints(t *testing.T) {
	base := SARIFResult{Rule: RuleBytecodeIntroduced, Path: "pkg/__pycache__/m.pyc", Commit: "1111111111111111111111111111111111111111", Message: "a"}
	same := base
	same.Message, same.Properties = "another wording", map[string]any{"kind": "pyc"}
	variants := []SARIFResult{base, base, base, base, base}
	variants[0].Rule = RuleBytecodeCommitted
	variants[1].Path = "pkg/__pycache__/n.pyc"
	variants[2].Commit = "2222222222222222222222222222222222222222"
	variants[3].Commit = ""
	variants[4].Path = "pkg/__pycache__/m.pyc\xff"
	fp := SARIFFingerprint(base)
	if len(fp) != 64 || SARIFFingerprint(same) != fp {
		t.Fatalf("fingerprint %q, of the same finding %q", fp, SARIFFingerprint(same))
	}
	seen := map[string]int{fp: -1}
	for i, v := range variants {
		f := SARIFFingerprint(v)
		if j, dup := seen[f]; dup {
			t.Fatalf("variant %d has the fingerprint of %d: %q", i, j, f)
		}
		seen[f] = i
	}
	// a part's end is marked: moving bytes from commit to path changes it
	a := SARIFResult{Rule: RuleBytecodeIntroduced, Commit: "ab", Path: "c"}
	b := SARIFResult{Rule: RuleBytecodeIntroduced, Commit: "a", Path: "bc"}
	if SARIFFingerprint(a) == SARIFFingerprint(b) {
		t.Fatal("parts run together")
	}

	s := &SARIF{ToolVersion: "v1", Rules: []SARIFRule{RuleBytecodeIntroduced}, Results: []SARIFResult{base, variants[1]}}
	var buf bytes.Buffer
	if err := s.WriteSARIF(&buf); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, compileSARIFSchema(t), buf.Bytes())
	var doc struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Runs[0].Results
	if len(got) != 2 || got[0].PartialFingerprints[SARIFFingerprintKey] != fp ||
		got[1].PartialFingerprints[SARIFFingerprintKey] != SARIFFingerprint(variants[1]) {
		t.Fatalf("written fingerprints: %+v", got)
	}
}
