package main

import (
	"bytes"
	"encoding/base64"
	"os/exec"

	"github.com/pycguard/pycguard/internal/gittest"
)

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
