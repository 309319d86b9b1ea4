#!/usr/bin/env bash
# Runs pycguard for the action: `pycguard -C <src> <args>` (args split at
# white space; default `check --all`), and with a SARIF file asked for, the
# same with --format sarif written to that file, then the text report in the
# log when there are findings.
#
# Inputs (environment, as action.yml passes them):
#   PYCGUARD          the pycguard to run (install.sh's pycguard-path output)
#   INPUT_ARGS        the pycguard command and its arguments
#   INPUT_SRC         the directory to run in (default: GITHUB_WORKSPACE)
#   INPUT_SARIF_FILE  where to write SARIF ("" for none), relative to
#                     GITHUB_WORKSPACE unless absolute
#   GITHUB_WORKSPACE GITHUB_OUTPUT  (set by Actions)
# Outputs (GITHUB_OUTPUT): exit-code (0 clean, 1 findings, 2 error),
# sarif-file (absolute path, when written).
# Exit status: pycguard's.
set -uo pipefail

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set (not running in GitHub Actions?)}"
: "${GITHUB_WORKSPACE:?GITHUB_WORKSPACE is not set (not running in GitHub Actions?)}"
pycguard=${PYCGUARD:-pycguard}
src=${INPUT_SRC:-$GITHUB_WORKSPACE}
case "$src" in
  /* | [A-Za-z]:[\\/]*) ;;
  *) src="$GITHUB_WORKSPACE/$src" ;;
esac

set -f # args are split at white space, never globbed
# shellcheck disable=SC2086
set -- ${INPUT_ARGS:-check --all}
set +f
if [ "$#" -eq 0 ]; then
  echo "::error title=pycguard::args is empty" >&2
  echo "exit-code=2" >>"$GITHUB_OUTPUT"
  exit 2
fi
command=$1
shift

status=0
if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  sarif=$INPUT_SARIF_FILE
  case "$sarif" in
    /* | [A-Za-z]:[\\/]*) ;;
    *) sarif="$GITHUB_WORKSPACE/$sarif" ;;
  esac
  mkdir -p "$(dirname "$sarif")"
  # --format right after the command: after a path, check reads it as a path
  "$pycguard" -C "$src" "$command" --format sarif "$@" >"$sarif" || status=$?
  if [ "$status" -le 1 ]; then
    echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
  fi
  if [ "$status" -eq 1 ]; then
    # the findings and the fix, readable in the log
    "$pycguard" -C "$src" "$command" "$@" || true
  fi
else
  "$pycguard" -C "$src" "$command" "$@" || status=$?
fi
echo "exit-code=$status" >>"$GITHUB_OUTPUT"
case "$status" in
  0) ;;
  1) echo "::error title=pycguard::pycguard found Python bytecode (see the report above)" >&2 ;;
  *) echo "::error title=pycguard::pycguard could not decide (exit $status)" >&2 ;;
esac
exit "$status"
