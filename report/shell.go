package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pycguard/pycguard/gitops"
)

// Shell is the command language advice is written in: the commands
// pycguard prints for a person to paste (git rm --cached, setting
// PYTHONDONTWRITEBYTECODE) must work in the shell they run pycguard from.
type Shell uint8

// The shells advice is written for. The zero value is POSIX sh.
const (
	POSIX      Shell = iota // sh, bash, zsh; also Git for Windows' sh, which runs hooks
	PowerShell              // Windows PowerShell and PowerShell 7
	Cmd                     // cmd.exe
)

func (s Shell) String() string {
	return [...]string{"sh", "PowerShell", "cmd"}[s]
}

// DetectShell decides from the environment which shell pycguard was run
// from. Outside Windows, and on Windows inside a git hook (GIT_INDEX_FILE or
// GIT_DIR set: Git for Windows runs hooks in its own sh) or in a POSIX shell
// (Git Bash, MSYS2 and Cygwin set MSYSTEM or SHELL), it is POSIX sh. Else it
// is PowerShell when PSModulePath holds a directory below the user's
// profile — PowerShell adds its per-user module directory there when it
// starts, while the variable itself is set for every process, cmd's too —
// and otherwise cmd.
func DetectShell(p gitops.Platform, getenv func(string) string) Shell {
	if !p.Windows || getenv("GIT_INDEX_FILE") != "" || getenv("GIT_DIR") != "" ||
		getenv("MSYSTEM") != "" || getenv("SHELL") != "" {
		return POSIX
	}
	if profile := strings.TrimRight(getenv("USERPROFILE"), `\/`); profile != "" {
		for _, dir := range strings.Split(getenv("PSModulePath"), ";") {
			if len(dir) > len(profile) && strings.EqualFold(dir[:len(profile)], profile) &&
				(dir[len(profile)] == '\\' || dir[len(profile)] == '/') {
				return PowerShell
			}
		}
	}
	return Cmd
}

// Quote returns s as one word of a command line in shell sh; ok is false
// when s cannot be typed there (then the word is still the closest form,
// for a person to read): in PowerShell and cmd a name that is not UTF-8 or
// holds a '"' (Windows programs receive their arguments as UTF-16 and
// re-split them at quotes), in cmd also one with a control character or a
// '%'. POSIX sh can take every name (ShellQuote).
func (sh Shell) Quote(s string) (word string, ok bool) {
	switch sh {
	case PowerShell:
		return powerShellQuote(s)
	case Cmd:
		return cmdQuote(s)
	}
	return gitops.ShellQuote(s), true
}

// bareWord reports whether s can be written without quotes in PowerShell
// and cmd: ASCII letters, digits and _ . / - \ : only, not starting with
// '-' (PowerShell would read a parameter name).
func bareWord(s string) bool {
	return s != "" && s[0] != '-' && strings.IndexFunc(s, func(r rune) bool {
		return !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(`_./-\:`, r)))
	}) < 0
}

// powerShellQuote: bare when safe, in single quotes (a quote doubled) when
// printable, otherwise in double quotes with PowerShell's backtick escapes
// (`t, `n, `e, `u{…}) and `$ `" “ for the characters double quotes
// interpret.
func powerShellQuote(s string) (string, bool) {
	ok := utf8.ValidString(s) && !strings.ContainsRune(s, '"')
	if bareWord(s) {
		return s, ok
	}
	if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0 {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'", ok
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\t':
			b.WriteString("`t")
		case '\n':
			b.WriteString("`n")
		case '\r':
			b.WriteString("`r")
		case 0:
			b.WriteString("`0")
		case 0x1b:
			b.WriteString("`e")
		case '`', '$', '"':
			b.WriteByte('`')
			b.WriteRune(r)
		default:
			if !unicode.IsPrint(r) && r != ' ' {
				b.WriteString("`u{" + strconv.FormatUint(uint64(r), 16) + "}")
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String(), ok
}

// cmdQuote: bare when safe, otherwise in double quotes, inside which cmd
// takes & | < > ^ ( ) and spaces literally. A name cmd cannot take is
// returned Go-quoted, to be read, not typed.
func cmdQuote(s string) (string, bool) {
	ok := utf8.ValidString(s) && !strings.ContainsAny(s, `"%`) &&
		strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0
	if bareWord(s) {
		return s, ok
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 {
		return strconv.Quote(s), false // for reading only: no byte of it reaches the terminal raw
	}
	return `"` + s + `"`, ok
}

// bytecodeAdvice says, in sh's words, how to stop Python writing bytecode
// beside the sources: PYTHONDONTWRITEBYTECODE, or PYTHONPYCACHEPREFIX set
// to a per-user cache directory.
func (sh Shell) bytecodeAdvice() string {
	var never, prefix string
	switch sh {
	case PowerShell:
		never, prefix = "$env:PYTHONDONTWRITEBYTECODE=1", `$env:PYTHONPYCACHEPREFIX="$env:LOCALAPPDATA\pycache"`
	case Cmd:
		never, prefix = "set PYTHONDONTWRITEBYTECODE=1", `set PYTHONPYCACHEPREFIX=%LOCALAPPDATA%\pycache`
	default:
		never, prefix = "export PYTHONDONTWRITEBYTECODE=1", `PYTHONPYCACHEPREFIX="$HOME/.cache/pycache"`
	}
	return "Stop Python writing bytecode beside sources: " + never + "\n" +
		"  (or " + prefix + " to keep it outside the repository)\n"
}

// commandWords writes the words of paths after prefix for shell sh and
// returns how many of them cannot be typed there (they are left out).
func (sh Shell) commandWords(b *strings.Builder, prefix string, paths []string) (left int) {
	wrote := false
	for _, p := range paths {
		w, ok := sh.Quote(p)
		if !ok {
			left++
			continue
		}
		if !wrote {
			b.WriteString(prefix)
			wrote = true
		}
		b.WriteByte(' ')
		b.WriteString(w)
	}
	if wrote {
		b.WriteByte('\n')
	}
	return left
}
