package gitops

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QuotePath returns a name from a repository (a path, a commit subject, a
// rule's text) as git prints path names with core.quotepath on, its
// default: unchanged when it holds no control character, no '"', no '\\'
// and no byte >= 0x80; otherwise in double quotes, with \a \b \t \n \v \f
// \r \" \\ and three-digit octal for every other such byte ("a\tb",
// "caf\303\251"). Every human-readable output prints names through it, so
// that a name reads the same in every command and as `git ls-files` shows
// it, and no byte of a name reaches a terminal raw.
func QuotePath(s string) string {
	i := 0
	for i < len(s) && !needsQuote(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteByte('"')
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if !needsQuote(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('\\')
		if e := strings.IndexByte(cEscapes, c); e >= 0 {
			b.WriteByte(cLetters[e])
			continue
		}
		b.WriteByte('0' + c>>6)
		b.WriteByte('0' + c>>3&7)
		b.WriteByte('0' + c&7)
	}
	b.WriteByte('"')
	return b.String()
}

// The C escapes git uses, byte and letter at the same index.
const (
	cEscapes = "\a\b\t\n\v\f\r\"\\"
	cLetters = `abtnvfr"\`
)

func needsQuote(c byte) bool {
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x7f
}

// ErrBadQuoting: a string that starts with '"' is not a complete C-quoted
// string as git writes them.
var ErrBadQuoting = errors.New("badly quoted")

// UnquotePath reverses QuotePath for a string that starts with '"' (git
// reads quoted paths on stdin this way, e.g. `git check-ignore --stdin`);
// it accepts every escape QuotePath writes and octal for any byte.
func UnquotePath(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", ErrBadQuoting
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return "", ErrBadQuoting
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", ErrBadQuoting
		}
		c = s[i]
		if e := strings.IndexByte(cLetters, c); e >= 0 {
			b.WriteByte(cEscapes[e])
			continue
		}
		if c < '0' || c > '3' || i+2 >= len(s) || !isOctal(s[i+1]) || !isOctal(s[i+2]) {
			return "", ErrBadQuoting
		}
		b.WriteByte((c-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
		i += 2
	}
	return b.String(), nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// ShellQuote returns s as one word for a POSIX shell command line (a
// command a person pastes, a hook script): bare when it is made of safe
// characters, in single quotes when it is printable UTF-8, and as $'...'
// (understood by bash, zsh, ksh and POSIX.1-2024 sh) when it holds control
// characters or is not UTF-8, so that no byte of it reaches a terminal raw.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%_+=:,./-", r)))
	}) < 0 {
		return s
	}
	plain := utf8.ValidString(s)
	if plain {
		for _, r := range s {
			if !unicode.IsPrint(r) && r != ' ' {
				plain = false
				break
			}
		}
	}
	if plain {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
