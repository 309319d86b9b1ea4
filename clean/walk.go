package clean

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pycguard/pycguard/bytecode"
)

// walker is one run over all roots, on the directory handles of one dirFS
// (the unix walk on openat/unlinkat, or the portable walk on os.Root). Directories are read by a bounded pool
// of goroutines taking tasks from a LIFO stack (depth first keeps the number
// of directories with unread children, hence open descriptors, small). A
// __pycache__ is cleaned entirely by the goroutine that found it, so that it
// can be removed, relative to its open parent, as soon as it is empty.
type walker struct {
	fsys  dirFS
	opts  *Options
	skips *skipRules
	euid  int
	conf  *configuredMatcher // the configuration's exclude list, nil if none

	resMu sync.Mutex
	res   *Result
	seen  map[string]bool // real paths already recorded (several roots only)
	// prefix is the real path of the pycache prefix: its mirrors are
	// walked as roots of their own, so the walks of other roots skip it.
	prefix string

	mu      sync.Mutex
	cond    sync.Cond
	stack   []*dirTask
	pending int

	stats progressStats
	bufs  sync.Pool // *[]byte of direntBufSize: scratch space for readDir
}

// direntBufSize is the getdents buffer: 64 KiB holds about 2,000 entries,
// so most directories are read in one call (plus the one that sees the end).
const direntBufSize = 64 << 10

// readDir lists the open directory d.
func (w *walker) readDir(d dirHandle, all bool) ([]dent, markers, error) {
	bp, _ := w.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, direntBufSize)
		bp = &b
	}
	defer w.bufs.Put(bp)
	return d.list(all, *bp)
}

// dirFS opens the directories a walk starts from: a root, or the directory
// holding a file root. Everything below is reached through dirHandle.
type dirFS interface {
	// openDir opens the directory at the absolute path p (symlinks in p
	// are followed: roots are resolved before the walk).
	openDir(p string) (dirHandle, error)
}

// dirHandle is an open directory. Entries are opened, inspected and
// removed by name relative to it, never through a path from the root, and
// never through a symbolic link (or, on Windows, a junction).
type dirHandle interface {
	// list returns the entries: every entry when all is set, else at
	// least the directories and the regular files whose names may be
	// bytecode (the markers see every entry). buf is scratch space.
	list(all bool, buf []byte) ([]dent, markers, error)
	// openDir opens the subdirectory name. It fails when name is not a
	// directory, is a symbolic link or junction, or is no longer the
	// directory that was looked at (swapped meanwhile).
	openDir(name string) (dirHandle, error)
	// volume identifies the file system the directory is on.
	volume() uint64
	// lstat describes the entry name without following it.
	lstat(name string) (entryInfo, error)
	// unlink removes the file name.
	unlink(name string) error
	// rmdir removes the empty directory name, which was opened as child
	// (now closed); errNotEmpty when it holds something.
	rmdir(name string, child dirHandle) error
	// wouldFail predicts, in a dry run, the refusal a real run would meet
	// when removing the entry described by e from this directory.
	wouldFail(e entryInfo, euid int) error
	close()
}

// entryInfo is what the walk needs to know about an entry before removing
// it.
type entryInfo struct {
	typ   fs.FileMode // type bits only
	size  int64
	owner uint32 // user id (unix); 0 where the platform has none
}

// errNotEmpty: rmdir met a directory that holds something (it stays).
var errNotEmpty = errors.New("directory not empty")

// dirNode is an open directory that children are opened relative to. It is
// closed when it and every child task that needs it are done.
type dirNode struct {
	d    dirHandle
	refs atomic.Int32
}

func (n *dirNode) release() {
	if n.refs.Add(-1) == 0 {
		n.d.close()
	}
}

type rootCtx struct {
	r   root
	dev uint64

	// git is the root's repository, asked for core.ignorecase the first
	// time a name's classification depends on it (most runs never ask).
	git      *repoCtx
	foldOnce sync.Once
	fold     bool
}

// ignoreCase reports core.ignorecase for names below rc.
func (rc *rootCtx) ignoreCase() bool {
	rc.foldOnce.Do(func() { rc.fold = rc.git.ignoreCase() })
	return rc.fold
}

// classify is bytecode.ClassifyName with core.ignorecase, which is looked
// up only for a name that matches nothing case-sensitively but would match
// folded (X.PYC).
func (rc *rootCtx) classify(name string) bytecode.Kind {
	k := bytecode.ClassifyName(name, false)
	if !k.IsBytecode() {
		if kf := bytecode.ClassifyName(name, true); kf.IsBytecode() && rc.ignoreCase() {
			return kf
		}
	}
	return k
}

