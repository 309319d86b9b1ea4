#!/usr/bin/env bash
# Times `pycguard check` (the pre-commit hook's job) against git's own
# `git diff --cached --name-only --diff-filter=ACMR` on generated repositories
# (300, 1,000, 10,000 and 100,000 files, 5 % of them tracked bytecode) with one
# staged .pyc, with the index.lock `git commit -a` gives a hook, and in a
# clone made by init + fetch + reset (as CI checkouts and some tools build a
# work tree), whose index has no cache-tree; in the same run, alternating
# (bench/timer), medians, ratio, peak RSS, page faults and CPU time. On the
# 300-file repository it also times, in one run, a hand-written hook (sh,
# git diff --cached and grep) and what no Go program can go below: an empty
# Go program, `pycguard version` (start-up and the command line) and
# `git version`.
#
# The repositories have the template's bytecode lines in .gitignore, as a
# repository using pycguard does; the last case removes it, so check also
# reads git's configuration to confirm its coverage warning.
#
#   bench/check.sh [RUNS]        (default 21)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-21}
bench_git_env
bench_build
bench_timer_build
bench_empty_build
# shellcheck disable=SC2016 # the $ of $py.class is grep's
HANDHOOK='! git diff --cached --name-only --diff-filter=ACMR | grep -qE '"'"'(\.py[co]|\$py\.class)$|(^|/)__pycache__/'"'"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for spec in tiny:300:15 small:1000:50 medium:10000:500 large:100000:5000; do
  IFS=: read -r name files pyc <<<"$spec"
  repo="$work/$name"
  bench_gen_repo "$repo" "$files" "$pyc"
  cd "$repo"
  printf '# Byte-compiled / optimized / DLL files\n__pycache__/\n*.py[codz]\n*$py.class\n' > .gitignore
  git add .gitignore && git commit -q -m gitignore
  for case in one-staged-pyc commit-a-index-lock no-cache-tree-clone no-gitignore-warns; do
    case $case in
      no-cache-tree-clone)
        # git init + fetch + reset leaves an index without its TREE
        # extension: every directory must then be compared with HEAD.
        unset GIT_INDEX_FILE
        git reset -q
        rm -rf "$work/clone"
        git init -q "$work/clone"
        git -C "$work/clone" fetch -q "$repo" main
        git -C "$work/clone" reset -q FETCH_HEAD
        git -C "$work/clone" checkout -q -f -- .
        cd "$work/clone"
        if python3 -c 'import sys; sys.exit(b"TREE" in open(".git/index","rb").read())'; then :; else
          echo "the clone's index has a cache-tree; the case would not measure what it says" >&2; exit 1
        fi
        echo new > pkg000/sub00/__pycache__/new.cpython-312.pyc
        git add -f pkg000/sub00/__pycache__/new.cpython-312.pyc ;;
      no-gitignore-warns)
        unset GIT_INDEX_FILE
        git rm -q --cached .gitignore && rm .gitignore ;;
      one-staged-pyc)
        echo new > pkg000/sub00/__pycache__/new.cpython-312.pyc
        git add -f pkg000/sub00/__pycache__/new.cpython-312.pyc
        unset GIT_INDEX_FILE ;;
      commit-a-index-lock)
        # What `git commit -a` gives a hook: a fresh index with the work
        # tree's changes, its cache-tree invalidated along the path.
        git reset -q
        echo changed > pkg000/sub00/__pycache__/mod00010.cpython-312.pyc
        cp .git/index .git/bench-index
        GIT_INDEX_FILE=.git/bench-index git add -u
        export GIT_INDEX_FILE=.git/bench-index ;;
    esac
    # both must see the same staged bytecode
    want=$(git diff --cached --name-only --diff-filter=ACMR | grep -c -E '\.py[co]$|__pycache__/' || true)
    got=$("$PYCGUARD" check --format json 2>/dev/null | grep -c '"path"' || true)
    [ "$want" = "$got" ] || { echo "disagree on $name/$case: git $want, pycguard $got" >&2; exit 1; }
    echo "== $name ($files files, $pyc tracked bytecode): $case"
    "$TIMER" -runs "$runs" -label "pycguard check,git diff --cached" \
      :: "$PYCGUARD" check \
      :: git diff --cached --name-only --diff-filter=ACMR
    if [ "$name/$case" = tiny/one-staged-pyc ]; then
      echo "== $name ($files files): the floor, in one run"
      # The hand-written hook: what a repository without pycguard runs,
      # a shell, git diff and grep (exit 1 when bytecode is staged).
      "$TIMER" -runs "$runs" -label "pycguard check,hand-written hook,empty Go program,pycguard version,git version,git diff --cached" \
        :: "$PYCGUARD" check :: sh -c "$HANDHOOK" :: "$EMPTYPROG" :: "$PYCGUARD" version :: git version \
        :: git diff --cached --name-only --diff-filter=ACMR
    fi
    cd "$repo"
  done
  unset GIT_INDEX_FILE
  cd "$work"
  rm -rf "$repo" "$work/clone"
done
