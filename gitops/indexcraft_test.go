package gitops

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
)

// rawEntry is one entry of a SHA-1 index as bytes, for crafting indexes.
type rawEntry struct {
	fixed []byte // the 62 bytes before the name (flags included)
	name  []byte // as stored: v2/v3 the name, v4 the prefix-strip varint and suffix
}

// splitIndex cuts a SHA-1 index without extended flags into its header,
// entries and what follows them (extensions; the checksum dropped).
func splitIndex(t testing.TB, data []byte) (version uint32, ents []rawEntry, ext []byte) {
	t.Helper()
	version = binary.BigEndian.Uint32(data[4:])
	n := binary.BigEndian.Uint32(data[8:])
	off := 12
	for i := uint32(0); i < n; i++ {
		start := off
		off += 62
		if version == 4 {
			_, n := offsetVarint(data[off:])
			nul := n + bytes.IndexByte(data[off+n:], 0)
			ents = append(ents, rawEntry{fixed: data[start : start+62], name: data[off : off+nul]})
			off += nul + 1
			continue
		}
		nul := bytes.IndexByte(data[off:], 0)
		ents = append(ents, rawEntry{fixed: data[start : start+62], name: data[off : off+nul]})
		off = start + ((62 + nul + 8) &^ 7)
	}
	return version, ents, data[off : len(data)-20]
}

// joinIndex writes an index from parts, each v2/v3 entry padded with pad
// NULs (0: the 1–8 git writes), and appends the checksum.
func joinIndex(version uint32, ents []rawEntry, ext []byte) []byte {
	out := []byte("DIRC")
	out = binary.BigEndian.AppendUint32(out, version)
	out = binary.BigEndian.AppendUint32(out, uint32(len(ents)))
	for _, e := range ents {
		out = append(out, e.fixed...)
		out = append(out, e.name...)
		if version == 4 {
			out = append(out, 0)
			continue
		}
		entLen := 62 + len(e.name)
		out = append(out, make([]byte, ((entLen+8)&^7)-entLen)...)
	}
	out = append(out, ext...)
	sum := sha1.Sum(out)
	return append(out, sum[:]...)
}

// setNameLen sets the 12-bit name length of an entry's flags.
func setNameLen(e *rawEntry, n int) {
	f := bytes.Clone(e.fixed)
	flags := binary.BigEndian.Uint16(f[60:])
	binary.BigEndian.PutUint16(f[60:], flags&^flagNameMask|uint16(n))
	e.fixed = f
}

