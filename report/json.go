package report

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"unicode/utf8"
)

// JSONVersion is the version of every JSON document pycguard writes. It
// changes only when a field is removed or changes meaning.
const JSONVersion = 1

// PathJSON is a path in a JSON document: Path is always set; PathBase64 only
// when the path is not valid UTF-8 (then Path has U+FFFD where bytes were
// invalid and PathBase64 has the exact bytes).
type PathJSON struct {
	Path       string `json:"path"`
	PathBase64 string `json:"path_base64,omitempty"`
}

// NewPathJSON encodes p losslessly.
func NewPathJSON(p string) PathJSON {
	if utf8.ValidString(p) {
		return PathJSON{Path: p}
	}
	return PathJSON{Path: strings.ToValidUTF8(p, "\uFFFD"), PathBase64: base64.StdEncoding.EncodeToString([]byte(p))}
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
