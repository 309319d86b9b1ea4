package main

import (
	"io"
	"strings"
	"testing"
)

// BenchmarkStartupVersion measures what the command line costs before any
// work: building the commands and parsing `pycguard version` (the hook
// path, `pycguard check`, builds the same commands). Compare allocs/op
// before and after a change to the CLI's set-up.
func BenchmarkStartupVersion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"pycguard", "version"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatal(code)
		}
	}
}
