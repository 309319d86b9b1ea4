package ignore

import (
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/safefile"
)

// This file answers one question for every command (check's warning,
// audit, explain --coverage, fix): does git ignore Python bytecode here?
// It is asked per kind of bytecode, of probe paths, with git's own rules
// (the Matcher); the template's lines are only information
// (templatecoverage.go).

// BytecodeKind is a kind of Python bytecode a .gitignore should ignore.
type BytecodeKind uint8

// Kinds of bytecode, in the order reports list them.
const (
	PycacheContents BytecodeKind = iota // every file inside a __pycache__ directory
	PycFiles                            // *.pyc
	PyoFiles                            // *.pyo
	JythonFiles                         // *$py.class
)

// BytecodeKinds lists every kind, in report order.
var BytecodeKinds = []BytecodeKind{PycacheContents, PycFiles, PyoFiles, JythonFiles}

var kindNames = [...]string{"__pycache__/", "*.pyc", "*.pyo", "*$py.class"}

// String returns "__pycache__/", "*.pyc", "*.pyo" or "*$py.class".
func (k BytecodeKind) String() string { return kindNames[k] }

// kindOf returns the kind of the bytecode file p; false when p is not
// bytecode.
func kindOf(p string, fold bool) (BytecodeKind, bool) {
	switch bytecode.Classify(p, fold) {
	case bytecode.InPycache:
		return PycacheContents, true
	case bytecode.Pyc:
		return PycFiles, true
	case bytecode.Pyo:
		return PyoFiles, true
	case bytecode.JythonClass:
		return JythonFiles, true
	}
	return 0, false
}

// kindSamples are the file names probed for each kind, in each probe
// directory. A __pycache__ holds more than .pyc files (CPython writes
// "m.cpython-312.pyc.<number>" and renames it), and all of it is
// bytecode to pycguard.
var kindSamples = [...][]string{
	PycacheContents: {"__pycache__/m.cpython-312.pyc", "__pycache__/m.cpython-312.pyc.4521803808"},
	PycFiles:        {"m.pyc"},
	PyoFiles:        {"m.pyo"},
	JythonFiles:     {"m$py.class"},
}

// probeDirs are where every kind is probed: the top, one level down, and
// deep.
var probeDirs = []string{"", "pkg/", "src/app/pkg/"}

// Verdict is the answer for one kind of bytecode.
type Verdict uint8

// Verdicts, from best to worst.
const (
	// Covered: git ignores every probe of the kind.
	Covered Verdict = iota
	// Kept: a "!" rule of a .gitignore file decides some probes (they are
	// kept on purpose, never overridden) and git ignores every other one.
	Kept
	// Missing: some probe is ignored by no rule (or only un-ignored by a
	// negation in info/exclude or core.excludesFile, which are personal
	// and do not keep bytecode on purpose).
	Missing
)

var verdictNames = [...]string{"covered", "kept", "missing"}

// String returns "covered", "kept" or "missing".
func (v Verdict) String() string { return verdictNames[v] }

// Probe is a path used to test the rules: a file or a directory.
type Probe struct {
	Path string
	Kind Kind // KindFile or KindDir
}

// KindCoverage is the coverage of one kind of bytecode.
type KindCoverage struct {
	Kind    BytecodeKind
	Verdict Verdict
	// Rules are the distinct rules that ignore its probes, first met
	// first; Negations the distinct .gitignore "!" rules that keep some.
	Rules, Negations []*Rule
	// Probes are the files tried; Kept those a negation keeps; Missing
	// those git does not ignore otherwise.
	Probes, Kept, Missing []Probe
}

// Report is how one work tree's ignore rules cover Python bytecode.
type Report struct {
	Kinds []KindCoverage
	src   Sources
	m     *Matcher
	// probes are all the paths tried (the kinds' files, and the paths the
	// negations name, as files and directories), answers their answers.
	probes  []Probe
	answers map[Probe]answer
}

// HasMissing reports whether some kind is Missing: check's warning, and
// work for fix.
func (r *Report) HasMissing() bool { return len(r.MissingKinds()) > 0 }

