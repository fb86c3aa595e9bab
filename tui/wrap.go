package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// wrap breaks s into lines no wider than width at spaces only (an id such
// as i-bp1… is never split at its hyphen; a word longer than the width is
// broken), keeping s's leading indent on every continuation line, so a
// wrapped fact stays whole instead of ending in "…". s may carry styles
// inside a line; a style spanning lines should use wrapIn.
func wrap(s string, width int) []string {
	width = max(width, 1)
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		body := strings.TrimLeft(line, " ")
		indent := strings.Repeat(" ", len(line)-len(body))
		if len(indent) >= width/2 {
			indent = ""
		}
		cur, curW := indent, len(indent)
		flush := func() {
			if strings.TrimSpace(ansi.Strip(cur)) != "" {
				out = append(out, cur)
			}
			cur, curW = indent, len(indent)
		}
		for _, word := range strings.Fields(body) {
			ww := ansi.StringWidth(word)
			switch {
			case curW > len(indent) && curW+1+ww <= width:
				cur += " " + word
				curW += 1 + ww
			case curW == len(indent) && len(indent)+ww <= width:
				cur += word
				curW += ww
			default:
				flush()
				for ww > width-len(indent) { // longer than a line: break it
					head := ansi.Truncate(word, width-len(indent), "")
					if i := strings.LastIndexAny(head, "/|,"); i > 0 && ansi.Strip(head) == head {
						head = head[:i+1] // after a separator, if there is one
					}
					out = append(out, indent+head)
					word = ansi.Cut(word, ansi.StringWidth(head), ww)
					ww = ansi.StringWidth(word)
				}
				cur, curW = indent+word, len(indent)+ww
			}
		}
		flush()
	}
	return out
}

// wrapIn wraps plain text and styles each line on its own, so a colour
// never runs into the dialog's frame.
func wrapIn(style lipgloss.Style, s string, width int) []string {
	lines := wrap(s, width)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}
