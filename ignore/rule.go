package ignore

import (
	"bytes"
	"strings"
)

// Rule is one pattern line of an ignore file.
type Rule struct {
	// Source names the file the rule comes from, as git check-ignore -v
	// prints it: ".gitignore" and "sub/.gitignore" relative to the work
	// tree, info/exclude relative to the work tree when it lies inside it
	// (".git/info/exclude") and absolute otherwise, core.excludesFile as
	// configured (absolute).
	Source string
	// Line is the 1-based line number in Source.
	Line int
	// Pattern is the line as git reads it: the "\r", and trailing spaces
	// that are not escaped, removed; a "!" and a trailing "/" kept.
	Pattern string
	// Negated is true for a "!" rule: a path it matches is not ignored.
	Negated bool
	// DirOnly is true when the pattern ends in "/": it matches directories
	// only.
	DirOnly bool

	base    string // directory of the ignore file, relative to the work tree: "" or "sub/"
	anyDir  bool   // no slash in the pattern: matched against the base name at any depth
	pattern glob
}

// Lines returns the pattern lines of an ignore file's content with their
// 1-based line numbers, as git reads them: a UTF-8 byte order mark at the
// start is skipped, lines end at "\n" and one "\r" before it is dropped,
// empty lines and lines starting with "#" are skipped, and trailing spaces
// are removed unless escaped with a backslash (a line of spaces becomes
// the empty pattern). A last line without "\n" is
// read like the others; a NUL byte ends a line's pattern, as in git.
func Lines(data []byte) (lines []string, numbers []int) {
	eachLine(data, func(line []byte, n int) {
		lines = append(lines, string(line))
		numbers = append(numbers, n)
	})
	return lines, numbers
}

// eachLine calls fn with each pattern line of data, as Lines describes,
// and its 1-based number. line is only valid during the call.
func eachLine(data []byte, fn func(line []byte, n int)) {
	data = bytes.TrimPrefix(data, bom)
	n := 0
	for len(data) > 0 {
		n++
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		// git holds patterns as C strings: a NUL byte ends the line's
		// pattern (after the "\r" is dropped, before spaces are trimmed).
		if i := bytes.IndexByte(line, 0); i >= 0 {
			line = line[:i]
		}
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		// A line of spaces is not skipped: it is an empty pattern, which
		// matches only the empty name git sees in a path given with a
		// trailing slash ("dir/"; corpus: "lines of spaces").
		fn(trimTrailingSpaces(line), n)
	}
}

var bom = []byte("\xef\xbb\xbf")

// trimTrailingSpaces removes trailing ' ' characters; a backslash protects
// the character after it ("foo\ " keeps its space, "foo\\ " does not).
func trimTrailingSpaces(line []byte) []byte {
	end := -1 // start of the current run of unescaped trailing spaces
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			if end < 0 {
				end = i
			}
		case '\\':
			i++
			end = -1
		default:
			end = -1
		}
	}
	if end >= 0 {
		return line[:end]
	}
	return line
}

// ParseRules reads an ignore file's content into rules. source is the name
// reported for them, base the directory the file applies to, relative to
// the work tree ("" for the top, "sub/dir" otherwise), fold whether
// matching ignores ASCII case (core.ignorecase).
func ParseRules(data []byte, source, base string, fold bool) []*Rule {
	lines, numbers := Lines(data)
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	rules := make([]*Rule, 0, len(lines))
	for i, text := range lines {
		r := NewRule(text, fold)
		r.Source, r.Line, r.base = source, numbers[i], base
		rules = append(rules, r)
	}
	return rules
}

// NewRule compiles one pattern line (already read by Lines) with no source,
// applying at the top of the work tree.
func NewRule(text string, fold bool) *Rule {
	r := &Rule{Pattern: text}
	body := text
	if strings.HasPrefix(body, "!") {
		r.Negated = true
		body = body[1:]
	}
	if strings.HasSuffix(body, "/") {
		r.DirOnly = true
		body = body[:len(body)-1]
	}
	// A slash at the start or in the middle anchors the pattern to the
	// ignore file's directory; otherwise it matches a name at any depth.
	r.anyDir = !strings.Contains(body, "/")
	if !r.anyDir && body[0] == '/' {
		body = body[1:]
	}
	r.pattern = compileGlob(body, fold, !r.anyDir)
	return r
}

// matches reports whether r matches the path rel (relative to the work
// tree, no trailing slash) whose base name starts at rel[nameAt:]. isDir
// is asked only when the rule is directory-only and the name matches.
func (r *Rule) matches(rel string, nameAt int, isDir func() bool) bool {
	if r.anyDir {
		if !r.pattern.match(rel[nameAt:]) {
			return false
		}
	} else {
		if !strings.HasPrefix(rel, r.base) || !r.pattern.match(rel[len(r.base):]) {
			return false
		}
	}
	return !r.DirOnly || isDir()
}

// String returns "SOURCE:LINE:PATTERN", the form git check-ignore -v
// prints.
func (r *Rule) String() string {
	return r.Source + ":" + itoa(r.Line) + ":" + r.Pattern
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}
