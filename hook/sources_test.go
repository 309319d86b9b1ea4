package hook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
	"github.com/pycguard/pycguard/internal/gittest"
)

func kindNames(kinds []ignore.BytecodeKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	return strings.Join(names, " ")
}

// envValue returns the value of key in env.
func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// TestMissingBytecodeKinds: the kinds ignore.Bytecode finds Missing
// (its verdicts are compared with git in ignore/coverage_test.go), asked
// of the repository's own sources: a negation or an incomplete first pass
// brings in core.excludesFile, which can complete the rules.
func TestMissingBytecodeKinds(t *testing.T) {
	cases := []struct {
		name, gitignore, excludes, want string
	}{
		{"none", "", "", "__pycache__/ *.pyc *.pyo *$py.class"},
		{"pyc only", "*.pyc\n", "", "__pycache__/ *.pyo *$py.class"},
		{"complete", "__pycache__/\n*.py[codz]\n*$py.class\n", "", ""},
		{"deliberate negation", "__pycache__/\n*.py[codz]\n*$py.class\n!fixtures/*.pyc\n", "", ""},
		{"in the excludes file", "", "__pycache__/\n*.py[codz]\n*$py.class\n", ""},
		{"completed by the excludes file", "*.pyc\n", "__pycache__/\n*.pyo\n", "*$py.class"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			if tc.gitignore != "" {
				r.Write(".gitignore", tc.gitignore)
			}
			if tc.excludes != "" {
				x := filepath.Join(envValue(r.Env, "XDG_CONFIG_HOME"), "git", "ignore")
				if err := os.MkdirAll(filepath.Dir(x), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(x, []byte(tc.excludes), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			repo, err := gitops.Open(r.Dir, r.Env)
			if err != nil {
				t.Fatal(err)
			}
			missing, err := MissingBytecodeKinds(repo)
			if err != nil || kindNames(missing) != tc.want {
				t.Errorf("missing %q (%v), want %q", kindNames(missing), err, tc.want)
			}
		})
	}
}

// TestMissingBytecodeKindsIgnoreCase: with core.ignorecase, a negation
// written in capitals un-ignores __pycache__ directories, so their
// contents are not ignored: __pycache__/ is missing although the rules
// look complete without the configuration.
func TestMissingBytecodeKindsIgnoreCase(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "__pycache__/\n*.py[co]\n*$py.class\n!__PYCACHE__/\n")
	for _, tc := range []struct{ ignoreCase, want string }{{"false", ""}, {"true", "__pycache__/"}} {
		r.Git("config", "core.ignorecase", tc.ignoreCase)
		repo, err := gitops.Open(r.Dir, r.Env)
		if err != nil {
			t.Fatal(err)
		}
		missing, err := MissingBytecodeKinds(repo)
		if err != nil || kindNames(missing) != tc.want {
			t.Errorf("core.ignorecase=%s: missing %q (%v), want %q", tc.ignoreCase, kindNames(missing), err, tc.want)
		}
	}
}

// TestMissingBytecodeKindsLazy: complete rules without a negation start no
// git process (GIT_TRACE shows none); incomplete rules, or a negation, read
// the configuration, whose failure is then an error, never "nothing
// missing".
func TestMissingBytecodeKindsLazy(t *testing.T) {
	for _, tc := range []struct {
		name, gitignore string
		git             bool
	}{
		{"complete", "__pycache__/\n*.py[codz]\n*$py.class\n", false},
		{"incomplete", "*.pyc\n", true},
		{"negation", "__pycache__/\n*.py[codz]\n*$py.class\n!fixtures/*.pyc\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			r.Write(".gitignore", tc.gitignore)
			trace := filepath.Join(t.TempDir(), "trace")
			repo, err := gitops.Open(r.Dir, append(r.Env, "GIT_TRACE="+trace))
			if err != nil {
				t.Fatal(err)
			}
			broken, err := gitops.Open(r.Dir, r.Env)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := MissingBytecodeKinds(repo); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(trace); (err == nil) != tc.git {
				t.Errorf("git started: %v, want %v", err == nil, tc.git)
			}
			// A configuration git cannot read (broken after the repository
			// was opened): an error when it is needed.
			r.Write(".git/config", "[core\n")
			missing, err := MissingBytecodeKinds(broken)
			if tc.git && err == nil {
				t.Errorf("no error although the configuration cannot be read (missing %q)", kindNames(missing))
			}
			if !tc.git && (err != nil || len(missing) > 0) {
				t.Errorf("complete rules: %q %v", kindNames(missing), err)
			}
		})
	}
}

// TestIgnoreSourcesAfterOpen: after Open, which reads no configuration,
// the sources still carry core.excludesFile and core.ignorecase, and a
// linked worktree's info/exclude is the common directory's; git
// check-ignore agrees with a matcher built from them.
func TestIgnoreSourcesAfterOpen(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.log\n")
	r.Write(".git/info/exclude", "*.ie\n")
	global := filepath.Join(t.TempDir(), "global-ignore")
	if err := os.WriteFile(global, []byte("*.Glob\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Git("config", "core.excludesFile", global)
	r.Git("config", "core.ignorecase", "true")
	r.Commit("init")
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", wt)
	repo, err := gitops.Open(wt, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	src, err := IgnoreSources(repo)
	if err != nil {
		t.Fatal(err)
	}
	if !src.IgnoreCase || src.ExcludesFile != global {
		t.Errorf("sources %+v: the configuration is missing", src)
	}
	m, err := ignore.New(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a.ie", "a.log", "A.LOG", "x.glob", "a.txt"} {
		_, _, gerr := r.At(wt).Run(nil, "check-ignore", "-q", "--no-index", p)
		if got, want := m.Match(p, ignore.KindFile).Ignored(), gerr == nil; got != want {
			t.Errorf("%s: ignored %v, git says %v", p, got, want)
		}
	}
}
