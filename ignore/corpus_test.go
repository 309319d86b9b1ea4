package ignore

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// loadCorpus reads testdata/corpus.txt (its header explains the format).
func loadCorpus(t testing.TB, path string) []*ruleSet {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sets []*ruleSet
	var cur *ruleSet
	section, file, quoted := "", "", false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	lineNo := 0
	unquote := func(s string) string {
		u, err := strconv.Unquote(s)
		if err != nil {
			t.Fatalf("%s:%d: bad quoted line %s: %v", path, lineNo, s, err)
		}
		return u
	}
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "=== "):
			name := strings.TrimPrefix(line, "=== ")
			cur = &ruleSet{name: name, files: map[string]string{}, symlinks: map[string]string{}}
			cur.ignoreCase = strings.HasSuffix(name, " ignorecase")
			sets = append(sets, cur)
			section = ""
			continue
		case strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --"):
			section = strings.TrimSuffix(strings.TrimPrefix(line, "-- "), " --")
			file, quoted = "", false
			if name, ok := strings.CutSuffix(section, " (quoted)"); ok {
				section, quoted = name, true
			}
			switch section {
			case "dirs", "paths", "symlinks":
			default:
				file, section = section, "file"
				cur.files[file] += ""
			}
			continue
		case cur == nil || section == "":
			continue // header comments and blank lines between sets
		}
		switch section {
		case "file":
			if quoted {
				if line != "" {
					cur.files[file] += unquote(line)
				}
			} else {
				cur.files[file] += line + "\n"
			}
		case "dirs":
			if line != "" {
				cur.dirs = append(cur.dirs, line)
			}
		case "symlinks":
			if link, target, ok := strings.Cut(line, " -> "); ok {
				cur.symlinks[link] = target
			}
		case "paths":
			if line == "" {
				continue
			}
			if strings.HasPrefix(line, `"`) {
				line = unquote(line)
			}
			cur.paths = append(cur.paths, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sets
}

// TestCorpusAgainstGit runs every hand-written rule set of
// testdata/corpus.txt through git check-ignore and the Matcher: the same
// deciding SOURCE:LINE:PATTERN (or none) for every path.
func TestCorpusAgainstGit(t *testing.T) {
	sets := loadCorpus(t, "testdata/corpus.txt")
	if len(sets) < 150 {
		t.Fatalf("corpus has %d rule sets, want at least 150", len(sets))
	}
	o := newOracle(t)
	bad, paths := 0, 0
	for _, rs := range sets {
		if len(rs.paths) == 0 {
			t.Fatalf("rule set %q asks about no path", rs.name)
		}
		bad += o.compare(t, rs)
		paths += len(rs.paths)
	}
	t.Logf("%d rule sets, %d paths, %d disagreements (%d matched a rule, %d of them a negation)", len(sets), paths, bad, o.matched, o.negated)
}
