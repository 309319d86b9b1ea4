package ignore

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// ruleSet is one case of the differential tests: ignore files, the
// directories that exist on disk, and the paths asked about.
type ruleSet struct {
	name string
	// files maps a location to its content: ".gitignore", "sub/.gitignore"
	// (any file in the work tree), infoExclude, or excludesFile.
	files      map[string]string
	dirs       []string // directories created on disk (paths asked about may be among them)
	symlinks   map[string]string
	paths      []string
	ignoreCase bool
}

const (
	infoExclude  = "@info/exclude"
	excludesFile = "@excludesFile"
)

// oracle is a repository reused for many rule sets: git check-ignore is
// the judge, pycguard's Matcher must give the same rule for every path.
type oracle struct {
	r        *gittest.Repo
	home     string
	excludes string // the default core.excludesFile: $XDG_CONFIG_HOME/git/ignore

	matched, negated int // answers with a rule, and with a negation (coverage of the test itself)
}

func newOracle(t testing.TB) *oracle {
	r := gittest.Init(t)
	o := &oracle{r: r}
	for _, kv := range r.Env {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			o.excludes = filepath.Join(v, "git", "ignore")
		}
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			o.home = v
		}
	}
	if o.excludes == "" {
		t.Fatal("gittest environment has no XDG_CONFIG_HOME")
	}
	return o
}

// reset empties the work tree (keeping .git) and the two outside sources.
func (o *oracle) reset(t testing.TB) {
	ents, err := os.ReadDir(o.r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() == ".git" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(o.r.Dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(filepath.Join(o.r.Dir, ".git", "info", "exclude"))
	os.Remove(o.excludes)
}

func (o *oracle) setup(t testing.TB, rs *ruleSet) {
	o.reset(t)
	for _, d := range rs.dirs {
		if err := os.MkdirAll(filepath.Join(o.r.Dir, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for loc, content := range rs.files {
		var p string
		switch loc {
		case infoExclude:
			p = filepath.Join(o.r.Dir, ".git", "info", "exclude")
		case excludesFile:
			p = o.excludes
		default:
			p = filepath.Join(o.r.Dir, filepath.FromSlash(loc))
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range rs.symlinks {
		p := filepath.Join(o.r.Dir, filepath.FromSlash(link))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

// gitAnswers asks git check-ignore -v -n --no-index -z for every path and
// returns "SOURCE:LINE:PATTERN" ("" for no match) per path.
func (o *oracle) gitAnswers(t testing.TB, rs *ruleSet) []string {
	var in strings.Builder
	for _, p := range rs.paths {
		in.WriteString(p)
		in.WriteByte(0)
	}
	args := []string{"-c", "core.ignorecase=" + strconv.FormatBool(rs.ignoreCase),
		"check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"}
	out, errOut, err := o.r.Run([]byte(in.String()), args...)
	if err != nil && len(out) == 0 {
		t.Fatalf("%s: git check-ignore: %v\n%s", rs.name, err, errOut)
	}
	f := gittest.SplitZ(string(out))
	if len(f) != 4*len(rs.paths) {
		t.Fatalf("%s: git check-ignore gave %d fields for %d paths: %q\n%s", rs.name, len(f), len(rs.paths), f, errOut)
	}
	ans := make([]string, len(rs.paths))
	for i := range rs.paths {
		if f[4*i+3] != rs.paths[i] {
			t.Fatalf("%s: git answered for %q, asked %q", rs.name, f[4*i+3], rs.paths[i])
		}
		if f[4*i] != "" {
			ans[i] = f[4*i] + ":" + f[4*i+1] + ":" + f[4*i+2]
		}
	}
	return ans
}

func (o *oracle) ourAnswers(t testing.TB, rs *ruleSet) []string {
	m, err := New(Sources{
		WorkTree:     o.r.Dir,
		InfoExclude:  filepath.Join(o.r.Dir, ".git", "info", "exclude"),
		ExcludesFile: o.excludes,
		IgnoreCase:   rs.ignoreCase,
	})
	if err != nil {
		t.Fatal(err)
	}
	ans := make([]string, len(rs.paths))
	for i, p := range rs.paths {
		if r := m.Match(p, KindUnknown).Rule; r != nil {
			ans[i] = r.String()
		}
	}
	return ans
}

// compare runs one rule set through git and pycguard and reports every
// disagreement; it returns their number.
func (o *oracle) compare(t testing.TB, rs *ruleSet) int {
	t.Helper()
	o.setup(t, rs)
	want := o.gitAnswers(t, rs)
	got := o.ourAnswers(t, rs)
	bad := 0
	for i := range want {
		if want[i] != "" {
			o.matched++
			if strings.Contains(want[i], ":!") {
				o.negated++
			}
		}
		if want[i] != got[i] {
			bad++
			if bad <= 5 {
				t.Errorf("%s: path %q: git says %q, pycguard says %q\n%s", rs.name, rs.paths[i], want[i], got[i], rs.describe())
			}
		}
	}
	return bad
}

func (rs *ruleSet) describe() string {
	var b strings.Builder
	locs := make([]string, 0, len(rs.files))
	for loc := range rs.files {
		locs = append(locs, loc)
	}
	sort.Strings(locs)
	for _, loc := range locs {
		b.WriteString("  -- " + loc + " --\n")
		for _, l := range strings.SplitAfter(rs.files[loc], "\n") {
			if l != "" {
				b.WriteString("    " + strconv.Quote(l) + "\n")
			}
		}
	}
	if len(rs.dirs) > 0 {
		b.WriteString("  dirs: " + strings.Join(rs.dirs, " ") + "\n")
	}
	if rs.ignoreCase {
		b.WriteString("  core.ignorecase=true\n")
	}
	return b.String()
}
