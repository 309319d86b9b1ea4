package gitops

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// BlobSizes returns the size in bytes of each object named in hashes (hex),
// asking `git cat-file --batch-check` once. A missing object is an error.
func (r *Repo) BlobSizes(hashes []string) (map[string]int64, error) {
	sizes := make(map[string]int64, len(hashes))
	if len(hashes) == 0 {
		return sizes, nil
	}
	var in bytes.Buffer
	for _, h := range hashes {
		in.WriteString(h)
		in.WriteByte('\n')
	}
	out, err := r.gitOutput(in.Bytes(), "cat-file", "--batch-check=%(objectname) %(objectsize)")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		name, size, ok := strings.Cut(line, " ")
		n, err := strconv.ParseInt(size, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("git cat-file: %q", line)
		}
		sizes[name] = n
	}
	return sizes, nil
}

// HexHash returns the hex form of an index entry's object name.
func (e IndexEntry) HexHash() string { return e.Hash.String() }

// HistoryBlob is a blob reachable from some ref whose path matched.
type HistoryBlob struct {
	Hash string
	Path string // the path git rev-list --objects first saw it at
	Size int64
}

// HistoryBlobs lists the blobs reachable from any ref (`git rev-list
// --objects --all`) whose path, as rev-list names it, match selects, with
// their sizes (`git cat-file --batch-check`). Both commands stream; memory
// grows with the number of matching blobs only.
func (r *Repo) HistoryBlobs(match func(path string) bool) ([]HistoryBlob, error) {
	checkIn, checkInW := io.Pipe()
	list, err := r.startGit(nil, "rev-list", "--objects", "--all")
	if err != nil {
		return nil, err
	}
	check, err := r.startGit(checkIn, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)")
	if err != nil {
		list.stop()
		return nil, err
	}
	listOut, checkOut := list.Stdout, check.Stdout
	// Feed cat-file the matching names while reading its answers.
	var paths []string
	feedErr := make(chan error, 1)
	pathsDone := make(chan struct{})
	go func() {
		defer close(pathsDone)
		bw := bufio.NewWriter(checkInW)
		sc := bufio.NewScanner(listOut)
		sc.Buffer(make([]byte, 64*1024), 1<<26)
		var err error
		for sc.Scan() {
			hash, path, ok := strings.Cut(sc.Text(), " ")
			// rev-list names a path only for trees and blobs; commits have none.
			// (A name with a newline is cut there: rev-list --objects
			// prints names raw, one object a line.)
			if !ok || path == "" || !match(path) {
				continue
			}
			paths = append(paths, path)
			if _, err = fmt.Fprintln(bw, hash); err != nil {
				break
			}
		}
		if err == nil {
			err = sc.Err()
		}
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		checkInW.Close()
		feedErr <- err
	}()
	var blobs []HistoryBlob
	br := bufio.NewReader(checkOut)
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("git cat-file: %q", line)
		}
		if f[1] != "blob" {
			blobs = append(blobs, HistoryBlob{Hash: f[0], Size: -1})
			continue
		}
		n, _ := strconv.ParseInt(f[2], 10, 64)
		blobs = append(blobs, HistoryBlob{Hash: f[0], Size: n})
	}
	<-pathsDone
	if err := <-feedErr; err != nil {
		return nil, err
	}
	if err := list.wait(); err != nil {
		return nil, err
	}
	if err := check.wait(); err != nil {
		return nil, err
	}
	var out []HistoryBlob
	for i, b := range blobs {
		if b.Size < 0 || i >= len(paths) {
			continue // a tree whose name looked like bytecode ("x.pyc/")
		}
		b.Path = paths[i]
		out = append(out, b)
	}
	return out, nil
}

// CommitAdds is a commit and the number of matching paths it added.
type CommitAdds struct {
	Commit  string
	Subject string
	Paths   int
}

// CommitsAdding lists the commits reachable from any ref that add paths
// match selects (against their first parent; root commits against the
// empty tree), with the number of such paths, in `git log` order.
func (r *Repo) CommitsAdding(match func(path string) bool) ([]CommitAdds, error) {
	cmd, err := r.startGit(nil, "log", "--all", "--no-renames", "--first-parent", "--diff-filter=A",
		"--format=%x01%H %s", "--name-only", "-z", "--no-color")
	if err != nil {
		return nil, err
	}
	out := cmd.Stdout
	var res []CommitAdds
	br := bufio.NewReader(out)
	var cur *CommitAdds
	flush := func() {
		if cur != nil && cur.Paths > 0 {
			res = append(res, *cur)
		}
		cur = nil
	}
	for {
		rec, err := br.ReadString(0)
		if rec == "" && err != nil {
			break
		}
		rec = strings.TrimSuffix(rec, "\x00")
		// Each commit starts with \x01 (the format); its header is
		// followed by a newline and the first name, then NUL-separated
		// names, and a blank record before the next commit.
		rec = strings.TrimPrefix(rec, "\n")
		if strings.HasPrefix(rec, "\x01") {
			flush()
			head, first, _ := strings.Cut(rec[1:], "\n")
			hash, subject, _ := strings.Cut(head, " ")
			cur = &CommitAdds{Commit: hash, Subject: subject}
			rec = first
		}
		if cur != nil && rec != "" && match(rec) {
			cur.Paths++
		}
		if err != nil {
			break
		}
	}
	flush()
	if err := cmd.wait(); err != nil {
		return nil, err
	}
	return res, nil
}
