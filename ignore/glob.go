package ignore

import "strings"

// This file implements the wildcard language of gitignore(5), which points
// to fnmatch(3) with FNM_PATHNAME: "*" matches any run of bytes but "/",
// "?" one byte but "/", "[...]" one byte (not "/") from a set, "\" quotes
// the next byte, and "**" next to slashes spans directories. Matching is
// byte-wise: "?" matches one byte of a multi-byte UTF-8 character.

type tokenKind uint8

const (
	tLiteral tokenKind = iota // one byte
	tAny                      // "?": one byte but '/'
	tClass                    // "[...]": one byte (not '/') in set
	tStar                     // "*": any run of bytes without '/'
	tDirs                     // "**/": zero or more leading directories ("", "a/", "a/b/", ...)
	tRest                     // "**" at the end: everything
)

type token struct {
	kind tokenKind
	b    byte     // tLiteral (folded when fold)
	set  *byteSet // tClass
}

type byteSet [4]uint64

func (s *byteSet) add(c byte)      { s[c>>6] |= 1 << (c & 63) }
func (s *byteSet) has(c byte) bool { return s[c>>6]&(1<<(c&63)) != 0 }
func (s *byteSet) addRange(lo, hi int) {
	for c := lo; c <= hi; c++ {
		s.add(byte(c))
	}
}

// globShape lets match skip the general algorithm for the shapes ignore
// files are made of (measured on GitHub's Python template: most lines are
// a literal name or "*" followed by a fixed-length tail).
type globShape uint8

const (
	shapeNever   globShape = iota // cannot match anything
	shapeLiteral                  // fixed bytes
	shapeSuffix                   // "*" then one-byte tokens only
	shapeGeneral
)

type glob struct {
	shape   globShape
	fold    bool
	literal string  // shapeLiteral: the bytes (lower-cased when fold)
	toks    []token // shapeSuffix (tail only) and shapeGeneral
	stars   int     // number of star-like tokens (general)
}

// compileGlob compiles a pattern body (no "!", no trailing "/", leading
// "/" of an anchored pattern removed). A pattern git can never match (an
// unterminated "[", an unknown character class, a trailing lone "\")
// compiles to shapeNever; an empty body matches only the empty name.
//
// anchored says the pattern is matched against a path (it has a slash)
// rather than a base name. git then compares the pattern's literal prefix
// (up to the first "*", "?", "[" or "\\") on its own and wildcard-matches
// the rest as a pattern of its own, so stars right after that prefix count
// as the start of a pattern: "a**/b" matches "ab" and "ax/y/b", while
// "[a]**/b" does not match "ab" (corpus: "double star after a name").
func compileGlob(p string, fold, anchored bool) glob {
	g := glob{fold: fold}
	if p == "" {
		g.shape = shapeLiteral // the empty pattern matches the empty name
		return g
	}
	start := 0 // where the wildcard part begins
	if anchored {
		if start = strings.IndexAny(p, "*?[\\"); start < 0 {
			start = len(p)
		}
	}
	toks, ok := tokenize(p, start, fold)
	if !ok {
		return g
	}
	literal, oneByte := true, true
	for i, t := range toks {
		if t.kind != tLiteral {
			literal = false
		}
		if i > 0 && t.kind != tLiteral && t.kind != tAny && t.kind != tClass {
			oneByte = false
		}
		if t.kind >= tStar {
			g.stars++
		}
	}
	switch {
	case literal:
		b := make([]byte, len(toks))
		for i, t := range toks {
			b[i] = t.b
		}
		g.shape, g.literal = shapeLiteral, string(b)
	case toks[0].kind == tStar && oneByte:
		g.shape, g.toks = shapeSuffix, toks[1:]
	default:
		g.shape, g.toks = shapeGeneral, toks
	}
	return g
}

func tokenize(p string, start int, fold bool) ([]token, bool) {
	toks := make([]token, 0, len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '\\':
			i++
			if i == len(p) {
				return nil, false // a trailing backslash matches nothing
			}
			// A quoted letter is not folded: with core.ignorecase git
			// compares the lower-cased name with it as written, so "\A"
			// matches nothing and "\a" both cases (corpus: "ignorecase
			// escaped letters").
			toks = append(toks, token{kind: tLiteral, b: p[i]})
		case '?':
			toks = append(toks, token{kind: tAny})
		case '*':
			j := i
			for j < len(p) && p[j] == '*' {
				j++
			}
			// Two or more stars at the start (see compileGlob) or after
			// a slash: followed by a slash they match "" or any string
			// ending in "/" (zero or more directories), at the end they
			// match everything. Elsewhere they are one ordinary "*".
			if j-i >= 2 && (i == start || p[i-1] == '/') {
				if j < len(p) && p[j] == '/' {
					toks = append(toks, token{kind: tDirs})
					i = j // skip the slash too
					continue
				}
				if j == len(p) {
					toks = append(toks, token{kind: tRest})
					i = j - 1
					continue
				}
			}
			toks = append(toks, token{kind: tStar})
			i = j - 1
		case '[':
			set, next, ok := parseClass(p, i+1, fold)
			if !ok {
				return nil, false
			}
			toks = append(toks, token{kind: tClass, set: set})
			i = next - 1
		default:
			toks = append(toks, token{kind: tLiteral, b: foldByte(c, fold)})
		}
	}
	return toks, true
}

