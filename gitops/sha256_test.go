package gitops

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// sha256Repo is historyRepo's history in a repository whose objects are
// named by SHA-256 (git init --object-format=sha256).
func sha256Repo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.Init(t, "--object-format=sha256")
	if got := strings.TrimSpace(r.Git("rev-parse", "--show-object-format")); got != "sha256" {
		t.Fatalf("object format %q", got)
	}
	fillHistory(r)
	return r
}

// TestSHA256IndexMatchesGit: in a SHA-256 repository the scanner reads
// every index version itself (no fallback) and gives the entries, with
// their full 32-byte names, that git ls-files -s gives.
func TestSHA256IndexMatchesGit(t *testing.T) {
	r := gittest.Init(t, "--object-format=sha256")
	for i, n := range hostileNames {
		r.Write(n, "content "+strings.Repeat("x", i))
	}
	r.Commit("base")
	r.Write("ita.pyc", "intent")
	r.Git("add", "-N", "ita.pyc")
	r.Git("update-index", "--skip-worktree", "Foo$py.class")
	for _, version := range []string{"2", "3", "4"} {
		r.Git("update-index", "--index-version", version)
		repo := discover(t, r)
		scan, err := repo.scanIndexFile(nil, all)
		if err != nil {
			t.Fatalf("v%s: %v", version, err)
		}
		if scan.valid.empty() && version == "2" {
			t.Errorf("v%s: no valid cache-tree node read", version)
		}
		got, want := formatEntries(scan.entries), lsFiles(t, r)
		if !slices.Equal(got, want) {
			t.Fatalf("v%s: scanner disagrees with git ls-files -s:\n got %q\nwant %q", version, got, want)
		}
		if len(got[0]) < 64 {
			t.Fatalf("v%s: short names: %q", version, got[0])
		}
	}
}

// TestSHA256ObjectStoreAgreesWithGit: every object of a SHA-256
// repository, loose and packed with offset and named-base deltas, reads
// in-process as git cat-file gives it, hashed against its 64-hex name.
func TestSHA256ObjectStoreAgreesWithGit(t *testing.T) {
	r := sha256Repo(t)
	checkStoreAgrees(t, r, "sha256 loose")
	r.Git("repack", "-adfq", "--depth=50", "--window=50")
	if packed, deltas := packStats(t, r); packed == 0 || deltas < 20 {
		t.Fatalf("repack made %d deltas of %d objects; the test needs deltas", deltas, packed)
	}
	checkStoreAgrees(t, r, "sha256 packed, offset deltas")
	r.Git("-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq", "--depth=50", "--window=50")
	checkStoreAgrees(t, r, "sha256 packed, named-base deltas")

	// A SHA-1 name asked of a SHA-256 store is refused, never looked up.
	st, err := discover(t, r).objectStore(maxTreeObject)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if _, _, err := st.read(objectIDFrom(make([]byte, sha1Len))); err == nil {
		t.Error("a 20-byte name was read from a SHA-256 store")
	}
}

// TestSHA256StagedChangesInProcess: check's question in a SHA-256
// repository is answered by the scanner and the object reader (no
// fallback), equal to git diff --cached.
func TestSHA256StagedChangesInProcess(t *testing.T) {
	r := sha256Repo(t)
	r.Git("repack", "-adq")
	r.Write("pkg/__pycache__/mod.cpython-312.pyc", "changed")
	r.Write("pkg/sub1/new.pyc", "new")
	r.Write("pkg/sub2/mod.py", "changed source")
	r.Git("add", "-A")
	repoBC := func(p string) bool { return bytecode.IsBytecode(p, false) }
	repo := discover(t, r)
	if _, err := repo.resolveHead(); err != nil {
		t.Fatalf("resolveHead: %v", err)
	}
	res, err := repo.StagedChanges(nil, repoBC)
	if err != nil {
		t.Fatal(err)
	}
	if res.ViaGit != "" {
		t.Errorf("read through git: %s", res.ViaGit)
	}
	want := gitStaged(t, r, repoBC)
	if got := formatChanges(res.Changes); !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf("staged\n got %q\nwant %q", got, want)
	}
	tr, err := repo.Tracked(nil, repoBC)
	if err != nil {
		t.Fatal(err)
	}
	if tr.ViaGit != "" || len(tr.Entries) != 2 || tr.Entries[0].HexHash() == "" || len(tr.Entries[0].HexHash()) != 64 {
		t.Errorf("tracked: %+v", tr)
	}
}

// TestSHA256ReadObjectsDirect: pre-receive's queries in a SHA-256
// repository are answered in-process as git cat-file --batch answers them.
func TestSHA256ReadObjectsDirect(t *testing.T) {
	r := sha256Repo(t)
	r.Write("pyproject.toml", "[tool.pycguard]\nallow = [\"x.pyc\"]\n")
	r.Commit("configuration")
	r.Git("repack", "-adq")
	id := func(rev string) string { return strings.TrimSpace(r.Git("rev-parse", rev)) }
	var queries []string
	for _, tip := range []string{id("HEAD"), id("HEAD~3"), id("v1")} {
		queries = append(queries, tip+":pyproject.toml", tip+":pkg/sub3/mod.py", tip+":absent", tip+"^{}")
	}
	keep := map[string]bool{"blob": true}
	repo, err := Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	want, err := repo.readObjectsGit(queries, keep, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got, err := repo.readObjectsDirect(queries, keep, 1000)
	if err != nil {
		t.Fatalf("in-process: %v", err)
	}
	for i := range queries {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Type != w.Type || g.Size != w.Size || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("%s: in-process %s %s %d, git %s %s %d", queries[i], g.ID, g.Type, g.Size, w.ID, w.Type, w.Size)
		}
	}
}

func TestParseObjectID(t *testing.T) {
	for _, s := range []string{strings.Repeat("ab", 20), strings.Repeat("0f", 32)} {
		id, err := ParseObjectID(s)
		if err != nil || id.String() != s || id.Len() != len(s)/2 {
			t.Errorf("%s: %v %v", s, id, err)
		}
	}
	for _, s := range []string{"", "ab", strings.Repeat("ab", 21), strings.Repeat("zz", 20), strings.Repeat("ab", 32) + "a"} {
		if _, err := ParseObjectID(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
	a, _ := ParseObjectID(strings.Repeat("00", 20))
	b, _ := ParseObjectID(strings.Repeat("00", 32))
	if a == b || a.IsZero() || !(ObjectID{}).IsZero() {
		t.Error("ids of different lengths compare equal, or a zero id is not zero")
	}
}
