package bytecode

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		path string
		fold bool
		want Kind
	}{
		{"a.pyc", false, Pyc},
		{"deep/er/a.pyc", false, Pyc},
		{".pyc", false, Pyc},
		{"a.pyo", false, Pyo},
		{"Foo$py.class", false, JythonClass},
		{"lib/Foo$py.class", false, JythonClass},
		{"$py.class", false, JythonClass},
		{"__pycache__/m.cpython-312.pyc", false, InPycache},
		{"a/b/__pycache__/notes.txt", false, InPycache},
		{"a/__pycache__/sub/x", false, InPycache},
		{"a.pyd", false, Pyd},
		{"a.pyz", false, Pyz},
		// lookalikes
		{"pyc/x.py", false, None},
		{"x.pyc.txt", false, None},
		{"__pycache__.py", false, None},
		{"my__pycache__/x", false, None},
		{"__pycache__x/y", false, None},
		{"a/__pycache__", false, None}, // a file named __pycache__ is not inside one
		{"x.py", false, None},
		{"xpyc", false, None},
		{"Foo.class", false, None},
		{"Foo$pyclass", false, None},
		{"", false, None},
		// case
		{"X.PYC", false, None},
		{"X.PYC", true, Pyc},
		{"X.Pyo", true, Pyo},
		{"A$PY.CLASS", true, JythonClass},
		{"__PYCACHE__/x", false, None},
		{"__PYCACHE__/x", true, InPycache},
		{"a/__PyCache__/x", true, InPycache},
		{"a/my__PyCache__/x", true, None},
		// raw bytes
		{"\xff\xfe.pyc", false, Pyc},
		{"dir with space/\n.pyo", false, Pyo},
		{"back\\slash.pyc", false, Pyc},
	}
	for _, tt := range tests {
		if got := Classify(tt.path, tt.fold); got != tt.want {
			t.Errorf("Classify(%q, %v) = %v, want %v", tt.path, tt.fold, got, tt.want)
		}
		if got, want := IsBytecode(tt.path, tt.fold), tt.want.IsBytecode(); got != want {
			t.Errorf("IsBytecode(%q, %v) = %v, want %v", tt.path, tt.fold, got, want)
		}
	}
}

func TestTemplateOnlyIsNotBytecode(t *testing.T) {
	for _, k := range []Kind{None, Pyd, Pyz} {
		if k.IsBytecode() {
			t.Errorf("%v.IsBytecode() = true", k)
		}
	}
	for _, k := range []Kind{InPycache, Pyc, Pyo, JythonClass} {
		if !k.IsBytecode() {
			t.Errorf("%v.IsBytecode() = false", k)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"a.pyc", "__pycache__/x", "a/b$py.class", "X.PYO", "a/__pycache__"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, p string, fold bool) {
		k := Classify(p, fold)
		// Folding only ever adds matches.
		if !fold && k != None && Classify(p, true) != k {
			t.Fatalf("fold changed %q from %v to %v", p, k, Classify(p, true))
		}
	})
}

func BenchmarkIsBytecode(b *testing.B) {
	paths := []string{"src/pkg/module/file.py", "src/pkg/__pycache__/file.cpython-312.pyc", "docs/index.rst", "a/b/c/d/e/f.txt"}
	for i := 0; i < b.N; i++ {
		IsBytecode(paths[i&3], false)
	}
}
