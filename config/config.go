package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// File names looked for at the top of the work tree.
const (
	FileName      = ".pycguard.toml"
	PyprojectName = "pyproject.toml"
)

// ErrInvalid is wrapped by every *Error: the configuration could not be
// used and pycguard must not guess.
var ErrInvalid = errors.New("invalid configuration")

// Error is a problem in a configuration file at a position. Line and Col
// are 1-based; 0 when unknown (an unreadable file).
type Error struct {
	File string // the file as named to the user
	Line int
	Col  int
	Msg  string
	Err  error // the underlying cause, if any
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap makes errors.Is(err, ErrInvalid) true, and exposes the cause.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalid, e.Err}
	}
	return []error{ErrInvalid}
}

// Config is pycguard's configuration. The zero value is the default: no
// allowed bytecode, nothing extra blocked, nothing excluded.
type Config struct {
	Allow   []string `toml:"allow"`
	Extra   []string `toml:"extra"`
	Exclude []string `toml:"exclude"`

	// Source names the file the configuration was read from ("" for the
	// defaults): ".pycguard.toml", "pyproject.toml" or the --config
	// argument as given.
	Source string `toml:"-"`
	// Shadowed names a configuration that was found but not used because
	// one of higher precedence was ("pyproject.toml" when .pycguard.toml
	// won); "" if none.
	Shadowed string `toml:"-"`
}

// IsZero reports whether c has no patterns at all.
func (c *Config) IsZero() bool {
	return c == nil || len(c.Allow) == 0 && len(c.Extra) == 0 && len(c.Exclude) == 0
}

// pyproject is the part of pyproject.toml pycguard reads.
type pyproject struct {
	Tool struct {
		Pycguard *Config `toml:"pycguard"`
	} `toml:"tool"`
}

// Load returns the configuration for the work tree at workTree. explicit is
// the --config argument ("" for none), relative to dir (where pycguard
// runs) unless absolute; it must exist. Load reads at most the two files at
// the top of the work tree and runs no process: it is on the pre-commit
// hook's path.
func Load(workTree, dir, explicit string) (*Config, error) {
	if explicit != "" {
		p := explicit
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, &Error{File: explicit, Msg: "cannot read the configuration file", Err: err}
		}
		if IsPyproject(explicit, filepath.Separator) {
			c, err := parsePyproject(data, explicit)
			if err != nil {
				return nil, err
			}
			if c == nil {
				return nil, &Error{File: explicit, Msg: "no [tool.pycguard] table"}
			}
			return c, nil
		}
		return parse(data, explicit)
	}
	var own *Config
	data, err := readOptional(filepath.Join(workTree, FileName))
	switch {
	case err != nil:
		return nil, &Error{File: FileName, Msg: "cannot read the configuration file", Err: err}
	case data != nil:
		if own, err = parse(data, FileName); err != nil {
			return nil, err
		}
	}
	data, err = readOptional(filepath.Join(workTree, PyprojectName))
	if err != nil {
		return nil, &Error{File: PyprojectName, Msg: "cannot read the file", Err: err}
	}
	var py *Config
	// Parse pyproject.toml only when it can hold our table (any spelling
	// of it contains the name): most projects' hooks then parse nothing.
	if data != nil && bytes.Contains(data, []byte("pycguard")) {
		if py, err = parsePyproject(data, PyprojectName); err != nil && own == nil {
			return nil, err
		}
		// With .pycguard.toml present, a broken pyproject.toml is not
		// pycguard's configuration and does not stop it; it is reported
		// as shadowed.
	}
	switch {
	case own != nil:
		if py != nil || err != nil {
			own.Shadowed = PyprojectName
		}
		return own, nil
	case py != nil:
		return py, nil
	}
	return &Config{}, nil
}

// IsPyproject reports whether the file name p (with directory separator
// sep, '/' always accepted too) names a pyproject.toml, whose
// [tool.pycguard] table is then read instead of its top level.
func IsPyproject(p string, sep byte) bool {
	if sep == '\\' && len(p) >= 2 && p[1] == ':' {
		p = p[2:] // a drive letter: "C:pyproject.toml" is relative to C:'s current directory
	}
	i := strings.LastIndexByte(p, '/')
	if sep != '/' {
		i = max(i, strings.LastIndexByte(p, sep))
	}
	return p[i+1:] == PyprojectName
}

// readOptional reads a file that may be missing (nil, nil).
func readOptional(p string) ([]byte, error) {
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err == nil && data == nil {
		data = []byte{}
	}
	return data, err
}

// parse reads a .pycguard.toml-style document: the keys at the top level.
func parse(data []byte, name string) (*Config, error) {
	c := &Config{}
	if err := decode(data, c, name, nil); err != nil {
		return nil, err
	}
	c.Source = name
	return c, nil
}

// parsePyproject reads the [tool.pycguard] table of a pyproject.toml; nil
// without one.
func parsePyproject(data []byte, name string) (*Config, error) {
	var p pyproject
	if err := decode(data, &p, name, []string{"tool", "pycguard"}); err != nil {
		return nil, err
	}
	if p.Tool.Pycguard != nil {
		p.Tool.Pycguard.Source = name
	}
	return p.Tool.Pycguard, nil
}

// decode decodes data strictly into v: an unknown key below prefix (the
// whole document when prefix is nil) is an error; keys elsewhere (other
// tools' tables in pyproject.toml) are not pycguard's business.
func decode(data []byte, v any, name string, prefix []string) error {
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		for i := range strict.Errors {
			e := &strict.Errors[i]
			key := e.Key()
			if !hasPrefix(key, prefix) {
				continue
			}
			line, col := e.Position()
			return &Error{File: name, Line: line, Col: col,
				Msg: fmt.Sprintf("unknown key %q (known: allow, extra, exclude)", strings.Join(key, "."))}
		}
		return nil
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		key := de.Key()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if len(key) > 0 && hasPrefix(key, prefix) && len(key) >= len(prefix) {
			switch rest := key[len(prefix):]; {
			case len(rest) == 0:
				msg = fmt.Sprintf("%s must be a table", strings.Join(key, "."))
			case len(rest) == 1 && knownKey(rest[0]):
				msg = fmt.Sprintf("%s must be an array of strings", strings.Join(key, "."))
			}
		}
		return &Error{File: name, Line: line, Col: col, Msg: msg, Err: err}
	}
	return &Error{File: name, Msg: err.Error(), Err: err}
}

func knownKey(k string) bool { return k == "allow" || k == "extra" || k == "exclude" }

func hasPrefix(key, prefix []string) bool {
	if len(key) < len(prefix) {
		return false
	}
	for i := range prefix {
		if key[i] != prefix[i] {
			return false
		}
	}
	return true
}
