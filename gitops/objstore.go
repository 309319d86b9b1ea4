package gitops

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// objectStore reads objects straight from git's object directories, the
// way git stores them (gitformat-pack(5), "Object storage" in
// gitrepository-layout(5)): loose objects (zlib-deflated "<type> <size>\0"
// and content) and pack files with their version-2 index, deltas against
// an offset in the same pack or against any object by name. Alternates
// (objects/info/alternates, recursively, and GIT_ALTERNATE_OBJECT_DIRECTORIES)
// are searched after the repository's own directory.
//
// It reads SHA-1 and SHA-256 repositories (ids of hashLen bytes in pack
// indexes, ref deltas and trees), and every object it returns has been
// hashed and found equal to the name it was asked for: a reading mistake
// is an error, never a wrong answer. Callers treat any error, including
// errObjectNotFound, as "ask git": the store is the fast path of a few
// object reads per run (HEAD's trees for check, a pushed tree's
// configuration for pre-receive), where starting git costs more than the
// reads.
type objectStore struct {
	dirs   []string // object directories: the repository's, then alternates
	packs  []*packFile
	listed bool
	// bases caches delta bases by pack and offset; a tree read after its
	// sibling often shares a base with it.
	bases     map[baseKey]*packObject
	baseBytes int
	limit     int64 // largest object (or delta base) the store inflates
	hashLen   int   // 20 (SHA-1) or 32 (SHA-256)
	// verified keeps every object a store was asked for: callers ask
	// for a commit's tree once per file they look up.
	verified map[ObjectID]*packObject
	zr       io.ReadCloser // one decompressor, reset for every stream
	br       *bufio.Reader // reads packs the system does not map, made on first use
	loose    []byte        // the last loose object file read, reused
}

type baseKey struct {
	pack *packFile
	off  int64
}

type packObject struct {
	typ  string
	data []byte
}

// errObjectNotFound: no object directory of the store has the object.
var errObjectNotFound = errors.New("object not found")

// errNotSupported: the store met a layout it does not read (git can).
var errNotSupported = errors.New("object storage not supported")

const (
	maxAlternateDepth = 5    // git's own limit on nested alternates
	maxDeltaChain     = 4096 // git's pack.depth cannot exceed 4095
	maxBaseCache      = 8 << 20
	maxCachedBase     = 1 << 20 // larger objects are never kept as bases
)

