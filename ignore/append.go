package ignore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Errors Append returns for a .gitignore it must not or cannot rewrite.
var (
	// ErrNotRegularFile: the path is a directory or another non-file.
	ErrNotRegularFile = errors.New("not a regular file")
	// ErrReadOnly: the file has no write permission for its owner; it is
	// left as it is (a rename could replace it, but its mode says no).
	ErrReadOnly = errors.New("file is read-only")
)

// AppendResult says what Append did.
type AppendResult struct {
	// Path is the file written: the symbolic link's target when the
	// .gitignore is a link.
	Path string
	// Added are the lines appended (lines already present are skipped).
	Added []string
	// Created is true when the file did not exist.
	Created bool
}

// Changed reports whether the file was written.
func (r AppendResult) Changed() bool { return len(r.Added) > 0 }

// Append adds lines under a comment header to the ignore file at path; see
// AppendSections.
func Append(path string, lines []string, header string) (AppendResult, error) {
	s := Section{}
	if header != "" {
		s.Header = []string{header}
	}
	for _, l := range lines {
		s.Lines = append(s.Lines, TemplateLine{Text: l})
	}
	return AppendSections(path, []Section{s})
}

// AppendSections appends the sections' rules, each section under its
// header, to the ignore file at path, creating it (mode 0644) when absent.
// Every existing byte stays: the BOM, the line endings (the new lines use
// the file's first line ending, CRLF or LF), and a missing final newline is
// added before the new lines rather than gluing two patterns together. A
// blank line separates the addition from earlier content. Rules already in
// the file (as Lines reads them) are not added again, so a second run
// changes nothing; when nothing is left to add the file is not touched.
// A Verbatim section's rules are appended even when the file has them
// (rules repeated so that they decide again after earlier additions).
//
// The write is atomic: a temporary file in the same directory, synced,
// given the original mode, renamed over the file. A symbolic link is
// written through to its target. A directory is ErrNotRegularFile, a file
// without owner write permission ErrReadOnly; neither is changed.
func AppendSections(path string, sections []Section) (AppendResult, error) {
	res := AppendResult{Path: path}
	target, err := filepath.EvalSymlinks(path)
	switch {
	case err == nil:
		res.Path = target
	case errors.Is(err, fs.ErrNotExist):
		if t, lerr := os.Readlink(path); lerr == nil {
			// A dangling link: create its target.
			if !filepath.IsAbs(t) {
				t = filepath.Join(filepath.Dir(path), t)
			}
			res.Path = t
		}
	default:
		return res, fmt.Errorf("%s: %w", path, err)
	}
	mode := fs.FileMode(0o644)
	var data []byte
	fi, err := os.Stat(res.Path)
	switch {
	case err == nil:
		if !fi.Mode().IsRegular() {
			return res, fmt.Errorf("%s: %w", res.Path, ErrNotRegularFile)
		}
		if fi.Mode().Perm()&0o200 == 0 {
			return res, fmt.Errorf("%s: %w", res.Path, ErrReadOnly)
		}
		mode = fi.Mode().Perm()
		if data, err = os.ReadFile(res.Path); err != nil {
			return res, err
		}
	case errors.Is(err, fs.ErrNotExist):
		res.Created = true
	default:
		return res, err
	}

	out, added := appendedContent(data, sections)
	res.Added = added
	if len(res.Added) == 0 {
		return res, nil
	}
	if err := writeAtomic(res.Path, out, mode); err != nil {
		res.Added = nil
		return res, err
	}
	return res, nil
}

// appendedContent returns data with the sections' rules appended as
// AppendSections describes, and the rules added. It is the whole of the
// content logic, so that a plan can be checked on the exact bytes that
// will be written.
func appendedContent(data []byte, sections []Section) ([]byte, []string) {
	var added []string
	// Which of the wanted rules the file already has (a million-line
	// file is scanned without a string per line).
	present := map[string]bool{}
	for _, s := range sections {
		for _, l := range s.Lines {
			if text, _ := Lines([]byte(l.Text)); len(text) == 1 {
				present[text[0]] = false
			}
		}
	}
	eachLine(data, func(line []byte, _ int) {
		if _, wanted := present[string(line)]; wanted {
			present[string(line)] = true
		}
	})
	eol := "\n"
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		eol = "\r\n"
	}
	var add bytes.Buffer
	body := bytes.TrimPrefix(data, bom)
	if len(body) > 0 && body[len(body)-1] != '\n' {
		add.WriteString(eol)
	}
	blank := len(body) == 0 || bytes.HasSuffix(body, []byte("\n\n")) || bytes.HasSuffix(body, []byte("\n\r\n"))
	for _, s := range sections {
		var rules []string
		for _, l := range s.Lines {
			text, _ := Lines([]byte(l.Text))
			if len(text) == 1 && text[0] != "" && (s.Verbatim || !present[text[0]]) {
				present[text[0]] = true
				rules = append(rules, l.Text)
			}
		}
		if len(rules) == 0 {
			continue
		}
		if !blank {
			add.WriteString(eol)
		}
		for _, h := range s.Header {
			add.WriteString(h + eol)
		}
		for _, r := range rules {
			add.WriteString(r + eol)
		}
		added = append(added, rules...)
		blank = false
	}
	if len(added) == 0 {
		return data, nil
	}
	return append(data[:len(data):len(data)], add.Bytes()...), added
}

// writeAtomic replaces path with data through a temporary file in the same
// directory and a rename, so readers see the old or the new file, never a
// half-written one.
func writeAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".pycguard-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return nil
}
