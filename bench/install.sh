#!/usr/bin/env bash
# First install of pycguard's pre-commit hook, as a user meets it: the time
# `pre-commit install-hooks` takes with a fresh PRE_COMMIT_HOME for
#
#   * language: python — the release's pre-commit mirror (dist/pre-commit-mirror):
#     a virtualenv, then pip builds the mirror's empty project (setuptools)
#     and installs the binary wheel. Offline: PIP_NO_INDEX=1, PIP_FIND_LINKS
#     = dist/ and the system's wheels (/usr/share/python-wheels);
#   * language: golang — a clone of this repository (HEAD), `go install ./...`
#     with the Go on PATH. The framework points GOPATH at the hook
#     environment, so modules come from GOPROXY on every first install, as
#     for a user without GOMODCACHE set.
#
# cold: a fresh HOME (no pip, virtualenv or Go build cache); warm: a HOME
# whose caches an earlier install of the same hook filled. The four cases
# run alternately (bench/timer), RUNS times each; medians in ms.
#
#   goreleaser release --snapshot --clean   # writes dist/ (the wheels, the mirror)
#   bench/install.sh [RUNS]                 # default 3
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-3}
src=$(cd "$(dirname "$0")/.." && pwd)
dist=${DIST:-$src/dist}
wheels=/usr/share/python-wheels
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (apt-get install pre-commit)" >&2; exit 2; }
[ -f "$dist/pre-commit-mirror/pyproject.toml" ] && ls "$dist"/pycguard-*.whl >/dev/null 2>&1 ||
  { echo "no wheels or pre-commit mirror in $dist: run goreleaser release --snapshot --clean first" >&2; exit 2; }
ls "$wheels"/setuptools-*.whl >/dev/null 2>&1 ||
  { echo "no setuptools wheel in $wheels (apt-get install python3-setuptools-whl python3-wheel-whl)" >&2; exit 2; }
rev=$(git -C "$src" rev-parse HEAD)
git -C "$src" cat-file -e "$rev:.pre-commit-hooks.yaml" ||
  { echo "HEAD of $src has no .pre-commit-hooks.yaml" >&2; exit 2; }

bench_git_env
bench_timer_build
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# The Go settings a user's shell would have, without the caches: HOME
# decides where those are.
goproxy=$(go env GOPROXY) gosumdb=$(go env GOSUMDB)
unset GOCACHE GOMODCACHE GOPATH GOFLAGS PIP_CACHE_DIR XDG_CACHE_HOME XDG_DATA_HOME VIRTUAL_ENV
export GOPROXY=$goproxy GOSUMDB=$gosumdb GOTOOLCHAIN=local
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$dist $wheels" PIP_DISABLE_PIP_VERSION_CHECK=1

# The mirror as a repository of its own, at the release's version.
mirror="$work/mirror"
mkdir -p "$mirror" && cp -R "$dist/pre-commit-mirror/." "$mirror/"
git -C "$mirror" init -q && git -C "$mirror" add -A && git -C "$mirror" commit -q -m mirror
mirror_rev=$(git -C "$mirror" rev-parse HEAD)

repo="$work/repo"
git init -q "$repo" && cd "$repo"
printf 'print()\n' > app.py
cat > python.yaml <<YAML
repos:
- repo: $mirror
  rev: $mirror_rev
  hooks:
  - id: pycguard
YAML
cat > golang.yaml <<YAML
repos:
- repo: $src
  rev: $rev
  hooks:
  - id: pycguard
YAML
git add -A && git commit -q -m configs

# Fill the warm HOME's caches with one install of each hook.
for lang in python golang; do
  HOME="$work/warm-home" PRE_COMMIT_HOME="$work/prime-$lang" pre-commit install-hooks -c $lang.yaml >/dev/null
done
chmod -R u+w "$work"/prime-* && rm -rf "$work"/prime-*

# Before every run: no hook environments, an empty cold HOME. (Go's module
# cache is read-only; chmod lets rm remove it.)
prepare="chmod -R u+w '$work'/pch-* '$work/cold-home' 2>/dev/null; rm -rf '$work'/pch-* '$work/cold-home'; mkdir -p '$work/cold-home'"

echo "# pre-commit install-hooks, first install of pycguard's hook (median of $runs)"
"$TIMER" -runs "$runs" -warmup 0 -ok 0 -prepare "$prepare" \
  -label "python (wheel) cold,python (wheel) warm,golang (source) cold,golang (source) warm" \
  :: env HOME="$work/cold-home" PRE_COMMIT_HOME="$work/pch-1" pre-commit install-hooks -c python.yaml \
  :: env HOME="$work/warm-home" PRE_COMMIT_HOME="$work/pch-2" pre-commit install-hooks -c python.yaml \
  :: env HOME="$work/cold-home" PRE_COMMIT_HOME="$work/pch-3" pre-commit install-hooks -c golang.yaml \
  :: env HOME="$work/warm-home" PRE_COMMIT_HOME="$work/pch-4" pre-commit install-hooks -c golang.yaml