// newObjectStore opens the store rooted at the object directory primary.
// alternates is the value of GIT_ALTERNATE_OBJECT_DIRECTORIES (relative
// entries are relative to cwd). Object ids are hashLen bytes long (20 for
// SHA-1, 32 for SHA-256). Objects larger than limit are refused with
// errNotSupported.
func newObjectStore(primary, alternates, cwd string, hashLen int, limit int64) (*objectStore, error) {
	s := &objectStore{bases: make(map[baseKey]*packObject), limit: limit, hashLen: hashLen,
		verified: make(map[ObjectID]*packObject)}
	if err := s.addDir(absIn(cwd, primary), 0); err != nil {
		return nil, err
	}
	for _, a := range filepath.SplitList(alternates) {
		if a == "" {
			continue
		}
		if strings.HasPrefix(a, `"`) {
			return nil, fmt.Errorf("%w: quoted entry in GIT_ALTERNATE_OBJECT_DIRECTORIES", errNotSupported)
		}
		if err := s.addDir(absIn(cwd, a), 0); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func absIn(cwd, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	if cwd == "" {
		if wd, err := os.Getwd(); err == nil {
			cwd = wd
		}
	}
	return filepath.Join(cwd, p)
}

// addDir adds an object directory and, after it, the alternates it names.
func (s *objectStore) addDir(dir string, depth int) error {
	for _, d := range s.dirs {
		if d == dir {
			return nil
		}
	}
	if depth > maxAlternateDepth {
		return fmt.Errorf("%w: alternates nested deeper than %d at %s", errNotSupported, maxAlternateDepth, dir)
	}
	s.dirs = append(s.dirs, dir)
	data, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '"' {
			return fmt.Errorf("%w: quoted path in %s", errNotSupported, filepath.Join(dir, "info", "alternates"))
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(dir, line)
		}
		if err := s.addDir(filepath.Clean(line), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// close releases the pack files the store opened.
func (s *objectStore) close() {
	for _, p := range s.packs {
		p.close()
	}
	s.packs, s.listed = nil, false
}

// forget drops the objects the store has verified (and their contents),
// keeping its packs open: for a walk that reads a few objects per commit.
func (s *objectStore) forget() { clear(s.verified) }

// read returns the type and content of the object named id, verified
// against its name.
func (s *objectStore) read(id ObjectID) (string, []byte, error) {
	if o := s.verified[id]; o != nil {
		return o.typ, o.data, nil
	}
	if id.Len() != s.hashLen {
		return "", nil, fmt.Errorf("%w: object name %s in a repository of %d-byte names", errNotSupported, id, s.hashLen)
	}
	typ, data, err := s.readUnverified(id)
	if err != nil {
		return "", nil, err
	}
	if hashObject(s.hashLen, typ, data) != id {
		return "", nil, fmt.Errorf("%w: object %s does not hash to its name", errBadObject, id)
	}
	s.verified[id] = &packObject{typ: typ, data: data}
	return typ, data, nil
}

func (s *objectStore) readUnverified(id ObjectID) (string, []byte, error) {
	p, off, err := s.findPacked(id)
	if err != nil {
		return "", nil, err
	}
	if p != nil {
		o, err := s.resolve(p, off)
		if err != nil {
			return "", nil, fmt.Errorf("object %s in %s: %w", id, p.packPath, err)
		}
		return o.typ, o.data, nil
	}
	return s.readLooseID(id)
}

// findPacked returns the pack holding id and the object's offset there,
// or a nil pack.
func (s *objectStore) findPacked(id ObjectID) (*packFile, int64, error) {
	// Packs first, as git looks: most objects are packed, and a look in a
	// mapped index costs no system call where a missing loose file does.
	if err := s.listPacks(); err != nil {
		return nil, 0, err
	}
	for _, p := range s.packs {
		off, ok, err := p.find(id)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			return p, off, nil
		}
	}
	return nil, 0, nil
}

// readLooseID reads the loose object id from the first directory that has
// it.
func (s *objectStore) readLooseID(id ObjectID) (string, []byte, error) {
	name := id.String()
	for _, d := range s.dirs {
		f, err := os.Open(filepath.Join(d, name[:2], name[2:]))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		typ, data, err := s.readLooseFile(f)
		f.Close()
		if err != nil {
			return "", nil, fmt.Errorf("loose object %s: %w", name, err)
		}
		return typ, data, nil
	}
	return "", nil, fmt.Errorf("%w: %s", errObjectNotFound, name)
}

// readLooseFile reads the loose object file f: whole, when it is no
// larger than the store's limit (a compressed object is seldom larger than
// the object), into a buffer reused from one object to the next, so that
// the decompressor reads bytes in memory instead of through a buffered
// reader made for each file; a larger one streams from the file.
func (s *objectStore) readLooseFile(f *os.File) (string, []byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return "", nil, err
	}
	if fi.Size() > s.limit || fi.Size() > 1<<20 {
		return s.readLoose(bufio.NewReaderSize(f, 4096))
	}
	n := int(fi.Size())
	if cap(s.loose) < n+1 {
		s.loose = make([]byte, max(n+1, 4096))
	}
	// One byte more than the size: a file that grew since is read to its
	// end, not cut.
	buf := s.loose[:n+1]
	m, err := io.ReadFull(f, buf)
	switch {
	case err == nil: // it grew: stream the rest
		return s.readLoose(io.MultiReader(bytes.NewReader(buf), bufio.NewReaderSize(f, 4096)))
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return s.readLoose(bytes.NewReader(buf[:m]))
	default:
		return "", nil, err
	}
}

// readLoose inflates a loose object from r: "<type> <decimal size>\0" and
// the content.
func (s *objectStore) readLoose(r io.Reader) (string, []byte, error) {
	zr, err := s.inflater(r)
	if err != nil {
		return "", nil, err
	}
	// "<type> <decimal size>\0" fits in 32 bytes; a longer header is not
	// one, however many bytes the stream inflates to.
	var peek [32]byte
	got, nul := 0, -1
	for nul < 0 && got < len(peek) {
		n, err := zr.Read(peek[got:])
		if n == 0 && err == nil {
			err = io.ErrNoProgress
		}
		if i := bytes.IndexByte(peek[got:got+n], 0); i >= 0 {
			nul = got + i
		}
		got += n
		if err != nil {
			break
		}
	}
	if nul < 0 {
		return "", nil, fmt.Errorf("%w: no object header in the first %d bytes", errBadObject, got)
	}
	head := string(peek[:nul+1])
	typ, sizeText, ok := strings.Cut(strings.TrimSuffix(head, "\x00"), " ")
	size, perr := strconv.ParseInt(sizeText, 10, 64)
	if !ok || perr != nil || size < 0 || typeCode(typ) == 0 {
		return "", nil, fmt.Errorf("%w: header %q", errBadObject, head)
	}
	if size > s.limit {
		return "", nil, fmt.Errorf("%w: %d bytes, more than %d", errNotSupported, size, s.limit)
	}
	data := make([]byte, size)
	// The header's read may have inflated the first bytes of the content.
	k := copy(data, peek[nul+1:got])
	if _, err := io.ReadFull(zr, data[k:]); err != nil {
		return "", nil, fmt.Errorf("%w: content: %v", errBadObject, err)
	}
	return typ, data, nil
}

// listPacks finds every pack index of the store's directories, once.
func (s *objectStore) listPacks() error {
	if s.listed {
		return nil
	}
	s.listed = true
	for _, d := range s.dirs {
		ents, err := os.ReadDir(filepath.Join(d, "pack"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range ents {
			// git reads every *.idx beside its *.pack, whatever the name.
			if base, ok := strings.CutSuffix(e.Name(), ".idx"); ok && base != "" && !e.IsDir() {
				s.packs = append(s.packs, &packFile{
					hashLen:  s.hashLen,
					idxPath:  filepath.Join(d, "pack", e.Name()),
					packPath: filepath.Join(d, "pack", base+".pack"),
				})
			}
		}
	}
	return nil
}

// packFile is one pack and its version-2 index, opened on first use.
type packFile struct {
	hashLen           int
	idxPath, packPath string
	opened            bool
	openErr           error
	idx, pack         *os.File
	packSize          int64
	n                 uint32
	fanout            [256]uint32
	// Where the system maps files, idxData and packData are the files'
	// bytes and reads touch only the pages they need.
	idxData, packData []byte
	unmap             []func()
}

func (p *packFile) close() {
	for _, f := range p.unmap {
		f()
	}
	p.idxData, p.packData, p.unmap = nil, nil, nil
	if p.idx != nil {
		p.idx.Close()
	}
	if p.pack != nil {
		p.pack.Close()
	}
}

func (p *packFile) open() error {
	if p.opened {
		return p.openErr
	}
	p.opened = true
	p.openErr = p.doOpen()
	return p.openErr
}

func (p *packFile) doOpen() error {
	var err error
	if p.idx, err = os.Open(p.idxPath); err != nil {
		return err
	}
	var head [8 + 256*4]byte
	if _, err := p.idx.ReadAt(head[:], 0); err != nil {
		return fmt.Errorf("%s: %w", p.idxPath, err)
	}
	if !bytes.Equal(head[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(head[4:8]) != 2 {
		return fmt.Errorf("%w: %s is not a version-2 pack index", errNotSupported, p.idxPath)
	}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(head[8+4*i:])
		if i > 0 && p.fanout[i] < p.fanout[i-1] {
			return fmt.Errorf("%w: %s: fan-out table not sorted", errBadObject, p.idxPath)
		}
	}
	p.n = p.fanout[255]
	st, err := p.idx.Stat()
	if err != nil {
		return err
	}
	// Names, CRCs and offsets of n objects, and two checksums, must fit
	// in the file: a fan-out claiming more objects than that is refused
	// before anything is allocated for them.
	hl := int64(p.hashLen)
	if need := 8 + 1024 + int64(p.n)*(hl+8) + 2*hl; st.Size() < need {
		return fmt.Errorf("%w: %s: fan-out claims %d objects, more than its %d bytes hold", errBadObject, p.idxPath, p.n, st.Size())
	}
	if data, unmap, ok := mapLazy(p.idx, st.Size()); ok {
		p.idxData, p.unmap = data, append(p.unmap, unmap)
	}
	if p.pack, err = os.Open(p.packPath); err != nil {
		return err
	}
	if st, err = p.pack.Stat(); err != nil {
		return err
	}
	p.packSize = st.Size()
	if data, unmap, ok := mapLazy(p.pack, p.packSize); ok {
		p.packData, p.unmap = data, append(p.unmap, unmap)
	}
	var ph [12]byte
	if _, err := p.pack.ReadAt(ph[:], 0); err != nil {
		return fmt.Errorf("%s: %w", p.packPath, err)
	}
	if string(ph[:4]) != "PACK" || binary.BigEndian.Uint32(ph[8:]) != p.n {
		return fmt.Errorf("%w: %s does not match its index", errBadObject, p.packPath)
	}
	return nil
}

// idxAt reads len(b) bytes of the index at off.
func (p *packFile) idxAt(b []byte, off int64) error {
	if p.idxData != nil {
		if off < 0 || off+int64(len(b)) > int64(len(p.idxData)) {
			return fmt.Errorf("%w: %s is truncated", errBadObject, p.idxPath)
		}
		copy(b, p.idxData[off:])
		return nil
	}
	if _, err := p.idx.ReadAt(b, off); err != nil {
		return fmt.Errorf("%s: %w", p.idxPath, err)
	}
	return nil
}

// entryReader reads the pack from off: the mapped bytes themselves, or
// the store's buffered reader over the file.
func (s *objectStore) entryReader(p *packFile, off int64) packReader {
	if p.packData != nil {
		return bytes.NewReader(p.packData[off:])
	}
	if s.br == nil {
		s.br = bufio.NewReaderSize(nil, 4096)
	}
	s.br.Reset(io.NewSectionReader(p.pack, off, p.packSize-off))
	return s.br
}

type packReader interface {
	io.Reader
	io.ByteReader
}

// find returns the offset of id in the pack, reading only the index's
// names that share id's first byte.
func (p *packFile) find(id ObjectID) (int64, bool, error) {
	if err := p.open(); err != nil {
		return 0, false, err
	}
	want := id.b[:id.n]
	hl := int64(p.hashLen)
	lo := uint32(0)
	if want[0] > 0 {
		lo = p.fanout[want[0]-1]
	}
	hi := p.fanout[want[0]]
	if lo == hi {
		return 0, false, nil
	}
	var names []byte
	if start, end := 8+1024+hl*int64(lo), 8+1024+hl*int64(hi); p.idxData != nil && end <= int64(len(p.idxData)) {
		names = p.idxData[start:end]
	} else {
		names = make([]byte, end-start)
		if err := p.idxAt(names, start); err != nil {
			return 0, false, err
		}
	}
	h := int(hl)
	k := sort.Search(int(hi-lo), func(i int) bool { return bytes.Compare(names[h*i:h*i+h], want) >= 0 })
	if k == int(hi-lo) || !bytes.Equal(names[h*k:h*k+h], want) {
		return 0, false, nil
	}
	i := int64(lo) + int64(k)
	n := int64(p.n)
	// After the names: a CRC32 and a 4-byte offset per object, then the
	// 8-byte offsets of objects beyond 2 GiB.
	var b [8]byte
	if err := p.idxAt(b[:4], 8+1024+(hl+4)*n+4*i); err != nil {
		return 0, false, err
	}
	off := int64(binary.BigEndian.Uint32(b[:4]))
	if off&0x80000000 != 0 {
		if err := p.idxAt(b[:], 8+1024+(hl+8)*n+8*(off&0x7fffffff)); err != nil {
			return 0, false, err
		}
		off = int64(binary.BigEndian.Uint64(b[:]))
	}
	if off < 12 || off >= p.packSize {
		return 0, false, fmt.Errorf("%w: %s: offset %d outside the pack", errBadObject, p.idxPath, off)
	}
	return off, true, nil
}

// deltaLink is one delta of a chain: where its data starts in its pack,
// and its inflated size.
type deltaLink struct {
	p    *packFile
	off  int64 // the entry
	data int64 // its zlib stream
	size int64
}

// resolve reads the object at off in p, applying its chain of deltas
// iteratively: the chain is walked down to its base (or a cached object)
// reading only entry headers, then each delta is inflated and applied in
// turn, so a chain of any length holds one base, one delta and one result
// at a time — never every link (a 1,000-link chain of 2 MiB objects costs
// a few MB, not gigabytes). A chain longer than maxDeltaChain, or any
// object, delta or result larger than the store's limit, is
// errNotSupported: the caller asks git.
func (s *objectStore) resolve(p *packFile, off int64) (*packObject, error) {
	var chain []deltaLink
	var base *packObject
	baseCached := false
	for base == nil {
		if o := s.bases[baseKey{p, off}]; o != nil {
			base, baseCached = o, true
			break
		}
		if len(chain) >= maxDeltaChain {
			return nil, fmt.Errorf("%w: delta chain longer than %d", errNotSupported, maxDeltaChain)
		}
		e, err := s.entryHeader(p, off)
		if err != nil {
			return nil, err
		}
		switch {
		case e.code >= 1 && e.code <= 4:
			data, err := s.inflate(s.entryReader(p, e.data), e.size, nil)
			if err != nil {
				return nil, err
			}
			base = &packObject{typ: typeName(e.code), data: data}
			baseCached = s.cacheBase(p, off, base)
		case e.code == 6:
			chain = append(chain, deltaLink{p, off, e.data, e.size})
			off = e.base
		case e.code == 7:
			chain = append(chain, deltaLink{p, off, e.data, e.size})
			bp, boff, err := s.findPacked(e.baseID)
			if err != nil {
				return nil, err
			}
			if bp == nil {
				// A base outside every pack is loose (a loose object is
				// never a delta).
				typ, data, err := s.readLooseID(e.baseID)
				if err != nil {
					return nil, err
				}
				base = &packObject{typ: typ, data: data}
				break
			}
			p, off = bp, boff
		default:
			return nil, fmt.Errorf("%w: pack entry type %d", errBadObject, e.code)
		}
	}
	// Apply the deltas from the base up. cur is the object so far; spare
	// is a buffer no longer needed (a previous result the cache does not
	// hold), reused for the next result; delta is reused for every delta.
	cur, curCached := base, baseCached
	var spare, delta []byte
	for i := len(chain) - 1; i >= 0; i-- {
		l := chain[i]
		var err error
		if delta, err = s.inflate(s.entryReader(l.p, l.data), l.size, delta); err != nil {
			return nil, err
		}
		out, err := applyDelta(spare, cur.data, delta, s.limit)
		if err != nil {
			return nil, err
		}
		spare = nil
		if !curCached {
			spare = cur.data
		}
		cur = &packObject{typ: base.typ, data: out}
		curCached = s.cacheBase(l.p, l.off, cur)
	}
	return cur, nil
}

// packEntryHeader is the header of one pack entry.
type packEntryHeader struct {
	code   byte  // 1–4: commit, tree, blob, tag; 6: offset delta; 7: named-base delta
	size   int64 // the inflated size (a delta's own size for 6 and 7)
	data   int64 // where the zlib stream starts
	base   int64 // code 6: the base's offset
	baseID ObjectID
}

// entryHeader reads the header of the pack entry at off.
func (s *objectStore) entryHeader(p *packFile, off int64) (packEntryHeader, error) {
	var e packEntryHeader
	if off < 12 || off >= p.packSize {
		return e, fmt.Errorf("%w: entry offset %d outside the pack", errBadObject, off)
	}
	// The buffered reader is the store's, reset here: nothing else reads
	// through it while a header is read.
	br := s.entryReader(p, off)
	n := int64(0)
	readByte := func() (byte, error) {
		n++
		return br.ReadByte()
	}
	c, err := readByte()
	if err != nil {
		return e, err
	}
	e.code = (c >> 4) & 7
	e.size = int64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if c, err = readByte(); err != nil {
			return e, err
		}
		if shift > 56 {
			return e, fmt.Errorf("%w: entry size overflows", errBadObject)
		}
		e.size |= int64(c&0x7f) << shift
	}
	if e.size < 0 || e.size > s.limit {
		return e, fmt.Errorf("%w: %d bytes, more than %d", errNotSupported, e.size, s.limit)
	}
	switch e.code {
	case 6: // delta against the object at a smaller offset in this pack
		c, err := readByte()
		if err != nil {
			return e, err
		}
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if c, err = readByte(); err != nil {
				return e, err
			}
			if rel > (1<<55)-1 {
				return e, fmt.Errorf("%w: delta base offset overflows", errBadObject)
			}
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		if rel <= 0 || rel >= off {
			return e, fmt.Errorf("%w: delta base offset %d outside the pack", errBadObject, rel)
		}
		e.base = off - rel
	case 7: // delta against an object named by its id
		var raw [sha256Len]byte
		if _, err := io.ReadFull(br, raw[:s.hashLen]); err != nil {
			return e, err
		}
		n += int64(s.hashLen)
		e.baseID = objectIDFrom(raw[:s.hashLen])
	}
	e.data = off + n
	return e, nil
}

// cacheBase keeps o as the object at off in p for later chains (trees of
// one commit often share a base) when o is small and the cache's budget
// allows, and reports whether it did.
func (s *objectStore) cacheBase(p *packFile, off int64, o *packObject) bool {
	if len(o.data) > maxCachedBase || s.baseBytes+len(o.data) > maxBaseCache {
		return false
	}
	s.bases[baseKey{p, off}] = o
	s.baseBytes += len(o.data)
	return true
}

// inflater returns the store's decompressor reading the zlib stream r.
func (s *objectStore) inflater(r io.Reader) (io.Reader, error) {
	if s.zr == nil {
		zr, err := zlib.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errBadObject, err)
		}
		s.zr = zr
		return zr, nil
	}
	if err := s.zr.(zlib.Resetter).Reset(r, nil); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadObject, err)
	}
	return s.zr, nil
}

