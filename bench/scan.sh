#!/usr/bin/env bash
# Times `pycguard scan --all` (text output, findings streamed) against a
# plumbing recipe (`git rev-list --all | git diff-tree --stdin -r --root
# --name-only | grep ...`) on generated histories of 2,000 and 20,000
# commits (five changed files per commit, bytecode added every tenth), in
# the same run, alternating. pycguard's peak RSS must not grow with the
# number of commits: they are streamed from one git log.
#
#   bench/scan.sh [RUNS]     (default 7)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-7}
bench_git_env
bench_build
bench_timer_build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# gen_history DIR COMMITS: COMMITS linear commits, five sources changed in
# each, a .pyc added every tenth, written with fast-import.
gen_history() {
  rm -rf "$1" && git init -q --bare "$1"
  awk -v commits="$2" 'BEGIN {
    for (c = 1; c <= commits; c++) {
      msg = "commit " c
      printf "commit refs/heads/main\nmark :%d\ncommitter bench <bench@example.com> %d +0000\ndata %d\n%s\n", c, 1700000000 + c, length(msg), msg
      if (c > 1) printf "from :%d\n", c - 1
      for (f = 0; f < 5; f++) {
        data = "# rev " c " file " f "\n"
        printf "M 100644 inline src/mod%03d/file%d.py\ndata %d\n%s\n", c % 200, f, length(data), data
      }
      if (c % 10 == 0) {
        data = "bytecode of commit " c "\n"
        printf "M 100644 inline src/mod%03d/__pycache__/file%d.cpython-312.pyc\ndata %d\n%s\n", c % 200, c, length(data), data
      }
    }
  }' | git -C "$1" fast-import --quiet
}

for commits in 2000 20000; do
  repo="$work/history-$commits.git"
  gen_history "$repo" "$commits"
  cd "$repo"
  recipe="git rev-list --all | git diff-tree --stdin -r --root --name-only | grep -E '(\\.py[co]\$|\\\$py\\.class\$|(^|/)__pycache__/)'"
  want=$(sh -c "$recipe" | wc -l)
  got=$("$PYCGUARD" scan --all --format json | grep -c '"commit"' || true)
  [ "$want" = "$got" ] || { echo "disagree on $commits commits: recipe $want, pycguard $got" >&2; exit 1; }
  echo "== scan --all of $commits commits ($got findings)"
  "$TIMER" -runs "$runs" -label "pycguard scan --all,rev-list|diff-tree|grep" \
    :: "$PYCGUARD" scan --all \
    :: sh -c "$recipe"
  cd "$work"
done
