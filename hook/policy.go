package hook

import "github.com/pycguard/pycguard/config"

// PolicyFor is the policy a configuration asks for: its allow and extra
// patterns, named in messages after the file they come from. check, scan,
// audit, fix and pre-receive (for each pushed tree's configuration) build
// their policy with it.
func PolicyFor(cfg *config.Config) Policy {
	return Policy{
		Allow: NewPatterns(cfg.Source+": allow", cfg.Allow),
		Extra: NewPatterns(cfg.Source+": extra", cfg.Extra),
	}
}