// inflate reads size bytes of the zlib stream r into buf (reused when it
// is large enough).
func (s *objectStore) inflate(r io.Reader, size int64, buf []byte) ([]byte, error) {
	zr, err := s.inflater(r)
	if err != nil {
		return nil, err
	}
	if int64(cap(buf)) >= size {
		buf = buf[:size]
	} else {
		buf = make([]byte, size)
	}
	if _, err := io.ReadFull(zr, buf); err != nil {
		return nil, fmt.Errorf("%w: inflating: %v", errBadObject, err)
	}
	return buf, nil
}

// applyDelta rebuilds an object from its base and a delta (gitformat-pack:
// "Deltified representation"): the sizes of base and result, then
// instructions that copy a range of the base or insert literal bytes. The
// result is written into dst when it has the capacity (dst must not
// overlap base).
func applyDelta(dst, base, delta []byte, limit int64) ([]byte, error) {
	bad := func(why string) error { return fmt.Errorf("%w: delta %s", errBadObject, why) }
	srcSize, n := binary.Uvarint(delta)
	if n <= 0 || srcSize != uint64(len(base)) {
		return nil, bad("names a base of another size")
	}
	delta = delta[n:]
	dstSize, n := binary.Uvarint(delta)
	if n <= 0 {
		return nil, bad("without a result size")
	}
	if dstSize > uint64(limit) {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", errNotSupported, dstSize, limit)
	}
	delta = delta[n:]
	out := dst[:0]
	if uint64(cap(out)) < dstSize {
		out = make([]byte, 0, dstSize)
	}
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0:
			var off, sz uint64
			for k := 0; k < 7; k++ {
				if op&(1<<k) == 0 {
					continue
				}
				if len(delta) == 0 {
					return nil, bad("copy instruction truncated")
				}
				if k < 4 {
					off |= uint64(delta[0]) << (8 * k)
				} else {
					sz |= uint64(delta[0]) << (8 * (k - 4))
				}
				delta = delta[1:]
			}
			if sz == 0 {
				sz = 0x10000
			}
			if off+sz > uint64(len(base)) || uint64(len(out))+sz > dstSize {
				return nil, bad("copies outside its base or result")
			}
			out = append(out, base[off:off+sz]...)
		case op != 0:
			if int(op) > len(delta) || uint64(len(out))+uint64(op) > dstSize {
				return nil, bad("inserts beyond its data or result")
			}
			out = append(out, delta[:op]...)
			delta = delta[op:]
		default:
			return nil, bad("uses the reserved instruction 0")
		}
	}
	if uint64(len(out)) != dstSize {
		return nil, bad("result is shorter than it says")
	}
	return out, nil
}

func typeName(code byte) string {
	return [...]string{1: "commit", 2: "tree", 3: "blob", 4: "tag"}[code]
}

func typeCode(name string) byte {
	switch name {
	case "commit":
		return 1
	case "tree":
		return 2
	case "blob":
		return 3
	case "tag":
		return 4
	}
	return 0
}
