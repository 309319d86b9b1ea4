#!/usr/bin/env bash
# Times `pycguard check` (the pre-commit hook's job) against git's own
# `git diff --cached --name-only --diff-filter=ACMR` on generated repositories
# with one staged .pyc, in the same run, alternating, and prints medians,
# the ratio and peak RSS.
#
#   bench/check.sh [RUNS]        (default 21 runs per command and size)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-21}
bench_git_env
bench_build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-8s %-22s %10s %10s %7s %10s %10s\n' size case pycguard_ms git_ms ratio pyc_rss_KiB git_rss_KiB
for spec in small:1000:50 medium:10000:500 large:100000:5000; do
  IFS=: read -r name files pyc <<<"$spec"
  repo="$work/$name"
  bench_gen_repo "$repo" "$files" "$pyc"
  cd "$repo"
  for case in one-staged-pyc commit-a-index-lock; do
    case $case in
      one-staged-pyc)
        echo new > pkg000/sub00/__pycache__/new.cpython-312.pyc
        git add pkg000/sub00/__pycache__/new.cpython-312.pyc
        unset GIT_INDEX_FILE ;;
      commit-a-index-lock)
        # What `git commit -a` gives a hook: a fresh index.lock with the
        # work tree's changes; its cache-tree is invalidated on the path.
        git reset -q
        echo changed > pkg000/sub00/__pycache__/mod00010.cpython-312.pyc
        cp .git/index .git/bench-index
        GIT_INDEX_FILE=.git/bench-index git add -u
        export GIT_INDEX_FILE=.git/bench-index ;;
    esac
    # both must see the same staged bytecode
    want=$(git diff --cached --name-only --diff-filter=ACMR | grep -c -E '\.py[co]$|__pycache__/' || true)
    got=$("$PYCGUARD" check --format json | grep -c '"path"' || true)
    [ "$want" = "$got" ] || { echo "disagree on $name/$case: git $want, pycguard $got" >&2; exit 1; }
    p=() g=()
    for _ in $(seq "$runs"); do
      p+=("$(bench_ms "$PYCGUARD" check)")
      g+=("$(bench_ms git diff --cached --name-only --diff-filter=ACMR)")
    done
    pm=$(bench_median "${p[@]}"); gm=$(bench_median "${g[@]}")
    prss=$(bench_rss_kib "$PYCGUARD" check || true)
    grss=$(bench_rss_kib git diff --cached --name-only --diff-filter=ACMR)
    printf '%-8s %-22s %10s %10s %7s %10s %10s\n' "$name" "$case" "$pm" "$gm" \
      "$(awk -v a="$pm" -v b="$gm" 'BEGIN{printf "%.2f", a/b}')" "$prss" "$grss"
  done
  unset GIT_INDEX_FILE
  cd "$work"
done
