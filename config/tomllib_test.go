package config

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tomllibDocs are pyproject.toml documents that probe how pycguard's table
// is found and what makes a document invalid: escapes and quoting in keys,
// dotted keys, inline tables, arrays of tables, and redefinitions.
var tomllibDocs = []string{
	"[tool.pycguard]\nallow = [\"a.pyc\"]\n",
	"[tool.\"pycgu\\u0061rd\"]\nallow = [\"esc.pyc\"]\n",
	"[tool.'pycguard']\nextra = ['*.pyd']\n",
	"[\"tool\".\"pycguard\"]\nexclude = [\"v/\"]\n",
	"[tool . pycguard]\nallow = []\n",
	"[tool.\"pycguard \"]\nallow = [\"not ours\"]\n",
	"[tool.\"PycGuard\"]\nallow = [\"not ours\"]\n",
	"tool.pycguard.allow = [\"dotted.pyc\"]\n",
	"[tool]\npycguard.extra = [\"*.pyz\"]\n",
	"[tool]\npycguard = {allow = [\"inline.pyc\"], extra = []}\n",
	"tool = {pycguard = {allow = [\"deep.pyc\"]}}\n",
	"[tool.pycguard]\nallow = [\"a\\tb.pyc\", 'c:\\x.pyc', \"\"\"multi\nline\"\"\", '''raw\\n''']\n",
	"[tool.pycguard]\nallow = [\"\\U0001F600.pyc\", \"caf\\u00e9.pyc\"]\n",
	"[tool.other]\nx = 1\n[tool.pycguard]\nallow = [\"a.pyc\"]\n[tool.other.sub]\ny = 2\n",
	"[[tool.other]]\nx = 1\n[[tool.other]]\nx = 2\n[tool.other.z]\nq = 1\n[tool.pycguard]\n",
	// invalid documents: tomllib refuses them, so must pycguard
	"[tool.pycguard]\nallow = []\n[tool.pycguard]\nextra = []\n",
	"[tool.pycguard]\nallow = []\nallow = []\n",
	"[tool.other]\nx = 1\nx = 2\n[tool.pycguard]\nallow = []\n",
	"[tool]\npycguard = {allow = []}\n[tool.pycguard]\nextra = []\n",
	"[tool]\npycguard = {allow = []}\npycguard.extra = []\n",
	"[tool.a.b]\nx = 1\n[tool]\na.b.y = 2\n[tool.pycguard]\n",
	"[tool]\na.b = 1\n[tool.a]\nc = 2\n[tool.pycguard]\n",
	"[tool.x]\ny = {a = 1, a = 2}\n[tool.pycguard]\n",
	"[tool.x]\ny = [{a = 1, a = 2}]\n[tool.pycguard]\n",
	"a = 1\n[a.b]\n[tool.pycguard]\n",
	"a = [1]\n[[a]]\n[tool.pycguard]\n",
	"[[a]]\n[a]\n[tool.pycguard]\n",
	"[tool.pycguard]\nallow = [\"\\q\"]\n",
	"[tool.pycguard\nallow = []\n",
	// valid documents tomllib accepts although they look like reopening
	"[a.b.c]\nx = 1\n[a]\nb.d = 2\n[tool.pycguard]\nallow = [\"ok.pyc\"]\n",
	"[a]\nb.c = 1\nb.d = 2\n[tool.pycguard]\nallow = [\"ok2.pyc\"]\n",
	"[[a.b]]\nx = 1\n[a]\ny = 2\n[tool.pycguard]\nallow = [\"ok3.pyc\"]\n",
	// pycguard's own type rules on a valid document
	"[tool.pycguard]\nallow = \"a.pyc\"\n",
	"[tool.pycguard]\nbogus = []\n",
	"[tool]\npycguard = 3\n",
}

