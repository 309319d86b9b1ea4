#!/bin/sh
# A pre-commit hook for the tests: it records git's own answer to "what does
# this commit stage?" (in the index git is committing: GIT_INDEX_FILE is
# inherited) beside pycguard's verdict, then returns pycguard's status.
mkdir -p "$HOOKLOG" || exit 3
git diff --cached --name-only -z --no-renames --diff-filter=ACMTU > "$HOOKLOG/git.z" || exit 3
pycguard check --format json > "$HOOKLOG/pycguard.json"
status=$?
echo "$status" > "$HOOKLOG/status"
pycguard check >&2
exit $status
