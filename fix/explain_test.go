package fix

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
	"github.com/pycguard/pycguard/internal/gittest"
)

// answers collects Explain's answers; flushed holds those written before
// the last Flush.
type answers struct {
	all     []Answer
	flushed int
	onFlush func([]Answer)
}

func (a *answers) WriteAnswer(x Answer) error { a.all = append(a.all, x); return nil }

func (a *answers) Flush() error {
	if a.onFlush != nil && a.flushed < len(a.all) {
		a.onFlush(a.all[a.flushed:])
	}
	a.flushed = len(a.all)
	return nil
}

// ruleString is an answer as git check-ignore -v -n -z gives its first
// three fields: SOURCE LINE PATTERN, "" when no rule matches.
func ruleString(a Answer) string {
	if a.Rule == nil {
		return ""
	}
	return a.Rule.Source + "\x00" + strconv.Itoa(a.Rule.Line) + "\x00" + a.Rule.Pattern
}

// TestExplainAgreesWithGit: the rule Explain finds for each path, given
// from a subdirectory as arguments and on stdin (quoted, and -z), is the
// one git check-ignore -v -n --no-index names.
func TestExplainAgreesWithGit(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.py[cod]\n__pycache__/\n!keep.pyc\nbuild/\n*\tx\n")
	r.Write("sub/.gitignore", "/local\n!*.pyo\n")
	r.Write(".git/info/exclude", "*.ie\n")
	r.Write("sub/build/f", "")
	paths := []string{"local", "a.pyo", "../a.pyc", "../keep.pyc", "../build/x", "build", "../x.ie", "plain.py", "../a\tx", "..", "new\nline.pyc"}
	sub := r.At(filepath.Join(r.Dir, "sub"))
	out := sub.GitIn([]byte(strings.Join(paths, "\x00")+"\x00"), "check-ignore", "--no-index", "-v", "-n", "--stdin", "-z")
	fields := strings.Split(out, "\x00")
	var want []string
	anyIgnored := false
	for i := 0; i+3 < len(fields); i += 4 {
		if fields[i] == "" {
			want = append(want, "")
			continue
		}
		want = append(want, strings.Join(fields[i:i+3], "\x00"))
		anyIgnored = anyIgnored || !strings.HasPrefix(fields[i+2], "!")
	}
	repo, err := gitops.Open(sub.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	quoted := make([]string, len(paths))
	for i, p := range paths {
		quoted[i] = gitops.QuotePath(p)
	}
	for _, tc := range []struct {
		name string
		opts ExplainOptions
	}{
		{"arguments", ExplainOptions{Paths: paths}},
		{"stdin", ExplainOptions{Stdin: strings.NewReader(strings.Join(quoted, "\n") + "\n")}},
		{"stdin without a final newline", ExplainOptions{Stdin: strings.NewReader(strings.Join(quoted, "\n"))}},
		{"stdin -z", ExplainOptions{Stdin: strings.NewReader(strings.Join(paths, "\x00") + "\x00"), NUL: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got answers
			ignored, err := Explain(repo, tc.opts, &got)
			if err != nil || ignored != anyIgnored || len(got.all) != len(want) {
				t.Fatalf("ignored %v, err %v, %d answers; want %v and %d", ignored, err, len(got.all), anyIgnored, len(want))
			}
			for i, a := range got.all {
				if a.Path != paths[i] || ruleString(a) != want[i] {
					t.Errorf("%q: %q %q, git says %q", paths[i], a.Path, ruleString(a), want[i])
				}
			}
			if got.flushed != len(got.all) {
				t.Errorf("%d answers left unflushed", len(got.all)-got.flushed)
			}
		})
	}
}

// TestExplainStreams: with Stdin, each path's answer is flushed before
// the next path is read, so that a caller writing one path at a time and
// waiting for its answer (as with git check-ignore --stdin) is not stuck.
func TestExplainStreams(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.pyc\n")
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	in, feed := io.Pipe()
	flushed := make(chan []Answer, 16)
	w := &answers{onFlush: func(a []Answer) { flushed <- a }}
	done := make(chan error, 1)
	go func() {
		_, err := Explain(repo, ExplainOptions{Stdin: in}, w)
		done <- err
	}()
	for _, p := range []string{"a.pyc", "b.py", "c.pyc"} {
		if _, err := io.WriteString(feed, p+"\n"); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-flushed:
			if len(got) != 1 || got[0].Path != p {
				t.Fatalf("after writing %s, flushed %+v", p, got)
			}
		case <-time.After(time.Minute): // a deadlock guard, not a measurement
			t.Fatalf("no answer for %s while waiting for more input", p)
		}
	}
	feed.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestExplainErrors: "" and a path outside the work tree are errors
// (gitops.ErrEmptyPath, gitops.ErrOutsideRepository), a badly quoted line
// too; the answers before them are flushed; a bare repository has no
// rules to explain.
func TestExplainErrors(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.pyc\n")
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts ExplainOptions
		is   error
	}{
		{"empty", ExplainOptions{Paths: []string{"a.pyc", ""}}, gitops.ErrEmptyPath},
		{"outside", ExplainOptions{Paths: []string{"a.pyc", "../x"}}, gitops.ErrOutsideRepository},
		{"empty line", ExplainOptions{Stdin: strings.NewReader("a.pyc\n\n")}, gitops.ErrEmptyPath},
		{"bad quoting", ExplainOptions{Stdin: strings.NewReader("a.pyc\n\"bad\n")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got answers
			_, err := Explain(repo, tc.opts, &got)
			if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("error %v, want %v", err, tc.is)
			}
			if len(got.all) != 1 || got.flushed != 1 {
				t.Errorf("answers %d, flushed %d; want the first one flushed", len(got.all), got.flushed)
			}
		})
	}
	bare, err := gitops.Open(gittest.Init(t, "--bare").Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Explain(bare, ExplainOptions{Paths: []string{"a.pyc"}}, &answers{}); !errors.Is(err, gitops.ErrBareRepository) {
		t.Errorf("bare repository: %v", err)
	}
}

