// Package clean deletes Python bytecode from working trees: the job of
// pyclean and Debian's py3clean, done safely and in parallel.
//
// # What is deleted
//
// A regular file is deleted when it is bytecode by the rules of package
// bytecode: its name ends in ".pyc", ".pyo" or "$py.class", or it lies
// anywhere below a directory named "__pycache__" (whatever its own name is:
// the directory is the interpreter's, everything in it is regenerated).
// ".pyd" and ".pyz" files and sources are never deleted. Names are matched
// byte-exactly, and ASCII-case-insensitively only when the repository being
// cleaned has core.ignorecase=true.
//
// Only regular files are ever deleted. A symbolic link is never followed and
// never deleted, even when its name or its target is bytecode; so are FIFOs,
// sockets, devices and Windows junctions. A file is checked (lstat) just
// before it is removed, and is left alone if it stopped being a regular
// file. (The window between that check and the removal cannot be closed; an
// entry swapped in within it loses its name in that directory, inside the
// root: the removal never follows a link, and the unix walk's unlinkat
// refuses a directory; os.Root's Remove would take an empty one.) An entry
// named ".git" is never removed, even inside a __pycache__.
//
// A directory is removed only if it is named "__pycache__" or lies below one,
// and only once every entry it held has been removed by this run: a
// __pycache__ that still holds a symlink, a FIFO, a kept tracked file, an
// excluded file or anything that appeared meanwhile stays (rmdir(2) refuses a
// non-empty directory, so a directory that still holds something is never
// removed even in a race). Directories inside a __pycache__ are cleaned the
// same way and removed when they end up empty. Other empty directories are
// never removed, and neither is a root given on the command line.
//
// # Where the walk goes
//
// The walk starts at each root and never leaves it: every directory is opened
// relative to its already-open parent, and every file is removed relative to
// the directory it was listed in. A directory replaced by a symlink during
// the walk therefore fails to open (reported as an error) instead of leading
// outside, and no path is ever re-resolved from the root. A root whose last
// component is a symlink is not followed either (pass its target).
//
// There are two walks with these guarantees. On unix systems the default
// uses openat(O_NOFOLLOW|O_DIRECTORY), fstatat(AT_SYMLINK_NOFOLLOW) and
// unlinkat. The portable walk (the only one on Windows; Options.Portable
// selects it elsewhere, which is how the tests run it on Linux) uses
// os.Root: a subdirectory is looked at with Lstat (a symlink, or a
// junction, which Go reports as ModeIrregular, is not entered), opened as
// an os.Root of its own, and compared with what Lstat saw (os.SameFile) so
// that a swap is reported instead of followed; a file or a directory is
// removed only after Lstat shows it is still a regular file, or the very
// directory that was emptied. --cross-filesystems compares the device
// number, or on Windows the volume serial number. A dry run on Windows
// does not predict permission failures.
//
// The walk does not enter:
//   - ".git", ".hg", ".svn", and any directory that looks like a git
//     directory (holds HEAD, objects/ and refs/), ever;
//   - by default ".venv", "venv", ".tox", ".nox", "node_modules", ".direnv"
//     and any directory holding a "pyvenv.cfg" (a virtualenv):
//     Options.Include lists names to enter anyway ("pyvenv.cfg" enters every
//     virtualenv detected by its marker);
//   - entries matching an Options.Exclude pattern (path.Match syntax: a
//     pattern without "/" matches a base name, one with "/" matches the path
//     relative to the root);
//   - entries matching the configuration's exclude list
//     (Options.Configured: gitignore-style patterns relative to the top of
//     the work tree, matched by package ignore);
//   - directories on another file system than their root, unless
//     Options.CrossFilesystems.
//
// These rules apply below a root; a root named on the command line is
// entered even if it is a virtualenv. Whether something is inside a
// __pycache__ is judged from the root down: a root named __pycache__ has
// only bytecode in it, a file root is bytecode by its name or its own
// directory being a __pycache__, and a __pycache__ above the root does not
// count. A root that is "." or ends in "/" is the directory itself, even
// when reached through a symlink; roots themselves are never removed. The
// file-system root and the home directory are refused as roots unless
// Options.Force. Overlapping roots are walked one after the other and each
// entry is reported once.
//
// # Git
//
// Inside a git repository, bytecode tracked in the index is kept (and
// reported, so that the user can untrack it with `pycguard fix`) unless
// Options.Tracked. Nested repositories and submodules are recognised by
// their ".git" entry (a directory or a file) and asked separately, wherever
// they are, inside a __pycache__ too: what such a repository tracks is kept. The index is only read, through
// package gitops, and only once bytecode has been found in that repository.
// When git cannot answer for a repository, its bytecode is kept and the
// failure is reported as an error.
//
// # The pycache prefix
//
// With Options.PycachePrefix (PYTHONPYCACHEPREFIX, or -X pycache_prefix,
// which Python 3.8+ honours), CPython writes bytecode not into __pycache__
// beside the sources but into a mirror tree under the prefix. Its rule
// (importlib._bootstrap_external.cache_from_source): the source's absolute
// directory, without a Windows drive's "C:" and without leading
// separators, joined to the prefix, with no __pycache__ level:
// /home/u/proj/pkg/m.py → PREFIX/home/u/proj/pkg/m.cpython-312.pyc, and
// C:\Users\u\proj\m.py → PREFIX\Users\u\proj\m.cpython-312.pyc. CPython
// keeps a relative prefix relative (sys.pycache_prefix stays "cache"), so it
// writes below the directory it runs in; Run resolves it against Dir.
//
// For each directory root, the mirror of the root (of the path as given,
// made absolute, and of its real path, which Python uses when it starts in
// the directory) is cleaned as a root of its own, and only it: other
// projects' bytecode in the same prefix stays. In a mirror only files whose
// names are bytecode are removed (CPython writes NAME.TAG[.opt-N].pyc
// there), then the directories below the mirror left empty; the mirror's
// own top stays, like any root. The rules above apply (no symlink is
// followed, a mirror whose last component is a symlink is an error, the
// mirror of a skipped directory such as a virtualenv is skipped, tracked
// files are kept if the prefix lies in a repository), and --orphans judges
// PREFIX/D/M.TAG.pyc by whether D/M.py or D/M.pyw exists. The walks of the
// roots themselves do not enter the prefix when it lies below them. A
// prefix that would make the mirror hold a root (such as "/", where Python
// writes beside the sources) is not walked as a mirror. A prefix that does
// not exist holds nothing to clean, unless it was named on the command line
// (ErrBadPrefix). File roots have no mirror cleaned.
//
// # Orphans
//
// With Options.Orphans only bytecode whose source is gone is deleted (stale
// files left by a branch switch), the opposite of py3clean's rule:
//   - "D/__pycache__/M.TAG.pyc" (and ".pyo", e.g. M.cpython-312.opt-1.pyc)
//     is an orphan when neither "D/M.py" nor "D/M.pyw" exists;
//   - legacy "D/M.pyc", "D/M.pyo" and Jython's "D/M$py.class" are orphans
//     when neither "D/M.py" nor "D/M.pyw" exists.
//
// "Directly in a __pycache__" means the file's own directory is called
// __pycache__ (at any depth). Anything else below a __pycache__ (other names,
// files in directories nested inside one) has no source that can be named,
// so it is kept. A source "exists" when an entry of that name, of any type,
// is listed in the directory (byte-exact).
//
// # The command
//
// Clean is `pycguard clean`: Run, with the options completed as the
// command line means them. The configuration's exclude list comes from the
// work tree's configuration (or Request.ConfigFile) when Options.Dir is
// inside a work tree, and applies at its top, also when Dir is a
// subdirectory; outside any work tree only Request.ConfigFile is read, and
// its patterns apply at Dir; otherwise there is none. A configuration that
// shadows another is reported to the caller before the walk starts. The
// home directory refused as a root is HOME (on Windows, what Git for
// Windows takes for it), and the pycache prefix is Request.PycachePrefix,
// named by the user, or else PYTHONPYCACHEPREFIX when it is set and not
// empty, as CPython reads it.
//
// # Errors and dry runs
//
// An error on one entry (permission denied, an entry that vanished or changed
// type between listing and removal) is recorded in Result.Errors and the walk
// goes on. A dry run makes the same decisions without unlinking: a
// __pycache__ is listed as removed when every entry in it would be, and the
// permission a real run would lack (write and search on the directory, the
// sticky bit) is checked with faccessat and reported as the same error, so
// that the dry run's list is what the real run removes.
package clean
