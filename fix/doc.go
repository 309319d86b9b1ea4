// Package fix repairs and reports on repositories that already carry
// committed bytecode: `pycguard fix` and `pycguard audit`.
//
// Fix does two things, each optional:
//
//   - appends the bytecode lines of GitHub's Python template that the
//     repository's ignore rules do not cover to the root .gitignore (the
//     ignore package's format-preserving, atomic append);
//   - untracks every tracked bytecode file, as `git rm --cached` would, through
//     git's own index writer (`git update-index --force-remove -z --stdin`):
//     git takes index.lock and keeps every other entry, extension and flag.
//     Files stay on disk unless Delete is set, and then only bytecode files
//     (regular files or symbolic links, never directories) are removed, with
//     __pycache__ directories left empty.
//
// Order and atomicity: everything is planned and checked first (the index is
// not a hook's temporary index, index.lock is absent, .gitignore can be
// written); then .gitignore is appended (temp file + rename) and the index
// is rewritten by git (lock + rename). If git fails, .gitignore is put back
// byte for byte, so a failed run changes nothing. Unmerged bytecode paths
// are reported and left alone: removing them would resolve a conflict
// behind the user's back.
//
// Audit only reads: template coverage of .gitignore, tracked bytecode
// (count, bytes, directories), whether a pycguard hook is installed, and
// bytecode in history with the command that would purge it.
//
// Explain (explain.go) is the read-only `pycguard explain`: which ignore
// rule decides each path, as git check-ignore -v -n --no-index answers,
// read from arguments or streamed from stdin; ExplainCoverage is `explain
// --coverage`, the coverage fix plans from, appended to on request.
package fix