// isPycache is bytecode.IsPycacheName with core.ignorecase, looked up as
// in classify.
func (rc *rootCtx) isPycache(name string) bool {
	return bytecode.IsPycacheName(name, false) || bytecode.IsPycacheName(name, true) && rc.ignoreCase()
}

type dirTask struct {
	parent *dirNode  // nil for a root
	d      dirHandle // a root's handle, already open; nil otherwise
	name   string
	rel    string // '/'-separated path below the root, "" for the root
	rc     *rootCtx
	repo   *repoCtx
}

func walkRoots(opts *Options, roots []root, prefix string, res *Result) error {
	w := &walker{fsys: chooseFS(opts), opts: opts, skips: newSkipRules(opts), res: res, euid: os.Geteuid(), prefix: prefix}
	w.cond.L = &w.mu
	if len(roots) > 1 || prefix != "" {
		w.seen = map[string]bool{}
	}
	stop := startProgress(opts.Progress, &w.stats, progressDelay)
	defer stop()
	for _, r := range roots {
		w.walkRoot(r)
	}
	return nil
}

func (w *walker) workers() int {
	if w.opts.Workers > 0 {
		return w.opts.Workers
	}
	// A single-threaded walk mostly waits on the file system, not on the
	// CPU: on 2 cores, removing 10,000 files from a 50,000-file tree took
	// about 2.3 s with 1 worker and 0.4–1.6 s with 8 under load; on a
	// quiet machine 2 to 16 workers were within noise (bench/clean.sh).
	return max(8, 4*runtime.GOMAXPROCS(0))
}

func (w *walker) walkRoot(r root) {
	gitDir := r.real
	if !r.isDir {
		gitDir = filepath.Dir(r.real)
	}
	rc := &rootCtx{r: r, git: newRepoCtx(gitDir, r.given, w.opts.Env)}
	// The repository is asked for core.ignorecase (how names are matched)
	// even with --tracked; its index is read only when needed.
	repo := rc.git
	if w.conf == nil && w.opts.Configured != nil {
		w.conf = newConfiguredMatcher(w.opts.Configured, rc.ignoreCase())
	}
	if w.opts.Tracked {
		repo = nil
	}
	if w.recorded(r.real) {
		return // an earlier, overlapping root removed it
	}
	if !r.isDir {
		w.fileRoot(rc, repo)
		return
	}
	d, err := w.fsys.openDir(r.real)
	if err != nil {
		w.fail(rc, "", err)
		return
	}
	rc.dev = d.volume()
	if r.mirrorOf != "" {
		// A mirror under the pycache prefix: bytecode files directly in
		// it, each beside no source (its source is in mirrorOf).
		w.cleanOpenDir(d, "", rc, repo, nil)
		d.close()
		return
	}
	if rc.isPycache(filepath.Base(r.real)) {
		// The root is a __pycache__: everything in it is bytecode. Sources
		// live next to it. (A __pycache__ above the root does not count:
		// the rules look at the root and below.)
		var src *listing
		if w.opts.Orphans {
			if des, err := os.ReadDir(filepath.Dir(r.real)); err == nil {
				var ents []dent
				for _, de := range des {
					ents = append(ents, dent{name: de.Name(), typ: de.Type()})
				}
				src = newListing(ents)
			}
		}
		w.cleanOpenDir(d, "", rc, repo, src)
		d.close()
		return
	}
	w.pending = 1
	w.stack = append(w.stack[:0], &dirTask{d: d, rel: "", rc: rc, repo: repo})
	var wg sync.WaitGroup
	for range w.workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work()
		}()
	}
	wg.Wait()
}

func (w *walker) work() {
	w.mu.Lock()
	for {
		for len(w.stack) == 0 && w.pending > 0 {
			w.cond.Wait()
		}
		if w.pending == 0 {
			w.mu.Unlock()
			w.cond.Broadcast()
			return
		}
		t := w.stack[len(w.stack)-1]
		w.stack[len(w.stack)-1] = nil
		w.stack = w.stack[:len(w.stack)-1]
		w.mu.Unlock()
		w.visit(t)
		w.mu.Lock()
		w.pending--
		if w.pending == 0 {
			w.cond.Broadcast()
		}
	}
}

func (w *walker) push(t *dirTask) {
	w.mu.Lock()
	w.stack = append(w.stack, t)
	w.pending++
	w.mu.Unlock()
	w.cond.Signal()
}

