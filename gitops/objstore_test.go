package gitops

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// historyRepo builds a repository whose objects make deltas when packed:
// one file grows over 40 commits, others change a line at a time, in
// nested directories, plus an annotated tag.
func historyRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.Init(t)
	fillHistory(r)
	return r
}

// fillHistory commits historyRepo's history into r.
func fillHistory(r *gittest.Repo) {
	var grow strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&grow, "line %d of a file that grows and deltas well\n", i)
		r.Write("grow.txt", grow.String())
		r.Write(fmt.Sprintf("pkg/sub%d/mod.py", i%5), strings.Repeat(fmt.Sprintf("x = %d\n", i), 50+i))
		r.Write("pkg/__pycache__/mod.cpython-312.pyc", fmt.Sprintf("\x55\x0d\x0d\x0a%d", i))
		r.Commit(fmt.Sprintf("commit %d", i))
	}
	r.Git("tag", "-a", "-m", "a tag", "v1")
}

// allObjects is git's list of every object with its type.
func allObjects(t *testing.T, r *gittest.Repo) map[string]string {
	t.Helper()
	out := r.Git("cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)")
	objs := make(map[string]string)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		id, typ, _ := strings.Cut(line, " ")
		objs[id] = typ
	}
	return objs
}

// gitContents reads every named object with one git cat-file --batch.
func gitContents(t *testing.T, r *gittest.Repo, ids []string) map[string][]byte {
	t.Helper()
	out := r.GitIn([]byte(strings.Join(ids, "\n")+"\n"), "cat-file", "--batch")
	br := bufio.NewReader(strings.NewReader(out))
	res := make(map[string][]byte)
	for range ids {
		head, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(head)
		n, _ := strconv.Atoi(f[2])
		data := make([]byte, n+1)
		if _, err := io.ReadFull(br, data); err != nil {
			t.Fatal(err)
		}
		res[f[0]] = data[:n]
	}
	return res
}

// checkStoreAgrees reads every object of r in-process and compares type
// and content with git's.
func checkStoreAgrees(t *testing.T, r *gittest.Repo, layout string) {
	t.Helper()
	objs := allObjects(t, r)
	var ids []string
	for id := range objs {
		ids = append(ids, id)
	}
	want := gitContents(t, r, ids)
	st, err := discover(t, r).objectStore(maxTreeObject)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	for _, id := range ids {
		typ, data, err := st.read(mustID(t, id))
		if err != nil {
			t.Fatalf("%s: %s: %v", layout, id, err)
		}
		if typ != objs[id] || !bytes.Equal(data, want[id]) {
			t.Fatalf("%s: %s: read a %s of %d bytes, git has a %s of %d", layout, id, typ, len(data), objs[id], len(want[id]))
		}
	}
	if len(ids) < 100 {
		t.Fatalf("%s: only %d objects", layout, len(ids))
	}
}

// packStats counts git's packed objects and how many are deltas.
func packStats(t *testing.T, r *gittest.Repo) (packed, deltas int) {
	t.Helper()
	idx, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	for _, f := range idx {
		out := r.Git("verify-pack", "-v", f)
		for _, line := range strings.Split(out, "\n") {
			f := strings.Fields(line)
			if len(f) >= 5 && (len(f[0]) == 40 || len(f[0]) == 64) {
				packed++
				if len(f) >= 7 {
					deltas++
				}
			}
		}
	}
	return packed, deltas
}

