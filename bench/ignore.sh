#!/usr/bin/env bash
# Matching 100,000 generated paths against GitHub's full Python.gitignore
# template: `pycguard explain --stdin` against `git check-ignore --stdin
# -v -n --no-index` (the same output format; the two outputs are checked to
# be identical), in the same run, alternating, several runs. Prints the
# median wall time of each and the ratio pycguard/git.
#
# usage: bench/ignore.sh [TEMPLATE] [RUNS] [PATHS]
#   TEMPLATE  the Python template (default: ../shared/testdata/Python.gitignore
#             beside the checkout)
# PYCGUARD=path/to/binary uses that binary instead of building this tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
template=${1:-$root/../shared/testdata/Python.gitignore}
runs=${2:-7}
npaths=${3:-100000}
[ -f "$template" ] || { echo "template not found: $template" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${PYCGUARD:-}" ]; then
  cp "$PYCGUARD" "$work/pycguard"   # a binary built elsewhere
else
  (cd "$root" && go build -o "$work/pycguard" ./cmd/pycguard)
fi
# git and pycguard alike: no system or user configuration.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
repo="$work/repo"
git init -q "$repo"
cp "$template" "$repo/.gitignore"

# A Python project's shape: sources, bytecode next to them and in
# __pycache__, build and virtualenv trees, docs, tests, data files; about
# 20 files per directory. The directories are created on disk (git and
# pycguard both look for a .gitignore in each and lstat what a
# directory-only rule matches); the files need not exist.
awk -v n="$npaths" 'BEGIN {
  srand(42)
  split("py pyc pyo txt md json so egg cfg toml log pyd pyz ipynb", ext, " ")
  split("src lib app pkg tests docs build dist .venv venv node_modules data", top, " ")
  for (i = 0; i < n; i++) {
    d = top[int(rand() * 12) + 1]
    depth = int(rand() * 4)
    p = d
    for (j = 0; j < depth; j++) p = p "/mod" int(rand() * 8)
    r = rand()
    if (r < 0.15) p = p "/__pycache__/m" i ".cpython-312.pyc"
    else if (r < 0.2) p = p "/M" i "$py.class"
    else p = p "/f" i "." ext[int(rand() * 14) + 1]
    print p
  }
}' > "$work/paths"

sed 's|/[^/]*$||' "$work/paths" | sort -u > "$work/dirs"
(cd "$repo" && xargs -d '\n' mkdir -p < "$work/dirs")

cd "$repo"
run_git()      { git check-ignore --stdin -v -n --no-index < "$work/paths" > "$work/out.git" || true; }
run_pycguard() { "$work/pycguard" explain --stdin < "$work/paths" > "$work/out.pycguard" || true; }

# One untimed round each, and the answers must agree.
run_git; run_pycguard
if ! cmp -s "$work/out.git" "$work/out.pycguard"; then
  echo "pycguard and git disagree:" >&2
  diff "$work/out.git" "$work/out.pycguard" | head -20 >&2
  exit 1
fi
ignored=$(grep -vc '^::' "$work/out.git" || true)

now() { date +%s.%N; }
declare -a tg tp
for ((i = 0; i < runs; i++)); do
  t0=$(now); run_git; t1=$(now); run_pycguard; t2=$(now)
  tg+=("$(echo "$t1 - $t0" | bc)"); tp+=("$(echo "$t2 - $t1" | bc)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mg=$(median "${tg[@]}"); mp=$(median "${tp[@]}")
echo "paths: $npaths ($ignored matched a rule) in $(wc -l < "$work/dirs") directories, template rules: $(grep -cv '^\s*\(#\|$\)' "$template"), runs: $runs"
echo "git check-ignore --stdin -v -n --no-index  median ${mg}s   (runs: ${tg[*]})"
echo "pycguard explain --stdin                   median ${mp}s   (runs: ${tp[*]})"
echo "ratio pycguard/git: $(echo "scale=3; $mp / $mg" | bc)"