// HasNegations reports whether the rules read have a "!" rule: only then
// can core.ignorecase turn a covered kind into a missing one (a negation
// that matches more when case is folded).
func (r *Report) HasNegations() bool { return len(r.m.negations()) > 0 }

// MissingKinds returns the kinds that are Missing.
func (r *Report) MissingKinds() []BytecodeKind {
	var out []BytecodeKind
	for _, k := range r.Kinds {
		if k.Verdict == Missing {
			out = append(out, k.Kind)
		}
	}
	return out
}

// Matcher returns the matcher the report asked.
func (r *Report) Matcher() *Matcher { return r.m }

// Template returns the coverage of the current template's bytecode section
// line by line. It is information: "*.py[codz]" also names .pyd and .pyz
// files, which are not bytecode, so an older "*.py[cod]" covers every kind
// and still shows here as partly covered.
func (r *Report) Template() []LineCoverage {
	return TemplateCoverage(r.m, BytecodeTemplate(), r.src.IgnoreCase)
}

type probeState uint8

const (
	stateIgnored probeState = iota
	stateKept               // a .gitignore negation decides it
	stateNotIgnored
)

type answer struct {
	state probeState
	rule  *Rule // the deciding rule, nil for none
}

// Bytecode judges how the ignore rules of src cover each kind of bytecode.
// Every kind is probed as files at the top, one level down and deep
// (__pycache__ contents inside a __pycache__ directory at each of those
// places); each "!" rule adds the paths it names, as file and directory,
// and the bytecode files beside and inside them; extra adds paths of the
// repository (fix and audit pass tracked bytecode and .gitignore files):
// the .gitignore files above them are read, and the bytecode ones are
// probed too. Each probe is asked of the rules as git asks them
// (Matcher.Match, with the file system below src.WorkTree deciding nothing
// but the .gitignore files read).
//
// This is the one coverage answer of pycguard: check warns when a kind is
// Missing, audit and explain --coverage report the kinds, fix appends what
// Completion computes.
func Bytecode(src Sources, extra []string) (*Report, error) {
	m, err := New(src)
	if err != nil {
		return nil, err
	}
	for _, p := range extra {
		m.Match(p, KindFile)
	}
	r := &Report{src: src, m: m, answers: map[Probe]answer{}}
	add := func(p Probe) {
		if p.Path == "" || strings.HasPrefix(p.Path, "/") {
			return
		}
		if _, ok := r.answers[p]; !ok {
			r.answers[p] = answer{}
			r.probes = append(r.probes, p)
		}
	}
	addKinds := func(dir string) {
		for _, k := range BytecodeKinds {
			for _, name := range kindSamples[k] {
				add(Probe{Path: dir + name, Kind: KindFile})
			}
		}
		add(Probe{Path: dir + bytecode.PycacheDir, Kind: KindDir})
	}
	for _, d := range probeDirs {
		addKinds(d)
	}
	for _, n := range m.negations() {
		for _, p := range probesFor(n) {
			add(p)
			dir := p.Path
			if p.Kind == KindFile {
				dir = path.Dir(p.Path)
			}
			if dir == "." {
				dir = ""
			} else {
				dir += "/"
			}
			addKinds(dir)
		}
	}
	for _, p := range extra {
		if _, ok := kindOf(p, src.IgnoreCase); ok {
			add(Probe{Path: p, Kind: KindFile})
		}
	}
	for _, p := range r.probes {
		r.answers[p] = answerFor(m, p)
	}
	r.Kinds = r.judge()
	return r, nil
}

// answerFor asks m about p.
func answerFor(m *Matcher, p Probe) answer {
	res := m.Match(p.Path, p.Kind)
	switch {
	case res.Ignored():
		return answer{stateIgnored, res.Rule}
	case res.Rule != nil && !m.isPersonal(res.Rule):
		return answer{stateKept, res.Rule}
	}
	return answer{stateNotIgnored, res.Rule}
}

