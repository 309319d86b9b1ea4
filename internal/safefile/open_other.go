//go:build !unix

package safefile

// Without O_NOFOLLOW the Lstat before the open and the same-file check
// after it refuse a link.
const (
	oNoFollow = 0
	oNonBlock = 0
)

func isLoop(error) bool { return false }
