package gitops

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// historyStream produces git log output for n commits on the fly, each
// modifying a source and deleting one file, every tenth also renaming a
// source to a .pyc, every hundredth a merge with a combined record.
type historyStream struct {
	n, i int
	buf  []byte
}

func (s *historyStream) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.i == s.n {
			return 0, io.EOF
		}
		c := s.i
		s.i++
		id := fmt.Sprintf("%040x", c+1)
		var b strings.Builder
		fmt.Fprintf(&b, "\x01%s main\x00\n", id)
		blob := fmt.Sprintf("%040x", 1<<40+c)
		if c%100 == 99 {
			fmt.Fprintf(&b, "::100644 100644 100644 %040x %040x %s MM\x00merged/%d.pyc\x00", 1, 2, blob, c)
		} else {
			fmt.Fprintf(&b, ":100644 100644 %040x %s M\x00src/m%d.py\x00", 3, blob, c)
			if c%10 == 9 {
				fmt.Fprintf(&b, ":100644 000000 %s %040x D\x00src/old%d.py\x00", blob, 0, c)
				fmt.Fprintf(&b, ":000000 100644 %040x %s A\x00__pycache__/m%d.pyc\x00", 0, blob, c)
			}
		}
		s.buf = []byte(b.String())
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// TestParseHistoryStreams: the parser keeps nothing between commits, so
// the heap does not grow with the number of commits; renames and merges
// are recognised on the way.
func TestParseHistoryStreams(t *testing.T) {
	const n = 200_000
	keep := func(p string) bool { return strings.HasSuffix(p, ".pyc") }
	var commits, renames, merges int
	var peak uint64
	var ms runtime.MemStats
	err := parseHistory(bufio.NewReaderSize(&historyStream{n: n}, 64<<10), keep, func(c *HistoryCommit) error {
		commits++
		for _, ch := range c.Changes {
			switch {
			case ch.Status == Renamed && strings.HasPrefix(ch.From, "src/old"):
				renames++
			case c.Merge && ch.Status == Modified:
				merges++
			default:
				return fmt.Errorf("unexpected change %+v in %s", ch, c.ID)
			}
		}
		if commits%20_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if commits != n || renames != n/10-n/100 || merges != n/100 {
		t.Fatalf("%d commits, %d renames, %d merges", commits, renames, merges)
	}
	if peak > 8<<20 {
		t.Fatalf("heap in use reached %d bytes while streaming", peak)
	}
}

func TestParseHistoryRejectsGarbage(t *testing.T) {
	for _, in := range []string{
		":100644 100644 a b M\x00x\x00",                     // record before a commit
		"\x01abc main\x00:100644 a M\x00x\x00",              // too few fields
		"\x01abc main\x00:100644 100644 a b Q\x00x\x00",     // unknown status
		"\x01abc main\x00::100644 100644 a b c MM\x00x\x00", // combined, too few fields
		"\x01abc main\x00garbage\x00",
		"\x01abc main\x00:100644 100644 a b M\x00", // no path
		"\x01abc main\x00:100644 100644 a b M",     // cut short
	} {
		err := parseHistory(bufio.NewReader(strings.NewReader(in)), func(string) bool { return true },
			func(*HistoryCommit) error { return nil })
		if err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
