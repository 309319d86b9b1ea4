package ignore

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// pythonTemplate is GitHub's Python.gitignore (CC0), copied into testdata;
// testdata/Python.gitignore.ORIGIN says where and when it was taken.
const pythonTemplate = "testdata/Python.gitignore"

func readTemplate(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(pythonTemplate)
	if err != nil {
		t.Fatalf("reading the Python template: %v", err)
	}
	return data
}

func repoSources(r *gittest.Repo, ignoreCase bool) Sources {
	src := Sources{WorkTree: r.Dir, InfoExclude: filepath.Join(r.Dir, ".git", "info", "exclude"), IgnoreCase: ignoreCase}
	for _, kv := range r.Env {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			src.ExcludesFile = filepath.Join(v, "git", "ignore")
		}
	}
	return src
}

func coverageOf(t testing.TB, src Sources, tmpl Template) []LineCoverage {
	t.Helper()
	m, err := New(src)
	if err != nil {
		t.Fatal(err)
	}
	return TemplateCoverage(m, tmpl, src.IgnoreCase)
}

// gitVerdicts asks git check-ignore about probes: file probes as paths
// that do not exist, directory probes after creating them. It returns the
// deciding "SOURCE:LINE:PATTERN" per probe ("" for none).
func gitVerdicts(t testing.TB, r *gittest.Repo, probes []Probe, ignoreCase bool) map[Probe]gitVerdict {
	t.Helper()
	out := map[Probe]gitVerdict{}
	for _, kind := range []Kind{KindFile, KindDir} {
		var paths []string
		for _, p := range probes {
			if p.Kind != kind {
				continue
			}
			if kind == KindDir {
				if err := os.MkdirAll(filepath.Join(r.Dir, filepath.FromSlash(p.Path)), 0o755); err != nil {
					t.Fatal(err)
				}
			} else if _, err := os.Lstat(filepath.Join(r.Dir, p.Path)); err == nil {
				t.Fatalf("file probe %s exists on disk", p.Path)
			}
			paths = append(paths, p.Path)
		}
		if len(paths) == 0 {
			continue
		}
		in := strings.Join(paths, "\x00") + "\x00"
		res, errOut, err := r.Run([]byte(in), "-c", "core.ignorecase="+map[bool]string{true: "true", false: "false"}[ignoreCase],
			"check-ignore", "--no-index", "-v", "-n", "-z", "--stdin")
		if err != nil && len(res) == 0 {
			t.Fatalf("git check-ignore: %v\n%s", err, errOut)
		}
		f := gittest.SplitZ(string(res))
		for i, p := range paths {
			out[Probe{Path: p, Kind: kind}] = gitVerdict{matched: f[4*i] != "", source: f[4*i], pattern: f[4*i+2]}
		}
		if kind == KindDir {
			for _, p := range paths {
				top, _, _ := strings.Cut(p, "/")
				os.RemoveAll(filepath.Join(r.Dir, top))
			}
		}
	}
	return out
}

type gitVerdict struct {
	matched         bool
	source, pattern string
}

// checkCoverageWithGit holds the coverage report to git's answers: a line
// is LineCovered exactly when git ignores all its probes, LineNegated exactly when
// git names a "!" rule for one of them, and LineMissing/LinePartial otherwise.
func checkCoverageWithGit(t *testing.T, r *gittest.Repo, cov []LineCoverage, ignoreCase bool) {
	t.Helper()
	var probes []Probe
	for _, c := range cov {
		probes = append(probes, c.Probes...)
	}
	git := gitVerdicts(t, r, probes, ignoreCase)
	for _, c := range cov {
		notIgnored, negated := 0, false
		for _, p := range c.Probes {
			v := git[p]
			if !v.matched || strings.HasPrefix(v.pattern, "!") {
				notIgnored++
				negated = negated || v.matched
			}
		}
		want := LineCovered
		if strings.HasPrefix(c.Line.Text, "!") {
			// A template negation is covered when git ignores none of
			// the paths it names.
			ignored := len(c.Probes) - notIgnored
			switch {
			case ignored == len(c.Probes):
				want = LineMissing
			case ignored > 0:
				want = LinePartial
			}
			negated, notIgnored = false, 0
		}
		switch {
		case negated:
			want = LineNegated
		case notIgnored == len(c.Probes):
			want = LineMissing
		case notIgnored > 0:
			want = LinePartial
		}
		if len(c.Probes) == 0 {
			t.Errorf("template line %q has no probes", c.Line.Text)
		}
		if c.Verdict != want {
			t.Errorf("template line %q: pycguard says %s, git's answers for its probes say %s", c.Line.Text, c.Verdict, want)
		}
	}
}

