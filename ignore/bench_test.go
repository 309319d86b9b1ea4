package ignore

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// benchPaths generates n paths shaped like a Python project's (the same
// mix as bench/ignore.sh).
func benchPaths(n int) []string {
	r := rand.New(rand.NewPCG(42, 42))
	exts := []string{"py", "pyc", "pyo", "txt", "md", "json", "so", "egg", "cfg", "toml", "log", "pyd", "pyz", "ipynb"}
	tops := []string{"src", "lib", "app", "pkg", "tests", "docs", "build", "dist", ".venv", "venv", "node_modules", "data"}
	paths := make([]string, n)
	for i := range paths {
		p := tops[r.IntN(len(tops))]
		for d := r.IntN(4); d > 0; d-- {
			p += "/mod" + strconv.Itoa(r.IntN(8))
		}
		switch x := r.Float64(); {
		case x < 0.15:
			p += "/__pycache__/m" + strconv.Itoa(i) + ".cpython-312.pyc"
		case x < 0.2:
			p += "/M" + strconv.Itoa(i) + "$py.class"
		default:
			p += "/f" + strconv.Itoa(i) + "." + exts[r.IntN(len(exts))]
		}
		paths[i] = p
	}
	return paths
}

// BenchmarkMatchTemplate matches generated paths against the full Python
// template in a work tree (reading .gitignore files, lstat where needed).
// One op is one path.
func BenchmarkMatchTemplate(b *testing.B) {
	data, err := os.ReadFile(pythonTemplate)
	if err != nil {
		b.Skip("the Python template is not beside the checkout")
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	paths := benchPaths(100_000)
	b.ResetTimer()
	var m *Matcher
	for i := 0; i < b.N; i++ {
		if i%len(paths) == 0 {
			m, _ = New(Sources{WorkTree: dir})
		}
		m.Match(paths[i%len(paths)], KindUnknown)
	}
}

// BenchmarkMatchRulesOnly is the matching alone: no file system.
func BenchmarkMatchRulesOnly(b *testing.B) {
	data, err := os.ReadFile(pythonTemplate)
	if err != nil {
		b.Skip("the Python template is not beside the checkout")
	}
	m := NewFromRules(ParseRules(data, ".gitignore", "", false))
	paths := benchPaths(100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Match(paths[i%len(paths)], KindFile)
	}
}
