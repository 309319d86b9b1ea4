package fix

import (
	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
)

// This file holds the commands' entry points: each opens the repository of
// the directory pycguard runs in (-C), reads what the command needs and
// does the command's whole run, so that the command line makes one call.

// AuditDir is `pycguard audit`: it opens the repository of dir, reads its
// work tree's configuration (warn receives its warning, as
// hook.LoadPolicy hands it) and audits with its policy (RunAudit).
func AuditDir(dir string, warn func(config.ShadowedConfig)) (*Audit, error) {
	repo, err := gitops.Open(dir, nil)
	if err != nil {
		return nil, err
	}
	pol, err := hook.LoadPolicy(repo, dir, "", warn)
	if err != nil {
		return nil, err
	}
	return RunAudit(repo, AuditOptions{Policy: pol})
}

// Request is what `pycguard fix` asks for: Options less the policy, which
// FixDir reads from the configuration.
type Request struct {
	Options
	// Dir is the directory pycguard runs in (-C); the repository is found
	// from it, and ConfigFile is relative to it.
	Dir string
	// ConfigFile is --config ("" for the work tree's configuration).
	ConfigFile string
	// Allow are patterns of bytecode that may stay tracked, added after
	// the configuration's allow (--allow).
	Allow []string
}

// FixDir is `pycguard fix`: it opens the repository of req.Dir (which must
// have a work tree), reads the configuration (warn receives its warning),
// plans the fix (Prepare) and carries it out (Apply; with DryRun nothing
// changes). The plan says what was, or would be, done; on an error nothing
// was changed and no plan is returned.
func FixDir(req Request, warn func(config.ShadowedConfig)) (*Plan, error) {
	repo, err := gitops.Open(req.Dir, nil)
	if err != nil {
		return nil, err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return nil, err
	}
	opts := req.Options
	if opts.Policy, err = hook.LoadPolicy(repo, req.Dir, req.ConfigFile, warn, req.Allow...); err != nil {
		return nil, err
	}
	plan, err := Prepare(repo, opts)
	if err != nil {
		return nil, err
	}
	if err := Apply(repo, plan, opts); err != nil {
		return nil, err
	}
	return plan, nil
}

// ExplainDir is `pycguard explain PATH...`: Explain in the repository of
// dir, the paths relative to dir.
func ExplainDir(dir string, opts ExplainOptions, w AnswerWriter) (ignored bool, err error) {
	repo, err := gitops.Open(dir, nil)
	if err != nil {
		return false, err
	}
	return Explain(repo, opts, w)
}

// ExplainCoverageDir is `pycguard explain --coverage`: ExplainCoverage in
// the repository of opts.Dir.
func ExplainCoverageDir(opts CoverageOptions) (*CoverageResult, error) {
	repo, err := gitops.Open(opts.Dir, nil)
	if err != nil {
		return nil, err
	}
	return ExplainCoverage(repo, opts)
}