// TestIndexNameLengthAsGitReads: an entry whose name-length field
// disagrees with its name — counting padding NULs, reaching past the
// padding, shorter than the name (v2), or shorter or longer than prefix
// and suffix (v4), or 0xFFF over a short name — is read as git reads it:
// check and check --all report what git diff --cached and git ls-files
// list, and where git refuses the index pycguard fails (exit 2), never
// passes. A 0-byte index, which git refuses, is an error too.
func TestIndexNameLengthAsGitReads(t *testing.T) {
	isBC := func(p string) bool { return bytecode.IsBytecode(p, false) }
	type craft struct {
		version int
		nameLen func(name []byte) int
	}
	cases := map[string]craft{
		"v2 length counts two padding NULs": {2, func(n []byte) int { return len(n) + 2 }},
		"v2 length past the padding":        {2, func(n []byte) int { return len(n) + 10 }},
		"v2 length shorter than the name":   {2, func(n []byte) int { return len(n) - 4 }},
		"v2 length 0xFFF on a short name":   {2, func(n []byte) int { return flagNameMask }},
		"v2 length zero":                    {2, func(n []byte) int { return 0 }},
		"v4 length shorter than the suffix": {4, func(n []byte) int { return len("legacy.pyc") - 4 }},
		"v4 length longer than the name":    {4, func(n []byte) int { return len("legacy.pyc") + 2 }},
		"v4 length 0xFFF on a short name":   {4, func(n []byte) int { return flagNameMask }},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := gittest.Init(t)
			r.Write("a.py", "a")
			r.Commit("base")
			r.Write("legacy.pyc", "L")
			r.Write("zz.py", "z")
			r.Git("add", "legacy.pyc", "zz.py")
			r.Git("update-index", "--index-version", []string{2: "2", 4: "4"}[c.version])
			indexPath := filepath.Join(r.Dir, ".git", "index")
			data, err := os.ReadFile(indexPath)
			if err != nil {
				t.Fatal(err)
			}
			version, ents, ext := splitIndex(t, data)
			found := false
			for i := range ents {
				if bytes.HasSuffix(ents[i].name, []byte("legacy.pyc")) {
					setNameLen(&ents[i], c.nameLen(ents[i].name))
					found = true
				}
			}
			if !found {
				t.Fatal("no legacy.pyc entry")
			}
			if err := os.WriteFile(indexPath, joinIndex(version, ents, ext), 0o644); err != nil {
				t.Fatal(err)
			}
			compareWithGit(t, r, isBC)
		})
	}

	t.Run("0-byte index", func(t *testing.T) {
		r := gittest.Init(t)
		r.Write("a.pyc", "a")
		r.Commit("base")
		if err := os.WriteFile(filepath.Join(r.Dir, ".git", "index"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		compareWithGit(t, r, isBC)
	})
}

// compareWithGit requires StagedChanges and Tracked to give git diff
// --cached's and git ls-files' answers, or to fail where git fails.
func compareWithGit(t *testing.T, r *gittest.Repo, match func(string) bool) {
	t.Helper()
	repo := discover(t, r)
	_, _, lsErr := r.Run(nil, "ls-files", "-s", "-z")
	staged, err := repo.StagedChanges(nil, match)
	switch {
	case lsErr != nil && err == nil:
		t.Fatalf("git refuses the index (%v); StagedChanges answered %q", lsErr, formatChanges(staged.Changes))
	case lsErr == nil && err != nil:
		t.Fatalf("git reads the index; StagedChanges: %v", err)
	case lsErr == nil:
		if got, want := formatChanges(staged.Changes), gitStaged(t, r, match); !slices.Equal(got, want) {
			t.Errorf("staged: got %q, git %q", got, want)
		}
	}
	tracked, err := repo.Tracked(nil, match)
	switch {
	case lsErr != nil && err == nil:
		t.Fatalf("git refuses the index; Tracked answered %q", formatEntries(tracked.Entries))
	case lsErr == nil && err != nil:
		t.Fatalf("git reads the index; Tracked: %v", err)
	case lsErr == nil:
		var want []string
		for _, rec := range lsFiles(t, r) {
			if _, p, _ := bytes.Cut([]byte(rec), []byte{'\t'}); match(string(p)) {
				want = append(want, rec)
			}
		}
		if got := formatEntries(tracked.Entries); !slices.Equal(got, want) {
			t.Errorf("tracked: got %q, git %q", got, want)
		}
	}
}

// FuzzIndexNameLength sets the 12-bit name length of one entry of a real
// index (versions 2, 3 and 4, names of several lengths) to any value: the
// scanner never panics, and on the inputs the fuzzer marks for it, its
// answer is git ls-files -s -z's — the same entries, or *errNeedsGit (git's
// own reading then answers), or an error where git refuses the index.
func FuzzIndexNameLength(f *testing.F) {
	r := gittest.Init(f)
	for _, n := range []string{"a.py", "b/legacy.pyc", "b/legacy.pyc.txt", "c/__pycache__/m.cpython-312.pyc", "zz/x.py"} {
		r.Write(n, n)
	}
	r.Commit("base")
	indexPath := filepath.Join(r.Dir, ".git", "index")
	bases := map[uint32][]byte{}
	for _, v := range []string{"2", "4", "3"} {
		if v == "3" {
			// Extended flags (intent-to-add) are what make git write v3.
			r.Write("ita.pyc", "i")
			r.Git("add", "-N", "ita.pyc")
		}
		r.Git("update-index", "--index-version", v)
		data, err := os.ReadFile(indexPath)
		if err != nil {
			f.Fatal(err)
		}
		bases[binary.BigEndian.Uint32(data[4:])] = data
	}
	if len(bases) != 3 {
		f.Fatalf("%d index versions of 3", len(bases))
	}
	for _, v := range []uint8{2, 3, 4} {
		for entry := uint8(0); entry < 6; entry++ {
			f.Add(v, entry, uint16(len("b/legacy.pyc")+2), true)
			f.Add(v, entry, uint16(3), true)
			f.Add(v, entry, uint16(flagNameMask), false)
		}
	}
	f.Fuzz(func(t *testing.T, v, entry uint8, nameLen uint16, askGit bool) {
		base, ok := bases[uint32(v)]
		if !ok {
			return
		}
		data := bytes.Clone(base)
		// Walk to the entry and rewrite its flags (entries as the scanner
		// reads them; v3 entries may have extended flags).
		version := binary.BigEndian.Uint32(data[4:])
		count := binary.BigEndian.Uint32(data[8:])
		off, prevLen := 12, 0
		for i := uint32(0); i < count; i++ {
			start := off
			flags := binary.BigEndian.Uint16(data[off+60:])
			off += 62
			if flags&flagExtended != 0 {
				off += 2
			}
			if version == 4 {
				strip, n := offsetVarint(data[off:])
				off += n
				nul := bytes.IndexByte(data[off:], 0)
				prevLen = prevLen - int(strip) + nul
				off += nul + 1
			} else {
				nul := bytes.IndexByte(data[off:], 0)
				off = start + ((off - start + nul + 8) &^ 7)
			}
			if i == uint32(entry)%count {
				binary.BigEndian.PutUint16(data[start+60:], flags&^flagNameMask|nameLen&flagNameMask)
			}
		}
		sum := sha1.Sum(data[:len(data)-20])
		copy(data[len(data)-20:], sum[:])
		s, err := scanIndex(data, sha1Len, nil, all)
		if !askGit {
			return
		}
		if err := os.WriteFile(indexPath, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, _, gitErr := r.Run(nil, "ls-files", "-s", "-z")
		var ng *errNeedsGit
		switch {
		case errors.As(err, &ng):
			// git's reading answers.
		case gitErr != nil && err == nil:
			t.Fatalf("git refuses the index (%v); the scanner read %q", gitErr, formatEntries(s.entries))
		case gitErr == nil && err != nil:
			t.Fatalf("git reads the index; the scanner: %v", err)
		case gitErr == nil:
			if got, want := formatEntries(s.entries), gittest.SplitZ(string(out)); !slices.Equal(got, want) {
				t.Fatalf("scanner %q\ngit     %q", got, want)
			}
		}
	})
}
