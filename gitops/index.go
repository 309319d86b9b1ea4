package gitops

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
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

// cacheTreeNode is one valid node of the TREE extension: the tree object the
// index would write for the directory at path.
type cacheTreeNode struct {
	path string // "" for the root, else "a/b" (no trailing slash)
	hash ObjectID
}

// indexScan is what scanIndex keeps of an index.
type indexScan struct {
	version uint32
	count   uint32
	entries []IndexEntry
	// valid maps directory paths to valid cache-tree hashes.
	valid map[string]ObjectID
}

// scanIndex walks the index in data and keeps the entries for which keep
// returns true. When quick is not nil it is asked first, with a transient
// string that aliases data or a scratch buffer and must not be retained;
// only paths it accepts are copied and given to keep, which may retain
// them. It reads versions 2, 3 and 4 with object names of hashLen bytes
// (20 for SHA-1, 32 for SHA-256); other layouts return *errNeedsGit.
func scanIndex(data []byte, hashLen int, quick, keep func(path string) bool) (*indexScan, error) {
	const hdr = 12
	// An entry: ctime, mtime, dev, ino, mode, uid, gid, size (40 bytes),
	// the object name, 16 bits of flags.
	fixed := 40 + hashLen + 2
	if len(data) < hdr+hashLen {
		if len(data) == 0 {
			return &indexScan{version: 2}, nil
		}
		return nil, fmt.Errorf("%w: truncated (%d bytes)", ErrCorruptIndex, len(data))
	}
	if string(data[:4]) != "DIRC" {
		return nil, fmt.Errorf("%w: bad signature %q", ErrCorruptIndex, data[:4])
	}
	s := &indexScan{
		version: binary.BigEndian.Uint32(data[4:8]),
		count:   binary.BigEndian.Uint32(data[8:12]),
	}
	if s.version < 2 || s.version > 4 {
		return nil, &errNeedsGit{fmt.Sprintf("index version %d", s.version)}
	}
	end := len(data) - hashLen // trailing checksum
	off := hdr
	var prev []byte // v4: the previous path
	var scratch []byte
	var arena stringArena
	emptyPath := 0 // the first entry with an empty path, 1-based
	for i := uint32(0); i < s.count; i++ {
		start := off
		if off+fixed > end {
			return nil, fmt.Errorf("%w: truncated in entry %d of %d", ErrCorruptIndex, i+1, s.count)
		}
		mode := binary.BigEndian.Uint32(data[off+24:])
		flags := binary.BigEndian.Uint16(data[off+40+hashLen:])
		off += fixed
		var xflags uint16
		if flags&flagExtended != 0 {
			if s.version < 3 {
				return nil, fmt.Errorf("%w: extended flags in a version 2 index (entry %d)", ErrCorruptIndex, i+1)
			}
			if off+2 > end {
				return nil, fmt.Errorf("%w: truncated in entry %d of %d", ErrCorruptIndex, i+1, s.count)
			}
			xflags = binary.BigEndian.Uint16(data[off:])
			off += 2
		}
		var path []byte
		if s.version == 4 {
			// Git's varint in v4 is not LEB128: it is the OFS_DELTA form.
			strip, n := offsetVarint(data[off:end])
			if n <= 0 || strip > uint64(len(prev)) {
				return nil, fmt.Errorf("%w: bad path prefix in entry %d", ErrCorruptIndex, i+1)
			}
			off += n
			nul := bytes.IndexByte(data[off:end], 0)
			if nul < 0 {
				return nil, fmt.Errorf("%w: unterminated path in entry %d", ErrCorruptIndex, i+1)
			}
			scratch = append(append(scratch[:0], prev[:len(prev)-int(strip)]...), data[off:off+nul]...)
			path = scratch
			prev = append(prev[:0], scratch...)
			off += nul + 1
		} else {
			nameLen := int(flags & flagNameMask)
			var nul int
			if nameLen < flagNameMask && off+nameLen < end && data[off+nameLen] == 0 {
				nul = nameLen
			} else {
				nul = bytes.IndexByte(data[off:end], 0)
				if nul < 0 {
					return nil, fmt.Errorf("%w: unterminated path in entry %d", ErrCorruptIndex, i+1)
				}
			}
			path = data[off : off+nul]
			// Entries are padded with 1–8 NULs to a multiple of 8 bytes.
			off = start + ((off - start + nul + 8) &^ 7)
			if off > end {
				return nil, fmt.Errorf("%w: truncated in entry %d of %d", ErrCorruptIndex, i+1, s.count)
			}
		}
		if len(path) == 0 {
			// Legal only in a split index, whose entries take their names
			// from the shared index; the "link" extension then sends the
			// read to git.
			if emptyPath == 0 {
				emptyPath = int(i) + 1
			}
			continue
		}
		if mode&modeTypeMask == modeDir {
			return nil, &errNeedsGit{"sparse directory entries"}
		}
		if quick != nil && !quick(unsafe.String(&path[0], len(path))) {
			continue
		}
		// keep may retain the string (the ignore engine caches paths), so
		// it must not alias the mapped file or the v4 scratch buffer: the
		// arena copies it at the cost of a memmove, not an allocation.
		p := arena.str(path)
		if keep(p) {
			e := IndexEntry{
				Path:         p,
				Mode:         mode,
				Size:         binary.BigEndian.Uint32(data[start+36:]),
				Stage:        int(flags&flagStageMask) >> flagStageShift,
				AssumeValid:  flags&flagAssumeValid != 0,
				SkipWorktree: xflags&xflagSkipWorktre != 0,
				IntentToAdd:  xflags&xflagIntentToAdd != 0,
				Hash:         objectIDFrom(data[start+40 : start+40+hashLen]),
			}
			s.entries = append(s.entries, e)
		}
	}
	// Extensions: 4-byte signature, 4-byte size, data.
	for off+8 <= end {
		sig := string(data[off : off+4])
		size := int(binary.BigEndian.Uint32(data[off+4:]))
		off += 8
		if size < 0 || off+size > end {
			return nil, fmt.Errorf("%w: truncated %q extension", ErrCorruptIndex, sig)
		}
		body := data[off : off+size]
		off += size
		switch sig {
		case "TREE":
			valid, err := parseCacheTree(body, hashLen)
			if err != nil {
				return nil, err
			}
			s.valid = valid
		case "link":
			return nil, &errNeedsGit{"split index"}
		case "sdir":
			return nil, &errNeedsGit{"sparse index"}
		default:
			// Extensions whose signature starts with an upper-case letter
			// are optional and may be ignored; others must be understood.
			if sig[0] < 'A' || sig[0] > 'Z' {
				return nil, &errNeedsGit{fmt.Sprintf("index extension %q", sig)}
			}
		}
	}
	if off != end {
		return nil, fmt.Errorf("%w: %d stray bytes before the checksum", ErrCorruptIndex, end-off)
	}
	if emptyPath > 0 {
		return nil, fmt.Errorf("%w: empty path in entry %d", ErrCorruptIndex, emptyPath)
	}
	return s, nil
}

