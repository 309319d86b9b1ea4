// Package hook is pycguard's policy: from what git is about to commit and
// the repository's settings it decides which paths block the commit.
//
// Three questions are answered, one per Mode:
//
//   - Staged (the pre-commit hook): every bytecode path whose staged entry
//     differs from HEAD — added, modified, renamed or copied to a bytecode
//     name, type-changed, or unmerged — in the index git is committing
//     (GIT_INDEX_FILE). Deletions always pass; with HEAD unborn everything
//     staged is new. An intent-to-add entry is not content and passes.
//   - Paths (as the pre-commit framework passes file names): every given
//     path that is bytecode by name.
//   - All: every tracked bytecode file.
//
// Finding bytecode is a result, not an error: Check returns the findings and
// an error only when it could not decide (then the commit must not be judged
// clean). The hook never writes anything: under `git commit <paths>` git
// discards index changes a hook makes, and under `git commit -a` git holds
// index.lock.
package hook
