package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SARIFSchemaFile is the SARIF 2.1.0 schema the tests validate against.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

// compileSARIFSchema loads the vendored schema with format assertions on
// (uri-reference matters for artifact locations).
func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	// Draft-04, which the schema declares, has no "uri-reference" format,
	// so the library would not check it: check RFC 3986's character set.
	c.RegisterFormat(&jsonschema.Format{Name: "uri-reference", Validate: validURIReference})
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validURIReference accepts a string made of RFC 3986 characters, with
// every '%' starting a percent-encoded byte.
func validURIReference(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("bad percent-encoding at %d", i)
			}
		case c < 0x80 && (uriPathByte(c) || strings.IndexByte("?#[]", c) >= 0):
		default:
			return fmt.Errorf("byte %q at %d is not allowed in a URI", c, i)
		}
	}
	return nil
}

func isHex(c byte) bool { return strings.IndexByte("0123456789abcdefABCDEF", c) >= 0 }

func validateSARIF(t *testing.T, s *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := s.Validate(inst); err != nil {
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
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(bad)))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(inst) == nil {
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
