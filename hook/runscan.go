package hook

import (
	"fmt"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
)

// ScanRequest is what `pycguard scan` asks for.
type ScanRequest struct {
	// Dir is the directory pycguard runs in (-C); the repository is found
	// from it, and ConfigFile is relative to it.
	Dir string
	// ConfigFile is --config ("" for the work tree's configuration; a bare
	// repository has none of its own).
	ConfigFile string
	Revisions  gitops.Revisions
	// Label names the range in errors (as the user gave it).
	Label string
}

// RunScan is `pycguard scan`: it opens the repository of req.Dir, reads
// the configuration (of the work tree — in CI the checked-out commit — or
// req.ConfigFile) and scans req.Revisions (Scan), handing each finding to
// emit as it is made. warn, when not nil, receives the configuration's
// warning before the first finding.
func RunScan(req ScanRequest, warn func(config.ShadowedConfig), emit func(ScanFinding) error) (*ScanSummary, error) {
	repo, err := gitops.Open(req.Dir, nil)
	if err != nil {
		return nil, err
	}
	var pol Policy
	if repo.WorkTree != "" || req.ConfigFile != "" {
		if pol, err = LoadPolicy(repo, req.Dir, req.ConfigFile, warn); err != nil {
			return nil, err
		}
	}
	sum, err := Scan(repo, ScanOptions{Revisions: req.Revisions, Policy: pol, KeptByTree: true}, emit)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", req.Label, err)
	}
	return sum, nil
}
