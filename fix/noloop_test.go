package fix

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/ignore"
	"github.com/pycguard/pycguard/internal/gittest"
)

var ignoreLines = ignore.Lines

// The rule sets of the no-loop property: the template's lines, their older
// and equivalent forms, anchored and deep rules, lines about other files,
// and negations that decide some probes or none.
var (
	propertyRules = []string{
		"__pycache__/", "*.py[codz]", "*$py.class", // the template
		"*.py[cod]", "*.py[co]", "*.pyc", "*.pyo", "*.class", // older and equivalent forms
		"**/__pycache__", "__pycache__", "/__pycache__/", "**/*.pyo",
		"/*.pyc", "src/**/*.pyc", "/pkg/__pycache__/", "jy/*$py.class", // anchored and deep
		"*.log", "build/", "/dist", // other files
	}
	propertyNegations = []string{
		"!static/legacy/*.pyc", "!/jy/keep$py.class", "!keep.pyo", "!vendor/**/*.pyc",
		"!tests/data/__pycache__/*.pyc", "!__pycache__/", // decide some probes
		"!*.log", "!docs/", "!/dist/README", // decide none
	}
	propertyDirs  = []string{"", "pkg/", "src/app/", "static/legacy/", "jy/", "vendor/x/", "tests/data/", "lib/deep/er/"}
	propertyNames = []string{"m.pyc", "old.pyo", "keep.pyo", "keep$py.class", "Foo$py.class",
		"__pycache__/m.cpython-312.pyc", "__pycache__/m.cpython-312.opt-1.pyc", "__pycache__/m.cpython-312.pyc.123"}
)

// propertyCases keeps the property test to a few seconds of CPU (each case
// runs about twenty git processes, half a second); PYCGUARD_PROPERTY_CASES
// runs more (150 passed when the test was written).
func propertyCases() int64 {
	if n, err := strconv.ParseInt(os.Getenv("PYCGUARD_PROPERTY_CASES"), 10, 64); err == nil && n > 0 {
		return n
	}
	return 8
}

// randomRepo builds a repository with a random .gitignore (CRLF or LF, a
// BOM or not, a final newline or not), sometimes a deeper .gitignore, and a
// random tree of tracked bytecode, committed.
func randomRepo(t *testing.T, rng *rand.Rand) (*gittest.Repo, []string) {
	r := gittest.Init(t)
	var lines []string
	for n := rng.Intn(6); len(lines) < n; {
		if rng.Intn(3) == 0 {
			lines = append(lines, propertyNegations[rng.Intn(len(propertyNegations))])
		} else {
			lines = append(lines, propertyRules[rng.Intn(len(propertyRules))])
		}
	}
	eol := "\n"
	if rng.Intn(3) == 0 {
		eol = "\r\n"
	}
	content := strings.Join(lines, eol)
	if len(lines) > 0 && rng.Intn(4) > 0 {
		content += eol
	}
	if rng.Intn(4) == 0 {
		content = "\xef\xbb\xbf" + content
	}
	r.Write(".gitignore", content)
	if rng.Intn(4) == 0 {
		deeper := []string{"!*.pyc\n", "*.pyo\n!keep.pyo\n", "!__pycache__/\n"}
		r.Write("static/.gitignore", deeper[rng.Intn(len(deeper))])
	}
	r.Write("app.py", "print()\n")
	var tree []string
	for n := 2 + rng.Intn(6); len(tree) < n; {
		p := propertyDirs[rng.Intn(len(propertyDirs))] + propertyNames[rng.Intn(len(propertyNames))]
		if !slices.Contains(tree, p) {
			tree = append(tree, p)
			r.Write(p, p)
		}
	}
	r.Git("add", "-f", "-A")
	r.Git("commit", "-q", "-m", "legacy")
	return r, tree
}

// propertyProbes are bytecode paths that need not exist, asked of git.
func propertyProbes(tree []string) []string {
	probes := slices.Clone(tree)
	for _, d := range append(slices.Clone(propertyDirs), "a/b/c/", "other/") {
		for _, n := range []string{"n.pyc", "n.pyo", "n$py.class", "keep.pyo", "__pycache__/n.cpython-312.pyc", "__pycache__/tmp"} {
			if !slices.Contains(probes, d+n) {
				probes = append(probes, d+n)
			}
		}
	}
	return probes
}