// openChild opens the directory name in the open directory pd without
// following a symlink, and checks that it is on the root's file system. The
// handle is nil (and err nil) when the directory is on another file system.
func (w *walker) openChild(pd dirHandle, name, rel string, rc *rootCtx) (dirHandle, error) {
	w.hook(opOpenDir, rc, rel)
	d, err := pd.openDir(name)
	if err != nil {
		return nil, err
	}
	dev := d.volume()
	if w.opts.devOf != nil {
		dev = w.opts.devOf(rel, dev)
	}
	if dev != rc.dev && !w.opts.CrossFilesystems {
		d.close()
		return nil, nil
	}
	return d, nil
}

// visit reads one directory outside any __pycache__ and queues its
// subdirectories.
func (w *walker) visit(t *dirTask) {
	d := t.d
	if t.parent != nil {
		var err error
		d, err = w.openChild(t.parent.d, t.name, t.rel, t.rc)
		t.parent.release()
		if err != nil {
			w.fail(t.rc, t.rel, err)
			return
		}
		if d == nil {
			return
		}
	}
	// Sources matter only to --orphans; other runs keep only the names
	// that may be bytecode, and directories.
	ents, marks, err := w.readDir(d, w.opts.Orphans)
	if err != nil {
		d.close()
		w.fail(t.rc, t.rel, err)
		return
	}
	w.stats.dirs.Add(1)
	ls := &listing{ents: ents, markers: marks}
	if t.rel != "" && w.skips.skipListed(t.name, ls.markers) {
		d.close()
		return
	}
	repo := t.repo
	if t.rel != "" && repo != nil && ls.markers.dotGit {
		repo = newRepoCtx(w.realPath(t.rc, t.rel), w.display(t.rc, t.rel), w.opts.Env)
	}
	node := &dirNode{d: d}
	node.refs.Store(1)
	for _, e := range ents {
		name := e.name
		typ := e.typ
		switch {
		case isPlainDir(typ):
			rel := joinRel(t.rel, name)
			if w.skips.skipDir(name, rel) || w.conf.excluded(w.judged(t.rc, rel), true) || w.isPrefix(t.rc, rel) {
				continue
			}
			if t.rc.isPycache(name) {
				w.cleanDir(d, name, rel, t.rc, repo, ls)
				continue
			}
			node.refs.Add(1)
			w.push(&dirTask{parent: node, name: name, rel: rel, rc: t.rc, repo: repo})
		case typ.IsRegular():
			if kind := t.rc.classify(name); kind.IsBytecode() {
				w.file(d, name, joinRel(t.rel, name), t.rc, repo, kind, false, ls.has)
			}
		}
	}
	node.release()
}

// cleanDir cleans the directory name (a __pycache__ or a directory below
// one) in the open directory pd, and removes it if every entry in it was
// removed. src lists the directory that holds the sources of the bytecode in
// it (nil below the first level). It reports whether the directory was (or,
// in a dry run, would be) removed.
func (w *walker) cleanDir(pd dirHandle, name, rel string, rc *rootCtx, repo *repoCtx, src *listing) bool {
	d, err := w.openChild(pd, name, rel, rc)
	if err != nil {
		w.fail(rc, rel, err)
		return false
	}
	if d == nil {
		return false
	}
	all := w.cleanOpenDir(d, rel, rc, repo, src)
	d.close()
	if !all {
		return false
	}
	w.hook(opRmdir, rc, rel)
	if w.opts.DryRun {
		e, err := pd.lstat(name)
		if err == nil {
			err = pd.wouldFail(e, w.euid)
		}
		if err != nil {
			w.fail(rc, rel, err)
			return false
		}
	} else {
		if err := pd.rmdir(name, d); err != nil {
			if errors.Is(err, errNotEmpty) {
				return false // something appeared meanwhile: it stays
			}
			w.fail(rc, rel, err)
			return false
		}
	}
	w.record(rc, rel, Entry{Path: w.display(rc, rel), Dir: true})
	return true
}

