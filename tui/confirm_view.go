package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/views"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// maxConfirmWidth keeps the dialog readable on a wide terminal.
const maxConfirmWidth = 100

// renderConfirm lays the dialog out inside width x height, never beyond:
// every part wraps instead of being cut. The prompt and key lines are
// pinned at the bottom; the title (what changes), what cannot be undone and
// the DryRun verdict come next; when even so the dialog is too tall, the
// CLI block shrinks to one line and then goes (the copy key still copies
// it), and the long parts (the resource list) scroll, the bottom border
// saying where.
func (m *Model) renderConfirm(width, height int) string {
	c := m.confirm
	inner := max(min(width, maxConfirmWidth)-4, 10) // border and padding
	room := max(height-2, 3)
	parts := c.parts(m, inner)

	pinned := append(parts.prompt, parts.keys...)
	avail := max(room-len(pinned), 1)
	scrollKeys := "↑/↓"
	if len(c.req.Options) > 1 {
		scrollKeys = "pgup/pgdn"
	}
	column, where := layoutConfirm(parts, avail, &c.scroll)
	if where != "" {
		where = scrollKeys + " " + where
	}
	box := frame(append(column, pinned...), inner, where, m.borderStyle(c.req.Danger))
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}

// frame draws a rounded border with one column of padding around lines
// (each at most inner wide); note, when set, sits in the bottom border.
func frame(lines []string, inner int, note string, border lipgloss.Style) string {
	var b strings.Builder
	b.WriteString(border.Render("╭"+strings.Repeat("─", inner+2)+"╮") + "\n")
	for _, l := range lines {
		pad := max(inner-ansi.StringWidth(l), 0)
		b.WriteString(border.Render("│") + " " + l + strings.Repeat(" ", pad) + " " + border.Render("│") + "\n")
	}
	bottom := strings.Repeat("─", inner+2)
	if note != "" && ansi.StringWidth(note)+4 <= inner+2 {
		bottom = "─ " + note + " " + strings.Repeat("─", inner+2-ansi.StringWidth(note)-3)
	}
	b.WriteString(border.Render("╰" + bottom + "╯"))
	return b.String()
}

func (m *Model) borderStyle(danger bool) lipgloss.Style {
	if danger {
		return lipgloss.NewStyle().Foreground(m.opts.Theme.Danger.GetForeground())
	}
	return lipgloss.NewStyle()
}

// confirmParts are the dialog's blocks, each already wrapped to the width.
type confirmParts struct {
	title, body, cli, cliShort []string
	// facts are the essentials; lean is facts without the options' help
	// lines, for a small screen.
	facts, lean  []string
	prompt, keys []string
}

func (c *confirmation) parts(m *Model, width int) confirmParts {
	th := m.opts.Theme
	var p confirmParts
	titleStyle := th.Accent
	if c.req.Danger {
		titleStyle = th.Danger.Bold(true)
	}
	// Title, lines, verdict and CLI carry names and the API's messages:
	// shown printable, never obeyed.
	p.title = wrapIn(titleStyle, textsafe.Text(c.req.Title), width)

	for _, l := range c.req.Lines {
		p.body = append(p.body, wrap("  "+textsafe.Text(l), width)...)
	}
	for len(p.body) > 0 && strings.TrimSpace(ansi.Strip(p.body[len(p.body)-1])) == "" {
		p.body = p.body[:len(p.body)-1] // the dialog spaces its own blocks
	}

	fact := func(style lipgloss.Style, s string) {
		p.facts = append(p.facts, wrapIn(style, s, width)...)
		p.lean = append(p.lean, wrapIn(style, s, width)...)
	}
	plain := lipgloss.NewStyle()
	if len(c.hidden) > 0 {
		names := strings.Join(c.hidden, ", ")
		if len(c.hidden) > 5 { // the count is the fact; the first ids say which
			names = fmt.Sprintf("%s and %d more (clear the filter to see them)", strings.Join(c.hidden[:5], ", "), len(c.hidden)-5)
		}
		fact(th.Warn, fmt.Sprintf("Not included: %d marked %s hidden by the filter: %s",
			len(c.hidden), plural(len(c.hidden), "row", "rows"), names))
	}
	for i, o := range c.req.Options {
		line := wrap(c.optionLine(m, i, o), width)
		p.facts, p.lean = append(p.facts, line...), append(p.lean, line...)
		if o.Selected < len(o.Help) && o.Help[o.Selected] != "" {
			p.facts = append(p.facts, wrapIn(th.Muted, "    "+o.Help[o.Selected], width)...)
		}
	}
	if c.optErr != "" {
		fact(th.Warn, "✗ "+c.optErr)
	}
	if c.req.Undoable != "" {
		fact(th.Danger, "Cannot be undone: "+c.req.Undoable)
	}
	switch v := c.verdict; {
	case v != nil && v.Refused:
		fact(th.Warn, "✗ "+textsafe.Line(v.Text))
		if v.Advice != "" {
			fact(plain, textsafe.Line(v.Advice))
		}
	case v != nil && v.OK:
		fact(th.OK, "✓ "+textsafe.Line(v.Text))
	case v != nil:
		fact(th.Warn, "! "+textsafe.Line(v.Text))
	case c.req.Precheck != nil:
		fact(th.Muted, "DryRun precheck…")
	}

	if len(c.req.CLI) > 0 {
		// A command is cut to the width, not wrapped: it is long and the
		// copy key gives it whole.
		p.cli = []string{th.Muted.Render("aliyun CLI:")}
		for _, l := range c.req.CLI {
			p.cli = append(p.cli, ansi.Truncate("  "+textsafe.Line(l), width, "…"))
		}
		p.cliShort = []string{th.Muted.Render(fmt.Sprintf("aliyun CLI: %d %s (%s copies)",
			len(c.req.CLI), plural(len(c.req.CLI), "command", "commands"), c.copyKey()))}
	}

	if c.typedMode() {
		word := c.req.Typed
		if len(c.req.Accept) > 0 {
			word += " (or " + strings.Join(c.req.Accept, ", ") + ")"
		}
		p.prompt = wrap("type "+th.Accent.Render(textsafe.Line(word))+" to confirm:", width)
		p.prompt = append(p.prompt, c.inputLine(m, width))
	}
	p.keys = wrap(c.keyLine(m), width)
	return p
}

