// Package packcraft writes git pack files and pack indexes byte by byte,
// for tests that need layouts git itself would not produce (delta chains
// of any length, indexes whose counts lie). It writes SHA-1 packs only.
package packcraft

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
)

// Object types of pack entries (gitformat-pack(5)).
const (
	Commit   = 1
	Tree     = 2
	Blob     = 3
	OfsDelta = 6
	RefDelta = 7
)

// Pack is a pack being written: entries are appended in order.
type Pack struct {
	buf   bytes.Buffer
	count uint32
	// Objects maps each whole or resolved object's id to its offset.
	Objects map[[20]byte]int64
}

// New starts a pack.
func New() *Pack {
	p := &Pack{Objects: make(map[[20]byte]int64)}
	p.buf.WriteString("PACK\x00\x00\x00\x02\x00\x00\x00\x00")
	return p
}

// ID is the SHA-1 object name of content of the given type name.
func ID(typ string, data []byte) [20]byte {
	h := sha1.New()
	h.Write([]byte(typ + " " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	var id [20]byte
	h.Sum(id[:0])
	return id
}

func (p *Pack) header(code byte, size int) int64 {
	off := int64(p.buf.Len())
	c := code<<4 | byte(size&15)
	size >>= 4
	for size > 0 {
		p.buf.WriteByte(c | 0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	p.buf.WriteByte(c)
	p.count++
	return off
}

func (p *Pack) deflate(data []byte) {
	zw, _ := zlib.NewWriterLevel(&p.buf, zlib.BestSpeed)
	zw.Write(data)
	zw.Close()
}

// Add appends a whole object and returns its offset; id is recorded.
func (p *Pack) Add(code byte, data []byte, id [20]byte) int64 {
	off := p.header(code, len(data))
	p.deflate(data)
	p.Objects[id] = off
	return off
}

// AddOfsDelta appends a delta against the entry at base and returns its
// offset; id (the resolved object's name) is recorded.
func (p *Pack) AddOfsDelta(base int64, delta []byte, id [20]byte) int64 {
	off := p.header(OfsDelta, len(delta))
	rel := off - base
	var enc []byte
	enc = append(enc, byte(rel&0x7f))
	for rel >>= 7; rel > 0; rel >>= 7 {
		rel--
		enc = append([]byte{byte(0x80 | rel&0x7f)}, enc...)
	}
	p.buf.Write(enc)
	p.deflate(delta)
	p.Objects[id] = off
	return off
}

// AddRefDelta appends a delta against the object named base, recorded as
// id (any name: the index may lie).
func (p *Pack) AddRefDelta(base [20]byte, delta []byte, id [20]byte) int64 {
	off := p.header(RefDelta, len(delta))
	p.buf.Write(base[:])
	p.deflate(delta)
	p.Objects[id] = off
	return off
}

// Bytes finishes the pack: the entry count and the trailing checksum.
func (p *Pack) Bytes() []byte {
	b := bytes.Clone(p.buf.Bytes())
	binary.BigEndian.PutUint32(b[8:], p.count)
	sum := sha1.Sum(b)
	return append(b, sum[:]...)
}

// Index writes a version-2 pack index for the recorded objects of the
// pack whose checksum is packSum. The fan-out's last count is fanoutTotal
// when it is not zero (an index that lies about its size).
func (p *Pack) Index(packSum []byte, fanoutTotal uint32) []byte {
	ids := make([][20]byte, 0, len(p.Objects))
	for id := range p.Objects {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	var b bytes.Buffer
	b.WriteString("\xfftOc\x00\x00\x00\x02")
	var fan [256]uint32
	for _, id := range ids {
		for k := int(id[0]); k < 256; k++ {
			fan[k]++
		}
	}
	if fanoutTotal != 0 {
		fan[255] = fanoutTotal
	}
	for _, n := range fan {
		binary.Write(&b, binary.BigEndian, n)
	}
	for _, id := range ids {
		b.Write(id[:])
	}
	for range ids {
		b.Write([]byte{0, 0, 0, 0}) // CRC32: not checked by readers
	}
	for _, id := range ids {
		binary.Write(&b, binary.BigEndian, uint32(p.Objects[id]))
	}
	b.Write(packSum)
	sum := sha1.Sum(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

// Delta is a delta turning a base of baseLen bytes into a result of
// resultLen bytes by copying the base except for the bytes at pos, which
// are replaced by insert.
func Delta(baseLen, resultLen, pos int, insert []byte) []byte {
	var d []byte
	d = binary.AppendUvarint(d, uint64(baseLen))
	d = binary.AppendUvarint(d, uint64(resultLen))
	d = appendCopy(d, 0, pos)
	for rest := insert; len(rest) > 0; {
		n := min(len(rest), 127)
		d = append(d, byte(n))
		d = append(d, rest[:n]...)
		rest = rest[n:]
	}
	tail := pos + len(insert)
	d = appendCopy(d, tail, resultLen-tail)
	return d
}

// appendCopy appends copy instructions for base[off:off+n], in pieces of
// at most 64 KiB (any size fits in three bytes, but short pieces keep the
// encoding simple).
func appendCopy(d []byte, off, n int) []byte {
	for n > 0 {
		sz := min(n, 0x10000)
		op := byte(0x80 | 0x0f) // four offset bytes
		enc := binary.LittleEndian.AppendUint32(nil, uint32(off))
		if sz != 0x10000 {
			op |= 0x30 // two size bytes
			enc = binary.LittleEndian.AppendUint16(enc, uint16(sz))
		}
		d = append(append(d, op), enc...)
		off += sz
		n -= sz
	}
	return d
}

// ChainTree returns the content of a tree of n entries named fNNNNNNN.py
// (and, when bytecode is set, legacy.pyc), every one naming blob. With
// about 40 bytes an entry, n = 52,000 makes a 2 MiB tree.
func ChainTree(n int, blob [20]byte, bytecode bool) []byte {
	var t bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&t, "100644 f%07d.py\x00", i)
		t.Write(blob[:])
	}
	if bytecode {
		t.WriteString("100644 legacy.pyc\x00")
		t.Write(blob[:])
	}
	return t.Bytes()
}

// Chain appends to p a tree and links-1 offset deltas on it, each result
// the size of final and differing from the previous one in four bytes of
// its first entry's object name; the last link's result is final itself.
// It returns the offset of the last link. Every link's object is recorded
// in p.Objects (only the last is a real tree; the others are unreachable).
func (p *Pack) Chain(final []byte, links int) int64 {
	pos := bytes.IndexByte(final, 0) + 1 // the first entry's object name
	if links <= 1 {
		return p.Add(Tree, final, ID("tree", final))
	}
	cur := bytes.Clone(final)
	mark := func(k int) []byte {
		return binary.BigEndian.AppendUint32(nil, uint32(k)^0xa5a5a5a5)
	}
	copy(cur[pos:], mark(0))
	off := p.Add(Tree, cur, ID("tree", cur))
	for k := 1; k < links; k++ {
		insert := mark(k)
		if k == links-1 {
			insert = final[pos : pos+4]
		}
		copy(cur[pos:], insert)
		off = p.AddOfsDelta(off, Delta(len(final), len(final), pos, insert), ID("tree", cur))
	}
	return off
}
