package hook

import (
	"testing"

	"github.com/pycguard/pycguard/bytecode"
)

func TestPolicyAllowExtra(t *testing.T) {
	pol := Policy{
		Allow: NewPatterns("test: allow", []string{"tests/fixtures/", "/top.pyc", "*.keep.pyc", "!tests/fixtures/bad.pyc", "data/**", "!data/bad.pyc"}),
		Extra: NewPatterns("test: extra", []string{"*.pyd", "build/*.so"}),
	}
	cases := []struct {
		path  string
		fold  bool
		block bool
		kind  bytecode.Kind
	}{
		{"a.pyc", false, true, bytecode.Pyc},
		{"tests/fixtures/a.pyc", false, false, bytecode.Pyc},
		{"tests/fixtures/deep/__pycache__/m.pyc", false, false, bytecode.InPycache},
		// gitignore(5): a file below a matched directory cannot be re-included
		{"tests/fixtures/bad.pyc", false, false, bytecode.Pyc},
		{"data/x/ok.pyc", false, false, bytecode.Pyc},
		{"data/bad.pyc", false, true, bytecode.Pyc}, // negated in allow: blocks again
		{"top.pyc", false, false, bytecode.Pyc},
		{"sub/top.pyc", false, true, bytecode.Pyc}, // anchored
		{"x/y.keep.pyc", false, false, bytecode.Pyc},
		{"ext.pyd", false, true, bytecode.Pyd},
		{"ext.pyz", false, false, bytecode.Pyz},
		{"build/m.so", false, true, bytecode.None},
		{"src/build/m.so", false, false, bytecode.None},
		{"app.py", false, false, bytecode.None},
		// core.ignorecase: classification, extra and allow all fold
		{"EXT.PYD", false, false, bytecode.None},
		{"EXT.PYD", true, true, bytecode.Pyd},
		{"TESTS/Fixtures/a.pyc", false, true, bytecode.Pyc},
		{"TESTS/Fixtures/a.pyc", true, false, bytecode.Pyc},
	}
	for _, c := range cases {
		p := pol
		p.IgnoreCase = c.fold
		k, block := p.Blocks(c.path)
		if block != c.block || k != c.kind {
			t.Errorf("Blocks(%q, fold=%v) = %v, %v; want %v, %v", c.path, c.fold, k, block, c.kind, c.block)
		}
	}
}

// Check's first pass folds case for classification but not for allow, so
// it finds a superset of what either exact policy blocks.
func TestPolicyLoosePassIsSuperset(t *testing.T) {
	pol := Policy{Allow: NewPatterns("a", []string{"fixtures/"}), Extra: NewPatterns("e", []string{"*.pyd"})}
	loose := pol
	loose.IgnoreCase, loose.exactAllow = true, true
	for _, p := range []string{"FIXTURES/a.pyc", "fixtures/a.pyc", "Fixtures/X.PYC", "a.PYD", "fixtures/a.pyd", "x.PYC"} {
		for _, fold := range []bool{false, true} {
			exact := pol
			exact.IgnoreCase = fold
			if _, b := exact.Blocks(p); b {
				if _, lb := loose.Blocks(p); !lb {
					t.Errorf("%q blocks with fold=%v but not in the loose pass", p, fold)
				}
			}
		}
	}
}

func TestNilPatterns(t *testing.T) {
	if NewPatterns("x", nil) != nil {
		t.Fatal("no lines should give nil")
	}
	var p *Patterns
	if p.Match("a.pyc", true) {
		t.Fatal("nil matched")
	}
}
