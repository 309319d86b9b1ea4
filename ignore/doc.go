// Package ignore is pycguard's git-exact ignore engine: it answers, for a
// path in a work tree, whether git ignores it and which rule decides, the
// way `git check-ignore --no-index -v -n` does; it judges how well a
// repository's rules cover a template (GitHub's Python.gitignore), and
// appends missing template lines to a .gitignore without disturbing it.
//
// It is written from gitignore(5) and checked against git itself
// (corpus_test.go, random_test.go, the fuzz targets). The rules it
// implements:
//
// Sources, lowest precedence first: core.excludesFile (default
// $XDG_CONFIG_HOME/git/ignore, or $HOME/.config/git/ignore), then
// info/exclude of the repository's common directory, then the .gitignore
// at the top of the work tree, then deeper .gitignore files, each applying
// to its own directory. The most specific file with a matching rule
// decides; within a file the last matching line wins. A .gitignore that is
// a symbolic link, or not a regular file, is not read.
//
// Lines: a UTF-8 byte order mark at the start of a file is skipped; one
// "\r" before "\n" is dropped; blank lines and lines starting with "#" are
// skipped ("\#" for a literal hash); trailing spaces are removed unless
// escaped with a backslash ("\ ").
//
// Patterns: a leading "!" negates ("\!" for a literal bang); a trailing
// "/" matches directories only; a slash at the start or in the middle
// anchors the pattern to its file's directory, otherwise it matches a name
// at any depth. "*" matches any run of bytes but "/", "?" one byte but "/",
// "[...]" one byte from a set ("!" or "^" negates, "]" first is literal,
// ranges, the POSIX classes of the C locale, "\" quotes) and never "/".
// "**/" at the start matches in all directories, "/**" at the end matches
// everything inside, "/**/" matches zero or more directories; other runs
// of stars are one "*". As in git, a pattern with a slash is matched as
// its literal prefix (up to the first wildcard or backslash) followed by
// the rest as a pattern of its own, so "a**/b" matches "ab" and "ax/y/b". A backslash quotes the next byte; a pattern ending
// in a lone backslash, or with an unterminated "[" or an unknown class,
// matches nothing. Matching is byte-wise (no Unicode awareness); with
// core.ignorecase it ignores ASCII case the way git does: the name is
// lower-cased and compared with the pattern's lower-cased letters, ranges
// and classes, but a backslash-quoted letter or a letter listed alone in
// "[...]" is taken as written (so "\A" and "[A]" match nothing).
//
// Directories: a path below an ignored directory is ignored by the rule
// that ignores the directory, whatever later rules say ("it is not
// possible to re-include a file if a parent directory of that file is
// excluded"), and .gitignore files inside ignored directories are not
// read. Whether a path is a directory comes from the caller or from lstat
// (a symbolic link to a directory is not one).
//
// The package never runs git and imports nothing from pycguard but
// bytecode; callers resolve the Sources (gitops does).
package ignore
