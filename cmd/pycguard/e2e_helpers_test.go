package main

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"testing"

	"github.com/pycguard/pycguard/internal/gittest"
)

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decodeBase64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

// runIn runs a program in r's directory and environment.
func runIn(r *gittest.Repo, name string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = r.Dir
	cmd.Env = r.Env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}
