package clean

import (
	"strings"

	"github.com/pycguard/pycguard/bytecode"
)

// sourceStem names the module whose source would have produced the bytecode
// file name, as the rules in doc.go say; ok is false when no source can be
// named. inPycache is true for a file directly inside a __pycache__.
func sourceStem(name string, inPycache, fold bool) (stem string, ok bool) {
	kind := bytecode.ClassifyName(name, fold)
	if inPycache {
		// PEP 3147: M.TAG.pyc, M.TAG.opt-N.pyc; module names hold no dot.
		if kind != bytecode.Pyc && kind != bytecode.Pyo {
			return "", false
		}
		i := strings.IndexByte(name, '.')
		if i <= 0 || i == len(name)-4 {
			return "", false // ".pyc" or "M.pyc": no interpreter tag
		}
		return name[:i], true
	}
	switch kind {
	case bytecode.Pyc, bytecode.Pyo:
		return name[:len(name)-len(".pyc")], true
	case bytecode.JythonClass:
		return name[:len(name)-len("$py.class")], true
	}
	return "", false
}

// isOrphan reports whether the bytecode file name is an orphan, given has,
// which says whether a name exists in the directory that would hold its
// source (nil: unknown, so not an orphan).
func isOrphan(name string, inPycache, fold bool, has func(string) bool) bool {
	if has == nil {
		return false
	}
	stem, ok := sourceStem(name, inPycache, fold)
	if !ok {
		return false
	}
	return !has(stem+".py") && !has(stem+".pyw")
}