// TestObjectStoreAgreesWithGit: every object of a repository reads back
// as git cat-file gives it, in every storage layout git writes: loose,
// packed with offset deltas, with deltas against named bases, with
// 64-bit offsets in the index, and split between a pack and loose objects.
func TestObjectStoreAgreesWithGit(t *testing.T) {
	r := historyRepo(t)
	checkStoreAgrees(t, r, "loose")

	r.Git("repack", "-adfq", "--depth=50", "--window=50")
	if packed, deltas := packStats(t, r); packed == 0 || deltas < 20 {
		t.Fatalf("repack made %d deltas of %d objects; the test needs deltas", deltas, packed)
	}
	checkStoreAgrees(t, r, "packed, offset deltas")

	r.Git("-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq", "--depth=50", "--window=50")
	checkStoreAgrees(t, r, "packed, named-base deltas")

	// Every offset but the first in the 64-bit table (what packs over 2 GiB
	// need; git refuses an index whose table has an entry for offset 12).
	pack := filepath.Join(r.Dir, ".git", "objects", "pack")
	list := r.Git("rev-list", "--objects", "--all")
	old := mustGlob(t, filepath.Join(pack, "pack-*"))
	tmp := t.TempDir()
	r.GitIn([]byte(list), "pack-objects", "-q", "--delta-base-offset", "--index-version=2,12", filepath.Join(tmp, "pack"))
	for _, f := range old {
		os.Remove(f)
	}
	for _, f := range mustGlob(t, filepath.Join(tmp, "pack-*")) {
		if err := os.Rename(f, filepath.Join(pack, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	idx := mustGlob(t, filepath.Join(pack, "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("%d pack indexes", len(idx))
	}
	if fi, err := os.Stat(idx[0]); err != nil || fi.Size() < int64(8+1024+28*len(allObjects(t, r))+40+8*50) {
		t.Fatalf("the index has no 64-bit offsets: %v %v", fi.Size(), err)
	}
	checkStoreAgrees(t, r, "64-bit offsets")

	// New loose objects beside the pack.
	r.Write("pkg/new.py", "new = 1\n")
	r.Commit("after the pack")
	checkStoreAgrees(t, r, "pack and loose")
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestObjectStoreNeverReturnsWrongContent: a corrupted object is an error
// (for the caller to ask git), never content other than the object's.
// (A flipped byte in the last few of the entry goes unnoticed: they end
// the deflate stream and hold its checksum, after the content is read in
// full and hashed right.)
func TestObjectStoreNeverReturnsWrongContent(t *testing.T) {
	r := historyRepo(t)
	r.Git("repack", "-adfq")
	head := strings.TrimSpace(r.Git("rev-parse", "HEAD^{tree}"))
	id := mustID(t, head)
	repo := discover(t, r)
	orig := gitContents(t, r, []string{head})[head]

	packs := mustGlob(t, filepath.Join(r.Dir, ".git", "objects", "pack", "*.pack"))
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	// Flip each byte of the root tree's pack entry in turn (verify-pack
	// says where it lies).
	out := r.Git("verify-pack", "-v", strings.TrimSuffix(packs[0], ".pack")+".idx")
	var off, size int
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) >= 5 && f[0] == head {
			size, _ = strconv.Atoi(f[3])
			off, _ = strconv.Atoi(f[4])
		}
	}
	if size == 0 {
		t.Fatalf("root tree %s not found in verify-pack output", head)
	}
	os.Chmod(packs[0], 0o644)
	for i := off; i < off+size; i++ {
		bad := bytes.Clone(data)
		bad[i] ^= 0x20
		if err := os.WriteFile(packs[0], bad, 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := repo.objectStore(maxTreeObject)
		if err != nil {
			t.Fatal(err)
		}
		typ, got, err := st.read(id)
		st.close()
		if err == nil && (typ != "tree" || !bytes.Equal(got, orig)) {
			t.Fatalf("byte %d of the root tree flipped: read a %s of %d bytes that is not the tree", i-off, typ, len(got))
		}
		if err == nil && i < off+size-8 {
			t.Errorf("byte %d of %d flipped: read without an error", i-off, size)
		}
	}

	// A missing object says so.
	st, err := repo.objectStore(maxTreeObject)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if _, _, err := st.read(objectIDFrom(make([]byte, 20))); !errors.Is(err, errObjectNotFound) {
		t.Errorf("missing object: %v, want errObjectNotFound", err)
	}
}

// TestResolveHead agrees with git rev-parse HEAD for loose and packed
// branches, a detached HEAD and a linked worktree, and reports an unborn
// branch as such.
func TestResolveHead(t *testing.T) {
	r := gittest.Init(t)
	check := func(r *gittest.Repo, what string) {
		t.Helper()
		id, err := discover(t, r).resolveHead()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got, want := id.String(), strings.TrimSpace(r.Git("rev-parse", "HEAD")); got != want {
			t.Errorf("%s: HEAD is %s, git says %s", what, got, want)
		}
	}
	if _, err := discover(t, r).resolveHead(); !errors.Is(err, ErrUnbornHead) {
		t.Errorf("unborn: %v, want ErrUnbornHead", err)
	}
	r.Write("a.py", "a")
	r.Commit("one")
	check(r, "loose branch")
	r.Git("pack-refs", "--all")
	if _, err := os.Stat(filepath.Join(r.Dir, ".git", "refs", "heads", "main")); err == nil {
		t.Fatal("pack-refs left the loose ref")
	}
	check(r, "packed branch")
	r.Write("b.py", "b")
	r.Commit("two") // a loose ref that shadows the packed one
	check(r, "loose over packed")
	r.Git("checkout", "-q", "--detach", "HEAD~1")
	check(r, "detached")
	r.Git("checkout", "-q", "-")
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", "-b", "side", wt, "HEAD~1")
	check(r.At(wt), "linked worktree")
	check(r, "main worktree beside a linked one")
}

// FuzzApplyDelta: any delta is applied or refused, never a panic or a
// result of another length than the delta declares.
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("hello, world"), []byte{12, 5, 0x90, 5})                      // copy 5 from 0
	f.Add([]byte("hello, world"), []byte{12, 8, 0x91, 7, 5, 3, 'a', 'b', 'c'}) // copy and insert
	f.Add([]byte(""), []byte{0, 3, 3, 'x', 'y', 'z'})                          // insert only
	f.Add([]byte("abc"), []byte{3, 0x80, 0x80, 0x04, 0xb0, 0x00, 0x00})        // copy of 0x10000
	f.Add([]byte("abc"), []byte{3, 2, 0})                                      // reserved op
	f.Add([]byte("abcdef"), []byte{6, 6, 0xff, 0, 0, 0, 0, 6, 0, 0})           // all offset/size bytes
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(nil, base, delta, 1<<20)
		if err != nil {
			if out != nil {
				t.Fatal("result with an error")
			}
			return
		}
		// Into a reused buffer, the same result.
		again, err := applyDelta(make([]byte, 7, len(out)+7), base, delta, 1<<20)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("into a reused buffer: %q, %v; want %q", again, err, out)
		}
		delta = delta[varintLen(delta):]
		want := decodeUvarint(delta)
		if uint64(len(out)) != want {
			t.Fatalf("result of %d bytes, the delta declares %d", len(out), want)
		}
	})
}

