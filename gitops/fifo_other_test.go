//go:build !unix

package gitops

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs on this system") }
