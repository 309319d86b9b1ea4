package gitops

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unsafe"
)

// ErrCorruptIndex is wrapped by every error the index scanner returns for a
// file that is not a well-formed git index.
var ErrCorruptIndex = errors.New("corrupt index")

// errNeedsGit is returned by the scanner for a layout it does not read; the
// caller falls back to git plumbing.
type errNeedsGit struct{ reason string }

func (e *errNeedsGit) Error() string { return "index layout needs git: " + e.reason }

// Index entry flag bits (gitformat-index(5)).
const (
	flagAssumeValid  = 0x8000
	flagExtended     = 0x4000
	flagStageMask    = 0x3000
	flagStageShift   = 12
	flagNameMask     = 0x0fff
	xflagSkipWorktre = 0x4000
	xflagIntentToAdd = 0x2000

	modeTypeMask = 0o170000
	modeGitlink  = 0o160000
	modeDir      = 0o040000
)

// IndexEntry is one entry of the index, as much of it as pycguard uses.
type IndexEntry struct {
	Path         string // raw bytes, '/'-separated
	Mode         uint32
	Hash         ObjectID // 20 bytes, or 32 in a SHA-256 repository
	Size         uint32   // the file size recorded in the index (truncated to 32 bits)
	Stage        int      // 0, or 1–3 for an unmerged path
	AssumeValid  bool
	SkipWorktree bool
	IntentToAdd  bool
}

// indexScan is what scanIndex keeps of an index.
type indexScan struct {
	version uint32
	count   uint32
	entries []IndexEntry
	// valid holds the cache-tree's nodes (the TREE extension).
	valid *cacheTree
}

// maxKeptNameBytes bounds the bytes of path names the scanner copies out
// of an index, beyond the index's own size: a version-4 index names each
// path as a suffix of the previous one, so a few bytes an entry can expand
// to gigabytes of names (each one byte longer than the last). Past it the
// index is read through git.
const maxKeptNameBytes = 64 << 20

// indexHeader reads the 12-byte header of an index file of size bytes:
// the signature, a version the scanner reads (else *errNeedsGit), and an
// entry count the file can hold — every entry takes at least its fixed
// part and two bytes of name — so that nothing is allocated or read for a
// count the bytes cannot back.
func indexHeader(head []byte, size int64, hashLen int) (version, count uint32, err error) {
	if string(head[:4]) != "DIRC" {
		return 0, 0, fmt.Errorf("%w: bad signature %q", ErrCorruptIndex, head[:4])
	}
	version = binary.BigEndian.Uint32(head[4:8])
	count = binary.BigEndian.Uint32(head[8:12])
	if version < 2 || version > 4 {
		return 0, 0, &errNeedsGit{fmt.Sprintf("index version %d", version)}
	}
	if int64(count)*int64(40+hashLen+2+2) > size-int64(len(head))-int64(hashLen) {
		return 0, 0, fmt.Errorf("%w: truncated: %d entries cannot fit in %d bytes", ErrCorruptIndex, count, size)
	}
	return version, count, nil
}

// indexHeaderLen is the size of the index header: the signature "DIRC",
// the version and the entry count, 32 bits each.
const indexHeaderLen = 12

