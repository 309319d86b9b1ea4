package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/fix"
)

// TestFixDeleteErrorsInPathOrder: the files fix could not delete are
// listed in path order, the same on every run (they are kept in a map).
func TestFixDeleteErrorsInPathOrder(t *testing.T) {
	plan := &fix.Plan{DeleteErrors: map[string]string{}}
	var want strings.Builder
	for _, p := range []string{"a/x.pyc", "b/y.pyc", "c/__pycache__/z.pyc", "d/w.pyo", "e\tf.pyc"} {
		plan.DeleteErrors[p] = "permission denied"
	}
	for _, p := range []string{`a/x.pyc`, `b/y.pyc`, `c/__pycache__/z.pyc`, `d/w.pyo`, `"e\tf.pyc"`} {
		want.WriteString("could not delete " + p + ": permission denied\n")
	}
	for i := 0; i < 20; i++ {
		var out bytes.Buffer
		r, err := New("text", Options{Stdout: &out, Color: "never"})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Fix(plan, false); err != nil {
			t.Fatal(err)
		}
		_, got, _ := strings.Cut(out.String(), "could not delete")
		if got = "could not delete" + got; got != want.String() {
			t.Fatalf("run %d:\n%s\nwant\n%s", i, got, want.String())
		}
	}
}
