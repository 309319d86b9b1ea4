package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// The document is read with go-toml's streaming parser, in time linear in
// its size, and only pycguard's table is decoded. go-toml's decoder costs
// time quadratic in the keys of a table: a 1.6 MB pyproject.toml with
// 80,000 keys in another tool's table took it 45 s (Python's tomllib
// reads it in a second). Like tomllib, a document that redefines a key or
// a table is invalid, wherever that happens; the rules below are tomllib's
// (a table header or dotted keys may not reopen a table defined before;
// inline tables and arrays are frozen).

// tomlFlags records, per key path, what tomllib's Flags records: whether
// the table was defined explicitly (a header, or dotted keys of an
// earlier section) and whether it is frozen (an inline table or array).
type tomlFlags struct {
	explicit, frozen bool
	children         map[string]*tomlFlags
}

func (f *tomlFlags) child(k string, create bool) *tomlFlags {
	c := f.children[k]
	if c == nil && create {
		if f.children == nil {
			f.children = map[string]*tomlFlags{}
		}
		c = &tomlFlags{}
		f.children[k] = c
	}
	return c
}

// isExplicit reports the explicit flag of key itself; isFrozen whether key
// or a table above it is frozen.
func (f *tomlFlags) isExplicit(key []string) bool {
	for _, k := range key {
		if f = f.child(k, false); f == nil {
			return false
		}
	}
	return f.explicit
}

func (f *tomlFlags) isFrozen(key []string) bool {
	for _, k := range key {
		if f = f.child(k, false); f == nil {
			return false
		}
		if f.frozen {
			return true
		}
	}
	return false
}

func (f *tomlFlags) at(key []string) *tomlFlags {
	for _, k := range key {
		f = f.child(k, true)
	}
	return f
}

// tomlData is the shape of the document: tables (with the elements of an
// array of tables) and values, without the values' contents.
type tomlData struct {
	value    bool        // a value (an inline table or array included)
	list     []*tomlData // an array of tables: its elements
	children map[string]*tomlData
}

// nest returns the table at key below d, creating tables on the way; the
// last element of an array of tables stands for it. ok is false when a
// value is in the way.
func (d *tomlData) nest(key []string) (*tomlData, bool) {
	for _, k := range key {
		c := d.children[k]
		if c == nil {
			if d.children == nil {
				d.children = map[string]*tomlData{}
			}
			c = &tomlData{}
			d.children[k] = c
		}
		if c.list != nil {
			c = c.list[len(c.list)-1]
		}
		if c.value {
			return nil, false
		}
		d = c
	}
	return d, true
}

// tomlReader reads one document.
type tomlReader struct {
	p      unstable.Parser
	name   string
	prefix []string // where pycguard's keys are: [tool pycguard], or the top level
	flags  tomlFlags
	data   tomlData
	// pending are the tables dotted keys defined in this section; they
	// become explicit when the next header starts.
	pending [][]string
	cfg     *Config // nil until pycguard's table is seen
}

func (r *tomlReader) errAt(raw unstable.Range, format string, args ...any) error {
	pos := r.p.Shape(raw).Start
	return &Error{File: r.name, Line: pos.Line, Col: pos.Column, Msg: fmt.Sprintf(format, args...)}
}

func keyOf(n *unstable.Node) ([]string, unstable.Range) {
	var key []string
	var first unstable.Range
	it := n.Key()
	for i := 0; it.Next(); i++ {
		k := it.Node()
		if i == 0 {
			first = k.Raw
		}
		key = append(key, string(k.Data))
	}
	return key, first
}

func dotted(key []string) string { return strings.Join(key, ".") }

