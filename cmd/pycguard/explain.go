package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/pycguard/pycguard/gitops"
	"github.com/pycguard/pycguard/hook"
	"github.com/pycguard/pycguard/ignore"
	"github.com/pycguard/pycguard/report"
)

type explainOptions struct {
	stdin    bool
	nul      bool
	coverage bool
	template string
	append   bool
}

func explainCommand(g *globals) *cli.Command {
	var o explainOptions
	return &cli.Command{
		Name:      "explain",
		Usage:     "say which ignore rule decides each path (like git check-ignore -v -n --no-index)",
		ArgsUsage: "[PATH...]",
		Description: "For each path prints SOURCE:LINE:PATTERN<TAB>PATH, or ::<TAB>PATH when no rule\n" +
			"matches; a matching negation is printed with its \"!\" and the path is not\n" +
			"ignored. Paths are relative to the current directory. Exit status 0 when any\n" +
			"path is ignored, 1 when none is.\n\n" +
			"With --coverage, reports instead whether git ignores each kind of bytecode\n" +
			"(__pycache__/ contents, *.pyc, *.pyo, *$py.class): covered (by which rules),\n" +
			"kept (a \"!\" rule of .gitignore keeps some on purpose; the rest ignored) or\n" +
			"missing, then the template lines the rules lack as information (*.pyd, *.pyz);\n" +
			"exit status 1 when a kind is missing. --append then appends what pycguard fix\n" +
			"would. With --template FILE, every line of FILE is judged instead (covered,\n" +
			"negated, partly covered, missing) and --append adds the missing lines.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "stdin", Usage: "read paths from standard input, one per line", Destination: &o.stdin},
			&cli.BoolFlag{Name: "z", Usage: "NUL-separated input paths and output fields", Destination: &o.nul},
			&cli.BoolFlag{Name: "coverage", Usage: "report template coverage instead of explaining paths", Destination: &o.coverage},
			&cli.StringFlag{Name: "template", Usage: "with --coverage: every rule of template `FILE` (default: the bytecode section)", Destination: &o.template},
			&cli.BoolFlag{Name: "append", Usage: "with --coverage: append the missing template lines to .gitignore", Destination: &o.append},
		},
		Action: func(_ context.Context, c *cli.Command) error {
			if o.coverage {
				if o.stdin || o.nul || c.NArg() > 0 {
					return usagef("explain --coverage takes no paths, --stdin or -z")
				}
				return g.explainCoverage(o)
			}
			if o.template != "" || o.append {
				return usagef("explain: --template and --append need --coverage")
			}
			if o.stdin == (c.NArg() > 0) {
				return usagef("explain: give paths or --stdin (not both)")
			}
			return g.explain(o, c.Args().Slice())
		},
	}
}

// explainer answers for paths given relative to the starting directory.
type explainer struct {
	m    *ignore.Matcher
	repo *gitops.Repo // resolves the paths (RepoPath)
	nul  bool
	out  *bufio.Writer
	any  bool // some path was ignored
}

func (g *globals) ignoreSources() (*gitops.Repo, ignore.Sources, error) {
	repo, err := gitops.Discover(g.dir, nil)
	if err != nil {
		return nil, ignore.Sources{}, err
	}
	if err := repo.RequireWorkTree(); err != nil {
		return nil, ignore.Sources{}, fmt.Errorf("explain needs a work tree: %w", err)
	}
	src, err := hook.IgnoreSources(repo)
	return repo, src, err
}

func (g *globals) explain(o explainOptions, args []string) error {
	repo, src, err := g.ignoreSources()
	if err != nil {
		return err
	}
	m, err := ignore.New(src)
	if err != nil {
		return err
	}
	e := &explainer{m: m, repo: repo, nul: o.nul, out: bufio.NewWriterSize(g.stdout, 64<<10)}
	if o.stdin {
		err = e.stream(g.stdin)
	} else {
		for _, a := range args {
			if err = e.explain(a); err != nil {
				break
			}
		}
	}
	if ferr := e.out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing the answers: %w", ferr)
	}
	if err != nil {
		return err
	}
	if !e.any {
		return errFindings // exit 1: no path is ignored, as git check-ignore
	}
	return nil
}

