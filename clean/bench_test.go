//go:build unix

package clean

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchTree writes a virtualenv-like tree of about 100×packages files, a
// fifth of them bytecode.
func benchTree(b *testing.B, packages int) string {
	root := b.TempDir()
	for k := 0; k < packages; k++ {
		for _, d := range []string{"", "/sub0", "/sub1"} {
			dir := filepath.Join(root, fmt.Sprintf("pkg%04d%s", k, d))
			os.MkdirAll(filepath.Join(dir, "__pycache__"), 0o755)
			for i := 0; i < 25; i++ {
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("mod%02d.py", i)), nil, 0o644)
				if i < 7 {
					os.WriteFile(filepath.Join(dir, "__pycache__", fmt.Sprintf("mod%02d.cpython-312.pyc", i)), nil, 0o644)
				}
			}
		}
	}
	return root
}

// BenchmarkDryRun measures the walk and the decisions without unlinking
// (bench/clean.sh measures real runs against find and py3clean).
func BenchmarkDryRun(b *testing.B) {
	root := benchTree(b, 300)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Run(Options{Dir: root, DryRun: true})
		if err != nil || res.Files != 300*3*7 {
			b.Fatalf("%v %+v", err, res)
		}
	}
}
