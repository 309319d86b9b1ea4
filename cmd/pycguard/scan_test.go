package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
	"github.com/pycguard/pycguard/internal/sarifcheck"
)

// hostileHistory commits bytecode under names that need quoting or are
// not UTF-8.
func hostileHistory(t *testing.T) (*gittest.Repo, []string) {
	r := gittest.Init(t)
	names := []string{"a b.pyc", "caf\xc3\xa9.pyc", "bad\xff\xfe.pyc", "new\nline.pyc", "pct%41#q?.pyc", "x$py.class"}
	for _, n := range names {
		r.Write(n, "bytecode")
	}
	r.Commit("hostile names")
	return r, names
}

// TestScanFormatsKeepHostileNames: every format reports every name, JSON
// losslessly (path_base64), SARIF valid against the 2.1.0 schema, text one
// line per finding.
func TestScanFormatsKeepHostileNames(t *testing.T) {
	r, names := hostileHistory(t)
	isolate(t, r)

	out, errOut, code := runPycguard(t, "", "-C", r.Dir, "scan", "--all", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var doc struct {
		Findings []struct {
			Path       string `json:"path"`
			PathBase64 string `json:"path_base64"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range doc.Findings {
		p := f.Path
		if f.PathBase64 != "" {
			b, err := base64.StdEncoding.DecodeString(f.PathBase64)
			if err != nil {
				t.Fatal(err)
			}
			p = string(b)
		}
		got[p] = true
	}
	for _, n := range names {
		if !got[n] {
			t.Errorf("JSON lacks %q: %s", n, out)
		}
	}

	out, errOut, code = runPycguard(t, "", "-C", r.Dir, "scan", "--all", "--format", "sarif")
	if code != exitFindings {
		t.Fatalf("sarif: exit %d\n%s", code, errOut)
	}
	schema, err := sarifcheck.Load("../../report/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate([]byte(out)); err != nil {
		t.Fatalf("SARIF does not validate: %v\n%s", err, out)
	}
	if n := strings.Count(out, `"ruleId": "pycguard/bytecode-introduced"`); n != len(names) {
		t.Errorf("%d SARIF results, want %d", n, len(names))
	}

	out, _, code = runPycguard(t, "", "-C", r.Dir, "--color", "never", "scan", "--all")
	if code != exitFindings || strings.Count(out, "  added      ") != len(names) || !strings.Contains(out, `"new\nline.pyc"`) {
		t.Fatalf("text: exit %d\n%s", code, out)
	}
}

// TestPreReceiveInProcess runs the hook's code path on a bare repository
// with the update lines on stdin, as git would give them.
func TestPreReceiveInProcess(t *testing.T) {
	r, _ := hostileHistory(t)
	isolate(t, r)
	bare := t.TempDir() + "/server.git"
	r.Git("init", "-q", "--bare", bare)
	head := strings.TrimSpace(r.Git("rev-parse", "HEAD"))
	r.Git("push", "-q", bare, "HEAD:refs/incoming/x") // objects on the server
	r.At(bare).Git("update-ref", "-d", "refs/incoming/x")
	zero := strings.Repeat("0", 40)

	_, errOut, code := runPycguard(t, zero+" "+head+" refs/heads/main\n", "-C", bare, "pre-receive")
	if code != exitFindings || !strings.Contains(errOut, "rejected: refs/heads/main") || !strings.Contains(errOut, head) {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	// The same commit once a ref reaches it: nothing new.
	r.At(bare).Git("update-ref", "refs/heads/other", head)
	if _, errOut, code := runPycguard(t, zero+" "+head+" refs/heads/main\n", "-C", bare, "pre-receive"); code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	// Deletion only.
	if _, errOut, code := runPycguard(t, head+" "+zero+" refs/heads/other\n", "-C", bare, "pre-receive"); code != exitOK {
		t.Fatalf("deletion: exit %d\n%s", code, errOut)
	}
}