// scanIndex walks the index in data and keeps the entries for which keep
// returns true. When quick is not nil it is asked first, with a transient
// string that aliases data or a scratch buffer and must not be retained;
// only paths it accepts are copied and given to keep, which may retain
// them. It reads versions 2, 3 and 4 with object names of hashLen bytes
// (20 for SHA-1, 32 for SHA-256); other layouts return *errNeedsGit.
//
// The file is read along the seams of gitformat-index(5), as go-git's
// decoder reads it: the header (indexHeader), each entry's fixed part and
// flags (entryFlags), its name (nameV4, or namePadded with the padding of
// versions 2 and 3), then the extensions (indexExtensions). Each step takes
// and returns the offset, which the loop keeps in a register. Memory is
// linear in len(data) whatever the bytes say.
func scanIndex(data []byte, hashLen int, quick, keep func(path string) bool) (*indexScan, error) {
	if len(data) < indexHeaderLen+hashLen {
		// git refuses an empty index file too ("smaller than expected");
		// only a missing one is an empty index.
		return nil, fmt.Errorf("%w: truncated (%d bytes)", ErrCorruptIndex, len(data))
	}
	version, count, err := indexHeader(data[:indexHeaderLen], int64(len(data)), hashLen)
	if err != nil {
		return nil, err
	}
	s := &indexScan{version: version, count: count}
	end := len(data) - hashLen // the trailing checksum
	off := indexHeaderLen
	var prev []byte // version 4: the previous path, rewritten in place
	var arena stringArena
	keptBudget := len(data) + maxKeptNameBytes
	emptyPath := uint32(0) // the first entry with an empty path, 1-based
	for i := uint32(1); i <= count; i++ {
		start := off
		var flags, xflags uint16
		flags, xflags, off, err = entryFlags(data, off, end, hashLen, version)
		if err != nil {
			return nil, entryError(err, i, count)
		}
		var path []byte
		if version == 4 {
			path, off, err = nameV4(data, off, end, prev, int(flags&flagNameMask))
			prev = path
		} else {
			path, off, err = namePadded(data, start, off, end, int(flags&flagNameMask))
		}
		if err != nil {
			return nil, entryError(err, i, count)
		}
		if len(path) == 0 {
			// Legal only in a split index, whose entries take their names
			// from the shared index; the "link" extension then sends the
			// read to git.
			if emptyPath == 0 {
				emptyPath = i
			}
			continue
		}
		mode := binary.BigEndian.Uint32(data[start+24:])
		if mode&modeTypeMask == modeDir {
			return nil, &errNeedsGit{"sparse directory entries"}
		}
		if quick != nil && !quick(unsafe.String(&path[0], len(path))) {
			continue
		}
		if keptBudget -= len(path); keptBudget < 0 {
			return nil, &errNeedsGit{fmt.Sprintf("index names expand beyond %d bytes", len(data)+maxKeptNameBytes)}
		}
		// keep may retain the string (the ignore engine caches paths), so
		// it must not alias the mapped file or the v4 scratch buffer: the
		// arena copies it at the cost of a memmove, not an allocation.
		if p := arena.str(path); keep(p) {
			s.entries = append(s.entries, IndexEntry{
				Path:         p,
				Mode:         mode,
				Size:         binary.BigEndian.Uint32(data[start+36:]),
				Stage:        int(flags&flagStageMask) >> flagStageShift,
				AssumeValid:  flags&flagAssumeValid != 0,
				SkipWorktree: xflags&xflagSkipWorktre != 0,
				IntentToAdd:  xflags&xflagIntentToAdd != 0,
				Hash:         objectIDFrom(data[start+40 : start+40+hashLen]),
			})
		}
	}
	if s.valid, err = indexExtensions(data, off, end, hashLen, &arena); err != nil {
		return nil, err
	}
	if emptyPath > 0 {
		return nil, fmt.Errorf("%w: empty path in entry %d", ErrCorruptIndex, emptyPath)
	}
	return s, nil
}

// Errors of one entry; entryError says which entry.
var (
	errEntryTruncated    = errors.New("truncated")
	errEntryUnterminated = errors.New("unterminated path")
	errEntryPrefix       = errors.New("bad path prefix")
	errEntryExtended     = errors.New("extended flags in a version 2 index")
)

// entryError names entry i (1-based) of count in err: a corrupt index is
// ErrCorruptIndex, a name length git reads otherwise is *errNeedsGit.
func entryError(err error, i, count uint32) error {
	var ng *errNeedsGit
	switch {
	case errors.As(err, &ng):
		return &errNeedsGit{fmt.Sprintf("index entry %d: %s", i, ng.reason)}
	case err == errEntryTruncated:
		return fmt.Errorf("%w: truncated in entry %d of %d", ErrCorruptIndex, i, count)
	case err == errEntryExtended:
		return fmt.Errorf("%w: %v (entry %d)", ErrCorruptIndex, err, i)
	default:
		return fmt.Errorf("%w: %v in entry %d", ErrCorruptIndex, err, i)
	}
}

// entryFlags reads the fixed part of the entry at off: ctime, mtime, dev,
// ino, mode, uid, gid, size (40 bytes), the object name of hashLen bytes,
// 16 bits of flags, and in versions 3 and 4, when the flags say so, 16
// bits of extended flags. It returns the flags and the offset of the name.
func entryFlags(data []byte, off, end, hashLen int, version uint32) (flags, xflags uint16, next int, err error) {
	next = off + 40 + hashLen + 2
	if next > end {
		return 0, 0, 0, errEntryTruncated
	}
	flags = binary.BigEndian.Uint16(data[next-2:])
	if flags&flagExtended == 0 {
		return flags, 0, next, nil
	}
	if version < 3 {
		return 0, 0, 0, errEntryExtended
	}
	if next+2 > end {
		return 0, 0, 0, errEntryTruncated
	}
	return flags, binary.BigEndian.Uint16(data[next:]), next + 2, nil
}

