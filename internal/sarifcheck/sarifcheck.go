// Package sarifcheck validates SARIF logs against the SARIF 2.1.0 JSON
// schema vendored in report/testdata, for the tests of the packages and of
// the binary. It is test support, not used by pycguard at run time.
package sarifcheck

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema is a compiled SARIF schema.
type Schema struct{ s *jsonschema.Schema }

// Load compiles the schema in file with format assertions on. The schema
// declares draft-04, which has no "uri-reference" format, so the library
// would not check artifact URIs: a checker for RFC 3986's character set is
// registered for it.
func Load(file string) (*Schema, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "uri-reference", Validate: validURIReference})
	if err := c.AddResource("sarif.json", doc); err != nil {
		return nil, err
	}
	s, err := c.Compile("sarif.json")
	if err != nil {
		return nil, err
	}
	return &Schema{s}, nil
}

// Validate checks that data is a JSON document the schema accepts.
func (s *Schema) Validate(data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.s.Validate(inst)
}

// validURIReference accepts a string made of RFC 3986 characters, with
// every '%' starting a percent-encoded byte.
func validURIReference(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("bad percent-encoding at %d", i)
			}
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!$&'()*+,;=:@/?#[]", c) >= 0:
		default:
			return fmt.Errorf("byte %q at %d is not allowed in a URI", c, i)
		}
	}
	return nil
}

func isHex(c byte) bool { return strings.IndexByte("0123456789abcdefABCDEF", c) >= 0 }
