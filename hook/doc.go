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
//
// Commits (the CI scan and the server-side pre-receive hook, scan.go and
// prereceive.go): Scan judges every commit of a revision range by what it
// changes against its first parent — a root commit against the empty
// tree, a merge by the paths whose content differs from every parent's
// (what the merge brings that no parent had) — and reports each bytecode
// path added, modified, renamed to or type-changed; deletions pass, and so
// does a path that a "!" rule of the commit's own .gitignore files keeps on
// purpose (ScanOptions.KeptByTree), as check lets it pass in the work tree.
// PreReceive parses the "<old> <new> <ref>" lines git gives the hook
// strictly (ParseRefUpdates, CheckRefName: any malformed line is an error
// before anything is judged) and judges, for every ref set to a commit,
// the commits no existing ref reaches, each ref by the configuration in its
// pushed tree unless the server's own is given.
package hook
