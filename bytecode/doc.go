// Package bytecode decides, from a path alone, whether a file is Python
// bytecode.
//
// The rules follow the "Byte-compiled / optimized / DLL files" section of
// GitHub's Python.gitignore template:
//
//	__pycache__/
//	*.py[codz]
//	*$py.class
//
// Bytecode (blocked by the hook, untracked by fix, deleted by clean) is a file
// whose base name ends in ".pyc", ".pyo" or "$py.class" (Jython), or any file
// with a directory component named "__pycache__" at any depth. ".pyd" (Windows
// extension modules) and ".pyz" (zipapps) are template-only: Classify reports
// them so that callers can opt in, but IsBytecode is false for them.
//
// Paths are git paths: '/'-separated, relative, raw bytes. Matching is
// byte-exact and case-sensitive unless fold is true, which callers set when
// the repository has core.ignorecase=true (git then ignores "X.PYC" too); fold
// is ASCII-only, as git's is for ignore patterns.
//
// The package imports nothing from this module.
package bytecode