// nameV4 reads a version-4 name at off: how many bytes to strip from the
// end of the previous name prev (git's varint, the OFS_DELTA form, not
// LEB128), then the NUL-terminated bytes to append. There is no padding.
// The name is prev's buffer, cut and extended: time and memory linear in
// the file, however long the names grow. A length field (nameLen, unless
// it is 0xFFF) that disagrees with the name returns *errNeedsGit, so that
// git's own reading decides.
func nameV4(data []byte, off, end int, prev []byte, nameLen int) (name []byte, next int, err error) {
	strip, n := offsetVarint(data[off:end])
	if n <= 0 || strip > uint64(len(prev)) {
		return prev, 0, errEntryPrefix
	}
	off += n
	nul := bytes.IndexByte(data[off:end], 0)
	if nul < 0 {
		return prev, 0, errEntryUnterminated
	}
	name = append(prev[:len(prev)-int(strip)], data[off:off+nul]...)
	if nameLen != flagNameMask && nameLen != len(name) {
		return name, 0, &errNeedsGit{fmt.Sprintf("name length %d, name of %d bytes", nameLen, len(name))}
	}
	return name, off + nul + 1, nil
}

// namePadded reads a version 2 or 3 name at off as git reads it: nameLen
// bytes, unless nameLen is 0xFFF (then the name runs to its NUL), then
// 1–8 NULs that end the entry, which began at start, on a multiple of 8
// bytes. A length field that disagrees with the NUL-terminated name (git
// reads another name there, or refuses the index) returns *errNeedsGit.
func namePadded(data []byte, start, off, end, nameLen int) (name []byte, next int, err error) {
	nul := nameLen
	if nameLen == flagNameMask {
		if nul = bytes.IndexByte(data[off:end], 0); nul < 0 {
			return nil, 0, errEntryUnterminated
		}
	} else if off+nameLen >= end || data[off+nameLen] != 0 || bytes.IndexByte(data[off:off+nameLen], 0) >= 0 {
		return nil, 0, &errNeedsGit{fmt.Sprintf("name length %d disagrees with its NUL-terminated name", nameLen)}
	}
	if next = start + ((off - start + nul + 8) &^ 7); next > end {
		return nil, 0, errEntryTruncated
	}
	return data[off : off+nul], next, nil
}

// indexExtensions reads what follows the entries, from off up to the
// checksum at end: extensions of a 4-byte signature, a 32-bit size and
// that many bytes. It returns the cache-tree (TREE). A split index (link),
// a sparse index (sdir) or a required extension it does not know (a
// signature not starting with an upper-case letter) returns *errNeedsGit;
// optional ones are skipped, as git skips those it does not know.
func indexExtensions(data []byte, off, end, hashLen int, arena *stringArena) (*cacheTree, error) {
	var valid *cacheTree
	for off+8 <= end {
		sig := string(data[off : off+4])
		size := int64(binary.BigEndian.Uint32(data[off+4:]))
		off += 8
		if int64(off)+size > int64(end) {
			return nil, fmt.Errorf("%w: truncated %q extension", ErrCorruptIndex, sig)
		}
		body := data[off : off+int(size)]
		off += int(size)
		switch sig {
		case "TREE":
			valid = parseCacheTree(body, hashLen, arena)
		case "link":
			return nil, &errNeedsGit{"split index"}
		case "sdir":
			return nil, &errNeedsGit{"sparse index"}
		default:
			if sig[0] < 'A' || sig[0] > 'Z' {
				return nil, &errNeedsGit{fmt.Sprintf("index extension %q", sig)}
			}
		}
	}
	if off != end {
		return nil, fmt.Errorf("%w: %d stray bytes before the checksum", ErrCorruptIndex, end-off)
	}
	return valid, nil
}

