package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/pycguard/pycguard/internal/safefile"
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

// ShadowedConfig is the warning of a configuration that shadows another:
// Used is the file read (Config.Source), Ignored the one it made pycguard
// ignore (Config.Shadowed). Every command that reads the configuration
// hands it to its caller in this form, to be written once (report).
type ShadowedConfig struct {
	Used, Ignored string
}

// Warn hands warn, when not nil, c's ShadowedConfig warning, if c shadows
// another configuration.
func (c *Config) Warn(warn func(ShadowedConfig)) {
	if c.Shadowed != "" && warn != nil {
		warn(ShadowedConfig{Used: c.Source, Ignored: c.Shadowed})
	}
}

// IsZero reports whether c has no patterns at all.
func (c *Config) IsZero() bool {
	return c == nil || len(c.Allow) == 0 && len(c.Extra) == 0 && len(c.Exclude) == 0
}

// MaxSize is the largest configuration file read (1 MiB; pyproject.toml
// files run to a few kilobytes). A larger one is an *Error: the pre-commit
// hook and a server's pre-receive hook must not spend their time on it.
const MaxSize = 1 << 20

// Parse reads the configuration in data, a file named name (as shown to
// the user). A pyproject.toml (IsPyproject) gives its [tool.pycguard]
// table, and nil without one; any other name gives the document's top
// level. Every mistake is an *Error with the file, line and column.
func Parse(data []byte, name string) (*Config, error) {
	if len(data) > MaxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("the file is larger than %d bytes", MaxSize), Err: ErrTooLarge}
	}
	if IsPyproject(name, filepath.Separator) {
		return decodeTable(data, name, []string{"tool", "pycguard"})
	}
	return decodeTable(data, name, nil)
}

// ErrTooLarge is wrapped by the *Error of a file larger than MaxSize.
var ErrTooLarge = errors.New("configuration file too large")

// Load returns the configuration for the work tree at workTree. explicit is
// the --config argument ("" for none), relative to dir (where pycguard
// runs) unless absolute; it must exist. Load reads at most the two files at
// the top of the work tree and runs no process: it is on the pre-commit
// hook's path. Each file must be a regular file (reached through symbolic
// links or not) of at most MaxSize bytes: a link to /dev/zero or a FIFO is
// an *Error, read no further.
func Load(workTree, dir, explicit string) (*Config, error) {
	if explicit != "" {
		p := explicit
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		f, err := readFile(p, explicit)
		if err != nil {
			return nil, err
		}
		if !f.Exists {
			return nil, &Error{File: explicit, Msg: "cannot read the configuration file", Err: fs.ErrNotExist}
		}
		c, err := Parse(f.Data, explicit)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, &Error{File: explicit, Msg: "no [tool.pycguard] table"}
		}
		return c, nil
	}
	files := map[string][]byte{}
	for _, name := range []string{FileName, PyprojectName} {
		f, err := readFile(filepath.Join(workTree, name), name)
		if err != nil {
			return nil, err
		}
		if f.Exists {
			files[name] = f.Data
		}
	}
	return FromTree(files)
}

// FromTree returns the configuration of a tree whose top holds files:
// FileName and PyprojectName mapped to their contents (a name that is
// absent is not in the tree). It is what Load does after reading, for
// trees that are not on disk (a pushed commit's, in pre-receive).
func FromTree(files map[string][]byte) (*Config, error) {
	var own *Config
	if data, ok := files[FileName]; ok {
		var err error
		if own, err = Parse(data, FileName); err != nil {
			return nil, err
		}
	}
	var py *Config
	var err error
	if data, ok := files[PyprojectName]; ok {
		if py, err = Parse(data, PyprojectName); err != nil && own == nil {
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

// readFile reads the configuration file at p (name as shown), checking its
// type and size before reading.
func readFile(p, name string) (safefile.File, error) {
	f, err := safefile.ReadFollow(p, MaxSize)
	switch {
	case errors.Is(err, safefile.ErrTooLarge):
		return f, &Error{File: name, Msg: fmt.Sprintf("the file is larger than %d bytes", MaxSize), Err: ErrTooLarge}
	case errors.Is(err, safefile.ErrNotRegular):
		return f, &Error{File: name, Msg: "not a regular file (a FIFO, device or directory is not read)", Err: err}
	case err != nil:
		return f, &Error{File: name, Msg: "cannot read the configuration file", Err: err}
	}
	return f, nil
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

func knownKey(k string) bool { return k == "allow" || k == "extra" || k == "exclude" }
