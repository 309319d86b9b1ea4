package clean

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgress(t *testing.T) {
	var s progressStats
	s.dirs.Store(12)
	s.files.Store(3)
	var buf lockedBuffer
	stop := startProgress(&buf, &s, time.Millisecond)
	for i := 0; i < 200 && buf.String() == ""; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	out := buf.String()
	if !strings.HasPrefix(out, "\r\x1b[Kpycguard clean: 12 directories read, 3 files removed, 0 errors") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q", out)
	}
	// A short run draws nothing.
	var quiet lockedBuffer
	startProgress(&quiet, &s, time.Hour)()
	if quiet.String() != "" {
		t.Errorf("short run drew %q", quiet.String())
	}
	startProgress(nil, &s, 0)() // no writer: nothing to do
}