// posixClasses are the character classes fnmatch(3) knows, in the C
// locale.
var posixClasses = map[string]func(c byte) bool{
	"alnum":  func(c byte) bool { return isAlpha(c) || isDigit(c) },
	"alpha":  isAlpha,
	"blank":  func(c byte) bool { return c == ' ' || c == '\t' },
	"cntrl":  func(c byte) bool { return c < 0x20 || c == 0x7f },
	"digit":  isDigit,
	"graph":  func(c byte) bool { return c > 0x20 && c < 0x7f },
	"lower":  isLower,
	"print":  func(c byte) bool { return c >= 0x20 && c < 0x7f },
	"punct":  func(c byte) bool { return c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c) },
	"space":  func(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') },
	"upper":  isUpper,
	"xdigit": func(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' },
}

func isAlpha(c byte) bool { return isLower(c) || isUpper(c) }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func foldByte(c byte, fold bool) byte {
	if fold && isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

// parseClass reads a bracket expression whose body starts at p[i] (after
// the "["). It returns the set of bytes it matches and the index after the
// closing "]". "!" or "^" first negates; a "]" first is literal; "a-z" is a
// range; "\" quotes; "[:name:]" is a POSIX class; a "[:" that does not
// open a class is two ordinary members.
//
// With fold (core.ignorecase) the byte asked about is lower-cased first,
// as for the rest of the pattern; a range also matches when the upper-case
// form of that byte is in it, and [:upper:] matches lower-case letters. So
// an upper-case letter listed on its own ("[C]") matches nothing: git
// behaves this way (TestCorpusAgainstGit, "ignorecase star and class").
func parseClass(p string, i int, fold bool) (*byteSet, int, bool) {
	var members, ranges byteSet // ranges: bytes inside any range
	var classes []string
	negate := false
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		negate = true
		i++
	}
	first := true
	prev := -1 // last single byte added, the start of a possible range
	for ; ; i++ {
		if i >= len(p) {
			return nil, 0, false
		}
		c := p[i]
		if c == ']' && !first {
			break
		}
		first = false
		switch {
		case c == '\\':
			i++
			if i >= len(p) {
				return nil, 0, false
			}
			c = p[i]
			members.add(c)
			prev = int(c)
		case c == '-' && prev >= 0 && i+1 < len(p) && p[i+1] != ']':
			i++
			hi := p[i]
			if hi == '\\' {
				i++
				if i >= len(p) {
					return nil, 0, false
				}
				hi = p[i]
			}
			ranges.addRange(prev, int(hi))
			prev = -1
		case c == '[' && i+1 < len(p) && p[i+1] == ':':
			end := strings.IndexByte(p[i+2:], ']')
			if end < 1 || p[i+2+end-1] != ':' {
				members.add(c) // not a class: "[" and ":" are members
				prev = int(c)
				continue
			}
			name := p[i+2 : i+2+end-1]
			if _, ok := posixClasses[name]; !ok {
				return nil, 0, false
			}
			classes = append(classes, name)
			i += 2 + end
			prev = -1
		default:
			members.add(c)
			prev = int(c)
		}
	}
	var set byteSet
	for b := 0; b < 256; b++ {
		c := foldByte(byte(b), fold)
		in := members.has(c) || ranges.has(c) || fold && isLower(c) && ranges.has(c-'a'+'A')
		for _, name := range classes {
			in = in || posixClasses[name](c) || fold && name == "upper" && isLower(c)
		}
		if in != negate {
			set.add(byte(b))
		}
	}
	set[0] &^= 1 << '/' // never matches a slash
	return &set, i + 1, true
}

// match reports whether the whole of s matches.
func (g *glob) match(s string) bool {
	switch g.shape {
	case shapeLiteral:
		if len(s) != len(g.literal) {
			return false
		}
		if !g.fold {
			return s == g.literal
		}
		for i := 0; i < len(s); i++ {
			if foldByte(s[i], true) != g.literal[i] {
				return false
			}
		}
		return true
	case shapeSuffix:
		n := len(s) - len(g.toks)
		if n < 0 {
			return false
		}
		for i := 0; i < n; i++ {
			if s[i] == '/' {
				return false
			}
		}
		return g.oneByte(g.toks, s[n:])
	case shapeGeneral:
		if g.stars > 1 {
			return g.matchPositions(s)
		}
		m := matcherState{g: g, s: s}
		return m.run(0, 0)
	}
	return false
}

// matchPositions matches patterns with several star-like tokens in time
// linear in tokens × bytes, whatever the pattern: it carries the set of
// offsets of s each prefix of the pattern can end at, token by token.
// Backtracking over the stars instead costs bytes² per star
// ("*a*b*c*d*" against a 40,000-byte name), and over "**/" repeated 200
// times grows with the depth of the path for every repetition.
func (g *glob) matchPositions(s string) bool {
	n := len(s) + 1
	var buf [2 * 258]bool
	var cur, next []bool
	if 2*n <= len(buf) {
		cur, next = buf[:n], buf[n:2*n]
	} else {
		both := make([]bool, 2*n)
		cur, next = both[:n], both[n:]
	}
	cur[0] = true
	for _, t := range g.toks {
		any := false
		switch t.kind {
		case tLiteral, tAny, tClass:
			next[0] = false
			for i := 0; i < len(s); i++ {
				next[i+1] = cur[i] && g.byteMatches(t, s[i])
				any = any || next[i+1]
			}
		case tStar: // any run of bytes without '/'
			next[0] = cur[0]
			for i := 1; i < n; i++ {
				next[i] = cur[i] || (next[i-1] && s[i-1] != '/')
				any = any || next[i]
			}
			any = any || next[0]
		case tDirs: // "" or any run of bytes ending in '/'
			seen := false
			for i := 0; i < n; i++ {
				next[i] = cur[i] || (seen && s[i-1] == '/')
				seen = seen || cur[i]
				any = any || next[i]
			}
		case tRest: // everything
			for _, ok := range cur {
				if ok {
					return true
				}
			}
			return false
		}
		if !any {
			return false
		}
		cur, next = next, cur
	}
	return cur[len(s)]
}

// oneByte matches tokens that each take exactly one byte.
func (g *glob) oneByte(toks []token, s string) bool {
	for i, t := range toks {
		if !g.byteMatches(t, s[i]) {
			return false
		}
	}
	return true
}

func (g *glob) byteMatches(t token, c byte) bool {
	switch t.kind {
	case tLiteral:
		return foldByte(c, g.fold) == t.b
	case tAny:
		return c != '/'
	case tClass:
		return t.set.has(c)
	}
	return false
}

// matcherState runs the general algorithm for patterns with at most one
// star-like token: backtracking over where that token ends, which is
// linear in tokens × bytes with a single star.
type matcherState struct {
	g *glob
	s string
}

func (m *matcherState) run(ti, si int) bool {
	toks, s := m.g.toks, m.s
	for ; ti < len(toks); ti++ {
		t := toks[ti]
		switch t.kind {
		case tLiteral, tAny, tClass:
			if si >= len(s) || !m.g.byteMatches(t, s[si]) {
				return false
			}
			si++
		case tRest:
			return true
		case tStar, tDirs:
			return m.branch(ti, si)
		}
	}
	return si == len(s)
}

// branch tries every way the star-like token toks[ti] can end.
func (m *matcherState) branch(ti, si int) bool {
	toks, s := m.g.toks, m.s
	ok := false
	if toks[ti].kind == tStar {
		if ti == len(toks)-1 {
			ok = true
			for k := si; k < len(s); k++ {
				if s[k] == '/' {
					ok = false
					break
				}
			}
		} else {
			for k := si; ; k++ {
				if m.run(ti+1, k) {
					ok = true
					break
				}
				if k == len(s) || s[k] == '/' {
					break
				}
			}
		}
	} else { // tDirs: "" or any prefix of s ending in '/'
		if m.run(ti+1, si) {
			ok = true
		} else {
			for k := si; k < len(s); k++ {
				if s[k] == '/' && m.run(ti+1, k+1) {
					ok = true
					break
				}
			}
		}
	}
	return ok
}

// lastByte returns the byte every match must end with (folded when the
// pattern folds), if the pattern fixes one.
func (g *glob) lastByte() (byte, bool) {
	switch g.shape {
	case shapeLiteral:
		if g.literal == "" {
			return 0, false
		}
		return g.literal[len(g.literal)-1], true
	case shapeSuffix, shapeGeneral:
		if n := len(g.toks); n > 0 && g.toks[n-1].kind == tLiteral {
			return g.toks[n-1].b, true
		}
	}
	return 0, false
}
