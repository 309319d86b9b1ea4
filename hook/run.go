package hook

import (
	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/ignore"
)

// CheckRequest is what `pycguard check` asks for.
type CheckRequest struct {
	// Dir is the directory pycguard runs in (-C); the repository is found
	// from it, and Paths and ConfigFile are relative to it.
	Dir string
	// ConfigFile is --config: a .pycguard.toml or pyproject.toml to read
	// instead of the work tree's ("" for the work tree's).
	ConfigFile string
	Mode       Mode
	Paths      []string
}

// CheckRun is what RunCheck found: the verdict and, as data for the
// caller to print, the warnings beside it.
type CheckRun struct {
	// Shadowed is set when the configuration read shadows another one;
	// it is known before the check and kept even when the check fails.
	Shadowed *config.ShadowedConfig
	// Result is the verdict; nil when RunCheck failed.
	Result *Result
	// Missing are the kinds of bytecode git does not ignore here
	// (MissingBytecodeKinds); CoverageErr is why they could not be
	// found. Neither changes the verdict: an incomplete .gitignore is a
	// warning, not a block.
	Missing     []ignore.BytecodeKind
	CoverageErr error
}

// RunCheck is `pycguard check`: it opens the repository of req.Dir, reads
// its configuration, judges what req selects (Check) and looks for missing
// .gitignore coverage. It never writes. The returned run is never nil: on
// an error it still holds the warnings found before it.
func RunCheck(req CheckRequest) (*CheckRun, error) {
	run := &CheckRun{}
	repo, err := gitops.Open(req.Dir, nil)
	if err != nil {
		return run, err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return run, err
	}
	pol, err := LoadPolicy(repo, req.Dir, req.ConfigFile, func(w config.ShadowedConfig) { run.Shadowed = &w })
	if err != nil {
		return run, err
	}
	opts := Options{Mode: req.Mode, Paths: req.Paths, Policy: pol}
	opts.Policy.Kept = KeptByNegation(repo)
	if run.Result, err = Check(repo, opts); err != nil {
		return run, err
	}
	run.Missing, run.CoverageErr = MissingBytecodeKinds(repo)
	return run, nil
}