// cleanOpenDir cleans the entries of the open directory d (inside a
// __pycache__) and reports whether all of them were removed.
func (w *walker) cleanOpenDir(d dirHandle, rel string, rc *rootCtx, repo *repoCtx, src *listing) bool {
	ents, marks, err := w.readDir(d, true)
	if err != nil {
		w.fail(rc, rel, err)
		return false
	}
	w.stats.dirs.Add(1)
	ls := &listing{ents: ents, markers: marks}
	if rel != "" && w.skips.skipListed(filepath.Base(rel), ls.markers) {
		return false
	}
	if rc.r.mirrorOf != "" {
		// In a mirror, the sources are in the mirrored directory: they
		// say whether it is a virtualenv (not cleaned, as its sources'
		// own __pycache__ would not be) and which bytecode is an orphan.
		src = w.mirroredListing(rc, rel)
		if rel != "" && w.skips.skipListed(filepath.Base(rel), src.markers) {
			return false
		}
	}
	if rel != "" && repo != nil && ls.markers.dotGit {
		repo = newRepoCtx(w.realPath(rc, rel), w.display(rc, rel), w.opts.Env)
	}
	var has func(string) bool
	if src != nil {
		has = src.has
	}
	all := true
	for _, e := range ents {
		name := e.name
		crel := joinRel(rel, name)
		typ := e.typ
		switch {
		case isPlainDir(typ):
			// A __pycache__ inside a __pycache__ tree holds bytecode of
			// sources in this directory.
			var csrc *listing
			if rc.isPycache(name) {
				csrc = ls
			}
			if w.skips.skipDir(name, crel) || w.conf.excluded(w.judged(rc, crel), true) || w.isPrefix(rc, crel) ||
				!w.cleanDir(d, name, crel, rc, repo, csrc) {
				all = false
			}
		case typ.IsRegular() && !isVCS(name):
			kind := bytecode.InPycache
			if rc.r.mirrorOf != "" {
				// CPython writes only NAME.TAG[.opt-N].pyc there:
				// anything else is kept.
				if kind = rc.classify(name); !kind.IsBytecode() {
					all = false
					continue
				}
			}
			if !w.file(d, name, crel, rc, repo, kind, true, has) {
				all = false
			}
		default:
			// Symlinks, junctions, FIFOs, sockets, devices, a .git
			// file: never followed, never deleted, so the directory stays.
			all = false
		}
	}
	return all
}

// fileRoot handles a root that is a file.
func (w *walker) fileRoot(rc *rootCtx, repo *repoCtx) {
	// A file named on the command line is bytecode by its name, or by its
	// own directory being a __pycache__.
	dir := filepath.Dir(rc.r.real)
	inPycache := rc.isPycache(filepath.Base(dir))
	kind := rc.classify(filepath.Base(rc.r.real))
	if inPycache {
		kind = bytecode.InPycache
	}
	if !kind.IsBytecode() {
		return
	}
	srcDir := dir
	if inPycache {
		srcDir = filepath.Dir(dir)
	}
	has := func(name string) bool {
		_, err := os.Lstat(filepath.Join(srcDir, name))
		return err == nil
	}
	d, err := w.fsys.openDir(dir)
	if err != nil {
		w.fail(rc, "", err)
		return
	}
	defer d.close()
	w.file(d, filepath.Base(rc.r.real), "", rc, repo, kind, inPycache, has)
}

// file removes one bytecode file name listed in the open directory d,
// unless a rule keeps it, and reports whether it was (or would be) removed.
func (w *walker) file(d dirHandle, name, rel string, rc *rootCtx, repo *repoCtx, kind bytecode.Kind, inPycache bool, has func(string) bool) bool {
	if rel != "" && w.skips.excluded(name, rel) {
		return false
	}
	if w.opts.Orphans && !isOrphan(name, inPycache, rc.ignoreCase(), has) {
		return false
	}
	real := w.realPath(rc, rel)
	if w.recorded(real) {
		return true // an earlier, overlapping root removed it
	}
	if w.conf.excluded(w.judged(rc, rel), false) {
		return false
	}
	if repo != nil {
		tracked, err := repo.isTracked(real)
		if err != nil {
			w.failRepo(repo, err)
			return false
		}
		if tracked {
			w.keep(rc, rel, kind)
			return false
		}
	}
	e, err := d.lstat(name)
	if err != nil {
		w.fail(rc, rel, err)
		return false
	}
	if !e.typ.IsRegular() {
		return false // replaced by something else since it was listed
	}
	w.hook(opUnlink, rc, rel)
	if w.opts.DryRun {
		err = d.wouldFail(e, w.euid)
	} else {
		err = d.unlink(name)
	}
	if err != nil {
		w.fail(rc, rel, err)
		return false
	}
	w.record(rc, rel, Entry{Path: w.display(rc, rel), Kind: kind, Size: e.size})
	return true
}

func (w *walker) hook(o op, rc *rootCtx, rel string) {
	if w.opts.hook != nil {
		w.opts.hook(o, rc.r.real, rel)
	}
}

