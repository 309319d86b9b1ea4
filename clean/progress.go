package clean

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progressStats are the counters the progress line shows.
type progressStats struct {
	dirs, files, errors atomic.Int64
}

// Progress timing: nothing is drawn for runs shorter than progressDelay.
const (
	progressDelay    = time.Second
	progressInterval = 200 * time.Millisecond
)

// startProgress draws a progress line on w (when not nil), from delay on,
// until the returned function is called, which erases it.
func startProgress(w io.Writer, s *progressStats, delay time.Duration) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		drawn := false
		defer func() {
			if drawn {
				fmt.Fprint(w, "\r\x1b[K")
			}
		}()
		select {
		case <-done:
			return
		case <-time.After(delay):
		}
		tick := time.NewTicker(progressInterval)
		defer tick.Stop()
		for {
			fmt.Fprintf(w, "\r\x1b[Kpycguard clean: %d directories read, %d files removed, %d errors",
				s.dirs.Load(), s.files.Load(), s.errors.Load())
			drawn = true
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