// judge turns the answers for the kinds' file probes into verdicts.
func (r *Report) judge() []KindCoverage {
	out := make([]KindCoverage, len(BytecodeKinds))
	for i, k := range BytecodeKinds {
		out[i].Kind = k
	}
	for _, p := range r.probes {
		k, ok := kindOf(p.Path, r.src.IgnoreCase)
		if p.Kind != KindFile || !ok {
			continue
		}
		c := &out[k]
		c.Probes = append(c.Probes, p)
		a := r.answers[p]
		switch a.state {
		case stateIgnored:
			if !containsRule(c.Rules, a.rule) {
				c.Rules = append(c.Rules, a.rule)
			}
		case stateKept:
			c.Kept = append(c.Kept, p)
			if !containsRule(c.Negations, a.rule) {
				c.Negations = append(c.Negations, a.rule)
			}
		default:
			c.Missing = append(c.Missing, p)
		}
	}
	for i := range out {
		switch {
		case len(out[i].Missing) > 0:
			out[i].Verdict = Missing
		case len(out[i].Kept) > 0:
			out[i].Verdict = Kept
		}
	}
	return out
}

// Unignored returns the rule that un-ignores a Missing probe: a negation
// of info/exclude or core.excludesFile, nil when no rule matches it.
func (r *Report) Unignored(p Probe) *Rule { return r.answers[p].rule }

// KeptOnPurpose returns the "!" rule of a .gitignore file that decides
// the file path (relative to the work tree top): git does not ignore the
// path because the repository's rules deliberately un-ignore it. Nil when
// the path is ignored, matched by no rule, or un-ignored only by
// info/exclude or core.excludesFile (personal files, not the
// repository's intent).
func (m *Matcher) KeptOnPurpose(path string) *Rule {
	res := m.Match(path, KindFile)
	if res.Rule == nil || !res.Rule.Negated || m.isPersonal(res.Rule) {
		return nil
	}
	return res.Rule
}

// isPersonal reports whether r comes from info/exclude or
// core.excludesFile rather than a .gitignore of the work tree.
func (m *Matcher) isPersonal(r *Rule) bool {
	for _, l := range m.lower {
		for _, x := range l.rules {
			if x == r {
				return true
			}
		}
	}
	return false
}

// Completion is what fix appends to the top .gitignore so that git
// ignores every bytecode probe but those a .gitignore negation keeps.
//
// The new lines are the template's, one per Missing kind
// ("__pycache__/", "*.py[codz]", "*$py.class"). A line appended after a
// "!" rule wins over it, so when a new line would ignore a path that a
// negation of the top .gitignore keeps, the top .gitignore's rules from
// that negation on are repeated, in order, after the new lines: every path
// they decided they decide again, and the new lines decide only paths
// that no rule of that part matched. When a kept path lies inside a
// __pycache__ directory, "**/__pycache__/**" (the directory's contents)
// replaces "__pycache__/" (the directory, inside which nothing can be
// un-ignored). The result is checked on every probe before it is
// offered.
type Completion struct {
	// Sections are what to append, verbatim (AppendSections).
	Sections []Section
	// Lines are their rules in order; Repeated the rules of the top
	// .gitignore among them (repeated so that they keep deciding).
	Lines    []string
	Repeated []*Rule
	// Lost are probes a negation keeps now that the appended lines ignore
	// all the same (a directory they ignore holds them); Unresolved
	// bytecode probes still not ignored. Both are empty in every case
	// pycguard knows how to complete.
	Lost, Unresolved []Probe
	// LostRules are the negations that keep the Lost probes now.
	LostRules []*Rule
	after     *Matcher
}

// After returns a matcher for the rules as they will be once the
// completion is appended.
func (c *Completion) After() *Matcher { return c.after }

// pycacheForms are the lines tried for __pycache__ contents, best first.
var pycacheForms = []string{"__pycache__/", "**/__pycache__/**"}

// repeatedHeader heads the rules of the top .gitignore repeated after the
// new lines.
const repeatedHeader = "# Repeated so that they still decide after the lines above (pycguard fix)"