// stringArena hands out strings copied into large shared chunks: one
// allocation per 64 KiB of paths instead of one per path. Bytes once
// appended are never written again, so the strings stay valid (the garbage
// collector keeps a chunk alive while any of its strings is).
type stringArena struct{ buf []byte }

func (a *stringArena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(a.buf)+len(b) > cap(a.buf) {
		a.buf = make([]byte, 0, max(64<<10, len(b)))
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

// parseCacheTree reads the TREE extension: nodes in pre-order, each
// "name NUL entry_count SP subtree_count LF [hash]"; an entry_count of -1
// marks an invalidated node (no hash follows). It returns the valid nodes by
// full directory path.
func parseCacheTree(b []byte, hashLen int) (map[string]ObjectID, error) {
	valid := make(map[string]ObjectID)
	var walk func(prefix string) error
	walk = func(prefix string) error {
		nul := bytes.IndexByte(b, 0)
		if nul < 0 {
			return fmt.Errorf("%w: bad cache-tree", ErrCorruptIndex)
		}
		name := string(b[:nul])
		b = b[nul+1:]
		sp := bytes.IndexByte(b, ' ')
		lf := bytes.IndexByte(b, '\n')
		if sp < 0 || lf < sp {
			return fmt.Errorf("%w: bad cache-tree", ErrCorruptIndex)
		}
		count, err1 := strconv.Atoi(string(b[:sp]))
		subtrees, err2 := strconv.Atoi(string(b[sp+1 : lf]))
		if err1 != nil || err2 != nil || subtrees < 0 {
			return fmt.Errorf("%w: bad cache-tree", ErrCorruptIndex)
		}
		b = b[lf+1:]
		path := name
		if prefix != "" {
			path = prefix + "/" + name
		}
		if count >= 0 {
			if len(b) < hashLen {
				return fmt.Errorf("%w: bad cache-tree", ErrCorruptIndex)
			}
			valid[path] = objectIDFrom(b[:hashLen])
			b = b[hashLen:]
		}
		for i := 0; i < subtrees; i++ {
			if err := walk(path); err != nil {
				return err
			}
		}
		return nil
	}
	if len(b) == 0 {
		return valid, nil
	}
	if err := walk(""); err != nil {
		return nil, err
	}
	return valid, nil
}
