#!/usr/bin/env bash
# Times `pycguard fix --no-gitignore` against `git rm -r --cached -q --
# '*.py[co]'` on a generated 100,000-file repository with 5,000 tracked
# bytecode files, restoring the index before every run; then `pycguard
# audit` on a 1,000-commit repository beside `pycguard scan --all`, whose
# history walk it shares, and that walk's git log alone.
#
#   bench/fix.sh [RUNS]     (default 11)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-11}
bench_git_env
bench_build
bench_timer_build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

repo="$work/large"
bench_gen_repo "$repo" 100000 5000
cd "$repo"
cp .git/index "$work/index.saved"
echo "== untrack 5,000 bytecode files in a 100,000-file index (index restored before each run)"
"$TIMER" -runs "$runs" -label "pycguard fix --no-gitignore,git rm -r --cached" \
  -prepare "cp '$work/index.saved' '$repo/.git/index'" \
  :: "$PYCGUARD" fix --no-gitignore :: git rm -r --cached -q -- '*.py[co]'
# both must untrack the same set
cp "$work/index.saved" .git/index; "$PYCGUARD" fix --no-gitignore >/dev/null
a=$(git ls-files -s | sha1sum)
cp "$work/index.saved" .git/index; git rm -r --cached -q -- '*.py[co]'
b=$(git ls-files -s | sha1sum)
[ "$a" = "$b" ] || { echo "pycguard fix and git rm --cached disagree" >&2; exit 1; }
echo "(same resulting index)"

hist="$work/history"
bench_gen_history "$hist" 1000
cd "$hist"
echo "== history scan on 1,000 commits"
"$TIMER" -runs "$runs" -label "pycguard audit,pycguard scan --all,git log --all --raw -c" \
  :: "$PYCGUARD" audit \
  :: "$PYCGUARD" scan --all \
  :: git log --all -z --raw -c --root --no-renames --no-abbrev --format=%H
