package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DisplayPath returns p as it can be shown on one line: unchanged when it is
// printable UTF-8 without quotes or backslashes, otherwise Go-quoted (like
// git's C-quoting: "new\nline.pyc", "\xff.pyc").
func DisplayPath(p string) string {
	if !utf8.ValidString(p) {
		return strconv.Quote(p)
	}
	for _, r := range p {
		if !unicode.IsPrint(r) || r == '"' || r == '\\' {
			return strconv.Quote(p)
		}
	}
	return p
}

// ShellQuote returns p as one word for a POSIX shell command line that a
// person can paste: bare when it is made of safe characters, in single
// quotes when printable, and as $'...' (understood by bash, zsh, ksh and
// POSIX.1-2024 sh) when it holds control characters or is not UTF-8.
func ShellQuote(p string) string {
	if p != "" && strings.IndexFunc(p, func(r rune) bool {
		return !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%_+=:,./-", r)))
	}) < 0 {
		return p
	}
	plain := utf8.ValidString(p)
	if plain {
		for _, r := range p {
			if !unicode.IsPrint(r) && r != ' ' {
				plain = false
				break
			}
		}
	}
	if plain {
		return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(p); i++ {
		c := p[i]
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
			b.WriteString(strconv.FormatUint(uint64(c)>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(c)&15, 16))
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
