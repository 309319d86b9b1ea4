// Package gitops is everything pycguard asks of git.
//
// It finds the repository the way git does (by asking git once, so that
// GIT_DIR, GIT_WORK_TREE, GIT_COMMON_DIR, GIT_INDEX_FILE, .git files of linked
// worktrees and submodules, core.worktree and subdirectories all resolve as
// git resolves them), reads the index git is about to commit, compares its
// bytecode entries with HEAD, and untracks paths through git's own index
// writer.
//
// Opening a repository. Every command but one starts with Open: check,
// scan, install, uninstall, audit, fix, explain and clean (clean also
// for each repository its walk enters). Open finds the repository as git
// does — in-process for the top of a plain repository, the pre-commit
// hook's usual case, else by one `git rev-parse` — and reads nothing of
// its configuration. The settings pycguard takes from the configuration
// (core.ignorecase, core.excludesFile) are a separate value, Settings,
// that only Repo.Settings returns: it reads them (one `git config`) the
// first time an answer needs them, so no command can see them unread,
// and check starts that process only when a .gitignore has a negation, a
// kind of bytecode is not covered, or a path is bytecode only when case
// is folded.
//
// pre-receive opens its repository with OpenForHook, after it has read
// the pushed lines. Like Open it returns a complete handle (GitDir,
// CommonDir, Bare, ObjectFormat are known) or an error, ErrNotRepository
// for a directory that is not a repository. A server hook runs in a bare
// repository with GIT_DIR and the quarantine's object directories set,
// which Open leaves to git; OpenForHook reads that layout in-process
// (GIT_DIR, the repository's own configuration: core.bare,
// extensions.objectFormat) and asks git rev-parse for anything else, so a
// push costs one git process, its walk. The object store finds the pushed
// objects from the same environment git does.
//
// Reading the index. During `git commit -a` a pre-commit hook is given
// GIT_INDEX_FILE=.git/index.lock, during `git commit <paths>` a
// .git/next-index-*.lock file: reading .git/index there judges the wrong set
// of files. The index file is therefore the one `git rev-parse --git-path
// index` names. It is read by a lean scanner (index.go) that walks the entries
// of index versions 2, 3 and 4 without building an object per entry and keeps
// only the entries a caller asks for, plus the cache-tree (TREE extension).
// Like git it does not verify the trailing checksum. Names are read as git
// reads them (the 12-bit length field, else up to the NUL); object ids carry
// their length (ObjectID: 20 bytes for SHA-1, 32 for SHA-256). Layouts the
// scanner does not read (split index "link", sparse index "sdir", an entry
// whose length field disagrees with its name, names expanding far beyond
// the file) make it fall back to git plumbing (`git diff-index --cached -z`,
// `git ls-files -s -z`); a read failure is an error, never "nothing staged".
// Memory is linear in the file: the header (signature, version, an entry
// count the size can hold) is checked before the file is mapped, and the
// cache-tree is read iteratively into a tree of names.
//
// Comparing with HEAD. Only entries the caller selects (bytecode) are looked
// up in HEAD, byte-exactly. A cache-tree node that is valid and whose hash
// equals HEAD's tree at the same path covers entries that cannot have
// changed, so their trees are never read. HEAD's refs are read from their
// files (loose, then packed-refs) and its commit and trees from the object
// store (objstore.go): loose objects and version-2 pack indexes, with offset
// and named-base deltas, alternates and GIT_OBJECT_DIRECTORY /
// GIT_ALTERNATE_OBJECT_DIRECTORIES as git honours them, in SHA-1 and SHA-256
// repositories. Every object read is hashed and compared with its name.
// Delta chains are resolved iteratively with a bounded base cache, a chain
// limit (git's own, 4095) and an object-size limit, and counts in pack
// indexes are checked against the file's size. Whatever the reader does not
// handle (reftable, quoted alternate paths, a corrupt or missing object, a
// limit reached) falls back to git, never to a guess.
//
// Writing the index goes through git (`git update-index --force-remove -z
// --stdin`): git takes index.lock, keeps every extension and flag, and
// smudges racily-clean entries.
//
// Walking history (history.go) goes through git plumbing: one `git log -z
// --raw -c --root --no-renames` streamed and parsed as it arrives (memory
// does not grow with the range). Objects named by revision ("<id>^{}",
// "<id>:<path>") are read from the object store, or by one `git cat-file
// --batch` when the store cannot be sure. In a pre-receive hook git exports
// GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY and
// GIT_ALTERNATE_OBJECT_DIRECTORIES so that the pushed objects, not yet in
// the object store, are visible; the store and git both read them there.
// Replace refs are ignored (--no-replace-objects, and the store never looks
// at refs/replace): an existing replace ref must not change what a pushed
// commit is judged to contain.
//
// go-git is used only by tests, as a second opinion on the index format.
package gitops
