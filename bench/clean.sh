#!/usr/bin/env bash
# Times `pycguard clean` (its default unix walk, and the portable walk on
# os.Root that Windows uses, selected with the hidden --portable-walk) against
# the seed's `find` pair and Debian's py3clean in the same run, alternating, on two trees, each run on a fresh copy made
# with `cp -al` (hard links: deleting a link leaves the template intact) and
# synced before the clock starts. Prints medians, ratios, peak RSS, and what
# each tool removed (they do not remove the same things: see docs/comparison.md).
#
#   bench/clean.sh [RUNS]        (default 11 runs per tool and tree)
#
# Trees:
#   venv  a virtualenv-like tree: 50,000 files, 10,000 of them
#         __pycache__/*.cpython-312.pyc beside their sources (bench/venvtree)
#   repo  the 100k-file repository of bench/lib.sh: 100,000 tracked files,
#         5,000 of them committed __pycache__/*.pyc
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-11}
command -v py3clean >/dev/null || { echo "py3clean not found (Debian: apt-get install python3-minimal)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (Debian: apt-get install time)" >&2; exit 1; }
bench_git_env
bench_build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The seed's recipe, verbatim.
find_pair() { find . -name '*.py[co]' -delete; find . -name __pycache__ -type d -empty -delete; }
find_pair_sh="find . -name '*.py[co]' -delete; find . -name __pycache__ -type d -empty -delete"

(cd "$(dirname "$0")" && go run ./venvtree "$work/venv") 2>/dev/null
bench_gen_repo "$work/repo" 100000 5000

# count_bytecode: bytecode files and __pycache__ directories below .
count_bytecode() {
  local f d
  f=$(find . -path ./.git -prune -o -type f \( -name '*.py[co]' -o -name '*$py.class' -o -path '*/__pycache__/*' \) -print | wc -l)
  d=$(find . -path ./.git -prune -o -type d -name __pycache__ -print | wc -l)
  echo "$f $d"
}

# fresh TREE: a new hard-linked copy in $work/run, synced, as the cwd.
fresh() {
  cd "$work"
  rm -rf "$work/run"
  cp -al "$work/$1" "$work/run"
  sync
  cd "$work/run"
}

tool_cmd() {
  case $1 in
    pycguard) echo "$PYCGUARD clean --no-progress" ;;
    pycguard-portable) echo "$PYCGUARD clean --no-progress --portable-walk" ;;
    pycguard-tracked) echo "$PYCGUARD clean --no-progress --tracked" ;;
    find) echo "$find_pair_sh" ;;
    py3clean) echo "py3clean ." ;;
  esac
}

run_tool() {
  case $1 in
    pycguard) "$PYCGUARD" clean --no-progress ;;
    pycguard-portable) "$PYCGUARD" clean --no-progress --portable-walk ;;
    pycguard-tracked) "$PYCGUARD" clean --no-progress --tracked ;;
    find) find_pair ;;
    py3clean) py3clean . ;;
  esac
}

printf '%-5s %-17s %10s %9s %12s %10s %9s %9s\n' tree tool median_ms vs_find py3clean_vs rss_KiB files_rm dirs_rm
for tree in venv repo; do
  tools="pycguard pycguard-portable find py3clean"
  [ "$tree" = repo ] && tools="pycguard-tracked pycguard pycguard-portable find py3clean"
  declare -A ms=() rss=() removed=()
  fresh "$tree"; before=$(count_bytecode)
  for t in $tools; do
    fresh "$tree"
    run_tool "$t" >/dev/null 2>&1
    read -r f1 d1 <<<"$before"; read -r f2 d2 <<<"$(count_bytecode)"
    removed[$t]="$((f1 - f2)) $((d1 - d2))"
    fresh "$tree"
    rss[$t]=$(/usr/bin/time -f %M bash -c "$(tool_cmd "$t")" 2>&1 >/dev/null | tail -n 1)
  done
  for _ in $(seq "$runs"); do
    for t in $tools; do
      fresh "$tree"
      ms[$t]="${ms[$t]:-} $(bench_ms run_tool "$t")"
    done
  done
  fm=$(bench_median ${ms[find]})
  pm=$(bench_median ${ms[py3clean]})
  for t in $tools; do
    m=$(bench_median ${ms[$t]})
    read -r rf rd <<<"${removed[$t]}"
    printf '%-5s %-17s %10s %9s %12s %10s %9s %9s\n' "$tree" "$t" "$m" \
      "$(awk -v a="$m" -v b="$fm" 'BEGIN{printf "%.2fx", a/b}')" \
      "$(awk -v a="$pm" -v b="$m" 'BEGIN{printf "%.1fx", a/b}')" "${rss[$t]}" "$rf" "$rd"
  done
  printf '%-5s portable walk / unix walk: %s\n' "$tree" \
    "$(awk -v a="$(bench_median ${ms[pycguard-portable]})" -v b="$(bench_median ${ms[pycguard]})" 'BEGIN{printf "%.2fx", a/b}')"
  unset ms rss removed
done
cd "$work"
echo "(vs_find: median time / the find pair's; py3clean_vs: py3clean's median / this tool's; rss: one run)"
