#!/usr/bin/env bash
# The pre-commit framework's overhead with and without pycguard's hook, on
# the medium generated repository (10,000 tracked files, 500 of them
# __pycache__/*.pyc committed before the hook existed), in the same run,
# alternating (bench/timer; the last command of each table is the ratio
# baseline):
#
#   * commit: `pre-commit run` as the git hook runs it, one staged source file;
#   * all-files: `pre-commit run --all-files` (10,000 file names passed).
#
# Each is timed with an empty configuration (`repos: []`: the framework
# alone), with a no-op hook filtered like pycguard's (`true`, language
# system, file names passed, `types: []`: what any such hook costs in the
# framework, which classifies every file it passes) and with the manifest's
# pycguard-system hook (the same definition as the golang hook, using the
# pycguard built here, so no hook environment is built during the timing).
# `pycguard check` alone is shown for scale.
#
#   bench/precommit.sh [RUNS]        (default 21)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-21}
src=$(cd "$(dirname "$0")/.." && pwd)
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (apt-get install pre-commit)" >&2; exit 2; }
rev=$(git -C "$src" rev-parse HEAD)
git -C "$src" cat-file -e "$rev:.pre-commit-hooks.yaml" ||
  { echo "HEAD of $src has no .pre-commit-hooks.yaml" >&2; exit 2; }

bench_git_env
bench_build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$BENCH_BIN:$PATH" PRE_COMMIT_HOME="$work/pre-commit-home"
(cd "$src/bench" && go build -o "$BENCH_BIN/timer" ./timer)

repo="$work/medium"
bench_gen_repo "$repo" 10000 500
cd "$repo"
printf 'repos: []\n' > empty.yaml
cat > pycguard.yaml <<YAML
repos:
- repo: $src
  rev: $rev
  hooks:
  - id: pycguard-system
YAML
cat > noop.yaml <<YAML
repos:
- repo: local
  hooks:
  - id: noop
    name: noop
    entry: "true"
    language: system
    pass_filenames: true
    types: []
YAML
git add empty.yaml noop.yaml pycguard.yaml && git commit -q -m configs
pre-commit install-hooks -c pycguard.yaml >/dev/null

echo "# one staged source file (what a commit runs)"
echo "# changed" >> pkg000/sub00/mod00000.py
git add pkg000/sub00/mod00000.py
pre-commit run -c pycguard.yaml >/dev/null # pass: nothing staged is bytecode
"$BENCH_BIN/timer" -runs "$runs" -label "pycguard check,pre-commit + pycguard,pre-commit + no-op hook,pre-commit (empty)" \
  :: "$PYCGUARD" check \
  :: pre-commit run -c pycguard.yaml \
  :: pre-commit run -c noop.yaml \
  :: pre-commit run -c empty.yaml

echo
echo "# --all-files (the 500 tracked .pyc are reported: exit 1)"
"$BENCH_BIN/timer" -runs "$runs" -label "pycguard check --all,pre-commit + pycguard,pre-commit + no-op hook,pre-commit (empty)" \
  :: "$PYCGUARD" check --all \
  :: pre-commit run -c pycguard.yaml --all-files \
  :: pre-commit run -c noop.yaml --all-files \
  :: pre-commit run -c empty.yaml --all-files