// decodeTable reads data and returns the configuration found under prefix
// (nil when prefix names a table the document does not have).
func decodeTable(data []byte, name string, prefix []string) (*Config, error) {
	r := &tomlReader{name: name, prefix: prefix}
	if len(prefix) == 0 {
		r.cfg = &Config{}
	}
	r.p.Reset(data)
	var header []string
	for r.p.NextExpression() {
		e := r.p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			key, raw := keyOf(e)
			for _, k := range r.pending {
				r.flags.at(k).explicit = true
			}
			r.pending = r.pending[:0]
			if err := r.header(e.Kind == unstable.ArrayTable, key, raw); err != nil {
				return nil, err
			}
			header = key
		case unstable.KeyValue:
			if err := r.keyValue(header, e); err != nil {
				return nil, err
			}
		}
	}
	if err := r.p.Error(); err != nil {
		var pe *unstable.ParserError
		if errors.As(err, &pe) && pe.Highlight != nil {
			return nil, r.errAt(r.p.Range(pe.Highlight), "%s", pe.Message)
		}
		return nil, &Error{File: name, Msg: err.Error(), Err: err}
	}
	if r.cfg != nil {
		r.cfg.Source = name
	}
	return r.cfg, nil
}

// header handles [key] and [[key]].
func (r *tomlReader) header(array bool, key []string, raw unstable.Range) error {
	if array {
		if r.flags.isFrozen(key) {
			return r.errAt(raw, "cannot redefine %s", dotted(key))
		}
		f := r.flags.at(key)
		*f = tomlFlags{explicit: true}
		parent, ok := r.data.nest(key[:len(key)-1])
		if !ok {
			return r.errAt(raw, "cannot redefine %s", dotted(key))
		}
		last := key[len(key)-1]
		c := parent.children[last]
		switch {
		case c == nil:
			if parent.children == nil {
				parent.children = map[string]*tomlData{}
			}
			parent.children[last] = &tomlData{list: []*tomlData{{}}}
		case c.list != nil:
			c.list = append(c.list, &tomlData{})
		default:
			return r.errAt(raw, "cannot redefine %s as an array of tables", dotted(key))
		}
	} else {
		if r.flags.isExplicit(key) || r.flags.isFrozen(key) {
			return r.errAt(raw, "cannot define table %s twice", dotted(key))
		}
		if _, ok := r.data.nest(key); !ok {
			return r.errAt(raw, "cannot redefine %s as a table", dotted(key))
		}
		r.flags.at(key).explicit = true
	}
	// pycguard's part of it
	switch rel, ok := r.relative(key); {
	case !ok:
	case array:
		return r.errAt(raw, "%s must be a table", dotted(r.prefix))
	case len(rel) == 0:
		r.ensure()
	default:
		return r.unknownOrType(rel, raw)
	}
	return nil
}

// keyValue handles key = value under the table header.
func (r *tomlReader) keyValue(header []string, e *unstable.Node) error {
	key, raw := keyOf(e)
	abs := append(append([]string{}, header...), key...)
	for i := len(header) + 1; i < len(abs); i++ {
		if r.flags.isExplicit(abs[:i]) {
			return r.errAt(raw, "cannot redefine table %s", dotted(abs[:i]))
		}
		r.pending = append(r.pending, abs[:i])
	}
	if r.flags.isFrozen(abs[:len(abs)-1]) {
		return r.errAt(raw, "cannot add %s to an inline table or array", dotted(abs))
	}
	parent, ok := r.data.nest(abs[:len(abs)-1])
	last := abs[len(abs)-1]
	if !ok || parent.children[last] != nil {
		return r.errAt(raw, "cannot redefine %s", dotted(abs))
	}
	if parent.children == nil {
		parent.children = map[string]*tomlData{}
	}
	parent.children[last] = &tomlData{value: true}
	v := e.Value()
	if v.Kind == unstable.InlineTable || v.Kind == unstable.Array {
		r.flags.at(abs).frozen = true
	}
	if err := r.checkInline(v); err != nil {
		return err
	}
	return r.assign(abs, raw, v)
}

