package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrap breaks s into lines no wider than width at spaces (a word longer
// than the width is broken, never an id at its hyphen), keeping s's leading indent on every
// continuation line, so a wrapped fact stays whole instead of ending in "…".
func wrap(s string, width int) []string {
	if width < 1 {
		width = 1
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		plain := ansi.Strip(line)
		indent := plain[:len(plain)-len(strings.TrimLeft(plain, " "))]
		if len(indent) >= width || !strings.HasPrefix(line, indent) {
			indent = ""
		}
		body := strings.TrimLeft(line, " ")
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		for _, w := range strings.Split(ansi.Hardwrap(ansi.Wordwrap(body, width-len(indent), ""), width-len(indent), true), "\n") {
			out = append(out, indent+w)
		}
	}
	return out
}