var coverageCases = []struct {
	name       string
	gitignore  string
	info       string
	excludes   string
	ignoreCase bool
	want       []LineVerdict // for __pycache__/, *.py[codz], *$py.class
}{
	{name: "nothing", want: []LineVerdict{LineMissing, LineMissing, LineMissing}},
	{name: "template section", gitignore: bytecodeSection, want: []LineVerdict{LineCovered, LineCovered, LineCovered}},
	{name: "pyc alone", gitignore: "*.pyc\n", want: []LineVerdict{LineMissing, LinePartial, LineMissing}},
	{name: "older template", gitignore: "__pycache__/\n*.py[cod]\n*$py.class\n", want: []LineVerdict{LineCovered, LinePartial, LineCovered}},
	{name: "pycache without slash", gitignore: "__pycache__\n", want: []LineVerdict{LineCovered, LineMissing, LineMissing}},
	{name: "pycache anchored", gitignore: "/__pycache__/\n", want: []LineVerdict{LinePartial, LineMissing, LineMissing}},
	{name: "pycache contents only", gitignore: "__pycache__/*\n", want: []LineVerdict{LineMissing, LineMissing, LineMissing}},
	{name: "double star forms", gitignore: "**/__pycache__/\n**/*.py[codz]\n**/*$py.class\n", want: []LineVerdict{LineCovered, LineCovered, LineCovered}},
	{name: "keep one pyc", gitignore: "__pycache__/\n*.py[codz]\n*$py.class\n!keep.pyc\n", want: []LineVerdict{LineCovered, LineNegated, LineCovered}},
	{name: "negated pycache dir", gitignore: "*.py[codz]\n!__pycache__/\n", want: []LineVerdict{LineNegated, LineCovered, LineMissing}},
	{name: "everything ignored", gitignore: "*\n", want: []LineVerdict{LineCovered, LineCovered, LineCovered}},
	{name: "everything but python", gitignore: "*\n!*.py\n!*/\n", want: []LineVerdict{LineNegated, LineNegated, LineNegated}}, // directories named x.pyc are un-ignored
	{name: "everything but python files", gitignore: "*\n!*.py\n", want: []LineVerdict{LineCovered, LineCovered, LineCovered}},
	{name: "each extension", gitignore: "*.pyc\n*.pyo\n*.pyd\n*.pyz\n*.class\n__pycache__/\n", want: []LineVerdict{LineCovered, LineCovered, LineCovered}},
	{name: "info exclude", info: bytecodeSection, want: []LineVerdict{LineCovered, LineCovered, LineCovered}},
	{name: "excludes file", excludes: "__pycache__/\n*.py[co]\n", want: []LineVerdict{LineCovered, LinePartial, LineMissing}},
	{name: "root negates info exclude", info: "*.py[codz]\n", gitignore: "!*.pyd\n", want: []LineVerdict{LineMissing, LineNegated, LineMissing}},
	{name: "CRLF and BOM", gitignore: "\xef\xbb\xbf__pycache__/\r\n*.py[codz]\r\n*$py.class\r\n", want: []LineVerdict{LineCovered, LineCovered, LineCovered}},
	{name: "ignorecase upper", gitignore: "__PYCACHE__/\n*.PY[CODZ]\n*$PY.CLASS\n", ignoreCase: true, want: []LineVerdict{LineCovered, LineMissing, LineCovered}},
	{name: "ignorecase lower", gitignore: "*.py[codz]\n", ignoreCase: true, want: []LineVerdict{LineMissing, LineCovered, LineMissing}},
	{name: "case sensitive upper", gitignore: "*.PYC\n__PYCACHE__/\n", want: []LineVerdict{LineMissing, LineMissing, LineMissing}},
	{name: "question mark", gitignore: "*.py?\n*?py.class\n", want: []LineVerdict{LineMissing, LineCovered, LineCovered}},
	{name: "suffix star", gitignore: "*.py*\n", want: []LineVerdict{LineMissing, LineCovered, LineMissing}},
	{name: "directory only pyc", gitignore: "*.pyc/\n", want: []LineVerdict{LineMissing, LinePartial, LineMissing}},
}

