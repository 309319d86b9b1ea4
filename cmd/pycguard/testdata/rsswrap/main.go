//go:build linux

// Command rsswrap runs a program with its standard streams and appends
// "<peak RSS in KiB> <exit status>" to the file $RSS_LOG when it ends,
// then exits with the program's status. The end-to-end tests put it in
// front of pycguard in a git hook to measure the hook's own peak memory.
//
// The peak is the program's own (VmHWM), read when it exits: the wrapper
// traces the program (ptrace, PTRACE_O_TRACEEXIT) and reads
// /proc/PID/status at its exit stop, before its memory is released. The
// rusage of wait4 is not used: it is the largest of the program and every
// child it waited for (the git processes pycguard starts).
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	// Every ptrace request must come from the thread that started the
	// tracee.
	runtime.LockOSThread()
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Ptrace: true}
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	pid := cmd.Process.Pid
	var ws syscall.WaitStatus
	if _, err := syscall.Wait4(pid, &ws, 0, nil); err != nil || !ws.Stopped() {
		fail(fmt.Errorf("tracee did not stop at exec: %v %v", err, ws))
	}
	if err := syscall.PtraceSetOptions(pid, syscall.PTRACE_O_TRACEEXIT); err != nil {
		fail(err)
	}
	peak := int64(-1)
	sig := 0
	for {
		if err := syscall.PtraceCont(pid, sig); err != nil {
			// The tracee is gone past its exit stop (a thread of a
			// multi-threaded program ended the group first): no figure,
			// but still its exit status.
			peak = -1
			if _, err := syscall.Wait4(pid, &ws, 0, nil); err != nil {
				fail(err)
			}
			report(peak, ws)
		}
		sig = 0
		if _, err := syscall.Wait4(pid, &ws, 0, nil); err != nil {
			fail(err)
		}
		switch {
		case ws.Exited() || ws.Signaled():
			report(peak, ws)
		case ws.Stopped() && ws.StopSignal() == syscall.SIGTRAP && ws.TrapCause() == syscall.PTRACE_EVENT_EXIT:
			if hwm := vmHWM(pid); hwm > peak {
				peak = hwm
			}
		case ws.Stopped():
			sig = int(ws.StopSignal()) // deliver it
		}
	}
}

// report appends "<peak> <status>" to $RSS_LOG and exits with the
// tracee's status; a peak of -1 tells the test no figure was taken.
func report(peak int64, ws syscall.WaitStatus) {
	code := ws.ExitStatus()
	if ws.Signaled() {
		code = 128 + int(ws.Signal())
	}
	f, err := os.OpenFile(os.Getenv("RSS_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fail(err)
	}
	fmt.Fprintf(f, "%d %d\n", peak, code)
	f.Close()
	os.Exit(code)
}

// vmHWM is the process's peak resident set size in KiB, or -1.
func vmHWM(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return -1
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rsswrap:", err)
	os.Exit(3)
}
