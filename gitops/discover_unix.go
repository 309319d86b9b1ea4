//go:build unix

package gitops

import (
	"os"
	"syscall"
)

// hostDiscovery checks ownership the way git does on unix: the file's
// owner is the effective user.
func hostDiscovery() discoveryPlatform {
	return discoveryPlatform{
		ownerCheck: true,
		ownedByMe: func(path string) bool {
			fi, err := os.Lstat(path)
			if err != nil {
				return false
			}
			st, ok := fi.Sys().(*syscall.Stat_t)
			return ok && int(st.Uid) == os.Geteuid()
		},
	}
}
