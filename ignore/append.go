package ignore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pycguard/pycguard/internal/safefile"
)

// Errors Append returns for a .gitignore it must not or cannot rewrite.
var (
	// ErrNotRegularFile: the path is a directory or another non-file.
	ErrNotRegularFile = safefile.ErrNotRegular
	// ErrSymlink: the .gitignore is a symbolic link. git does not read
	// it ("too many levels of symbolic links"), so a line written through
	// it would do nothing, and the link may point out of the repository.
	ErrSymlink = safefile.ErrSymlink
	// ErrReadOnly: the file has no write permission for its owner; it is
	// left as it is (a rename could replace it, but its mode says no).
	ErrReadOnly = errors.New("file is read-only")
)

// MaxFileSize is the largest ignore file read: git skips a larger one
// (dir.c's PATTERN_MAX_FILE_SIZE, 100 MiB), so nothing is appended to it.
const MaxFileSize = 100 << 20

// AppendResult says what Append did.
type AppendResult struct {
	// Path is the file written.
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
// The write is atomic (internal/safefile): a temporary file in the same
// directory, synced, given the original mode, renamed over the file. A
// symbolic link is ErrSymlink, a directory or other non-file
// ErrNotRegularFile, a file without owner write permission ErrReadOnly, a
// file larger than MaxFileSize safefile.ErrTooLarge; none is changed.
func AppendSections(path string, sections []Section) (AppendResult, error) {
	res := AppendResult{Path: path}
	dir, name := filepath.Split(path)
	f, err := safefile.Read(dir, name, MaxFileSize)
	if err != nil {
		return res, describe(err)
	}
	if f.Exists && f.Perm&0o200 == 0 {
		return res, fmt.Errorf("%s: %w", path, ErrReadOnly)
	}
	res.Created = !f.Exists
	data := f.Data

	out, added := appendedContent(data, sections)
	res.Added = added
	if len(res.Added) == 0 {
		return res, nil
	}
	if err := safefile.Replace(dir, name, out, safefile.Mode{Perm: 0o644, Keep: true}); err != nil {
		res.Added = nil
		return res, describe(err)
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

// CheckAppendable fails, before anything is changed, as AppendSections
// would on the ignore file at path: a symbolic link, a non-file, a
// read-only file. An absent file is fine.
func CheckAppendable(path string) error {
	dir, name := filepath.Split(path)
	if err := safefile.Check(dir, name); err != nil {
		return describe(err)
	}
	fi, err := os.Lstat(path)
	if err == nil && fi.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%s: %w", path, ErrReadOnly)
	}
	return nil
}

// describe adds what a person does about a symbolic link.
func describe(err error) error {
	if errors.Is(err, ErrSymlink) {
		return fmt.Errorf("%w; git does not read a symlinked .gitignore either (replace the link with a regular file)", err)
	}
	return err
}