// Completion plans the lines that make every Missing probe ignored without
// overriding a negation (see Completion). The top .gitignore is read as
// AppendSections will read it. With nothing Missing the completion is
// empty.
func (r *Report) Completion() (*Completion, error) {
	missing := map[BytecodeKind]bool{}
	for _, k := range r.MissingKinds() {
		missing[k] = true
	}
	if len(missing) == 0 {
		return &Completion{after: r.m}, nil
	}
	top, err := readAppendTarget(filepath.Join(r.src.WorkTree, ".gitignore"))
	if err != nil {
		return nil, err
	}
	var best *Completion
	for i, form := range pycacheForms {
		if i > 0 && !missing[PycacheContents] {
			break
		}
		var lines []string
		if missing[PycacheContents] {
			lines = append(lines, form)
		}
		if missing[PycFiles] || missing[PyoFiles] {
			lines = append(lines, "*.py[codz]")
		}
		if missing[JythonFiles] {
			lines = append(lines, "*$py.class")
		}
		c, err := r.try(top, lines)
		if err != nil {
			return nil, err
		}
		if best == nil || len(c.Unresolved)+len(c.Lost) < len(best.Unresolved)+len(best.Lost) {
			best = c
		}
		if len(best.Unresolved)+len(best.Lost) == 0 {
			break
		}
	}
	return best, nil
}

// try builds the completion that appends lines (and repeats what must
// keep deciding) to top, the top .gitignore's content, and checks it on
// every probe.
func (r *Report) try(top []byte, lines []string) (*Completion, error) {
	fold := r.src.IgnoreCase
	var added []*Rule
	for _, l := range lines {
		added = append(added, NewRule(l, fold))
	}
	alone := NewFromRules(added)
	topRules := r.m.dirs[""].rules.rules
	at := map[*Rule]int{}
	for i, x := range topRules {
		at[x] = i
	}
	first := len(topRules)
	for _, p := range r.probes {
		a := r.answers[p]
		if a.state != stateKept {
			continue
		}
		if i, ok := at[a.rule]; ok && i < first && alone.Match(p.Path, p.Kind).Ignored() {
			first = i
		}
	}
	c := &Completion{Lines: lines}
	c.Sections = []Section{{Header: []string{BytecodeHeader}, Lines: templateLines(lines), Verbatim: true}}
	if first < len(topRules) {
		var again []string
		for _, x := range topRules[first:] {
			c.Repeated = append(c.Repeated, x)
			again = append(again, x.Pattern)
		}
		c.Lines = append(c.Lines, again...)
		c.Sections = append(c.Sections, Section{Header: []string{repeatedHeader}, Lines: templateLines(again), Verbatim: true})
	}
	data, _ := appendedContent(top, c.Sections)
	after, err := New(r.src)
	if err != nil {
		return nil, err
	}
	after.dirs[""].rules = newRuleList(ParseRules(data, ".gitignore", "", fold))
	c.after = after
	for _, p := range r.probes {
		before, now := r.answers[p], answerFor(after, p)
		switch {
		case before.state == stateKept && now.state == stateIgnored:
			c.Lost = append(c.Lost, p)
			if !containsRule(c.LostRules, before.rule) {
				c.LostRules = append(c.LostRules, before.rule)
			}
		case now.state == stateNotIgnored && p.Kind == KindFile:
			if _, ok := kindOf(p.Path, fold); ok {
				c.Unresolved = append(c.Unresolved, p)
			}
		}
	}
	return c, nil
}

func templateLines(texts []string) []TemplateLine {
	out := make([]TemplateLine, len(texts))
	for i, t := range texts {
		out[i] = TemplateLine{Text: t}
	}
	return out
}

// readAppendTarget reads the file AppendSections appends to (through a
// symbolic link); a missing file is empty, a directory or other non-file
// ErrNotRegularFile and a file over MaxFileSize safefile.ErrTooLarge, as
// AppendSections would say.
func readAppendTarget(p string) ([]byte, error) {
	f, err := safefile.ReadFollow(p, MaxFileSize)
	return f.Data, err
}