func varintLen(b []byte) int {
	for i, c := range b {
		if c&0x80 == 0 {
			return i + 1
		}
	}
	return len(b)
}

func decodeUvarint(b []byte) uint64 {
	var v uint64
	for i, c := range b {
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			break
		}
	}
	return v
}

// TestReadObjectsDirectAgreesWithGit: the queries pre-receive asks are
// answered in-process exactly as git cat-file --batch answers them —
// peeled tags (of commits, trees, blobs and tags), files, directories,
// symbolic links and absent names of commits, trees and tags — and those
// it cannot be sure of (a submodule entry, an unknown object) are left to
// git.
func TestReadObjectsDirectAgreesWithGit(t *testing.T) {
	r := historyRepo(t)
	r.Write("pyproject.toml", "[tool.pycguard]\nallow = [\"x.pyc\"]\n")
	r.Write(".pycguard.toml", strings.Repeat("# big\n", 400))
	if err := os.Symlink("pyproject.toml", filepath.Join(r.Dir, "link.toml")); err != nil {
		t.Fatal(err)
	}
	r.Commit("configuration")
	sub := gittest.Init(t)
	sub.Write("s.py", "s")
	sub.Commit("sub")
	subHead := strings.TrimSpace(sub.Git("rev-parse", "HEAD"))
	r.Git("update-index", "--add", "--cacheinfo", "160000,"+subHead+",vendored")
	r.Git("commit", "-q", "-m", "submodule")
	r.Git("tag", "-a", "-m", "tag of a tag", "v1-again", "v1")
	r.Git("tag", "-a", "-m", "tag of a tree", "t-tree", "HEAD^{tree}")
	r.Git("tag", "-a", "-m", "tag of a blob", "t-blob", "HEAD:pyproject.toml")
	r.Git("repack", "-adq")
	r.Write("late.txt", "loose after the pack")
	r.Commit("late")
	id := func(rev string) string { return strings.TrimSpace(r.Git("rev-parse", rev)) }
	head, tree := id("HEAD"), id("HEAD^{tree}")
	var queries []string
	for _, tip := range []string{head, id("HEAD~1"), id("HEAD~40"), tree, id("v1"), id("v1-again"), id("t-tree")} {
		for _, f := range []string{"pyproject.toml", ".pycguard.toml", "link.toml", "pkg", "pkg/sub3/mod.py", "pkg/nope", "absent", "late.txt", "grow.txt/x"} {
			queries = append(queries, tip+":"+f)
		}
		queries = append(queries, tip+"^{}")
	}
	queries = append(queries, id("t-blob")+"^{}", id("HEAD:pyproject.toml")+"^{}")
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
		if g.ID != w.ID || g.Type != w.Type || g.Size != w.Size || !bytes.Equal(g.Data, w.Data) || (g.Data == nil) != (w.Data == nil) {
			t.Errorf("%s: in-process %s %s %d (%d bytes kept), git %s %s %d (%d bytes kept)",
				queries[i], g.ID, g.Type, g.Size, len(g.Data), w.ID, w.Type, w.Size, len(w.Data))
		}
	}

	withSub := id("HEAD~1") // "late" was committed with git add -A, which drops the gitlink
	if !strings.Contains(r.Git("ls-tree", withSub), "160000 commit") {
		t.Fatal("no submodule entry")
	}
	for _, q := range []string{withSub + ":vendored", strings.Repeat("ab", 20) + "^{}", withSub + ":vendored/s.py"} {
		if _, err := repo.readObjectsDirect([]string{q}, keep, 1000); err == nil {
			t.Errorf("%s: answered in-process, want it left to git", q)
		}
		got, err := repo.ReadObjects([]string{q}, keep, 1000)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		want, _ := repo.readObjectsGit([]string{q}, keep, 1000)
		if g, w := got[0], want[0]; g.ID != w.ID || g.Type != w.Type || g.Size != w.Size || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("%s: %+v, git says %+v", q, got[0], want[0])
		}
	}
}

