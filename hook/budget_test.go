package hook

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestPreReceiveBudget: a push whose judging does not finish within the
// budget (here a policy that never returns, standing for patterns that
// cost too much) is rejected with ErrBudget when the budget runs out,
// and findings made after that are not reported.
func TestPreReceiveBudget(t *testing.T) {
	r := gittest.Init(t)
	r.Write(".pycguard.toml", "extra = [\"*.pyd\"]\n")
	r.Write("a.pyc", "x")
	r.Commit("one")
	head := strings.TrimSpace(r.Git("rev-parse", "HEAD"))
	r.Git("update-ref", "-d", "HEAD") // the commit is new: no ref reaches it
	repo, err := gitops.Open(r.Dir, r.Env)
	if err != nil {
		t.Fatal(err)
	}
	ups, err := ParseRefUpdates(strings.NewReader(strings.Repeat("0", len(head))+" "+head+" refs/heads/new\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	defer close(release)
	stuck := func(*config.Config) Policy { <-release; return Policy{} }
	emitted := 0
	done := make(chan error, 1)
	go func() {
		_, err := PreReceive(repo, ups, PreReceiveOptions{PolicyOf: stuck, Budget: 50 * time.Millisecond},
			func(ScanFinding) error { emitted++; return nil })
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrBudget) {
			t.Fatalf("got %v, want ErrBudget", err)
		}
		if !strings.Contains(err.Error(), "push rejected") {
			t.Errorf("the message does not say the push is rejected: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("PreReceive did not return when its budget ran out")
	}
	if emitted != 0 {
		t.Errorf("%d findings reported after the budget ran out", emitted)
	}

	// The same push within the default budget is judged.
	res, err := PreReceive(repo, ups, PreReceiveOptions{PolicyOf: func(*config.Config) Policy { return Policy{} }}, func(ScanFinding) error { return nil })
	if err != nil || !res.Blocked() {
		t.Fatalf("without a stuck policy: %+v, %v; want blocked", res, err)
	}
}
