package hook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestRunCheck: RunCheck returns the verdict and the warnings as data,
// and on a failure after reading the configuration, the configuration's
// warning with the error.
func TestRunCheck(t *testing.T) {
	r := gittest.Init(t)
	r.UseEnv(t)
	r.Write(".pycguard.toml", "")
	r.Write("pyproject.toml", "[tool.pycguard]\n")
	r.Write(".gitignore", "*.pyc\n")
	r.Write("m.pyc", "x")
	r.Git("add", "-f", "--", "m.pyc")

	run, err := RunCheck(CheckRequest{Dir: r.Dir, Mode: Staged})
	if err != nil {
		t.Fatal(err)
	}
	if run.Shadowed == nil || *run.Shadowed != (config.ShadowedConfig{Used: ".pycguard.toml", Ignored: "pyproject.toml"}) {
		t.Errorf("Shadowed %+v", run.Shadowed)
	}
	if len(run.Result.Findings) != 1 || run.Result.Findings[0].Path != "m.pyc" {
		t.Errorf("findings %+v", run.Result.Findings)
	}
	var missing []string
	for _, k := range run.Missing {
		missing = append(missing, k.String())
	}
	if got := strings.Join(missing, " "); got != "__pycache__/ *.pyo *$py.class" || run.CoverageErr != nil {
		t.Errorf("missing %q, %v", got, run.CoverageErr)
	}

	if err := os.WriteFile(filepath.Join(r.Dir, ".git", "index"), []byte("not an index"), 0o644); err != nil {
		t.Fatal(err)
	}
	run, err = RunCheck(CheckRequest{Dir: r.Dir, Mode: Staged})
	if err == nil || run == nil || run.Shadowed == nil || run.Result != nil {
		t.Errorf("damaged index: %v, %+v", err, run)
	}

	if run, err := RunCheck(CheckRequest{Dir: t.TempDir(), Mode: Staged}); err == nil || run == nil || run.Shadowed != nil {
		t.Errorf("no repository: %v, %+v", err, run)
	}
}

// TestRunScan: RunScan hands the configuration's warning to warn before
// the first finding, and names the range in its errors.
func TestRunScan(t *testing.T) {
	r := gittest.Init(t)
	r.UseEnv(t)
	r.Write(".pycguard.toml", "")
	r.Write("pyproject.toml", "[tool.pycguard]\n")
	r.Write("m.pyc", "x")
	r.Commit("bytecode")

	var events []string
	warn := func(w config.ShadowedConfig) { events = append(events, "warn "+w.Used+" "+w.Ignored) }
	emit := func(f ScanFinding) error { events = append(events, "finding "+f.Path); return nil }
	sum, err := RunScan(ScanRequest{Dir: r.Dir, Revisions: gitops.Revisions{All: true}, Label: "--all"}, warn, emit)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(events, "; "); got != "warn .pycguard.toml pyproject.toml; finding m.pyc" || !sum.Blocked() {
		t.Errorf("events %q, blocked %v", got, sum.Blocked())
	}

	_, err = RunScan(ScanRequest{Dir: r.Dir, Revisions: gitops.Revisions{Tips: []string{"no-such-ref..HEAD"}}, Label: "no-such-ref..HEAD"}, nil, emit)
	if err == nil || !strings.HasPrefix(err.Error(), "scan no-such-ref..HEAD: ") {
		t.Errorf("bad range: %v", err)
	}
}
