#!/usr/bin/env bash
# Times `pycguard pre-receive` judging a push of 100 commits (each changing
# one file) against the shell recipe
#   git rev-list NEW --not --all | git diff-tree --stdin -r --name-only | grep ...
# in the same run, alternating, on bare repositories of two sizes (10,000
# and 100,000 files): the cost must follow the pushed changes, not the size
# of the repository.
#
# The push is staged as receive-pack stages it for the hook: the pushed
# objects in a pack inside a quarantine directory of the repository, named
# by GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY and
# GIT_ALTERNATE_OBJECT_DIRECTORIES, and GIT_DIR=. as receive-pack sets it
# for its hooks; every command gets the same push and environment.
# pycguard is timed twice: judging the push by the configuration in its
# pushed tree (the default) and with the server's --config.
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
printf 'allow = []\n' > "$work/server.toml"

for files in 10000 100000; do
  src="$work/src-$files"
  bench_gen_repo "$src" "$files" $((files / 20))
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

  server="$work/server-$files.git"
  git init -q --bare "$server"
  git -C "$src" push -q "$server" "$old:refs/heads/main"
  # The pushed objects, in a pack in the quarantine (receive-pack keeps a
  # pack of 100 objects or more as it is).
  q="$server/objects/incoming-bench"
  mkdir -p "$q/pack"
  git -C "$src" rev-list --objects "$new" --not "$old" |
    git -C "$src" pack-objects -q --stdout |
    GIT_OBJECT_DIRECTORY="$q" GIT_ALTERNATE_OBJECT_DIRECTORIES="$server/objects" \
      git -C "$server" index-pack --stdin --fix-thin "$q/pack/pack-incoming.pack" > /dev/null
  git -C "$server" cat-file -e "$new" 2>/dev/null && { echo "the push is not quarantined" >&2; exit 1; }
  echo "$old $new refs/heads/main" > "$work/push"
  (
    cd "$server"
    export GIT_DIR=. GIT_QUARANTINE_PATH="$q" GIT_OBJECT_DIRECTORY="$q" GIT_ALTERNATE_OBJECT_DIRECTORIES="$server/objects"
    # Both must judge the push clean (the generated repository's
    # bytecode is old history).
    "$PYCGUARD" pre-receive < "$work/push"
    recipe="git rev-list $new --not --all | git diff-tree --stdin -r --name-only | grep -E '(\\.py[co]\$|\\\$py\\.class\$|(^|/)__pycache__/)'"
    [ -z "$(sh -c "$recipe" || true)" ] || { echo "the recipe finds bytecode" >&2; exit 1; }
    [ "$(git rev-list --count "$new" --not --all)" = 100 ] || { echo "expected 100 commits to judge" >&2; exit 1; }
    echo "== push of 100 commits to a $files-file repository"
    "$TIMER" -runs "$runs" -label "pycguard pre-receive,pycguard pre-receive --config,shell recipe" \
      :: sh -c "exec '$PYCGUARD' pre-receive < '$work/push'" \
      :: sh -c "exec '$PYCGUARD' pre-receive --config '$work/server.toml' < '$work/push'" \
      :: sh -c "$recipe"
  )
done