// stagedOverCommit makes commits "one" and "two" changing x.pyc, then
// moves HEAD back to "one" with "two"'s content staged: a staged
// modification, unless HEAD is read as "two".
func stagedOverCommit(t *testing.T) (r *gittest.Repo, one, two string) {
	t.Helper()
	r = gittest.Init(t)
	r.Write("x.pyc", "one")
	r.Commit("one")
	one = strings.TrimSpace(r.Git("rev-parse", "HEAD"))
	r.Write("x.pyc", "two")
	r.Commit("two")
	two = strings.TrimSpace(r.Git("rev-parse", "HEAD"))
	r.Git("reset", "-q", "--soft", one)
	return r, one, two
}

// TestStagedChangesFollowsReplaceRefs: git diff --cached compares with
// HEAD as replace refs rewrite it; the in-process reader does not follow
// them, so with replace refs (loose or packed) git answers.
func TestStagedChangesFollowsReplaceRefs(t *testing.T) {
	r, one, two := stagedOverCommit(t)
	r.Git("replace", one, two) // HEAD reads as "two"
	match := func(p string) bool { return strings.HasSuffix(p, ".pyc") }
	for _, packed := range []bool{false, true} {
		if packed {
			r.Git("pack-refs", "--all")
		}
		res, err := discover(t, r).StagedChanges(nil, match)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := formatChanges(res.Changes), gitStaged(t, r, match); !slices.Equal(got, want) || res.ViaGit == "" {
			t.Errorf("packed=%v: got %q (via git: %q), git says %q", packed, got, res.ViaGit, want)
		}
	}
}