// TestCoverageAgainstGit checks the coverage verdicts for the bytecode
// section in many repositories against git's answers for every probe, then
// appends the missing lines and checks that git now ignores every probe of
// every line that is not deliberately negated, and that a second append
// changes nothing.
func TestCoverageAgainstGit(t *testing.T) {
	for _, tc := range coverageCases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			src := repoSources(r, tc.ignoreCase)
			if tc.gitignore != "" {
				r.Write(".gitignore", tc.gitignore)
			}
			if tc.info != "" {
				r.Write(".git/info/exclude", tc.info)
			}
			if tc.excludes != "" {
				if err := os.MkdirAll(filepath.Dir(src.ExcludesFile), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(src.ExcludesFile, []byte(tc.excludes), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tmpl := BytecodeTemplate()
			cov := coverageOf(t, src, tmpl)
			var got []LineVerdict
			for _, c := range cov {
				got = append(got, c.Verdict)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("verdicts %v, want %v", got, tc.want)
			}
			checkCoverageWithGit(t, r, cov, tc.ignoreCase)

			res, err := AppendSections(filepath.Join(r.Dir, ".gitignore"), MissingSections(tmpl, cov))
			if err != nil {
				t.Fatal(err)
			}
			after := coverageOf(t, src, tmpl)
			checkCoverageWithGit(t, r, after, tc.ignoreCase)
			for i, c := range after {
				if cov[i].Verdict != LineNegated && c.Verdict != LineCovered {
					t.Errorf("after appending %q, %q is %s", res.Added, c.Line.Text, c.Verdict)
				}
				if c.NeedsAppend() {
					t.Errorf("after appending, %q still needs appending", c.Line.Text)
				}
			}
			before, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore"))
			again, err := AppendSections(filepath.Join(r.Dir, ".gitignore"), MissingSections(tmpl, after))
			if err != nil || again.Changed() {
				t.Errorf("second append: %+v, %v", again, err)
			}
			if now, _ := os.ReadFile(filepath.Join(r.Dir, ".gitignore")); string(now) != string(before) {
				t.Errorf("second append changed the file")
			}
		})
	}
}

// TestFullTemplateCoverageAgainstGit does the same for every line of the
// Python template in a repository with a few Python rules of its own.
func TestFullTemplateCoverageAgainstGit(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".gitignore", "*.pyc\n/build/\n.venv\n!.env.example\n")
	src := repoSources(r, false)
	tmpl := ParseTemplate(readTemplate(t))
	cov := coverageOf(t, src, tmpl)
	checkCoverageWithGit(t, r, cov, false)
	if _, err := AppendSections(filepath.Join(r.Dir, ".gitignore"), MissingSections(tmpl, cov)); err != nil {
		t.Fatal(err)
	}
	after := coverageOf(t, src, tmpl)
	checkCoverageWithGit(t, r, after, false)
	for _, c := range after {
		if c.NeedsAppend() {
			t.Errorf("after appending, %q is %s", c.Line.Text, c.Verdict)
		}
	}
}

// TestTemplateCoversItself: a repository whose .gitignore is the Python
// template is covered on every line of it.
func TestTemplateCoversItself(t *testing.T) {
	data := readTemplate(t)
	r := gittest.Init(t)
	r.Write(".gitignore", string(data))
	tmpl := ParseTemplate(data)
	if n := len(tmpl.AllLines()); n < 90 {
		t.Fatalf("template has %d rules; is it the Python template?", n)
	}
	for _, c := range coverageOf(t, repoSources(r, false), tmpl) {
		if c.Verdict != LineCovered {
			t.Errorf("line %d %q: %s (uncovered %v, negation %v)", c.Line.Line, c.Line.Text, c.Verdict, c.Uncovered, c.Negation)
		}
	}
}

