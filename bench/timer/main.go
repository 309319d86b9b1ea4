//go:build unix

// Command timer runs two or more commands alternately, several times each,
// and prints for each the median wall-clock time, the median peak RSS, and
// the ratio of its median to the last command's (the baseline).
//
//	go run ./bench/timer -runs 21 :: pycguard check :: git diff --cached --name-only
//
// Commands are separated by "::" (not "--", which commands take themselves).
//
// -prepare CMD runs a shell command before every measured run (untimed), to
// restore state a command changes.
//
// Output goes to stdout as a table; each command's own output is discarded.
// Beside the times, the median minor page faults and CPU time (user +
// system) of a run are printed: they depend little on other work sharing
// the machine, where wall-clock times do.
// A command that exits with a status other than -ok (default "0,1") is an
// error: a benchmark of a failing command measures nothing.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() { os.Exit(run()) }

func run() int {
	runs := flag.Int("runs", 21, "runs per command")
	warm := flag.Int("warmup", 2, "unmeasured runs per command first")
	okCodes := flag.String("ok", "0,1", "exit statuses that count as success")
	label := flag.String("label", "", "comma-separated names for the commands")
	prepare := flag.String("prepare", "", "shell command run (untimed) before every run of every command")
	flag.Parse()
	var cmds [][]string
	cur := []string{}
	for _, a := range flag.Args() {
		if a == "::" {
			if len(cur) > 0 {
				cmds = append(cmds, cur)
			}
			cur = []string{}
			continue
		}
		cur = append(cur, a)
	}
	if len(cur) > 0 {
		cmds = append(cmds, cur)
	}
	if len(cmds) < 1 {
		fmt.Fprintln(os.Stderr, "usage: timer [-runs N] [-prepare SHELL-CMD] :: CMD ARGS... :: CMD ARGS...")
		return 2
	}
	ok := map[int]bool{}
	for _, s := range strings.Split(*okCodes, ",") {
		n, err := strconv.Atoi(s)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad -ok:", err)
			return 2
		}
		ok[n] = true
	}
	names := strings.Split(*label, ",")
	times := make([][]float64, len(cmds))
	rss := make([][]float64, len(cmds))
	faults := make([][]float64, len(cmds))
	cpu := make([][]float64, len(cmds))
	for i := 0; i < *warm+*runs; i++ {
		for c, argv := range cmds {
			if *prepare != "" {
				if out, err := exec.Command("sh", "-c", *prepare).CombinedOutput(); err != nil {
					fmt.Fprintf(os.Stderr, "prepare: %v\n%s", err, out)
					return 2
				}
			}
			d, ru, code, err := once(argv)
			if err != nil || !ok[code] {
				fmt.Fprintf(os.Stderr, "%s: exit %d %v\n", strings.Join(argv, " "), code, err)
				return 2
			}
			if i >= *warm {
				times[c] = append(times[c], d.Seconds()*1000)
				rss[c] = append(rss[c], float64(ru.Maxrss)) // KiB on Linux
				faults[c] = append(faults[c], float64(ru.Minflt))
				cpu[c] = append(cpu[c], float64(ru.Utime.Nano()+ru.Stime.Nano())/1e6)
			}
		}
	}
	base := median(times[len(cmds)-1])
	fmt.Printf("%-28s %10s %10s %8s %12s %8s %8s\n", "command", "median_ms", "min_ms", "ratio", "peak_rss_MiB", "faults", "cpu_ms")
	for c, argv := range cmds {
		name := strings.Join(argv, " ")
		if c < len(names) && names[c] != "" {
			name = names[c]
		}
		if len(name) > 28 {
			name = name[:28]
		}
		m := median(times[c])
		fmt.Printf("%-28s %10.2f %10.2f %8.2f %12.1f %8.0f %8.2f\n", name, m, slices.Min(times[c]), m/base, median(rss[c])/1024,
			median(faults[c]), median(cpu[c]))
	}
	return 0
}

func once(argv []string) (time.Duration, *syscall.Rusage, int, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code, err = ee.ExitCode(), nil
	}
	if err != nil {
		return 0, nil, -1, err
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		ru = &syscall.Rusage{}
	}
	return d, ru, code, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
