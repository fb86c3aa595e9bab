package views

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// Detail is a resource's detail pane: its fields, then sections of related
// resources whose rows can be opened in their own view (enter).
type Detail struct {
	Title    string
	Fields   []Field
	Sections []Section
	// Notice is said above the fields, as a warning: the resource is gone
	// since the pane was built.
	Notice string

	cursor int // index over every jumpable row of every section
	offset int // first line shown
}

// Field is one "label: value" line.
type Field struct {
	Label, Value string
	// Style colours the value (e.g. a status); nil = plain.
	Style func(th theme.Theme, value string) lipgloss.Style
}

// Section lists related resources.
type Section struct {
	Title string
	// Empty is shown when there are no rows ("no data disks").
	Empty string
	Rows  []DetailRow
}

// DetailRow is one related resource; Target is the message enter sends
// (usually a Navigate), nil when the row cannot be opened.
type DetailRow struct {
	Text   string
	Target tea.Msg
}

func (d *Detail) jumpable() []DetailRow {
	var out []DetailRow
	for _, s := range d.Sections {
		for _, r := range s.Rows {
			if r.Target != nil {
				out = append(out, r)
			}
		}
	}
	return out
}

func (d *Detail) handleKey(k tea.KeyPressMsg) tea.Cmd {
	rows := d.jumpable()
	switch {
	case key.Matches(k, DefaultNav().Up):
		d.cursor = max(d.cursor-1, 0)
	case key.Matches(k, DefaultNav().Down):
		d.cursor = min(d.cursor+1, max(len(rows)-1, 0))
	case key.Matches(k, DefaultNav().PageDown):
		d.offset += 10
	case key.Matches(k, DefaultNav().PageUp):
		d.offset = max(d.offset-10, 0)
	case key.Matches(k, DefaultNav().Open):
		if d.cursor < len(rows) {
			target := rows[d.cursor].Target
			return func() tea.Msg { return target }
		}
	}
	return nil
}

// View renders the pane; lines past the height scroll with the cursor.
func (d *Detail) View(th theme.Theme, width, height int, busy bool) string {
	var lines []string
	if d.Notice != "" {
		for _, l := range strings.Split(ansi.Wordwrap(textsafe.Text(d.Notice), max(width-2, 8), ""), "\n") {
			lines = append(lines, " "+th.Warn.Render(l))
		}
		lines = append(lines, "")
	}
	labelW := 0
	for _, f := range d.Fields {
		labelW = max(labelW, lipgloss.Width(f.Label))
	}
	for _, f := range d.Fields {
		v := textsafe.Line(f.Value) // values come from the API
		if v == "" {
			v = "-"
		}
		style := lipgloss.NewStyle()
		if f.Style != nil {
			style = f.Style(th, f.Value)
		}
		label := th.Label.Render(f.Label + strings.Repeat(" ", labelW-lipgloss.Width(f.Label)))
		lines = append(lines, " "+label+"  "+style.Render(ansi.Truncate(v, max(width-labelW-4, 8), "…")))
	}
	cursorLine := -1
	jump := 0
	for _, s := range d.Sections {
		lines = append(lines, "", " "+th.Accent.Render(s.Title))
		if len(s.Rows) == 0 {
			text := s.Empty
			if text == "" {
				text = "none"
			}
			lines = append(lines, "   "+th.Muted.Render(text))
		}
		for _, r := range s.Rows {
			text := ansi.Truncate(textsafe.Line(r.Text), max(width-4, 8), "…")
			if r.Target == nil {
				lines = append(lines, "   "+text)
				continue
			}
			if jump == d.cursor {
				cursorLine = len(lines)
				lines = append(lines, " "+th.Selected.Render("› "+text+strings.Repeat(" ", max(0, width-4-lipgloss.Width(text)))))
			} else {
				lines = append(lines, "   "+text)
			}
			jump++
		}
	}
	if busy {
		lines = append(lines, "", " "+th.Muted.Render("Loading related resources…"))
	}
	// Keep the cursor on screen.
	if cursorLine >= 0 {
		if cursorLine < d.offset {
			d.offset = cursorLine
		}
		if cursorLine >= d.offset+height {
			d.offset = cursorLine - height + 1
		}
	}
	d.offset = min(d.offset, max(len(lines)-height, 0))
	end := min(d.offset+height, len(lines))
	return strings.Join(lines[d.offset:end], "\n")
}
