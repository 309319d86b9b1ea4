package gitops

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

// Resource budgets of the readers of untrusted bytes: whatever sizes and
// counts the bytes claim, memory stays linear in the input (or under a
// fixed cap), and past a limit the answer is an error or git's.

// allocated returns the bytes f allocated on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// baseIndex is a small real index (version v) of a repository with one
// commit, split into parts.
func baseIndex(t *testing.T, v string) (uint32, []rawEntry, []byte) {
	r := gittest.Init(t)
	r.Write("a.py", "a")
	r.Write("b/legacy.pyc", "b")
	r.Commit("base")
	r.Git("update-index", "--index-version", v)
	data, err := os.ReadFile(filepath.Join(r.Dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	return splitIndex(t, data)
}

// TestIndexDeepCacheTreeBudget: a cache-tree nested 30,000 and 100,000
// levels deep (each level a one-letter directory) is read without
// recursion and in memory linear in the extension.
func TestIndexDeepCacheTreeBudget(t *testing.T) {
	version, ents, _ := baseIndex(t, "2")
	for _, depth := range []int{30000, 100000} {
		var tree bytes.Buffer
		tree.WriteString("\x00-1 1\n")
		for i := 0; i < depth; i++ {
			tree.WriteString("a\x002 1\n")
			tree.Write(make([]byte, 20))
		}
		tree.WriteString("b\x001 0\n")
		tree.Write(make([]byte, 20))
		ext := append([]byte("TREE"), binary.BigEndian.AppendUint32(nil, uint32(tree.Len()))...)
		data := joinIndex(version, ents, append(ext, tree.Bytes()...))
		var s *indexScan
		var err error
		n := allocated(func() { s, err = scanIndex(data, sha1Len, nil, all) })
		if err != nil {
			t.Fatalf("depth %d: %v", depth, err)
		}
		if len(s.entries) != 2 || s.valid.empty() || len(s.valid.nodes) != depth+2 {
			t.Fatalf("depth %d: %d entries, cache-tree %v", depth, len(s.entries), s.valid != nil)
		}
		// The deepest node is found through its parents.
		node := int32(0)
		for i := 0; i < depth; i++ {
			var ok bool
			if node, ok = s.valid.child(node, "a"); !ok {
				t.Fatalf("depth %d: level %d missing", depth, i)
			}
		}
		if _, ok := s.valid.child(node, "b"); !ok {
			t.Fatalf("depth %d: deepest node missing", depth)
		}
		if limit := uint64(64*len(data)) + 1<<20; n > limit {
			t.Errorf("depth %d (%d bytes): allocated %d bytes, budget %d", depth, len(data), n, limit)
		}
	}
}

// TestIndexMalformedCacheTreeIgnored: a cache-tree git cannot parse is
// dropped (git drops it too and reads the entries), not an error.
func TestIndexMalformedCacheTreeIgnored(t *testing.T) {
	version, ents, _ := baseIndex(t, "2")
	for _, body := range []string{"\x00-1 5\n", "\x00x 0\n", "\x001 0\n", "no nul"} {
		ext := append([]byte("TREE"), binary.BigEndian.AppendUint32(nil, uint32(len(body)))...)
		s, err := scanIndex(joinIndex(version, ents, append(ext, body...)), sha1Len, nil, all)
		if err != nil || len(s.entries) != 2 || !s.valid.empty() {
			t.Errorf("%q: %v", body, err)
		}
	}
}

// TestIndexV4GrowingNamesBudget: a version-4 index whose names each add
// one byte to the previous one (a few bytes an entry on disk, n²/2 bytes
// of names) costs memory linear in the file: names the prefilter turns
// down are never copied, and past a cap of kept names the index is left to
// git.
func TestIndexV4GrowingNamesBudget(t *testing.T) {
	version, ents, _ := baseIndex(t, "4")
	const n = 30000 // 450 MB of names
	fixed := ents[0].fixed
	var grown []rawEntry
	for i := 0; i < n; i++ {
		name := []byte{4, 'a', '.', 'p', 'y', 'c'} // strip ".pyc", add "a.pyc"
		if i == 0 {
			name = []byte("\x00a.pyc")
		}
		e := rawEntry{fixed: fixed, name: name}
		setNameLen(&e, min(i+5, flagNameMask))
		grown = append(grown, e)
	}
	data := joinIndex(version, grown, nil)
	var err error
	var s *indexScan
	none := func(string) bool { return false }
	got := allocated(func() { s, err = scanIndex(data, sha1Len, none, all) })
	if err != nil || len(s.entries) != 0 {
		t.Fatalf("prefilter rejecting all: %v", err)
	}
	if limit := uint64(2*len(data)) + 1<<20; got > limit {
		t.Errorf("names turned down: allocated %d bytes for a %d-byte index, budget %d", got, len(data), limit)
	}
	got = allocated(func() { s, err = scanIndex(data, sha1Len, nil, all) })
	var ng *errNeedsGit
	if !errors.As(err, &ng) {
		t.Fatalf("every name kept: %v, want the index left to git", err)
	}
	if limit := uint64(2*len(data)) + 2*maxKeptNameBytes; got > limit {
		t.Errorf("names kept: allocated %d bytes for a %d-byte index, budget %d", got, len(data), limit)
	}
}

// TestIndexFileCheckedBeforeRead: an index that is a FIFO is refused
// without waiting for a writer; a 2 GiB sparse file is judged by its
// header (signature, or a count the size could hold) without being read.
func TestIndexFileCheckedBeforeRead(t *testing.T) {
	r := gittest.Init(t)
	r.Write("a.pyc", "a")
	r.Commit("base")
	repo := discover(t, r)
	index := repo.IndexFile
	good, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}

	if runtime.GOOS != "windows" {
		os.Remove(index)
		if err := mkfifo(index); err != nil {
			t.Fatal(err)
		}
		_, err := repo.scanIndexFile(nil, all)
		if !errors.Is(err, ErrCorruptIndex) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("FIFO index: %v", err)
		}
		os.Remove(index)
	}

	sparse := func(head []byte) {
		t.Helper()
		f, err := os.Create(index)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write(head); err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(2 << 30); err != nil {
			t.Skipf("no sparse files here: %v", err)
		}
	}
	sparse(nil) // all zeros: no signature
	var scanErr error
	n := allocated(func() { _, scanErr = repo.scanIndexFile(nil, all) })
	if !errors.Is(scanErr, ErrCorruptIndex) || n > 1<<20 {
		t.Errorf("2 GiB of zeros: %v, %d bytes allocated", scanErr, n)
	}
	sparse(good[:12]) // a real header: one entry
	n = allocated(func() { _, scanErr = repo.scanIndexFile(nil, all) })
	var ng *errNeedsGit
	if !errors.As(scanErr, &ng) || n > 1<<20 {
		t.Errorf("2 GiB index with a real header: %v, %d bytes allocated; want it left to git", scanErr, n)
	}
	huge := append(good[:8:8], 0xff, 0xff, 0xff, 0xf0)
	if _, _, err := indexHeader(huge, int64(len(good)), sha1Len); !errors.Is(err, ErrCorruptIndex) {
		t.Errorf("count of 0xfffffff0 in %d bytes: %v", len(good), err)
	}
	if err := os.WriteFile(index, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.scanIndexFile(nil, all); err != nil {
		t.Fatal(err)
	}
}
