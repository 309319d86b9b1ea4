package fix

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/ignore"
)

// This file is `pycguard explain`: which rule decides each path, as git
// check-ignore -v -n --no-index says, and how the rules cover bytecode
// (explain --coverage).

// Answer is the rule that decides one path.
type Answer struct {
	// Path is the path as it was given (relative to the starting
	// directory, or absolute).
	Path string
	// Rule is the last rule that matches the path, nil when none does; a
	// negation means the path is not ignored.
	ignore.Result
}

// AnswerWriter receives Explain's answers in order; Flush is called
// whenever no more input is waiting, so that each answer can be read as
// soon as its path was written (report.CheckIgnore).
type AnswerWriter interface {
	WriteAnswer(Answer) error
	Flush() error
}

// ExplainOptions says which paths Explain answers for.
type ExplainOptions struct {
	// Paths are the paths given on the command line, relative to the
	// starting directory (gitops.Repo.RepoPath resolves them).
	Paths []string
	// Stdin, when set, is read for the paths instead: one per line, a line
	// starting with '"' unquoted as git quotes names (gitops.UnquotePath),
	// or with NUL NUL-separated and taken as they are, as git check-ignore
	// --stdin [-z] reads them.
	Stdin io.Reader
	NUL   bool
}

// explainWorkTree refuses a repository without a work tree: the rules
// are read from it.
func explainWorkTree(repo *gitops.Repo) error {
	if err := repo.RequireWorkTree(); err != nil {
		return fmt.Errorf("explain needs a work tree: %w", err)
	}
	return nil
}

// Explain answers, for each path of opts in turn, which ignore rule of
// repo decides it (hook.IgnoreSources: .gitignore files, info/exclude,
// core.excludesFile, core.ignorecase), with the path's directory-ness
// taken from the file system as git does. It reports whether any path is
// ignored. Answers already written are flushed when a later path fails: a
// path outside the work tree, "" (an error wrapping gitops.ErrEmptyPath),
// or a badly quoted input line.
func Explain(repo *gitops.Repo, opts ExplainOptions, w AnswerWriter) (ignored bool, err error) {
	if err := explainWorkTree(repo); err != nil {
		return false, err
	}
	src, err := hook.IgnoreSources(repo)
	if err != nil {
		return false, err
	}
	m, err := ignore.New(src)
	if err != nil {
		return false, err
	}
	answer := func(arg string) error {
		rel, err := repo.RepoPath(arg)
		if errors.Is(err, gitops.ErrEmptyPath) {
			return fmt.Errorf("explain: %w", err)
		}
		if err != nil {
			return err
		}
		a := Answer{Path: arg, Result: m.Match(rel, ignore.KindUnknown)}
		ignored = ignored || a.Ignored()
		return w.WriteAnswer(a)
	}
	if opts.Stdin != nil {
		err = streamPaths(opts.Stdin, opts.NUL, answer, w.Flush)
	} else {
		for _, a := range opts.Paths {
			if err = answer(a); err != nil {
				break
			}
		}
	}
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing the answers: %w", ferr)
	}
	return ignored, err
}

// streamPaths calls answer for each path of r as it is read, and idle
// whenever no more input is waiting, so that a caller may feed paths one
// at a time and read each answer before writing the next (as with git
// check-ignore --stdin -n).
func streamPaths(r io.Reader, nul bool, answer func(string) error, idle func() error) error {
	in := bufio.NewReaderSize(r, 64<<10)
	sep := byte('\n')
	if nul {
		sep = 0
	}
	for {
		if in.Buffered() == 0 {
			if err := idle(); err != nil {
				return err
			}
		}
		line, err := in.ReadString(sep)
		if len(line) > 0 {
			line = strings.TrimSuffix(line, string(sep))
			if !nul && strings.HasPrefix(line, `"`) {
				u, uerr := gitops.UnquotePath(line)
				if uerr != nil {
					return fmt.Errorf("line is badly quoted: %s", line)
				}
				line = u
			}
			if aerr := answer(line); aerr != nil {
				return aerr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading paths: %w", err)
		}
	}
}

// CoverageOptions configures ExplainCoverage.
type CoverageOptions struct {
	// Template names a template file whose every line is judged instead
	// of the kinds of bytecode; a relative name is relative to Dir, the
	// directory pycguard runs in (-C; ExplainCoverageDir opens its
	// repository).
	Template, Dir string
	// Append appends to the top .gitignore what is missing: what fix
	// would (ignore.Completion), or with a Template its missing lines
	// (ignore.MissingSections).
	Append bool
}

// CoverageResult is what ExplainCoverage found and did.
type CoverageResult struct {
	// Kinds is how the rules cover each kind of bytecode (ignore.Bytecode,
	// the answer check, audit and fix use); nil with a Template.
	Kinds *ignore.Report
	// Lines is, with a Template, the coverage of each of its lines.
	Lines []ignore.LineCoverage
	// Appended is what Append added to the top .gitignore.
	Appended ignore.AppendResult
	// Incomplete: without Append, a kind is missing, or with a Template a
	// line is not covered (explain --coverage exits 1).
	Incomplete bool
}

// ExplainCoverage reports how repo's ignore rules cover the kinds of
// bytecode, or every line of a template, and appends what is missing when
// asked. When appending fails (or cannot be planned) the coverage found is
// returned with the error, so that it can still be shown.
func ExplainCoverage(repo *gitops.Repo, opts CoverageOptions) (*CoverageResult, error) {
	if err := explainWorkTree(repo); err != nil {
		return nil, err
	}
	src, err := hook.IgnoreSources(repo)
	if err != nil {
		return nil, err
	}
	res := &CoverageResult{}
	var sections []ignore.Section
	if opts.Template != "" {
		p := opts.Template
		if !filepath.IsAbs(p) {
			p = filepath.Join(opts.Dir, p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading the template: %w", err)
		}
		tmpl := ignore.ParseTemplate(data)
		m, err := ignore.New(src)
		if err != nil {
			return nil, err
		}
		res.Lines = ignore.TemplateCoverage(m, tmpl, src.IgnoreCase)
		for _, l := range res.Lines {
			res.Incomplete = res.Incomplete || l.Verdict != ignore.LineCovered
		}
		if opts.Append {
			sections = ignore.MissingSections(tmpl, res.Lines)
		}
	} else {
		if res.Kinds, err = ignore.Bytecode(src, nil); err != nil {
			return nil, err
		}
		res.Incomplete = res.Kinds.HasMissing()
		if opts.Append {
			c, err := res.Kinds.Completion()
			if err != nil {
				return res, err
			}
			sections = c.Sections
		}
	}
	if !opts.Append {
		return res, nil
	}
	res.Incomplete = false
	if len(sections) > 0 {
		added, err := ignore.AppendSections(filepath.Join(repo.WorkTree, ".gitignore"), sections)
		if err != nil {
			return res, fmt.Errorf("appending to .gitignore: %w", err)
		}
		res.Appended = added
	}
	return res, nil
}