// stream answers each path of r as it is read; the output is flushed
// whenever no more input is waiting, so that a caller may feed paths one
// at a time (as with git check-ignore --stdin -n).
func (e *explainer) stream(r io.Reader) error {
	in := bufio.NewReaderSize(r, 64<<10)
	sep := byte('\n')
	if e.nul {
		sep = 0
	}
	for {
		if in.Buffered() == 0 {
			if err := e.out.Flush(); err != nil {
				return err
			}
		}
		line, err := in.ReadString(sep)
		if len(line) > 0 {
			line = strings.TrimSuffix(line, string(sep))
			if !e.nul && strings.HasPrefix(line, `"`) {
				u, uerr := gitops.UnquotePath(line)
				if uerr != nil {
					return fmt.Errorf("line is badly quoted: %s", line)
				}
				line = u
			}
			if xerr := e.explain(line); xerr != nil {
				return xerr
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

func (e *explainer) explain(arg string) error {
	if arg == "" {
		return usagef("explain: an empty string is not a path (use . for the current directory)")
	}
	rel, err := e.repo.RepoPath(arg)
	if err != nil {
		return err
	}
	res := e.m.Match(rel, ignore.KindUnknown)
	if res.Ignored() {
		e.any = true
	}
	w := e.out
	if e.nul {
		if r := res.Rule; r != nil {
			w.WriteString(r.Source)
			w.WriteByte(0)
			w.WriteString(strconv.Itoa(r.Line))
			w.WriteByte(0)
			w.WriteString(r.Pattern)
			w.WriteByte(0)
		} else {
			w.WriteString("\x00\x00\x00")
		}
		w.WriteString(arg)
		w.WriteByte(0)
		return nil
	}
	if r := res.Rule; r != nil {
		// git check-ignore -v quotes the source and prints the pattern as
		// written.
		w.WriteString(gitops.QuotePath(r.Source))
		w.WriteByte(':')
		w.WriteString(strconv.Itoa(r.Line))
		w.WriteByte(':')
		w.WriteString(r.Pattern)
	} else {
		w.WriteString("::")
	}
	w.WriteByte('\t')
	w.WriteString(gitops.QuotePath(arg))
	w.WriteByte('\n')
	return nil
}

// explainCoverage reports how the repository's rules cover each kind of
// bytecode (ignore.Bytecode, the answer check, audit and fix use), then
// the template's lines as information; exit 1 when a kind is missing.
// --append appends what fix would (ignore.Completion). With --template
// FILE it reports every line of the template instead, and --append adds
// the template's missing lines.
func (g *globals) explainCoverage(o explainOptions) error {
	repo, src, err := g.ignoreSources()
	if err != nil {
		return err
	}
	if o.template != "" {
		return g.explainTemplateCoverage(o, repo, src)
	}
	cov, err := ignore.Bytecode(src, nil)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(g.stdout)
	if err := report.WriteCoverageTSV(w, report.NewKindCoverage(cov), report.NewLineCoverage(cov.Template())); err != nil {
		return err
	}
	if !o.append {
		return finishCoverage(w, cov.HasMissing())
	}
	c, err := cov.Completion()
	if err != nil {
		w.Flush()
		return err
	}
	return appendCoverage(w, repo, c.Sections)
}

// explainTemplateCoverage is explain --coverage --template FILE: every
// line of the template, judged line by line.
func (g *globals) explainTemplateCoverage(o explainOptions, repo *gitops.Repo, src ignore.Sources) error {
	p := o.template
	if !filepath.IsAbs(p) {
		p = filepath.Join(g.dir, p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("reading the template: %w", err)
	}
	tmpl := ignore.ParseTemplate(data)
	m, err := ignore.New(src)
	if err != nil {
		return err
	}
	cov := ignore.TemplateCoverage(m, tmpl, src.IgnoreCase)
	w := bufio.NewWriter(g.stdout)
	complete := true
	for _, c := range report.NewLineCoverage(cov) {
		fmt.Fprintf(w, "%s\t%s\t%s\n", c.Verdict, gitops.QuotePath(c.Line), c.Detail())
		complete = complete && c.Verdict == ignore.LineCovered.String()
	}
	if o.append {
		return appendCoverage(w, repo, ignore.MissingSections(tmpl, cov))
	}
	return finishCoverage(w, !complete)
}

// appendCoverage appends sections to the top .gitignore, says so on w
// and flushes it (explain --coverage --append: exit 0).
func appendCoverage(w *bufio.Writer, repo *gitops.Repo, sections []ignore.Section) error {
	if len(sections) > 0 {
		res, err := ignore.AppendSections(filepath.Join(repo.WorkTree, ".gitignore"), sections)
		if err != nil {
			w.Flush()
			return fmt.Errorf("appending to .gitignore: %w", err)
		}
		if res.Changed() {
			fmt.Fprintf(w, "appended %d line(s) to %s\n", len(res.Added), res.Path)
		}
	}
	return w.Flush()
}

// finishCoverage flushes w; exit 1 when something is missing.
func finishCoverage(w *bufio.Writer, missing bool) error {
	if err := w.Flush(); err != nil {
		return err
	}
	if missing {
		return errFindings
	}
	return nil
}
