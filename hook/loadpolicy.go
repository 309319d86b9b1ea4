package hook

import (
	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
)

// LoadPolicy reads the configuration of repo's work tree, or file when
// given (relative to dir, the directory pycguard runs in; config.Load), and
// returns its policy, allow added after its allow patterns (fix --allow).
// warn, when not nil, receives the warning of a configuration that shadows
// another, as soon as it is known.
func LoadPolicy(repo *gitops.Repo, dir, file string, warn func(config.ShadowedConfig), allow ...string) (Policy, error) {
	cfg, err := config.Load(repo.WorkTree, dir, file)
	if err != nil {
		return Policy{}, err
	}
	cfg.Warn(warn)
	cfg.Allow = append(cfg.Allow, allow...)
	return PolicyFor(cfg), nil
}
