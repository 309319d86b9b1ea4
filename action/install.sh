#!/usr/bin/env bash
# Installs a pinned pycguard release for the GitHub Actions runner this runs
# on: downloads the release archive for RUNNER_OS/RUNNER_ARCH and the
# release's checksums.txt, refuses an archive whose SHA-256 is not the one
# listed, unpacks the binary into RUNNER_TEMP and puts it on GITHUB_PATH.
#
# Inputs (environment, as action.yml passes them):
#   INPUT_VERSION      a release version (1.2.3 or v1.2.3), or "latest"
#   INPUT_RELEASE_URL  the releases page of the repository
#                      (https://github.com/pycguard/pycguard/releases);
#                      archives come from $INPUT_RELEASE_URL/download/v<version>/
#                      (http(s):// or file://)
#   RUNNER_OS RUNNER_ARCH RUNNER_TEMP GITHUB_OUTPUT GITHUB_PATH  (set by Actions)
# Outputs (GITHUB_OUTPUT): version, pycguard-path.
set -euo pipefail

fail() {
  echo "::error title=pycguard install::$*" >&2
  exit 1
}

: "${RUNNER_TEMP:?RUNNER_TEMP is not set (not running in GitHub Actions?)}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set (not running in GitHub Actions?)}"
release_url=${INPUT_RELEASE_URL:-https://github.com/pycguard/pycguard/releases}
release_url=${release_url%/}
version=${INPUT_VERSION:-latest}

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) fail "unsupported RUNNER_OS '${RUNNER_OS:-}' (pycguard is released for Linux, macOS and Windows)" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) fail "unsupported RUNNER_ARCH '${RUNNER_ARCH:-}' (pycguard is released for X64 and ARM64)" ;;
esac

# curl: fail on HTTP errors, retry passing failures, follow redirects (GitHub
# serves release assets through one).
fetch() { curl --fail --silent --show-error --location --retry 3 --proto '=https,http,file' "$@"; }

if [ "$version" = latest ]; then
  # /releases/latest redirects to /releases/tag/v<version>
  effective=$(fetch --output /dev/null --write-out '%{url_effective}' "$release_url/latest") ||
    fail "could not resolve the latest release at $release_url/latest"
  version=${effective##*/tag/}
  [ "$version" != "$effective" ] || fail "$release_url/latest did not lead to a release tag ($effective)"
  echo "pycguard: latest release is $version"
fi
version=${version#v}
case "$version" in
  '' | *[!0-9A-Za-z.+-]*) fail "version '$INPUT_VERSION' is not a release version (e.g. 1.2.3)" ;;
esac

ext=tar.gz exe=pycguard
if [ "$os" = windows ]; then ext=zip exe=pycguard.exe; fi
archive="pycguard_${version}_${os}_${arch}.${ext}"
base="$release_url/download/v$version"

dir="$RUNNER_TEMP/pycguard-$version-$os-$arch"
work=$(mktemp -d "$RUNNER_TEMP/pycguard-download.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch --output "$work/checksums.txt" "$base/checksums.txt" || fail "could not download $base/checksums.txt"
fetch --output "$work/$archive" "$base/$archive" || fail "could not download $base/$archive"

# checksums.txt lines are "<sha256>  <file name>" (goreleaser, sha256sum)
want=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1; exit }' "$work/checksums.txt")
[ -n "$want" ] || fail "$archive is not listed in $base/checksums.txt"
if command -v sha256sum >/dev/null; then
  got=$(sha256sum "$work/$archive" | awk '{ print $1 }')
elif command -v shasum >/dev/null; then
  got=$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')
else
  fail "neither sha256sum nor shasum is available to verify the download"
fi
if [ "$got" != "$want" ]; then
  fail "checksum mismatch for $archive: checksums.txt says $want, the download is $got; nothing was installed"
fi

rm -rf "$dir"
mkdir -p "$dir"
if [ "$ext" = zip ]; then
  if command -v unzip >/dev/null; then
    unzip -q -o "$work/$archive" "$exe" -d "$dir"
  else
    tar -xf "$work/$archive" -C "$dir" "$exe" # bsdtar (Windows' tar) reads zip
  fi
else
  tar -xzf "$work/$archive" -C "$dir" "$exe"
fi
[ -f "$dir/$exe" ] || fail "$archive holds no $exe"
chmod +x "$dir/$exe"
"$dir/$exe" version >/dev/null || fail "the installed $exe does not run"

echo "pycguard: installed $("$dir/$exe" version) ($archive, sha256 $got) in $dir"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$dir" >>"$GITHUB_PATH"
fi
{
  echo "version=$version"
  echo "pycguard-path=$dir/$exe"
} >>"$GITHUB_OUTPUT"
