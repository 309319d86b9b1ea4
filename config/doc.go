// Package config reads pycguard's configuration: the [tool.pycguard] table
// of pyproject.toml, or a .pycguard.toml file, at the top of the work tree.
//
// Keys (all optional, each an array of strings):
//
//   - allow: gitignore-style patterns of bytecode that may be committed
//     (test fixtures, vendored wheels' contents). A path they match never
//     blocks a commit.
//   - extra: more gitignore-style patterns to block, beyond the bytecode
//     pycguard always blocks (for example "*.pyd" or "*.pyz").
//   - exclude: gitignore-style patterns of directories `pycguard clean`
//     does not enter.
//
// Where the configuration comes from, first found wins:
//
//  1. the file given with --config (a .pycguard.toml-style file, or a
//     pyproject.toml whose [tool.pycguard] table is read);
//  2. .pycguard.toml at the top of the work tree (keys at its top level);
//  3. the [tool.pycguard] table of pyproject.toml at the top of the work tree.
//
// When both 2 and 3 are present the .pycguard.toml wins and Load reports the
// ignored table in Config.Shadowed, so the caller can warn. A pyproject.toml
// without a [tool.pycguard] table is no configuration. No file is no
// configuration: pycguard's defaults apply.
//
// The files are parsed with a strict TOML decoder: an unknown key in the
// pycguard table, a value of the wrong type or a TOML syntax error is an
// *Error carrying the file, line and column (errors.Is(err, ErrInvalid)).
// Other tables of pyproject.toml are not looked at.
//
// Patterns are kept as written; matching them (gitignore semantics) is the
// job of the packages that apply them.
package config
