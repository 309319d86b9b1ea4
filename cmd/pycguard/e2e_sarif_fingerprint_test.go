package main

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
	"github.com/pycguard/pycguard/internal/sarifcheck"
)

// sarifFingerprints runs pycguard with args in r and returns, for each
// result's URI, its partialFingerprints, after checking the log against
// the schema.
func sarifFingerprints(t *testing.T, schema *sarifcheck.Schema, r *gittest.Repo, args ...string) map[string]map[string]string {
	t.Helper()
	out, stderr, _ := runIn(r, pycguardExe, args...)
	if err := schema.Validate([]byte(out)); err != nil {
		t.Fatalf("%v: SARIF does not validate: %v\n%s\n%s", args, err, out, stderr)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Properties          map[string]any    `json:"properties"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	fps := map[string]map[string]string{}
	for _, res := range doc.Runs[0].Results {
		key := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if c, ok := res.Properties["commit"].(string); ok {
			key = c + " " + key
		}
		if len(res.PartialFingerprints) == 0 {
			t.Fatalf("%v: result %s has no partialFingerprints\n%s", args, key, out)
		}
		fps[key] = res.PartialFingerprints
	}
	return fps
}

// The SARIF fingerprints of check --all and scan are equal across runs and
// across clones (in other directories, with other file times), and differ
// between findings: code scanning then keeps one alert per finding.
func TestSARIFFingerprintsStableAcrossRunsAndClones(t *testing.T) {
	schema, err := sarifcheck.Load("../../report/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	r := gittest.Init(t)
	r.Write("app.py", "print()\n")
	r.Commit("base")
	r.Write("a.pyc", "one")
	r.Write("pkg/__pycache__/b.cpython-312.pyc", "two")
	r.Commit("bytecode")
	r.Write("c.pyo", "three")
	r.Write("a.pyc", "one, rebuilt")
	r.Commit("more bytecode")

	clone := r.At(filepath.Join(t.TempDir(), "clone"))
	r.Git("clone", "-q", r.Dir, clone.Dir)

	for _, args := range [][]string{
		{"check", "--all", "--format", "sarif"},
		{"scan", "--all", "--format", "sarif"},
	} {
		first := sarifFingerprints(t, schema, r, args...)
		again := sarifFingerprints(t, schema, r, args...)
		inClone := sarifFingerprints(t, schema, clone, args...)
		if len(first) < 3 {
			t.Fatalf("%v: %d results, want at least 3: %v", args, len(first), first)
		}
		var values []string
		for key, fp := range first {
			if !maps.Equal(fp, again[key]) || !maps.Equal(fp, inClone[key]) {
				t.Fatalf("%v: fingerprint of %s differs: %v, again %v, in the clone %v", args, key, fp, again[key], inClone[key])
			}
			for _, v := range fp {
				values = append(values, v)
			}
		}
		if len(again) != len(first) || len(inClone) != len(first) {
			t.Fatalf("%v: result sets differ: %v / %v / %v", args, first, again, inClone)
		}
		slices.Sort(values)
		if len(slices.Compact(values)) != len(first) {
			t.Fatalf("%v: two findings share a fingerprint: %v", args, first)
		}
	}
}