func (w *walker) record(rc *rootCtx, rel string, e Entry) {
	w.resMu.Lock()
	defer w.resMu.Unlock()
	if w.seen != nil {
		real := w.realPath(rc, rel)
		if w.seen[real] {
			return
		}
		w.seen[real] = true
	}
	if e.Dir {
		w.res.Dirs++
	} else {
		w.res.Files++
		w.res.Bytes += e.Size
		w.stats.files.Add(1)
	}
	if w.opts.List {
		w.res.Removed = append(w.res.Removed, e)
	}
}

// recorded reports whether an earlier root recorded real as removed.
func (w *walker) recorded(real string) bool {
	if w.seen == nil {
		return false
	}
	w.resMu.Lock()
	defer w.resMu.Unlock()
	return w.seen[real]
}

func (w *walker) keep(rc *rootCtx, rel string, kind bytecode.Kind) {
	w.resMu.Lock()
	defer w.resMu.Unlock()
	if w.seen != nil {
		key := "kept:" + w.realPath(rc, rel)
		if w.seen[key] {
			return
		}
		w.seen[key] = true
	}
	w.res.KeptTracked = append(w.res.KeptTracked, Entry{Path: w.display(rc, rel), Kind: kind})
}

func (w *walker) fail(rc *rootCtx, rel string, err error) {
	w.resMu.Lock()
	defer w.resMu.Unlock()
	w.res.Errors = append(w.res.Errors, &EntryError{Path: w.display(rc, rel), Err: err})
	w.stats.errors.Add(1)
}

func (w *walker) failRepo(repo *repoCtx, err error) {
	w.resMu.Lock()
	defer w.resMu.Unlock()
	if repo.reported {
		return
	}
	repo.reported = true
	w.res.Errors = append(w.res.Errors, &EntryError{Path: repo.display, Err: errors.Join(ErrNotTrackable, err)})
	w.stats.errors.Add(1)
}

// judged is the real path the configuration's exclude list is matched
// against: in a mirror under the pycache prefix, the mirrored source's.
func (w *walker) judged(rc *rootCtx, rel string) string {
	if rc.r.mirrorOf == "" {
		return w.realPath(rc, rel)
	}
	if rel == "" {
		return rc.r.mirrorOf
	}
	return filepath.Join(rc.r.mirrorOf, filepath.FromSlash(rel))
}

// isPrefix reports whether the directory at rel is the pycache prefix.
func (w *walker) isPrefix(rc *rootCtx, rel string) bool {
	return w.prefix != "" && w.realPath(rc, rel) == w.prefix
}

// mirroredListing lists the source directory that the directory rel of a
// mirror under the pycache prefix mirrors (empty if it is gone). It is
// read by path: only names are taken from it, nothing there is opened or
// removed.
func (w *walker) mirroredListing(rc *rootCtx, rel string) *listing {
	var ents []dent
	des, _ := os.ReadDir(w.judged(rc, rel))
	for _, de := range des {
		ents = append(ents, dent{name: de.Name(), typ: de.Type()})
	}
	return newListing(ents)
}

func (w *walker) realPath(rc *rootCtx, rel string) string {
	if rel == "" {
		return rc.r.real
	}
	return strings.TrimSuffix(rc.r.real, "/") + "/" + rel
}

func (w *walker) display(rc *rootCtx, rel string) string {
	if rel == "" {
		return rc.r.given
	}
	return filepath.Join(rc.r.given, rel)
}

// dent is one directory entry: its name and type bits.
type dent struct {
	name string
	typ  fs.FileMode
}

// isPlainDir reports whether an entry of type typ is a directory the walk
// may enter: not a symbolic link, and not a junction or other reparse point
// (since Go 1.23 a Windows junction is ModeIrregular and not ModeDir; the
// check does not rely on that alone).
func isPlainDir(typ fs.FileMode) bool {
	return typ.IsDir() && typ&(fs.ModeSymlink|fs.ModeIrregular) == 0
}

// listing is a directory's entries with lookups by name.
type listing struct {
	ents    []dent
	markers markers
	names   map[string]struct{} // built on the first lookup in a large directory
	once    sync.Once
}

func newListing(ents []dent) *listing {
	l := &listing{ents: ents}
	for _, e := range ents {
		l.markers.see(e.name, e.typ.IsDir())
	}
	return l
}

// has reports whether an entry called name, of any type, was listed.
func (l *listing) has(name string) bool {
	if len(l.ents) < 32 {
		for _, e := range l.ents {
			if e.name == name {
				return true
			}
		}
		return false
	}
	l.once.Do(func() {
		l.names = make(map[string]struct{}, len(l.ents))
		for _, e := range l.ents {
			l.names[e.name] = struct{}{}
		}
	})
	_, ok := l.names[name]
	return ok
}
