package fix

import (
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
)

// AuditDir is `pycguard audit`: it opens the repository of dir, reads its
// work tree's configuration (warn receives its warning, as
// hook.LoadPolicy hands it) and audits with its policy (RunAudit).
func AuditDir(dir string, warn func(hook.ShadowedConfig)) (*Audit, error) {
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
