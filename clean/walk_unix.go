//go:build unix

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

	"golang.org/x/sys/unix"

	"github.com/pycguard/pycguard/bytecode"
)

// walker is one run over all roots. Directories are read by a bounded pool
// of goroutines taking tasks from a LIFO stack (depth first keeps the number
// of directories with unread children, hence open descriptors, small). A
// __pycache__ is cleaned entirely by the goroutine that found it, so that it
// can be removed, relative to its open parent, as soon as it is empty.
type walker struct {
	opts  *Options
	skips *skipRules
	euid  int
	conf  *configuredMatcher // the configuration's exclude list, nil if none

	resMu sync.Mutex
	res   *Result
	seen  map[string]bool // real paths already recorded (several roots only)

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

// readDir lists the open directory fd (see the platform's readDir).
func (w *walker) readDir(fd int, all bool) ([]dent, markers, error) {
	bp, _ := w.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, direntBufSize)
		bp = &b
	}
	defer w.bufs.Put(bp)
	return readDir(fd, all, *bp)
}

// dirNode is an open directory that children are opened relative to. It is
// closed when it and every child task that needs it are done.
type dirNode struct {
	fd   int
	refs atomic.Int32
}

func (n *dirNode) release() {
	if n.refs.Add(-1) == 0 {
		unix.Close(n.fd)
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
	parent *dirNode // nil for a root
	fd     int      // a root's descriptor, already open; -1 otherwise
	name   string
	rel    string // '/'-separated path below the root, "" for the root
	rc     *rootCtx
	repo   *repoCtx
}

const openDirFlags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC

func walkRoots(opts *Options, roots []root, res *Result) error {
	w := &walker{opts: opts, skips: newSkipRules(opts), res: res, euid: os.Geteuid()}
	w.cond.L = &w.mu
	if len(roots) > 1 {
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
	fd, err := unix.Open(r.real, openDirFlags, 0)
	if err != nil {
		w.fail(rc, "", err)
		return
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		w.fail(rc, "", err)
		return
	}
	rc.dev = uint64(st.Dev)
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
		w.cleanOpenDir(fd, "", rc, repo, src)
		unix.Close(fd)
		return
	}
	w.pending = 1
	w.stack = append(w.stack[:0], &dirTask{fd: fd, rel: "", rc: rc, repo: repo})
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

// openChild opens the directory name in the open directory pfd without
// following a symlink, and checks that it is on the root's file system. fd
// is -1 (and err nil) when the directory is on another file system.
func (w *walker) openChild(pfd int, name, rel string, rc *rootCtx) (int, error) {
	w.hook(opOpenDir, rc, rel)
	fd, err := unix.Openat(pfd, name, openDirFlags, 0)
	if err != nil {
		return -1, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, err
	}
	dev := uint64(st.Dev)
	if w.opts.devOf != nil {
		dev = w.opts.devOf(rel, dev)
	}
	if dev != rc.dev && !w.opts.CrossFilesystems {
		unix.Close(fd)
		return -1, nil
	}
	return fd, nil
}

// visit reads one directory outside any __pycache__ and queues its
// subdirectories.
func (w *walker) visit(t *dirTask) {
	fd := t.fd
	if t.parent != nil {
		var err error
		fd, err = w.openChild(t.parent.fd, t.name, t.rel, t.rc)
		t.parent.release()
		if err != nil {
			w.fail(t.rc, t.rel, err)
			return
		}
		if fd < 0 {
			return
		}
	}
	// Sources matter only to --orphans; other runs keep only the names
	// that may be bytecode, and directories.
	ents, marks, err := w.readDir(fd, w.opts.Orphans)
	if err != nil {
		unix.Close(fd)
		w.fail(t.rc, t.rel, err)
		return
	}
	w.stats.dirs.Add(1)
	ls := &listing{ents: ents, markers: marks}
	if t.rel != "" && w.skips.skipListed(t.name, ls.markers) {
		unix.Close(fd)
		return
	}
	repo := t.repo
	if t.rel != "" && repo != nil && ls.markers.dotGit {
		repo = newRepoCtx(w.realPath(t.rc, t.rel), w.display(t.rc, t.rel), w.opts.Env)
	}
	node := &dirNode{fd: fd}
	node.refs.Store(1)
	for _, e := range ents {
		name := e.name
		typ := e.typ
		switch {
		case typ.IsDir():
			rel := joinRel(t.rel, name)
			if w.skips.skipDir(name, rel) || w.conf.excluded(w.realPath(t.rc, rel), true) {
				continue
			}
			if t.rc.isPycache(name) {
				w.cleanDir(fd, name, rel, t.rc, repo, ls)
				continue
			}
			node.refs.Add(1)
			w.push(&dirTask{parent: node, fd: -1, name: name, rel: rel, rc: t.rc, repo: repo})
		case typ.IsRegular():
			if kind := t.rc.classify(name); kind.IsBytecode() {
				w.file(fd, name, joinRel(t.rel, name), t.rc, repo, kind, false, ls.has)
			}
		}
	}
	node.release()
}

// cleanDir cleans the directory name (a __pycache__ or a directory below
// one) in the open directory pfd, and removes it if every entry in it was
// removed. src lists the directory that holds the sources of the bytecode in
// it (nil below the first level). It reports whether the directory was (or,
// in a dry run, would be) removed.
func (w *walker) cleanDir(pfd int, name, rel string, rc *rootCtx, repo *repoCtx, src *listing) bool {
	fd, err := w.openChild(pfd, name, rel, rc)
	if err != nil {
		w.fail(rc, rel, err)
		return false
	}
	if fd < 0 {
		return false
	}
	all := w.cleanOpenDir(fd, rel, rc, repo, src)
	unix.Close(fd)
	if !all {
		return false
	}
	w.hook(opRmdir, rc, rel)
	if w.opts.DryRun {
		var st unix.Stat_t
		err := unix.Fstatat(pfd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == nil {
			err = wouldFail(pfd, st.Uid, w.euid)
		}
		if err != nil {
			w.fail(rc, rel, err)
			return false
		}
	} else {
		if err := unix.Unlinkat(pfd, name, unix.AT_REMOVEDIR); err != nil {
			if errors.Is(err, unix.ENOTEMPTY) || errors.Is(err, unix.EEXIST) {
				return false // something appeared meanwhile: it stays
			}
			w.fail(rc, rel, err)
			return false
		}
	}
	w.record(rc, rel, Entry{Path: w.display(rc, rel), Dir: true})
	return true
}

// cleanOpenDir cleans the entries of the open directory f (inside a
// __pycache__) and reports whether all of them were removed.
func (w *walker) cleanOpenDir(fd int, rel string, rc *rootCtx, repo *repoCtx, src *listing) bool {
	ents, marks, err := w.readDir(fd, true)
	if err != nil {
		w.fail(rc, rel, err)
		return false
	}
	w.stats.dirs.Add(1)
	ls := &listing{ents: ents, markers: marks}
	if rel != "" && w.skips.skipListed(filepath.Base(rel), ls.markers) {
		return false
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
		case typ.IsDir():
			// A __pycache__ inside a __pycache__ tree holds bytecode of
			// sources in this directory.
			var csrc *listing
			if rc.isPycache(name) {
				csrc = ls
			}
			if w.skips.skipDir(name, crel) || w.conf.excluded(w.realPath(rc, crel), true) ||
				!w.cleanDir(fd, name, crel, rc, repo, csrc) {
				all = false
			}
		case typ.IsRegular() && !isVCS(name):
			if !w.file(fd, name, crel, rc, repo, bytecode.InPycache, true, has) {
				all = false
			}
		default:
			// Symlinks, FIFOs, sockets, devices: never followed, never
			// deleted, so the directory stays.
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
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		w.fail(rc, "", err)
		return
	}
	defer unix.Close(fd)
	w.file(fd, filepath.Base(rc.r.real), "", rc, repo, kind, inPycache, has)
}

// file removes one bytecode file name listed in the open directory dirfd,
// unless a rule keeps it, and reports whether it was (or would be) removed.
func (w *walker) file(dirfd int, name, rel string, rc *rootCtx, repo *repoCtx, kind bytecode.Kind, inPycache bool, has func(string) bool) bool {
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
	if w.conf.excluded(real, false) {
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
	var st unix.Stat_t
	if err := unix.Fstatat(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		w.fail(rc, rel, err)
		return false
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return false // replaced by something else since it was listed
	}
	w.hook(opUnlink, rc, rel)
	var err error
	if w.opts.DryRun {
		err = wouldFail(dirfd, st.Uid, w.euid)
	} else {
		err = unix.Unlinkat(dirfd, name, 0)
	}
	if err != nil {
		w.fail(rc, rel, err)
		return false
	}
	w.record(rc, rel, Entry{Path: w.display(rc, rel), Kind: kind, Size: st.Size})
	return true
}

// wouldFail predicts, in a dry run, the refusal a real run would meet when
// unlinking an entry owned by uid from the open directory dirfd: no write
// and search permission on the directory (or a read-only file system), or a
// sticky directory (like /tmp) where neither the entry nor the directory is
// ours.
func wouldFail(dirfd int, uid uint32, euid int) error {
	if err := unix.Faccessat(dirfd, ".", unix.W_OK|unix.X_OK, 0); err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstat(dirfd, &st); err != nil {
		return err
	}
	if me := uint32(euid); st.Mode&unix.S_ISVTX != 0 && me != 0 && uid != me && st.Uid != me {
		return unix.EPERM
	}
	return nil
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

func statType(mode uint32) fs.FileMode {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFREG:
		return 0
	case unix.S_IFLNK:
		return fs.ModeSymlink
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
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
