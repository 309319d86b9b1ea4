// Package safefile is the one way pycguard writes a file (the root
// .gitignore that fix appends to, the hook script install writes) and reads
// a file a repository controls (configuration, .gitignore) before parsing
// it.
//
// Writes stay where they were aimed. The file is named by a directory and
// one path element; it must be absent or a regular file: a symbolic link
// is refused (ErrSymlink), not written through, so a committed link to
// ~/.bashrc cannot make pycguard append to the user's shell start-up file
// (git itself does not read a symlinked .gitignore: "Too many levels of
// symbolic links"), and a FIFO, device or directory is ErrNotRegular. The
// new content goes to a temporary file in the same directory (created
// exclusively, so never through a planted link), is synced, given the
// mode, and renamed over the name; rename replaces the directory entry and
// never follows it. Readers see the old or the new file, never a part.
//
// On Windows, renaming over a file another process holds open (an editor,
// a virus scanner, the search indexer) fails with "Access is denied" or a
// sharing violation for a moment; like Git for Windows, Replace retries
// such a rename a few times with a short backoff, and only on those
// errors.
//
// Reads are bounded. Read opens without following a final symbolic link
// (O_NOFOLLOW where the platform has it, an Lstat check besides), without
// blocking on a FIFO (O_NONBLOCK), checks the opened file is a regular
// file and no larger than the caller's limit before reading a byte, so a
// committed link to /dev/zero, a FIFO or a huge file costs neither memory
// nor a hang.
//
// The package imports nothing from this module: it is a leaf every package
// may use, like the standard library.
package safefile