// layoutConfirm fits the column above the pinned lines into avail lines;
// where says which part shows when some of it scrolls ("" = all of it).
func layoutConfirm(p confirmParts, avail int, scroll *int) (lines []string, where string) {
	join := func(spaced bool, blocks ...[]string) []string {
		var out []string
		for _, b := range blocks {
			if len(b) == 0 {
				continue
			}
			if spaced && len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, b...)
		}
		if spaced && len(out) > 0 {
			out = append(out, "") // a blank before the prompt
		}
		return out
	}
	for _, try := range [][]string{
		join(true, p.title, p.body, p.facts, p.cli),
		join(true, p.title, p.body, p.facts, p.cliShort),
		join(true, p.title, p.body, p.facts),
		join(false, p.title, p.body, p.facts),
		join(false, p.title, p.body, p.lean),
	} {
		if len(try) <= avail {
			*scroll = 0
			return try, ""
		}
	}
	// The resource list scrolls between the title and the facts.
	facts := p.facts
	if len(p.title)+len(facts)+1 > avail {
		facts = p.lean
	}
	if room := avail - len(p.title) - len(facts); room >= 1 && len(p.body) > 0 {
		*scroll = max(min(*scroll, len(p.body)-room), 0)
		window := p.body[*scroll : *scroll+room]
		where = fmt.Sprintf("%d–%d of %d lines", *scroll+1, *scroll+room, len(p.body))
		return join(false, p.title, window, facts), where
	}
	// A tiny screen: everything above the prompt scrolls, the essential
	// facts first and the resource list after them.
	all := join(false, p.title, facts, p.body)
	*scroll = max(min(*scroll, len(all)-avail), 0)
	end := min(*scroll+avail, len(all))
	return all[*scroll:end], fmt.Sprintf("%d–%d of %d lines", *scroll+1, end, len(all))
}

// optionLine shows one setting with every choice, the selected one marked.
func (c *confirmation) optionLine(m *Model, i int, o views.Option) string {
	th := m.opts.Theme
	marker := "  "
	if i == c.focus && len(c.req.Options) > 1 {
		marker = th.Accent.Render("› ")
	}
	var choices []string
	for j, ch := range o.Choices {
		if j == o.Selected {
			choices = append(choices, th.Selected.Render("["+ch+"]"))
		} else {
			choices = append(choices, th.Muted.Render(" "+ch+" "))
		}
	}
	return marker + o.Label + ": " + strings.Join(choices, " ")
}

// inputLine is what has been typed, the part matching the expected word
// in the OK colour and the rest in the danger colour, then a word saying
// whether it matches.
func (c *confirmation) inputLine(m *Model, width int) string {
	th := m.opts.Theme
	best := ""
	for _, w := range c.accepted() {
		if n := commonPrefix(w, c.typed); n > len(best) {
			best = c.typed[:n]
		}
	}
	text := th.OK.Render(best) + th.Danger.Render(c.typed[len(best):]) + th.Selected.Render(" ")
	var state string
	switch {
	case c.typed == "":
		state = th.Muted.Render("tab completes")
	case c.matches():
		state = th.OK.Render("✓ matches")
	case len(best) == len(c.typed):
		state = th.Muted.Render("…")
	default:
		state = th.Danger.Render("✗ does not match")
	}
	line := "› " + text + " " + state
	if ansi.StringWidth(line) > width { // keep the end (where typing happens) in view
		line = ansi.TruncateLeft(line, ansi.StringWidth(line)-width+1, "…")
	}
	return line
}

func (c *confirmation) copyKey() string {
	if c.typedMode() {
		return "ctrl+y"
	}
	return "c"
}

// keyLine says what the keys do now.
func (c *confirmation) keyLine(m *Model) string {
	th := m.opts.Theme
	var parts []string
	hint := func(k, d string) { parts = append(parts, th.Key.Render(k)+" "+th.Desc.Render(d)) }
	switch {
	case c.refused() && c.typedMode():
		hint("esc", "close")
		hint("ctrl+s", "send anyway")
	case c.refused():
		hint("esc", "close")
		hint("ctrl+s", "send anyway")
	case c.typedMode():
		hint("enter", "confirm")
		hint("tab", "complete")
		hint("esc", "cancel")
	default:
		hint("y", "yes")
		hint("n/esc", "no")
	}
	if len(c.req.Options) > 0 && c.req.Change != nil {
		hint("←/→", c.req.Options[c.focus].Label)
	}
	if len(c.req.CLI) > 0 {
		if c.copied {
			parts = append(parts, th.OK.Render("copied"))
		} else {
			hint(c.copyKey(), "copy CLI")
		}
	}
	return strings.Join(parts, "  ")
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// verdictMsg is a precheck's verdict tagged with the confirmation it
// answers: a verdict for a dialog already closed is dropped.
type verdictMsg struct {
	seq     int
	verdict views.Verdict
}

func tagVerdict(seq int, precheck tea.Cmd) tea.Cmd {
	if precheck == nil {
		return nil
	}
	return func() tea.Msg {
		v, _ := precheck().(views.Verdict)
		return verdictMsg{seq: seq, verdict: v}
	}
}
