package ignore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitignoreFromTreeAgainstGit runs the corpus's rule sets with the
// .gitignore files handed over by Sources.Gitignore (as scan reads them
// from a commit's tree) instead of read from the work tree, each path's
// kind taken from the file system: the deciding rule is git check-ignore's
// for every path. Sets with symbolic links are left out (a tree holds no
// file system to follow them through).
func TestGitignoreFromTreeAgainstGit(t *testing.T) {
	o := newOracle(t)
	sets, paths, bad := 0, 0, 0
	for _, rs := range loadCorpus(t, "testdata/corpus.txt") {
		if len(rs.symlinks) > 0 {
			continue
		}
		o.setup(t, rs)
		want := o.gitAnswers(t, rs)
		m, err := New(Sources{
			InfoExclude:  filepath.Join(o.r.Dir, ".git", "info", "exclude"),
			ExcludesFile: o.excludes,
			IgnoreCase:   rs.ignoreCase,
			Gitignore: func(rel string) []byte {
				if c, ok := rs.files[rel]; ok {
					return []byte(c)
				}
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range rs.paths {
			kind := KindFile
			if fi, err := os.Lstat(filepath.Join(o.r.Dir, filepath.FromSlash(strings.TrimSuffix(p, "/")))); err == nil && fi.IsDir() {
				kind = KindDir
			}
			got := ""
			if r := m.Match(p, kind).Rule; r != nil {
				// Without a work tree info/exclude is named by its path.
				got = strings.TrimPrefix(r.String(), o.r.Dir+string(filepath.Separator))
			}
			if got != want[i] {
				bad++
				if bad <= 5 {
					t.Errorf("%s: path %q: git says %q, from the tree %q\n%s", rs.name, p, want[i], got, rs.describe())
				}
			}
		}
		sets++
		paths += len(rs.paths)
	}
	if sets < 100 {
		t.Fatalf("only %d rule sets without symbolic links", sets)
	}
	t.Logf("%d rule sets, %d paths, %d disagreements", sets, paths, bad)
}