// TestStagedChangesFollowsReplaceRefBase: with GIT_REPLACE_REF_BASE git
// reads replacements from another namespace, which the in-process reader
// does not look at; git answers, and the verdict is git's.
func TestStagedChangesFollowsReplaceRefBase(t *testing.T) {
	r, one, two := stagedOverCommit(t)
	r.Git("update-ref", "refs/elsewhere/"+one, two) // a replacement outside refs/replace/
	match := func(p string) bool { return strings.HasSuffix(p, ".pyc") }
	for _, base := range []string{"refs/replace/", "", "refs/elsewhere/"} {
		rb := r.With("GIT_REPLACE_REF_BASE=" + base)
		repo, err := Open(r.Dir, rb.Env)
		if err != nil {
			t.Fatal(err)
		}
		res, err := repo.StagedChanges(nil, match)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		recs := gittest.SplitZ(rb.Git("diff", "--cached", "--name-status", "-z", "--no-renames", "--diff-filter=ACMTU", "HEAD"))
		for i := 0; i+1 < len(recs); i += 2 {
			want = append(want, map[string]string{"M": "modified", "A": "added", "T": "typechange"}[recs[i][:1]]+" "+recs[i+1])
		}
		if got := formatChanges(res.Changes); !slices.Equal(got, want) {
			t.Errorf("GIT_REPLACE_REF_BASE=%q: got %q (via git: %q), git says %q", base, got, res.ViaGit, want)
		}
		if base == "refs/elsewhere/" && len(want) != 0 {
			t.Errorf("the replacement was not in effect for git: %q", want)
		}
	}
}

// TestObjectStoreTruncatedFiles: a pack index or pack cut short at any
// length is an error (or a miss), never a panic or wrong content.
func TestObjectStoreTruncatedFiles(t *testing.T) {
	r := historyRepo(t)
	r.Git("repack", "-adfq")
	head := strings.TrimSpace(r.Git("rev-parse", "HEAD^{tree}"))
	orig := gitContents(t, r, []string{head})[head]
	id := mustID(t, head)
	repo := discover(t, r)
	for _, ext := range []string{".idx", ".pack"} {
		f := mustGlob(t, filepath.Join(r.Dir, ".git", "objects", "pack", "*"+ext))[0]
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.Chmod(f, 0o644)
		for _, n := range []int{0, 4, 8, 100, 1032, len(data) / 2, len(data) - 21, len(data) - 1} {
			if err := os.WriteFile(f, data[:n], 0o644); err != nil {
				t.Fatal(err)
			}
			st, err := repo.objectStore(maxTreeObject)
			if err != nil {
				t.Fatal(err)
			}
			typ, got, err := st.read(id)
			st.close()
			if err == nil && (typ != "tree" || !bytes.Equal(got, orig)) {
				t.Errorf("%s cut to %d bytes: read a %s of %d bytes that is not the tree", ext, n, typ, len(got))
			}
		}
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustID(t testing.TB, s string) ObjectID {
	t.Helper()
	id, err := ParseObjectID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
