// Command memcanary allocates and touches the number of MiB given as its
// argument, then exits 0. CI runs it under the memory limit it puts on the
// fuzz targets, expecting it to fail: a limit that lets it through would
// not stop a reader's blow-up either.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	mib, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "usage: memcanary MiB")
		os.Exit(2)
	}
	var keep [][]byte
	for i := 0; i < mib; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		keep = append(keep, b)
	}
	fmt.Println("allocated", len(keep), "MiB")
}
