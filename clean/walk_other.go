//go:build !unix

package clean

// walkRoots needs openat/unlinkat (and O_NOFOLLOW) to keep its safety
// guarantees; without them it refuses to run.
func walkRoots(opts *Options, roots []root, res *Result) error {
	return ErrUnsupported
}
