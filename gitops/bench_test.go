package gitops

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pycguard/pycguard/bytecode"
	"github.com/pycguard/pycguard/internal/gittest"
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
				if _, err := repo.StagedChanges(quick, match); err != nil {
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

// BenchmarkScanIndexBytes measures the scanner alone, without opening or
// mapping the file: the index of PYCGUARD_BENCH_REPO as git wrote it
// (version 2) and rewritten by git as version 4 (path compression), read
// into memory once. Compare ns/op before and after a change to index.go.
func BenchmarkScanIndexBytes(b *testing.B) {
	dir := os.Getenv("PYCGUARD_BENCH_REPO")
	if dir == "" {
		b.Skip("set PYCGUARD_BENCH_REPO to a generated repository (see bench/check.sh)")
	}
	v2, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		b.Fatal(err)
	}
	v4File := filepath.Join(b.TempDir(), "index.v4")
	if err := os.WriteFile(v4File, v2, 0o644); err != nil {
		b.Fatal(err)
	}
	gittest.Dir(b, dir).With("GIT_INDEX_FILE="+v4File).Git("update-index", "--index-version", "4")
	v4, err := os.ReadFile(v4File)
	if err != nil {
		b.Fatal(err)
	}
	quick := func(p string) bool { return bytecode.IsBytecode(p, true) }
	keep := func(string) bool { return true }
	for _, tc := range []struct {
		name string
		data []byte
	}{{"v2", v2}, {"v4", v4}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := scanIndex(tc.data, sha1Len, quick, keep); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