// TestParseAgreesWithTomllib reads each document with Python's tomllib
// (the reader pip, build and every PEP 517 tool use) and with Parse:
// both accept or both refuse it, and the table is the same.
func TestParseAgreesWithTomllib(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err == nil && exec.Command(py, "-c", "import tomllib").Run() != nil {
		err = errors.New("python3 has no tomllib (Python < 3.11)")
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs python3 with tomllib: %v", err)
		}
		t.Skip("python3 with tomllib is needed:", err)
	}
	dir := t.TempDir()
	const script = `
import json, sys, tomllib
out = []
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        out.append({"error": str(e)})
        continue
    out.append({"table": doc.get("tool", {}).get("pycguard") if isinstance(doc.get("tool"), dict) else None})
print(json.dumps(out))
`
	var paths []string
	for i, d := range tomllibDocs {
		p := filepath.Join(dir, "doc"+string(rune('a'+i/26))+string(rune('a'+i%26))+".toml")
		if err := os.WriteFile(p, []byte(d), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(py, append([]string{"-c", script}, paths...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []struct {
		Error string `json:"error"`
		Table any    `json:"table"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, d := range tomllibDocs {
		got, err := Parse([]byte(d), PyprojectName)
		w := want[i]
		switch {
		case w.Error != "":
			if err == nil {
				t.Errorf("%q: tomllib refuses it (%s), Parse accepts it: %+v", d, w.Error, got)
			}
			continue
		case w.Table == nil:
			if err != nil || got != nil {
				t.Errorf("%q: tomllib finds no tool.pycguard table; Parse: %+v, %v", d, got, err)
			}
			continue
		}
		// tomllib accepts it: Parse agrees unless pycguard's own rules
		// (arrays of strings, known keys) refuse the table.
		table, valid := w.Table.(map[string]any)
		for k, v := range table {
			list, ok := v.([]any)
			valid = valid && knownKey(k) && ok
			for _, e := range list {
				if _, ok := e.(string); !ok {
					valid = false
				}
			}
		}
		if !valid {
			var ce *Error
			if !errors.As(err, &ce) || ce.Line == 0 {
				t.Errorf("%q: a table pycguard cannot use, want an error with a position: %v", d, err)
			}
			continue
		}
		if err != nil || got == nil {
			t.Errorf("%q: tomllib reads %v, Parse fails: %v", d, w.Table, err)
			continue
		}
		for key, list := range map[string][]string{"allow": got.Allow, "extra": got.Extra, "exclude": got.Exclude} {
			var wl []string
			if v, ok := table[key]; ok {
				wl = []string{}
				for _, e := range v.([]any) {
					wl = append(wl, e.(string))
				}
			}
			if !slices.Equal(list, wl) || (list == nil) != (wl == nil) {
				t.Errorf("%q: %s = %q, tomllib reads %q", d, key, list, wl)
			}
		}
	}
}

// TestParseBudget: a 1 MiB pyproject.toml holding some 75,000
// keys in another tool's table is read (in linear time: go-toml's decoder
// took 45 s on such a file), a larger file is refused before it is parsed,
// and a configuration that is a link to /dev/zero or a FIFO is an error,
// not a hang or an out-of-memory crash.
func TestParseBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("[tool.other]\n")
	for i := 0; b.Len() < MaxSize-100; i++ {
		b.WriteString("key")
		b.WriteString(strings.Repeat("0", 6-len(strconv.Itoa(i))) + strconv.Itoa(i))
		b.WriteString(" = \"v\"\n")
	}
	b.WriteString("[tool.pycguard]\nallow = [\"a.pyc\"]\n")
	cfg, err := Parse([]byte(b.String()), PyprojectName)
	if err != nil || cfg == nil || !slices.Equal(cfg.Allow, []string{"a.pyc"}) {
		t.Fatalf("a %d-byte pyproject.toml: %+v, %v", b.Len(), cfg, err)
	}
	big := b.String() + strings.Repeat("#", MaxSize)
	if _, err := Parse([]byte(big), PyprojectName); !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("a %d-byte file: %v, want ErrTooLarge", len(big), err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, dir, ""); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Load of a %d-byte file: %v, want ErrTooLarge", len(big), err)
	}
	// deep nesting of arrays and inline tables stays within the stack
	deep := "[tool.pycguard]\nallow = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"
	if _, err := Parse([]byte(deep), PyprojectName); err == nil {
		t.Fatal("nested arrays accepted as an array of strings")
	}
}
