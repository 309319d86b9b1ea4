// Package wheel writes binary wheels that carry one executable and no
// Python code, the way ruff and uv ship theirs (maturin's "bin" bindings):
//
//	<name>-<version>.data/scripts/<name>[.exe]   the executable, mode 0755
//	<name>-<version>.dist-info/METADATA          core metadata, README as the description
//	<name>-<version>.dist-info/WHEEL             Root-Is-Purelib: false, one Tag line per tag
//	<name>-<version>.dist-info/licenses/<file>   license files, when given
//	<name>-<version>.dist-info/RECORD            every other file's sha256 and size
//
// An installer (pip, pipx, uv, the pre-commit framework's language: python)
// copies the scripts/ entry into the environment's bin/ (Scripts\ on
// Windows), so the program runs without starting Python.
//
// The rules it implements, from the binary distribution format
// (packaging.python.org/specifications/binary-distribution-format):
//
//   - The file name is {distribution}-{version}-{python tag}-{abi tag}-{platform
//     tag}.whl, with several platform tags joined by "." (a compressed tag
//     set); the name is normalised (runs of "-", "_", "." become "_") and the
//     version is PEP 440's normal form (Version converts a release tag).
//   - RECORD lists every file but itself as path,sha256=<digest>,size, the
//     digest in URL-safe base64 without "=" padding; RECORD's own line is
//     "path,,".
//   - The zip entries' external attributes carry the Unix mode in their high
//     16 bits, with the regular-file type bit: 0o100755 for the executable.
//     pip restores the execute bit only when the type bit is there (a mode of
//     plain 0o755 installs a program that cannot run).
//
// Platform tags come from the target's GOOS and GOARCH and from the binary
// itself (PlatformTags): Go's CGO_ENABLED=0 Linux binaries are static, so
// one wheel serves glibc (manylinux) and musl (musllinux) systems; the macOS
// tag carries the oldest macOS the Go release that built the binary runs on.
// A binary whose format, architecture or linking does not fit the target is
// refused rather than tagged wrongly.
package wheel
