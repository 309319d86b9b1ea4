package wheel

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// preReleaseKinds maps a release tag's pre-release word to its PEP 440
// segment. The PEP's own spellings (alpha, beta, c, pre, preview, dev) and
// two release-tool conventions for builds between releases (next,
// snapshot), which become development releases.
var preReleaseKinds = map[string]string{
	"a": "a", "alpha": "a",
	"b": "b", "beta": "b",
	"rc": "rc", "c": "rc", "pre": "rc", "preview": "rc",
	"dev": ".dev", "next": ".dev", "snapshot": ".dev",
}

var (
	preReleaseRE = regexp.MustCompile(`^([a-z]+)[.]?([0-9]*)$`)
	localRE      = regexp.MustCompile(`^[a-z0-9]+([-_.][a-z0-9]+)*$`)
)

// Version converts a release's version as git tags and release tools write
// it (semantic versioning: "v1.2.3", "1.2.3-rc.1", "1.2.4-next", build
// metadata after "+") to PEP 440's normal form ("1.2.3", "1.2.3rc1",
// "1.2.4.dev0", a local version after "+"). A pre-release it cannot map
// without guessing is an error.
func Version(tag string) (string, error) {
	v := strings.TrimPrefix(tag, "v")
	v, local, hasLocal := strings.Cut(v, "+")
	release, pre, hasPre := strings.Cut(v, "-")
	var out strings.Builder
	for i, part := range strings.Split(release, ".") {
		n, err := strconv.ParseUint(part, 10, 64)
		if err != nil {
			return "", fmt.Errorf("%w: version %q: release part %q is not a number", ErrInvalid, tag, part)
		}
		if i > 0 {
			out.WriteByte('.')
		}
		out.WriteString(strconv.FormatUint(n, 10))
	}
	if hasPre {
		m := preReleaseRE.FindStringSubmatch(strings.ToLower(pre))
		kind, ok := "", false
		if m != nil {
			kind, ok = preReleaseKinds[m[1]]
		}
		if !ok {
			return "", fmt.Errorf("%w: version %q: no PEP 440 form for the pre-release %q (use a, alpha, b, beta, rc, dev or next, with an optional number)", ErrInvalid, tag, pre)
		}
		n := uint64(0)
		if m[2] != "" {
			var err error
			if n, err = strconv.ParseUint(m[2], 10, 64); err != nil {
				return "", fmt.Errorf("%w: version %q: pre-release number %q", ErrInvalid, tag, m[2])
			}
		}
		out.WriteString(kind + strconv.FormatUint(n, 10))
	}
	if hasLocal {
		l := strings.ToLower(local)
		if !localRE.MatchString(l) {
			return "", fmt.Errorf("%w: version %q: build metadata %q is not a PEP 440 local version", ErrInvalid, tag, local)
		}
		out.WriteString("+" + strings.NewReplacer("-", ".", "_", ".").Replace(l))
	}
	if !versionRE.MatchString(out.String()) {
		return "", fmt.Errorf("%w: version %q gives %q, not a PEP 440 version", ErrInvalid, tag, out.String())
	}
	return out.String(), nil
}