// TestExplainCoverage: the kinds' coverage is ignore.Bytecode's; with
// Append what fix would is appended once, after which nothing is missing
// and a second run appends nothing.
func TestExplainCoverage(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.pyc\n")
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ExplainCoverage(repo, CoverageOptions{})
	if err != nil || !res.Incomplete || res.Kinds == nil || res.Appended.Changed() {
		t.Fatalf("coverage: %+v %v", res, err)
	}
	if got := len(res.Kinds.MissingKinds()); got != 3 {
		t.Errorf("%d kinds missing, want 3", got)
	}
	res, err = ExplainCoverage(repo, CoverageOptions{Append: true})
	if err != nil || res.Incomplete || len(res.Appended.Added) == 0 || res.Appended.Path != filepath.Join(r.Dir, ".gitignore") {
		t.Fatalf("append: %+v %v", res, err)
	}
	for _, p := range []string{"pkg/__pycache__/m.cpython-312.pyc", "m.pyo", "m$py.class"} {
		if _, _, err := r.Run(nil, "check-ignore", "-q", "--no-index", p); err != nil {
			t.Errorf("git does not ignore %s after the append: %v", p, err)
		}
	}
	res, err = ExplainCoverage(repo, CoverageOptions{Append: true})
	if err != nil || res.Appended.Changed() {
		t.Errorf("second append: %+v %v", res, err)
	}
	if res, err = ExplainCoverage(repo, CoverageOptions{}); err != nil || res.Incomplete {
		t.Errorf("after the append: %+v %v", res, err)
	}
}

// TestExplainTemplateCoverage: with a template (named relative to Dir)
// every line is judged; Append adds the missing lines, and a .gitignore
// that cannot be written is an error that still returns the coverage.
func TestExplainTemplateCoverage(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.log\n")
	r.Write("tmpl/t.gitignore", "# a template\n*.log\nbuild/\n")
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	opts := CoverageOptions{Template: "t.gitignore", Dir: filepath.Join(r.Dir, "tmpl")}
	res, err := ExplainCoverage(repo, opts)
	if err != nil || !res.Incomplete || res.Kinds != nil || len(res.Lines) != 2 {
		t.Fatalf("template: %+v %v", res, err)
	}
	if res.Lines[0].Verdict != ignore.LineCovered || res.Lines[1].Verdict == ignore.LineCovered {
		t.Errorf("verdicts %v %v", res.Lines[0].Verdict, res.Lines[1].Verdict)
	}
	gi := filepath.Join(r.Dir, ".gitignore")
	if err := os.Chmod(gi, 0o444); err != nil {
		t.Fatal(err)
	}
	opts.Append = true
	res, err = ExplainCoverage(repo, opts)
	if !errors.Is(err, ignore.ErrReadOnly) || res == nil || len(res.Lines) != 2 || res.Appended.Changed() {
		t.Errorf("read-only .gitignore: %+v %v", res, err)
	}
	if err := os.Chmod(gi, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = ExplainCoverage(repo, opts)
	if err != nil || res.Incomplete || strings.Join(res.Appended.Added, ",") != "build/" {
		t.Errorf("append: %+v %v", res, err)
	}
	if _, err := ExplainCoverage(repo, CoverageOptions{Template: "missing", Dir: r.Dir}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing template: %v", err)
	}
}
