package hook

import (
	"fmt"
	"io"

	"github.com/pycguard/pycguard/gitops"
)

// PreReceiveRequest is what `pycguard pre-receive` asks for.
type PreReceiveRequest struct {
	// Dir is the directory the hook runs in (-C; git runs a pre-receive
	// hook in the repository, a bare one's git directory); the repository
	// is found from it, and ConfigFile is relative to it.
	Dir string
	// ConfigFile is --config: the server's configuration, which judges
	// every pushed ref instead of the configuration in its tree ("" for
	// each tree's own).
	ConfigFile string
	// Stdin holds the lines git gives the hook ("<old> <new> <ref>").
	Stdin io.Reader
}

// RunPreReceive is `pycguard pre-receive`: it reads and checks every line
// of req.Stdin first, so that a malformed one is named by its line
// whatever the directory; then it opens the repository of req.Dir, all of
// it (gitops.OpenForHook: in-process in a hook's usual bare repository),
// reads req.ConfigFile when given, and judges the push (PreReceive),
// handing each finding to emit as it is made. Reading stdin, opening the
// repository and judging fail with errors that begin "pre-receive: "; an
// invalid req.ConfigFile is the *config.Error as it is, naming file and
// line.
func RunPreReceive(req PreReceiveRequest, emit func(ScanFinding) error) (*PreReceiveResult, error) {
	ups, err := ParseRefUpdates(req.Stdin, 0)
	if err != nil {
		return nil, fmt.Errorf("pre-receive: %w", err)
	}
	repo, err := gitops.OpenForHook(req.Dir, nil)
	if err != nil {
		return nil, fmt.Errorf("pre-receive: %w", err)
	}
	var opts PreReceiveOptions
	if req.ConfigFile != "" {
		// An explicit file is read alone: the work tree (a bare server
		// repository has none) is not looked at, and nothing is shadowed.
		pol, err := LoadPolicy(repo, req.Dir, req.ConfigFile, nil)
		if err != nil {
			return nil, err
		}
		opts.Server = &pol
	}
	res, err := PreReceive(repo, ups, opts, emit)
	if err != nil {
		return nil, fmt.Errorf("pre-receive: %w", err)
	}
	return res, nil
}
