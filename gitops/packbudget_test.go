package gitops

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
	"github.com/pycguard/pycguard/internal/packcraft"
)

// installPack writes a crafted pack and its index into r's object store
// (idx rewrites the index; nil writes the honest one).
func installPack(t *testing.T, r *gittest.Repo, p *packcraft.Pack, idx func(packSum []byte) []byte) {
	t.Helper()
	data := p.Bytes()
	sum := data[len(data)-20:]
	dir := filepath.Join(r.Dir, ".git", "objects", "pack")
	name := filepath.Join(dir, "pack-"+hex.EncodeToString(sum))
	if err := os.WriteFile(name+".pack", data, 0o444); err != nil {
		t.Fatal(err)
	}
	if idx == nil {
		idx = func(s []byte) []byte { return p.Index(s, 0) }
	}
	if err := os.WriteFile(name+".idx", idx(sum), 0o444); err != nil {
		t.Fatal(err)
	}
}

func blobID(t *testing.T, r *gittest.Repo) [20]byte {
	var id [20]byte
	h, err := hex.DecodeString(string(bytes.TrimSpace([]byte(r.GitIn([]byte("x"), "hash-object", "-w", "--stdin")))))
	if err != nil {
		t.Fatal(err)
	}
	copy(id[:], h)
	return id
}

// TestDeltaChainBudget: a tree at the end of an offset-delta chain of
// 10 and 1,000 links, each inflating to 512 KiB, reads right (git agrees)
// with allocations that do not grow with the chain: the base cache's
// budget, then one base, one delta and one result at a time, never every
// link. (The end-to-end test pushes 2 MiB links.) A chain longer than
// git's own limit is refused (the caller asks git).
func TestDeltaChainBudget(t *testing.T) {
	for _, links := range []int{10, 1000} {
		r := gittest.Init(t)
		final := packcraft.ChainTree(13000, blobID(t, r), true)
		p := packcraft.New()
		p.Chain(final, links)
		installPack(t, r, p, nil)
		id := packcraft.ID("tree", final)
		if got := r.Git("cat-file", "-s", hex.EncodeToString(id[:])); got != fmt.Sprintf("%d\n", len(final)) {
			t.Fatalf("%d links: git reads a tree of %s bytes", links, got)
		}
		st, err := discover(t, r).objectStore(maxTreeObject)
		if err != nil {
			t.Fatal(err)
		}
		var typ string
		var data []byte
		n := allocated(func() { typ, data, err = st.read(objectIDFrom(id[:])) })
		st.close()
		if err != nil || typ != "tree" || !bytes.Equal(data, final) {
			t.Fatalf("%d links: %s of %d bytes, %v", links, typ, len(data), err)
		}
		if limit := uint64(maxBaseCache + 8*len(final)); n > limit {
			t.Errorf("%d links of %d bytes: allocated %d bytes, budget %d", links, len(final), n, limit)
		}
		t.Logf("%d links of %d bytes: %d bytes allocated", links, len(final), n)
	}

	// Past git's chain limit: refused, not followed.
	r := gittest.Init(t)
	small := packcraft.ChainTree(2, blobID(t, r), true)
	p := packcraft.New()
	p.Chain(small, maxDeltaChain+2)
	installPack(t, r, p, nil)
	st, err := discover(t, r).objectStore(maxTreeObject)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	id := packcraft.ID("tree", small)
	if _, _, err := st.read(objectIDFrom(id[:])); !errors.Is(err, errNotSupported) {
		t.Errorf("chain of %d links: %v, want errNotSupported", maxDeltaChain+2, err)
	}
}

