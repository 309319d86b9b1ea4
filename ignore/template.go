package ignore

import (
	"bytes"
	"strings"
)

// BytecodeHeader is the comment that opens the bytecode section of
// GitHub's Python.gitignore template.
const BytecodeHeader = "# Byte-compiled / optimized / DLL files"

// bytecodeSection is that section as the template has it since 2025
// (older copies say "*.py[cod]"; "z" is for zipapps).
const bytecodeSection = BytecodeHeader + "\n__pycache__/\n*.py[codz]\n*$py.class\n"

// Template is an ignore template (GitHub's Python.gitignore or a file
// given by the user) split into sections.
type Template struct {
	Sections []Section
}

// Section is a run of template rules with the comment lines that head it.
type Section struct {
	Header []string       // comment lines right above the rules ("# C extensions")
	Lines  []TemplateLine // the rules, in order
	// Verbatim: AppendSections appends every rule, even one the file
	// already has (a rule repeated so that it decides again).
	Verbatim bool
}

// TemplateLine is one rule of a template.
type TemplateLine struct {
	Text string // the pattern as Lines reads it
	Line int    // 1-based line number in the template
}

// BytecodeTemplate returns the bytecode section of the Python template:
// "__pycache__/", "*.py[codz]", "*$py.class".
func BytecodeTemplate() Template { return ParseTemplate([]byte(bytecodeSection)) }

// ParseTemplate reads a template. A section starts at the comment lines
// after a blank line (or the start) and holds the rules up to the next
// such comment block; rules are read as Lines reads them.
func ParseTemplate(data []byte) Template {
	var t Template
	var header []string
	var cur *Section
	lastBlank := true
	data = bytes.TrimPrefix(data, bom)
	for n, raw := range strings.Split(string(data), "\n") {
		text := strings.TrimSuffix(raw, "\r")
		switch {
		case strings.TrimSpace(text) == "":
			lastBlank = true
			continue
		case strings.HasPrefix(text, "#"):
			if lastBlank || cur == nil || len(header) > 0 {
				if lastBlank {
					header = nil
				}
				header = append(header, text)
				cur = nil
			}
			lastBlank = false
			continue
		}
		lastBlank = false
		rule, _ := Lines([]byte(text))
		if len(rule) == 0 {
			continue
		}
		if cur == nil {
			t.Sections = append(t.Sections, Section{Header: header})
			cur = &t.Sections[len(t.Sections)-1]
			header = nil
		}
		cur.Lines = append(cur.Lines, TemplateLine{Text: rule[0], Line: n + 1})
	}
	return t
}

// AllLines returns the rules of every section in order.
func (t Template) AllLines() []TemplateLine {
	var all []TemplateLine
	for _, s := range t.Sections {
		all = append(all, s.Lines...)
	}
	return all
}