func TestParseTemplateSections(t *testing.T) {
	tmpl := ParseTemplate(readTemplate(t))
	first := tmpl.Sections[0]
	if !slices.Equal(first.Header, []string{BytecodeHeader}) {
		t.Errorf("first header %q", first.Header)
	}
	var texts []string
	for _, l := range first.Lines {
		texts = append(texts, l.Text)
	}
	if !slices.Equal(texts, []string{"__pycache__/", "*.py[codz]", "*$py.class"}) {
		t.Errorf("first section %q", texts)
	}
	bc := BytecodeTemplate()
	if len(bc.Sections) != 1 || len(bc.Sections[0].Lines) != 3 {
		t.Errorf("bytecode template %+v", bc)
	}
}

// kindCases: verdicts for __pycache__/, *.pyc, *.pyo, *$py.class.
var kindCases = []struct {
	name, gitignore, info string
	want                  string
}{
	{"nothing", "", "", "missing missing missing missing"},
	{"template", bytecodeSection, "", "covered covered covered covered"},
	{"older template", "__pycache__/\n*.py[cod]\n*$py.class\n", "", "covered covered covered covered"},
	{"oldest template", "__pycache__/\n*.py[co]\n*$py.class\n", "", "covered covered covered covered"},
	{"pyc alone", "*.pyc\n", "", "missing covered missing missing"},
	{"negation hides no kind", "__pycache__/\n*.pyc\n!/jy/keep$py.class\n", "", "covered covered missing missing"},
	{"negated legacy pyc", "*.pyc\n!static/legacy/*.pyc\n", "", "missing kept missing missing"},
	{"kept and covered", bytecodeSection + "!static/legacy/*.pyc\n", "", "covered kept covered covered"},
	{"pycache anchored", "/__pycache__/\n*.py[co]\n*.class\n", "", "missing covered covered covered"},
	{"pycache without slash", "__pycache__\n*.py[co]\n*$py.class\n", "", "covered covered covered covered"},
	{"double star", "**/__pycache__\n**/*.py[co]\n**/*$py.class\n", "", "covered covered covered covered"},
	{"CRLF and BOM", "\xef\xbb\xbf__pycache__/\r\n*.py[codz]\r\n*$py.class", "", "covered covered covered covered"},
	{"info exclude negation", "", "*.py[co]\n!keep.pyc\n", "missing missing covered missing"},
	{"directory negation", "__pycache__/\n*.py[co]\n*$py.class\n!__pycache__/\n", "", "missing covered covered covered"},
}

// TestBytecodeKindsAgainstGit checks each kind's verdict, and that every
// probe's state is git check-ignore's: ignored, kept (a .gitignore "!"
// rule decides it) or missing.
func TestBytecodeKindsAgainstGit(t *testing.T) {
	for _, tc := range kindCases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.Init(t)
			if tc.gitignore != "" {
				r.Write(".gitignore", tc.gitignore)
			}
			if tc.info != "" {
				r.Write(".git/info/exclude", tc.info)
			}
			rep, err := Bytecode(repoSources(r, false), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			var probes []Probe
			for _, k := range rep.Kinds {
				got = append(got, k.Verdict.String())
				probes = append(probes, k.Probes...)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("verdicts %q, want %q", strings.Join(got, " "), tc.want)
			}
			git := gitVerdicts(t, r, probes, false)
			for _, k := range rep.Kinds {
				for _, p := range k.Probes {
					v := git[p]
					want := "missing"
					switch {
					case v.matched && !strings.HasPrefix(v.pattern, "!"):
						want = "ignored"
					case v.matched && strings.HasSuffix(v.source, ".gitignore"):
						want = "kept"
					}
					state := "ignored"
					if slices.Contains(k.Kept, p) {
						state = "kept"
					} else if slices.Contains(k.Missing, p) {
						state = "missing"
					}
					if state != want {
						t.Errorf("%s %s: pycguard says %s, git %+v", k.Kind, p.Path, state, v)
					}
				}
			}
		})
	}
}