func containsRule(rules []*Rule, r *Rule) bool {
	for _, x := range rules {
		if x == r {
			return true
		}
	}
	return false
}

// HasGitignoreNegations reports whether a .gitignore file read so far (the
// top one, and those of the directories Match has been asked about) has a
// "!" rule. Without one, KeptOnPurpose is nil for every path asked about,
// whatever core.excludesFile and core.ignorecase say: they can make git
// read fewer .gitignore files, never more, and a rule's being a negation
// does not depend on case.
func (m *Matcher) HasGitignoreNegations() bool {
	for _, d := range m.dirs {
		for _, r := range d.rules.rules {
			if r.Negated {
				return true
			}
		}
	}
	return false
}

// negations returns the "!" rules of the sources read so far.
func (m *Matcher) negations() []*Rule {
	var out []*Rule
	add := func(rules []*Rule) {
		for _, r := range rules {
			if r.Negated {
				out = append(out, r)
			}
		}
	}
	dirs := make([]string, 0, len(m.dirs))
	for d := range m.dirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		add(m.dirs[d].rules.rules)
	}
	for _, l := range m.lower {
		add(l.rules)
	}
	return out
}

// probeDir is where a negation's floating pattern is placed deep.
const probeDir = "src/pkg/"

// maxSamples bounds the names one pattern expands to.
const maxSamples = 64

// probesFor returns paths that rule's pattern names: each sample of its
// body, where it applies (its own directory, and deep when it floats), as
// a file and as a directory (only a directory when directory-only).
func probesFor(r *Rule) []Probe {
	var out []Probe
	kinds := []Kind{KindFile, KindDir}
	if r.DirOnly {
		kinds = []Kind{KindDir}
	}
	for _, name := range samples(r.pattern.toksOrLiteral()) {
		if name == "" {
			continue
		}
		places := []string{r.base + name}
		if r.anyDir {
			places = append(places, r.base+probeDir+name)
		}
		for _, p := range places {
			for _, k := range kinds {
				out = append(out, Probe{Path: p, Kind: k})
			}
		}
	}
	return out
}

// toksOrLiteral returns the pattern as tokens whatever its shape.
func (g *glob) toksOrLiteral() []token {
	switch g.shape {
	case shapeLiteral:
		toks := make([]token, len(g.literal))
		for i := range g.literal {
			toks[i] = token{kind: tLiteral, b: g.literal[i]}
		}
		return toks
	case shapeSuffix:
		return append([]token{{kind: tStar}}, g.toks...)
	case shapeGeneral:
		return g.toks
	}
	return nil
}

// samples expands tokens into concrete names: every printable member of a
// small class (all of "[codz]"), one member of a large one, "x" for "*"
// and "?", "" and "d/" for "**/", "x" and "d/x" for a final "**".
func samples(toks []token) []string {
	names := []string{""}
	for _, t := range toks {
		var alts []string
		switch t.kind {
		case tLiteral:
			alts = []string{string(t.b)}
		case tAny, tStar:
			alts = []string{"x"}
		case tDirs:
			alts = []string{"", "d/"}
		case tRest:
			alts = []string{"x", "d/x"}
		case tClass:
			alts = classSamples(t.set)
		}
		if len(alts) == 0 {
			return nil
		}
		next := make([]string, 0, len(names)*len(alts))
		for _, n := range names {
			for _, a := range alts {
				if len(next) < maxSamples {
					next = append(next, n+a)
				}
			}
		}
		names = next
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, "/")
	}
	return names
}

func classSamples(set *byteSet) []string {
	var members []string
	for c := 0x21; c < 0x7f; c++ {
		if set.has(byte(c)) {
			members = append(members, string(rune(c)))
		}
	}
	if len(members) == 0 {
		for c := 0x80; c < 0x100; c++ {
			if set.has(byte(c)) {
				return []string{string([]byte{byte(c)})}
			}
		}
		return nil
	}
	if len(members) > 8 {
		// A large set: one letter when it has one, else its first member.
		for _, m := range members {
			if isLower(m[0]) {
				return []string{m}
			}
		}
		return members[:1]
	}
	return members

}