// checkInline applies tomllib's rules inside inline tables (no key twice,
// none added to a frozen table), in v and the arrays and tables it holds.
func (r *tomlReader) checkInline(v *unstable.Node) error {
	switch v.Kind {
	case unstable.Array:
		for it := v.Children(); it.Next(); {
			if err := r.checkInline(it.Node()); err != nil {
				return err
			}
		}
	case unstable.InlineTable:
		var flags tomlFlags
		var data tomlData
		for it := v.Children(); it.Next(); {
			kv := it.Node()
			key, raw := keyOf(kv)
			if flags.isFrozen(key[:len(key)-1]) {
				return r.errAt(raw, "cannot add %s to a frozen table", dotted(key))
			}
			parent, ok := data.nest(key[:len(key)-1])
			last := key[len(key)-1]
			if !ok || parent.children[last] != nil {
				return r.errAt(raw, "duplicate key %s in an inline table", dotted(key))
			}
			if parent.children == nil {
				parent.children = map[string]*tomlData{}
			}
			parent.children[last] = &tomlData{value: true}
			if val := kv.Value(); val.Kind == unstable.InlineTable || val.Kind == unstable.Array {
				flags.at(key).frozen = true
			}
			if err := r.checkInline(kv.Value()); err != nil {
				return err
			}
		}
	}
	return nil
}

// relative returns key below the prefix, and whether key is at or below it.
func (r *tomlReader) relative(key []string) ([]string, bool) {
	if len(key) < len(r.prefix) {
		return nil, false
	}
	for i, p := range r.prefix {
		if key[i] != p {
			return nil, false
		}
	}
	return key[len(r.prefix):], true
}

func (r *tomlReader) ensure() {
	if r.cfg == nil {
		r.cfg = &Config{}
	}
}

func (r *tomlReader) unknownOrType(rel []string, raw unstable.Range) error {
	full := dotted(append(append([]string{}, r.prefix...), rel...))
	if knownKey(rel[0]) {
		return r.errAt(raw, "%s must be an array of strings", dotted(append(append([]string{}, r.prefix...), rel[0])))
	}
	return r.errAt(raw, "unknown key %q (known: allow, extra, exclude)", full)
}

// assign takes the value v of the key abs when it is pycguard's: a key of
// its table, the table itself as an inline table, or an inline table
// above it holding it.
func (r *tomlReader) assign(abs []string, raw unstable.Range, v *unstable.Node) error {
	if rel, ok := r.relative(abs); ok {
		if len(rel) == 0 {
			if v.Kind != unstable.InlineTable {
				return r.errAt(v.Raw, "%s must be a table", dotted(r.prefix))
			}
			r.ensure()
			return r.assignInline(abs, v)
		}
		r.ensure()
		if len(rel) > 1 || !knownKey(rel[0]) {
			return r.unknownOrType(rel, raw)
		}
		list, err := r.strings(v, dotted(abs))
		if err != nil {
			return err
		}
		switch rel[0] {
		case "allow":
			r.cfg.Allow = list
		case "extra":
			r.cfg.Extra = list
		case "exclude":
			r.cfg.Exclude = list
		}
		return nil
	}
	// an inline table above pycguard's: tool = {pycguard = {...}}
	if len(abs) < len(r.prefix) && v.Kind == unstable.InlineTable {
		for i, p := range abs {
			if r.prefix[i] != p {
				return nil
			}
		}
		return r.assignInline(abs, v)
	}
	return nil
}

// assignInline assigns each key of the inline table v, the value of abs.
func (r *tomlReader) assignInline(abs []string, v *unstable.Node) error {
	for it := v.Children(); it.Next(); {
		kv := it.Node()
		key, kraw := keyOf(kv)
		if err := r.assign(append(append([]string{}, abs...), key...), kraw, kv.Value()); err != nil {
			return err
		}
	}
	return nil
}

// strings returns an array of strings, or the error at the first element
// (or value) that is not one.
func (r *tomlReader) strings(v *unstable.Node, key string) ([]string, error) {
	if v.Kind != unstable.Array {
		return nil, r.errAt(v.Raw, "%s must be an array of strings", key)
	}
	list := []string{}
	for it := v.Children(); it.Next(); {
		el := it.Node()
		if el.Kind != unstable.String {
			return nil, r.errAt(el.Raw, "%s must be an array of strings", key)
		}
		list = append(list, string(el.Data))
	}
	return list, nil
}
