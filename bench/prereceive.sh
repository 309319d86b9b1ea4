#!/usr/bin/env bash
# Times `pycguard pre-receive` judging a push of 100 commits (each changing
# one file) against the shell recipe
#   git rev-list NEW --not --all | git diff-tree --stdin -r --name-only | grep ...
# in the same run, alternating, on bare repositories of two sizes (10,000
# and 100,000 files): the cost must follow the pushed changes, not the size
# of the repository. The pushed objects are in the repository but no ref
# reaches them, as in a pre-receive hook; every command gets the same push.
# pycguard is timed twice: judging each ref by the configuration in its
# pushed tree (the default: read in-process beside the walk), and with the
# server's --config (the walk alone).
#
#   bench/prereceive.sh [RUNS]     (default 21)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-21}
bench_git_env
bench_build
bench_timer_build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for files in 10000 100000; do
  src="$work/src-$files" server="$work/server-$files.git"
  bench_gen_repo "$src" "$files" $((files / 20))
  git clone -q --bare "$src" "$server"
  old=$(git -C "$src" rev-parse main)
  # 100 commits, each modifying one tracked .py file, appended with
  # fast-import (no work tree needed).
  git -C "$src" ls-files '*.py' | awk -v n="$(git -C "$src" ls-files '*.py' | wc -l)" \
    'NR % int(n / 100) == 1 && c < 100 { c++; print }' |
  awk -v old="$old" '{
      data = "# changed in commit " NR "\n"
      printf "commit refs/heads/main\ncommitter bench <bench@example.com> %d +0000\ndata 6\nchange\n", 1700000000 + NR
      if (NR == 1) printf "from %s\n", old
      printf "M 100644 inline %s\ndata %d\n%s\n", $0, length(data), data
    }' | git -C "$src" fast-import --quiet
  new=$(git -C "$src" rev-parse main)
  [ "$(git -C "$src" rev-list --count "$old..$new")" = 100 ] || { echo "expected 100 new commits" >&2; exit 1; }
  # Bring the objects over without a ref reaching them.
  git -C "$server" fetch -q "$src" main:refs/bench/incoming
  git -C "$server" update-ref -d refs/bench/incoming
  echo "$old $new refs/heads/main" > "$work/push-$files"
  printf 'allow = []\n' > "$work/server.toml"
  cd "$server"
  # Both must judge the push clean (the generated repository's bytecode is
  # old history).
  "$PYCGUARD" pre-receive < "$work/push-$files"
  recipe="git rev-list $new --not --all | git diff-tree --stdin -r --name-only | grep -E '(\\.py[co]\$|\\\$py\\.class\$|(^|/)__pycache__/)'"
  [ -z "$(sh -c "$recipe" || true)" ] || { echo "the recipe finds bytecode" >&2; exit 1; }
  echo "== push of 100 commits to a $files-file repository"
  "$TIMER" -runs "$runs" -label "pycguard pre-receive,pycguard pre-receive --config,shell recipe" \
    :: sh -c "exec '$PYCGUARD' pre-receive < '$work/push-$files'" \
    :: sh -c "exec '$PYCGUARD' pre-receive --config '$work/server.toml' < '$work/push-$files'" \
    :: sh -c "$recipe"
  cd "$work"
done
