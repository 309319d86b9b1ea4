package main

import (
	"encoding/json"
	"errors"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
	"github.com/pycguard/pycguard/internal/sarifcheck"
)

// `pycguard check --all --format sarif` on a repository with tracked
// bytecode (awkward names included) is a SARIF 2.1.0 log that the
// official schema accepts, with one result per tracked bytecode file whose
// URI decodes to the git path; a clean repository gives an empty run.
func TestCheckAllSARIFValidates(t *testing.T) {
	schema, err := sarifcheck.Load("../../report/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	r := gittest.Init(t)
	tracked := []string{
		"pkg/__pycache__/m.cpython-312.pyc",
		"legacy.pyc",
		"with space/and#hash.pyo",
		"colon:first/x$py.class",
		"caf\u00e9/percent%41.pyc",
	}
	r.Write("app.py", "print()\n")
	for _, p := range tracked {
		r.Write(p, "bytecode")
	}
	r.Commit("legacy")

	out, stderr, err := runIn(r, pycguardExe, "check", "--all", "--format", "sarif")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v\n%s", err, stderr)
	}
	if err := schema.Validate([]byte(out)); err != nil {
		t.Fatalf("SARIF does not validate: %v\n%s", err, out)
	}
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, res := range doc.Runs[0].Results {
		if res.RuleID != "pycguard/bytecode-committed" || res.Level != "error" {
			t.Errorf("result %+v", res)
		}
		u, err := url.PathUnescape(strings.TrimPrefix(res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "./"))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u)
	}
	slices.Sort(got)
	want := slices.Clone(tracked)
	slices.Sort(want)
	if doc.Version != "2.1.0" || !slices.Equal(got, want) {
		t.Fatalf("results for %q, want %q", got, want)
	}

	// after untracking, an empty (valid) run and exit 0
	r.Git(append([]string{"rm", "-q", "--cached", "--"}, tracked...)...)
	out, stderr, err = runIn(r, pycguardExe, "check", "--all", "--format", "sarif")
	if err != nil {
		t.Fatalf("clean: %v\n%s", err, stderr)
	}
	if err := schema.Validate([]byte(out)); err != nil || !strings.Contains(out, `"results": []`) {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
}