// gitIgnoreState asks git check-ignore about every path (as files): ignored,
// kept (a "!" rule of a .gitignore decides it) or neither.
func gitIgnoreState(t *testing.T, r *gittest.Repo, paths []string) map[string]string {
	t.Helper()
	out, errOut, err := r.Run([]byte(strings.Join(paths, "\x00")+"\x00"), "check-ignore", "--no-index", "-v", "-n", "-z", "--stdin")
	if err != nil && len(out) == 0 {
		t.Fatalf("git check-ignore: %v\n%s", err, errOut)
	}
	f := gittest.SplitZ(string(out))
	state := map[string]string{}
	for i, p := range paths {
		src, pattern := f[4*i], f[4*i+2]
		switch {
		case src == "":
			state[p] = "not ignored"
		case strings.HasPrefix(pattern, "!") && strings.HasSuffix(src, ".gitignore"):
			state[p] = "kept"
		case strings.HasPrefix(pattern, "!"):
			state[p] = "not ignored"
		default:
			state[p] = "ignored"
		}
	}
	return state
}

// trackedBytecodeSet is git ls-files, filtered.
func trackedBytecodeSet(t *testing.T, r *gittest.Repo) []string {
	var out []string
	for _, p := range gittest.SplitZ(r.Git("ls-files", "-z")) {
		if bytecode.IsBytecode(p, false) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func checkBlocks(t *testing.T, r *gittest.Repo, mode hook.Mode) []string {
	t.Helper()
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	res, err := hook.Check(repo, hook.Options{Mode: mode, Policy: hook.Policy{Kept: hook.KeptByNegation(repo)}})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range res.Findings {
		paths = append(paths, f.Path)
	}
	return paths
}

func runFix(t *testing.T, r *gittest.Repo, opts Options) *Plan {
	t.Helper()
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Prepare(repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(repo, plan, opts); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestNoLoopProperty: on random rule sets times random trees of tracked
// bytecode, after pycguard fix and a commit, check --all passes, audit has
// nothing to fix, a second fix changes no byte, git add -A and a commit
// pass the hook, and git ignores every bytecode probe except those a
// .gitignore negation kept on purpose before the fix (which it still does
// not ignore). git check-ignore and git status are the oracle.
func TestNoLoopProperty(t *testing.T) {
	for seed := int64(1); seed <= propertyCases(); seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			r, tree := randomRepo(t, rng)
			gitignore := filepath.Join(r.Dir, ".gitignore")
			rules, _ := os.ReadFile(gitignore)
			t.Logf(".gitignore %q, tree %q", rules, tree)
			probes := propertyProbes(tree)
			before := gitIgnoreState(t, r, probes)

			plan := runFix(t, r, Options{Gitignore: true, Untrack: true})
			if len(plan.Overridden) > 0 {
				t.Errorf("fix overrides %q", plan.Overridden)
			}
			r.Git("add", ".gitignore")
			r.Git("commit", "-q", "--allow-empty", "-m", "fix")

			after := gitIgnoreState(t, r, probes)
			var wantTracked []string
			for _, p := range probes {
				switch {
				case before[p] == "kept" && after[p] != "kept":
					t.Errorf("%s: kept on purpose before fix, %s after", p, after[p])
				case before[p] != "kept" && after[p] != "ignored":
					t.Errorf("%s: %s after fix (before: %s)", p, after[p], before[p])
				}
				if slices.Contains(tree, p) && before[p] == "kept" {
					wantTracked = append(wantTracked, p)
				}
			}
			slices.Sort(wantTracked)
			if got := trackedBytecodeSet(t, r); !slices.Equal(got, wantTracked) {
				t.Errorf("tracked bytecode after fix %q, want the kept ones %q", got, wantTracked)
			}
			if blocked := checkBlocks(t, r, hook.All); len(blocked) > 0 {
				t.Errorf("check --all after fix blocks %q", blocked)
			}
			repo, err := gitops.Open(r.Dir, r.Env)
			if err != nil {
				t.Fatal(err)
			}
			a, err := RunAudit(repo, AuditOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if a.NeedsFix() {
				t.Errorf("audit after fix: needs fixing (missing %v)", a.Coverage.MissingKinds())
			}

			once, _ := os.ReadFile(gitignore)
			again := runFix(t, r, Options{Gitignore: true, Untrack: true})
			if again.Changes() {
				t.Errorf("second fix: appends %q, untracks %d", again.AppendLines, len(again.Untrack))
			}
			if twice, _ := os.ReadFile(gitignore); !bytes.Equal(once, twice) {
				t.Errorf("second fix changed .gitignore:\n%q\n%q", once, twice)
			}

			r.Git("add", "-A")
			if blocked := checkBlocks(t, r, hook.Staged); len(blocked) > 0 {
				t.Errorf("git add -A stages bytecode the hook blocks: %q", blocked)
			}
			r.Git("commit", "-q", "--allow-empty", "-m", "after")
			if st := r.Git("status", "--porcelain", "-z", "--untracked-files=all"); st != "" {
				t.Errorf("git status after the commit: %q", st)
			}
			if got := trackedBytecodeSet(t, r); !slices.Equal(got, wantTracked) {
				t.Errorf("tracked bytecode after git add -A %q, want %q", got, wantTracked)
			}
		})
	}
}

// TestDryRunListsWhatTheRealRunChanges: for fix with and without --delete,
// on random repositories (and untracked bytecode beside the tracked one),
// the dry run changes nothing, and its lists are exactly what the real run
// then changes: the lines appended to .gitignore, the paths git no longer
// tracks (git diff --cached), the files and directories gone from disk.
func TestDryRunListsWhatTheRealRunChanges(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		for _, del := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/delete=%v", seed, del), func(t *testing.T) {
				r, tree := randomRepo(t, rand.New(rand.NewSource(seed)))
				r.Write("pkg/__pycache__/untracked.cpython-312.pyc", "stays: not untracked by this run")
				opts := Options{Gitignore: true, Untrack: true, Delete: del, DryRun: true}
				before := snapshotTree(t, r.Dir)
				index := stateOf(t, r)
				dry := runFix(t, r, opts)
				if !mapsEqual(before, snapshotTree(t, r.Dir)) || stateOf(t, r) != index {
					t.Fatal("the dry run changed something")
				}
				gi, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))

				opts.DryRun = false
				real := runFix(t, r, opts)
				if !slices.Equal(dry.AppendLines, real.AppendLines) || !slices.Equal(untrackPaths(dry), untrackPaths(real)) ||
					!slices.Equal(dry.Delete, real.Deleted) || !slices.Equal(dry.DeleteDirs, real.DeletedDirs) {
					t.Errorf("dry run: append %q, untrack %q, delete %q %q\nreal run: append %q, untrack %q, deleted %q %q",
						dry.AppendLines, untrackPaths(dry), dry.Delete, dry.DeleteDirs,
						real.AppendLines, untrackPaths(real), real.Deleted, real.DeletedDirs)
				}

				// What git and the file system say changed.
				now, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
				if !bytes.HasPrefix(now, gi) {
					t.Fatalf(".gitignore was not appended to:\n%q\n%q", gi, now)
				}
				added, _ := ignoreLines(now[len(gi):])
				if !slices.Equal(added, dry.AppendLines) {
					t.Errorf(".gitignore gained %q, the dry run listed %q", added, dry.AppendLines)
				}
				var unstaged []string
				for _, rec := range gittest.SplitZ(r.Git("diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=D")) {
					unstaged = append(unstaged, rec)
				}
				slices.Sort(unstaged)
				want := untrackPaths(dry)
				slices.Sort(want)
				if !slices.Equal(unstaged, want) {
					t.Errorf("git diff --cached deletes %q, the dry run listed %q", unstaged, want)
				}
				after := snapshotTree(t, r.Dir)
				var gone []string
				for p := range before {
					if _, ok := after[p]; !ok {
						gone = append(gone, filepath.ToSlash(p))
					}
				}
				slices.Sort(gone)
				wantGone := append(slices.Clone(dry.Delete), dry.DeleteDirs...)
				slices.Sort(wantGone)
				if !slices.Equal(gone, wantGone) {
					t.Errorf("gone from disk %q, the dry run listed %q (tree %q)", gone, wantGone, tree)
				}
				if del && len(dry.Delete) == 0 && len(dry.Untrack) > 0 {
					t.Errorf("--delete planned nothing for %d untracked files", len(dry.Untrack))
				}
			})
		}
	}
}

func untrackPaths(p *Plan) []string {
	var out []string
	for _, e := range p.Untrack {
		out = append(out, e.Path)
	}
	return out
}
