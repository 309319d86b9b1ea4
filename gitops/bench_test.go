package gitops

import (
	"os"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
)

// BenchmarkStagedChanges measures the hook's hot path on the repository
// named by PYCGUARD_BENCH_REPO (bench/check.sh makes such repositories); it
// is skipped without one.
func BenchmarkStagedChanges(b *testing.B) {
	dir := os.Getenv("PYCGUARD_BENCH_REPO")
	if dir == "" {
		b.Skip("set PYCGUARD_BENCH_REPO to a generated repository (see bench/check.sh)")
	}
	match := func(p string) bool { return bytecode.IsBytecode(p, true) }
	for _, quick := range []func(string) bool{nil, match} {
		name := "copy-every-path"
		if quick != nil {
			name = "quick-prefilter"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				repo, err := Open(dir, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := repo.StagedChangesQuick(quick, match); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScanIndex measures the index scan alone.
func BenchmarkScanIndex(b *testing.B) {
	dir := os.Getenv("PYCGUARD_BENCH_REPO")
	if dir == "" {
		b.Skip("set PYCGUARD_BENCH_REPO to a generated repository (see bench/check.sh)")
	}
	repo, err := Open(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	match := func(p string) bool { return bytecode.IsBytecode(p, true) }
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := repo.scanIndexFile(nil, match); err != nil {
			b.Fatal(err)
		}
	}
}
