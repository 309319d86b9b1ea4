#!/usr/bin/env bash
# Growth curves of what a pushed configuration can make pycguard do, beside
# git's (and Python's tomllib's) time on the same input:
#
#  * "**/" repeated N times then "x", against a path N directories deep
#    (pycguard explain vs git check-ignore --no-index);
#  * "*a*b*c*d*" against a name of L bytes that does not match;
#  * a pyproject.toml with K keys in another tool's table, read by
#    pycguard check (which reads the configuration) and by tomllib.
#
# git's matcher backtracks: past a few seconds its run is cut at
# $LIMIT seconds and printed as ">LIMIT". One run per cell (the cases are
# meant to show growth, not small differences).
#
#   bench/config.sh [LIMIT]      (default 10)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
limit=${1:-10}
bench_git_env
bench_build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" && git init -q repo && cd repo
git commit -q --allow-empty -m base

# secs CMD...: wall-clock seconds of CMD (cut at $limit), output discarded
secs() {
  local s e rc=0
  s=$(date +%s.%N)
  timeout "$limit" "$@" >/dev/null 2>&1 || rc=$?
  e=$(date +%s.%N)
  if [ "$rc" = 124 ]; then echo ">$limit"; else awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'; fi
}

rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

echo '== "**/" x N then "x", path N levels deep (not matching)'
printf '%6s %12s %12s\n' N pycguard git
for n in 5 8 10 12 14 50 100 200 400; do
  printf '%sx\n' "$(rep '**/' "$n")" > .gitignore
  p="$(rep d/ "$n")y"
  printf '%6s %12s %12s\n' "$n" "$(secs "$PYCGUARD" explain -- "$p")" "$(secs git check-ignore --no-index -v -n -- "$p")"
done

echo '== "*a*b*c*d*" against an L-byte name of "a"s (not matching)'
printf '%6s %12s %12s\n' L pycguard git
printf '*a*b*c*d*\n' > .gitignore
for l in 2500 5000 10000 20000 40000; do
  p=$(rep a "$l")
  printf '%6s %12s %12s\n' "$l" "$(secs "$PYCGUARD" explain -- "$p")" "$(secs git check-ignore --no-index -v -n -- "$p")"
done
rm -f .gitignore

echo '== pyproject.toml with K keys in [tool.other], then [tool.pycguard]'
have_tomllib=false
if command -v python3 >/dev/null && python3 -c 'import tomllib' 2>/dev/null; then have_tomllib=true; fi
printf '%6s %9s %12s %12s\n' K bytes pycguard tomllib
for k in 1000 10000 40000 75000; do
  awk -v k="$k" 'BEGIN { print "[tool.other]"; for (i = 0; i < k; i++) printf "key%06d = \"v\"\n", i; print "[tool.pycguard]"; print "allow = [\"a.pyc\"]" }' > pyproject.toml
  t=n/a
  if $have_tomllib; then t=$(secs python3 -c 'import tomllib,sys; tomllib.load(open(sys.argv[1],"rb"))' pyproject.toml); fi
  printf '%6s %9s %12s %12s\n' "$k" "$(wc -c < pyproject.toml)" "$(secs "$PYCGUARD" check)" "$t"
done
