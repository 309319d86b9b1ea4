package hook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pycguard/pycguard/config"
	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/internal/gittest"
)

// TestRunPreReceiveReadsStdinFirst: the pushed lines are read and checked
// before the repository is opened, so a malformed line is named by its
// line even where there is no repository; well-formed lines there are the
// repository error. Both begin "pre-receive: ".
func TestRunPreReceiveReadsStdinFirst(t *testing.T) {
	dir := t.TempDir()
	gittest.Dir(t, dir).With("GIT_CEILING_DIRECTORIES=" + filepath.Dir(dir)).UseEnv(t)
	ok := zero40 + " " + id40a + " refs/heads/ok\n"
	emit := func(ScanFinding) error { t.Error("a finding was made"); return nil }

	_, err := RunPreReceive(PreReceiveRequest{Dir: dir, Stdin: strings.NewReader(ok + "garbage\n")}, emit)
	var ue *UpdateError
	if !errors.As(err, &ue) || ue.Line != 2 || !strings.HasPrefix(err.Error(), "pre-receive: stdin line 2: ") {
		t.Errorf("malformed line outside a repository: %v", err)
	}
	_, err = RunPreReceive(PreReceiveRequest{Dir: dir, Stdin: strings.NewReader(ok)}, emit)
	if !errors.Is(err, gitops.ErrNotRepository) || !strings.HasPrefix(err.Error(), "pre-receive: ") {
		t.Errorf("well-formed lines outside a repository: %v", err)
	}
}

// TestRunPreReceiveConfig: a push is judged by the configuration and the
// .gitignore negations in its tree, or with ConfigFile by the server's
// file alone; an invalid server file is its *config.Error as it is,
// naming file and line.
func TestRunPreReceiveConfig(t *testing.T) {
	work := gittest.Init(t)
	work.Write(".pycguard.toml", "allow = [\"tests/fixtures/\"]\n")
	work.Write("tests/fixtures/old.pyc", "x")
	// A negation of the pushed .gitignore keeps kept.pyc on purpose: it
	// passes under the pushed tree's policy, as check lets it pass, and
	// not under the server's, which the pushed files must not loosen.
	work.Write(".gitignore", "*.pyc\n!kept.pyc\n")
	work.Write("kept.pyc", "k")
	work.Git("add", "-f", "kept.pyc", "tests/fixtures/old.pyc")
	work.Commit("fixture bytecode, allowed by the pushed tree")
	head := strings.TrimSpace(work.Git("rev-parse", "HEAD"))

	// The server has the pushed objects and no ref reaching them, as in
	// the hook of a push.
	server := gittest.Init(t, "--bare")
	work.Git("push", "-q", server.Dir, "HEAD:refs/heads/incoming")
	server.Git("update-ref", "-d", "refs/heads/incoming")
	server.UseEnv(t)
	stdin := zero40 + " " + head + " refs/heads/main\n"

	etc := t.TempDir()
	strict := filepath.Join(etc, "server.toml")
	broken := filepath.Join(etc, "broken.toml")
	for p, content := range map[string]string{strict: "allow = []\n", broken: "allow = \"not a list\n"} {
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	run := func(configFile string) ([]string, *PreReceiveResult, error) {
		var found []string
		emit := func(f ScanFinding) error { found = append(found, f.Path); return nil }
		res, err := RunPreReceive(PreReceiveRequest{Dir: server.Dir, ConfigFile: configFile, Stdin: strings.NewReader(stdin)}, emit)
		return found, res, err
	}

	found, res, err := run("")
	if err != nil || res.Blocked() || len(res.Judged) != 1 || len(found) != 0 {
		t.Errorf("the pushed tree's configuration: %v, %+v, findings %q", err, res, found)
	}
	found, res, err = run(strict)
	if err != nil || !res.Blocked() || strings.Join(found, " ") != "kept.pyc tests/fixtures/old.pyc" {
		t.Errorf("the server's configuration: %v, %+v, findings %q", err, res, found)
	}
	_, res, err = run(broken)
	var ce *config.Error
	if !errors.As(err, &ce) || res != nil || !strings.HasPrefix(err.Error(), broken+":1:") {
		t.Errorf("an invalid server configuration: %v, %+v", err, res)
	}
}