// stringArena hands out strings copied into shared chunks: one allocation
// per 64 KiB of paths instead of one per path. The first chunk is 1 KiB
// and each next one twice as large, up to 64 KiB: a small index copies a
// few paths and touches one page. Bytes once appended are never written
// again, so the strings stay valid (the garbage collector keeps a chunk
// alive while any of its strings is).
type stringArena struct{ buf []byte }

func (a *stringArena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(a.buf)+len(b) > cap(a.buf) {
		a.buf = make([]byte, 0, max(min(2*cap(a.buf), 64<<10), 1<<10, len(b)))
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

// offsetVarint decodes the variable-length integer of index v4 path
// compression (the OFS_DELTA encoding: each continuation adds one before
// shifting). It returns the value and the bytes read, or n <= 0.
func offsetVarint(b []byte) (uint64, int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	v := uint64(c & 0x7f)
	n := 1
	for c&0x80 != 0 {
		if n >= len(b) || n > 9 {
			return 0, -1
		}
		v++
		c = b[n]
		n++
		v = v<<7 | uint64(c&0x7f)
	}
	return v, n
}

// cacheTree is the TREE extension: for directories of the index, the tree
// object git would write for them, when still valid. Nodes are kept as a
// tree of names (a node, its name, its parent), never as full paths, so
// memory is linear in the extension however deep it nests.
type cacheTree struct {
	nodes    []cacheTreeNode // nodes[0] is the root
	children map[cacheTreeKey]int32
}

type cacheTreeNode struct {
	hash  ObjectID
	valid bool
}

type cacheTreeKey struct {
	parent int32
	name   string
}

// empty reports whether c has no valid node (c may be nil).
func (c *cacheTree) empty() bool { return c == nil || len(c.nodes) == 0 }

// hash returns node n's tree, if the node is valid.
func (c *cacheTree) hash(n int32) (ObjectID, bool) {
	return c.nodes[n].hash, c.nodes[n].valid
}

// child returns the node of the subdirectory name of node n.
func (c *cacheTree) child(n int32, name string) (int32, bool) {
	k, ok := c.children[cacheTreeKey{n, name}]
	return k, ok
}

// parseCacheTree reads the TREE extension: nodes in pre-order, each
// "name NUL entry_count SP subtree_count LF [hash]"; an entry_count of -1
// marks an invalidated node (no hash follows). It reads iteratively (an
// extension nested 100,000 deep costs a stack of 100,000 small frames, not
// Go's call stack) and copies names into arena. A malformed extension is
// dropped, as git drops it: the cache-tree only saves work, and the entries
// are read regardless.
func parseCacheTree(b []byte, hashLen int, arena *stringArena) *cacheTree {
	if len(b) == 0 {
		return nil
	}
	// Every node ends its counts with a line feed (object names may hold
	// more): sized once, the slice and map skip their intermediate sizes.
	nodes := bytes.Count(b, []byte{'\n'})
	c := &cacheTree{nodes: make([]cacheTreeNode, 0, nodes), children: make(map[cacheTreeKey]int32, nodes)}
	type frame struct {
		node int32
		left int // subtrees still to read
	}
	var stack []frame
	readNode := func(parent int32) bool {
		nul := bytes.IndexByte(b, 0)
		if nul < 0 || len(c.nodes) >= math.MaxInt32 {
			return false
		}
		name := b[:nul]
		b = b[nul+1:]
		sp := bytes.IndexByte(b, ' ')
		lf := bytes.IndexByte(b, '\n')
		if sp < 0 || lf < sp {
			return false
		}
		count, err1 := strconv.Atoi(string(b[:sp]))
		subtrees, err2 := strconv.Atoi(string(b[sp+1 : lf]))
		if err1 != nil || err2 != nil || subtrees < 0 || count < -1 {
			return false
		}
		b = b[lf+1:]
		var n cacheTreeNode
		if count >= 0 {
			if len(b) < hashLen {
				return false
			}
			n = cacheTreeNode{hash: objectIDFrom(b[:hashLen]), valid: true}
			b = b[hashLen:]
		}
		idx := int32(len(c.nodes))
		c.nodes = append(c.nodes, n)
		if parent >= 0 {
			c.children[cacheTreeKey{parent, arena.str(name)}] = idx
		}
		if subtrees > 0 {
			stack = append(stack, frame{idx, subtrees})
		}
		return true
	}
	if !readNode(-1) {
		return nil
	}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.left == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		top.left--
		if !readNode(top.node) {
			return nil
		}
	}
	return c
}
