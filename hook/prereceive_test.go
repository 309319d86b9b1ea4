package hook

import (
	"errors"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

const (
	zero40 = "0000000000000000000000000000000000000000"
	id40a  = "1111111111111111111111111111111111111111"
	id40b  = "abcdefabcdefabcdefabcdefabcdefabcdef0123"
)

func TestParseRefUpdates(t *testing.T) {
	in := zero40 + " " + id40a + " refs/heads/new\n" +
		id40a + " " + id40b + " refs/tags/v1.0\n" +
		id40b + " " + zero40 + " refs/heads/gone" // no final newline
	ups, err := ParseRefUpdates(strings.NewReader(in), 40)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 3 || !ups[0].Creation() || ups[0].Deletion() || !ups[2].Deletion() ||
		ups[1].Ref != "refs/tags/v1.0" || ups[1].Line != 2 || ups[1].Old != id40a || ups[1].New != id40b {
		t.Fatalf("%+v", ups)
	}
	// Object format not known: 40 or 64 digits, the same on every line.
	id64 := strings.Repeat("b", 64)
	if ups, err := ParseRefUpdates(strings.NewReader(strings.Repeat("0", 64)+" "+id64+" refs/heads/x\n"), 0); err != nil || len(ups) != 1 {
		t.Fatalf("sha256 with hexLen 0: %v %v", ups, err)
	}
	if _, err := ParseRefUpdates(strings.NewReader(zero40+" "+id40a+" refs/heads/x\n"+zero40+" "+id64+" refs/heads/y\n"), 0); !errors.Is(err, ErrBadUpdate) {
		t.Fatalf("mixed lengths accepted: %v", err)
	}
	if ups, err := ParseRefUpdates(strings.NewReader(""), 40); err != nil || len(ups) != 0 {
		t.Fatalf("empty input: %v %v", ups, err)
	}
}

func TestParseRefUpdatesRejects(t *testing.T) {
	ok := zero40 + " " + id40a + " refs/heads/ok\n"
	id64 := strings.Repeat("a", 64)
	cases := map[string]struct {
		in   string
		line int
	}{
		"garbage":         {ok + "hello world\n", 2},
		"empty line":      {ok + "\n" + ok, 2},
		"two fields":      {zero40 + " " + id40a + "\n", 1},
		"short id":        {zero40[:39] + " " + id40a + " refs/heads/x\n", 1},
		"sha256 in sha1":  {zero40 + " " + id64 + " refs/heads/x\n", 1},
		"uppercase id":    {zero40 + " " + strings.ToUpper(id40b) + " refs/heads/x\n", 1},
		"both zero":       {zero40 + " " + zero40 + " refs/heads/x\n", 1},
		"space in ref":    {zero40 + " " + id40a + " refs/heads/a b\n", 1},
		"newline in ref":  {zero40 + " " + id40a + " refs/heads/a\nb\n", 2},
		"CR":              {zero40 + " " + id40a + " refs/heads/a\r\n", 1},
		"tab":             {zero40 + " " + id40a + "\trefs/heads/a\n", 1},
		"extra space":     {zero40 + "  " + id40a + " refs/heads/a\n", 1},
		"not under refs/": {zero40 + " " + id40a + " HEAD\n", 1},
		"dotdot":          {zero40 + " " + id40a + " refs/heads/a..b\n", 1},
		"lock":            {zero40 + " " + id40a + " refs/heads/a.lock\n", 1},
		"at brace":        {zero40 + " " + id40a + " refs/heads/a@{1}\n", 1},
		"trailing slash":  {zero40 + " " + id40a + " refs/heads/\n", 1},
		"double slash":    {zero40 + " " + id40a + " refs//heads/a\n", 1},
		"dot component":   {zero40 + " " + id40a + " refs/heads/.a\n", 1},
		"ends with dot":   {zero40 + " " + id40a + " refs/heads/a.\n", 1},
		"glob":            {zero40 + " " + id40a + " refs/heads/*\n", 1},
		"backslash":       {zero40 + " " + id40a + " refs/heads/a\\b\n", 1},
		"NUL":             {zero40 + " " + id40a + " refs/heads/a\x00b\n", 1},
		"long line":       {zero40 + " " + id40a + " refs/heads/" + strings.Repeat("x", 70000) + "\n", 1},
	}
	for name, c := range cases {
		_, err := ParseRefUpdates(strings.NewReader(c.in), 40)
		var ue *UpdateError
		if !errors.As(err, &ue) || !errors.Is(err, ErrBadUpdate) || ue.Line != c.line {
			t.Errorf("%s: got %v, want an UpdateError on line %d", name, err, c.line)
		}
	}
}

// TestCheckRefNameAgreesWithGit asks git check-ref-format about names the
// parser has to judge.
func TestCheckRefNameAgreesWithGit(t *testing.T) {
	r := gittest.Init(t)
	names := []string{"refs/heads/main", "refs/tags/v1.0", "refs/heads/a/b-c_d", "refs/heads/ünï",
		"refs/heads/a b", "refs/heads/a..b", "refs/heads/a.lock", "refs/heads/a@{x", "refs/heads/@",
		"refs/heads/.x", "refs/heads/x.", "refs/heads/", "refs//x", "refs/heads/x~1", "refs/heads/x^",
		"refs/heads/x:y", "refs/heads/x?", "refs/heads/x*", "refs/heads/x[", "refs/heads/x\\y",
		"refs/heads/x\x7f", "refs/heads/x\x01", "refs/heads/a/.b", "refs/heads/a.lock/b", "refs/heads/-x",
		"refs/heads/@x", "refs/x"}
	for _, n := range names {
		_, _, err := r.Run(nil, "check-ref-format", n)
		if gitOK, ours := err == nil, CheckRefName(n) == nil; gitOK != ours {
			t.Errorf("%q: git accepts: %v, CheckRefName accepts: %v", n, gitOK, ours)
		}
	}
}

// FuzzParseRefUpdates: the stdin parser never panics; whatever it accepts
// is exactly three well-formed fields per line, and re-serialising the
// updates gives the input back.
func FuzzParseRefUpdates(f *testing.F) {
	f.Add(zero40 + " " + id40a + " refs/heads/main\n")
	f.Add(id40a + " " + zero40 + " refs/tags/v1\n" + id40a + " " + id40b + " refs/heads/x\n")
	f.Add("garbage\n\n")
	f.Add(zero40 + " " + id40a + " refs/heads/a b\n")
	f.Fuzz(func(t *testing.T, in string) {
		ups, err := ParseRefUpdates(strings.NewReader(in), 40)
		if err != nil {
			if !errors.Is(err, ErrBadUpdate) {
				t.Fatalf("error not ErrBadUpdate: %v", err)
			}
			return
		}
		var b strings.Builder
		for i, u := range ups {
			if u.Line != i+1 || len(u.Old) != 40 || len(u.New) != 40 || CheckRefName(u.Ref) != nil {
				t.Fatalf("accepted %+v", u)
			}
			b.WriteString(u.Old + " " + u.New + " " + u.Ref + "\n")
		}
		if got := b.String(); got != in && got != in+"\n" {
			t.Fatalf("round trip: %q -> %q", in, got)
		}
	})
}
