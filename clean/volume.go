package clean

import "strings"

// isFileSystemRoot reports whether the absolute path p names the root of a
// file system, by its spelling: "/" on unix; on Windows (windows set, so
// that the rule is tested on every platform) a drive root ("C:\", "D:/",
// "E:"), a share's root ("\\server\share\"), a device path's volume root
// ("\\?\C:\", "\\?\UNC\server\share", "\\?\Volume{…}\") or the current
// drive's root ("\").
func isFileSystemRoot(p string, windows bool) bool {
	if !windows {
		return strings.Trim(p, "/") == "" && p != ""
	}
	n := windowsVolumeLen(p)
	if n == 0 && p == "" {
		return false
	}
	return strings.Trim(p[n:], `\/`) == ""
}

// windowsVolumeLen is the length of the volume name that starts the Windows
// path p ("C:", `\\server\share`, `\\?\C:`, `\\?\UNC\server\share`,
// `\\.\Volume{…}`), 0 if there is none. Both '\' and '/' separate.
func windowsVolumeLen(p string) int {
	isSep := func(c byte) bool { return c == '\\' || c == '/' }
	isDrive := func(s string) bool {
		return len(s) >= 2 && s[1] == ':' && ('a' <= s[0]|0x20 && s[0]|0x20 <= 'z')
	}
	// next returns the index of the next separator in p from i, or len(p).
	next := func(i int) int {
		for i < len(p) && !isSep(p[i]) {
			i++
		}
		return i
	}
	switch {
	case isDrive(p):
		return 2
	case len(p) >= 4 && isSep(p[0]) && isSep(p[1]) && (p[2] == '?' || p[2] == '.') && isSep(p[3]):
		rest := p[4:]
		switch {
		case isDrive(rest):
			return 6
		case len(rest) >= 4 && strings.EqualFold(rest[:3], "UNC") && isSep(rest[3]):
			return next(next(8) + 1)
		}
		return next(4)
	case len(p) >= 3 && isSep(p[0]) && isSep(p[1]) && !isSep(p[2]):
		server := next(2)
		if server == len(p) {
			return server
		}
		return next(server + 1)
	}
	return 0
}