// TestPackClaimsBudget: a pack index whose fan-out claims 0xFFFFFFF0
// objects, a pack entry, a delta and a loose object claiming sizes beyond
// the limit, two named-base deltas naming each other, and a loose object
// whose header never ends are errors, with next to nothing allocated.
func TestPackClaimsBudget(t *testing.T) {
	const budget = 1 << 20
	read := func(t *testing.T, r *gittest.Repo, id [20]byte) error {
		t.Helper()
		st, err := discover(t, r).objectStore(maxTreeObject)
		if err != nil {
			t.Fatal(err)
		}
		defer st.close()
		n := allocated(func() { _, _, err = st.read(objectIDFrom(id[:])) })
		if n > budget {
			t.Errorf("allocated %d bytes", n)
		}
		if err == nil {
			t.Error("read without an error")
		}
		return err
	}
	tree := []byte("100644 a\x00" + string(make([]byte, 20)))
	treeID := packcraft.ID("tree", tree)

	t.Run("fan-out claims 0xFFFFFFF0 objects", func(t *testing.T) {
		r := gittest.Init(t)
		p := packcraft.New()
		p.Add(packcraft.Tree, tree, treeID)
		installPack(t, r, p, func(s []byte) []byte { return p.Index(s, 0xfffffff0) })
		read(t, r, treeID)
	})
	t.Run("entry claims 1 TiB", func(t *testing.T) {
		r := gittest.Init(t)
		p := packcraft.New()
		off := p.Add(packcraft.Tree, tree, treeID)
		data := p.Bytes()
		// Rewrite the entry's size to 2^50 bytes in the header's varint.
		end := off
		for data[end]&0x80 != 0 {
			end++
		}
		hdr := []byte{0xa0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10}
		patched := append(append(bytes.Clone(data[:off]), hdr...), data[end+1:len(data)-20]...)
		if err := read(t, installRaw(t, r, p, patched), treeID); !errors.Is(err, errNotSupported) {
			t.Errorf("%v, want errNotSupported", err)
		}
	})
	t.Run("delta claims a 1 TiB result", func(t *testing.T) {
		r := gittest.Init(t)
		p := packcraft.New()
		base := p.Add(packcraft.Tree, tree, sha1.Sum([]byte("base")))
		d := packcraft.Delta(len(tree), len(tree), 0, nil)
		d = append(append([]byte{byte(len(tree))}, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20), d[2:]...)
		p.AddOfsDelta(base, d, treeID)
		installPack(t, r, p, func(s []byte) []byte { return p.Index(s, 0) })
		if err := read(t, r, treeID); !errors.Is(err, errNotSupported) {
			t.Errorf("%v, want errNotSupported", err)
		}
	})
	t.Run("named-base deltas naming each other", func(t *testing.T) {
		r := gittest.Init(t)
		p := packcraft.New()
		other := sha1.Sum([]byte("other"))
		d := packcraft.Delta(len(tree), len(tree), 0, nil)
		p.AddRefDelta(other, d, treeID)
		p.AddRefDelta(treeID, d, other)
		installPack(t, r, p, func(s []byte) []byte { return p.Index(s, 0) })
		if err := read(t, r, treeID); !errors.Is(err, errNotSupported) {
			t.Errorf("%v, want errNotSupported", err)
		}
	})
	looseObject := func(t *testing.T, r *gittest.Repo, content []byte) [20]byte {
		id := sha1.Sum(content)
		name := hex.EncodeToString(id[:])
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(content)
		zw.Close()
		dir := filepath.Join(r.Dir, ".git", "objects", name[:2])
		os.MkdirAll(dir, 0o755)
		if err := os.WriteFile(filepath.Join(dir, name[2:]), z.Bytes(), 0o444); err != nil {
			t.Fatal(err)
		}
		return id
	}
	t.Run("loose object claims 1 TiB", func(t *testing.T) {
		r := gittest.Init(t)
		id := looseObject(t, r, []byte("blob 1099511627776\x00x"))
		if err := read(t, r, id); !errors.Is(err, errNotSupported) {
			t.Errorf("%v, want errNotSupported", err)
		}
	})
	t.Run("loose object header without end", func(t *testing.T) {
		r := gittest.Init(t)
		id := looseObject(t, r, bytes.Repeat([]byte("b"), 64<<20))
		if err := read(t, r, id); !errors.Is(err, errBadObject) {
			t.Errorf("%v, want errBadObject", err)
		}
	})
}

// installRaw installs pack bytes (without their checksum) under p's index.
func installRaw(t *testing.T, r *gittest.Repo, p *packcraft.Pack, body []byte) *gittest.Repo {
	t.Helper()
	sum := sha1.Sum(body)
	data := append(body, sum[:]...)
	dir := filepath.Join(r.Dir, ".git", "objects", "pack")
	name := filepath.Join(dir, "pack-"+hex.EncodeToString(sum[:]))
	if err := os.WriteFile(name+".pack", data, 0o444); err != nil {
		t.Fatal(err)
	}
	// Offsets before the patched entry are unchanged; the index names the
	// tree at its original offset.
	if err := os.WriteFile(name+".idx", p.Index(sum[:], 0), 0o444); err != nil {
		t.Fatal(err)
	}
	return r
}
