package clean

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/pycguard/pycguard/ignore"
)

// configuredMatcher applies a ConfiguredExclude with the ignore engine. The
// engine's Matcher is not safe for concurrent use, hence the lock; it is
// only built when the configuration has an exclude list.
type configuredMatcher struct {
	mu  sync.Mutex
	top string // real path of the work tree, with a trailing '/'
	m   *ignore.Matcher
}

func newConfiguredMatcher(c *ConfiguredExclude, fold bool) *configuredMatcher {
	if c == nil || len(c.Patterns) == 0 {
		return nil
	}
	top, err := filepath.EvalSymlinks(c.Top)
	if err != nil {
		top = c.Top
	}
	data := []byte(strings.Join(c.Patterns, "\n") + "\n")
	return &configuredMatcher{
		top: strings.TrimSuffix(top, "/") + "/",
		m:   ignore.NewFromRules(ignore.ParseRules(data, c.Source, "", fold)),
	}
}

// excluded reports whether the entry at the real path p matches.
func (c *configuredMatcher) excluded(p string, dir bool) bool {
	if c == nil || !strings.HasPrefix(p, c.top) {
		return false
	}
	kind := ignore.KindFile
	if dir {
		kind = ignore.KindDir
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.Match(p[len(c.top):], kind).Ignored()
}
