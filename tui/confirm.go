package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/views"
)

// confirmation is an action waiting for the user's yes. For what cannot be
// undone the user types the resource's id or name instead, then enter.
type confirmation struct {
	req     views.Confirm
	typed   textinput.Model
	verdict *views.Verdict
	copied  bool
	// hidden are marked rows the filter hides: named, never acted on.
	hidden []string
}

func newConfirmation(req views.Confirm, hidden []string) *confirmation {
	c := &confirmation{req: req, hidden: hidden}
	if req.Typed != "" {
		c.typed = textinput.New()
		c.typed.Prompt = "type " + req.Typed + " to confirm: "
		c.typed.Focus()
	}
	return c
}

// handleKey returns (done, run): done closes the dialog, run is the action
// to start (nil when cancelled).
func (c *confirmation) handleKey(k tea.KeyPressMsg) (done bool, run tea.Cmd) {
	switch k.String() {
	case "esc":
		return true, nil
	case "n":
		if c.req.Typed == "" {
			return true, nil
		}
	case "y":
		if c.req.Typed == "" {
			return true, c.req.Run
		}
	case "c":
		if c.req.Typed == "" && len(c.req.CLI) > 0 {
			c.copied = true
			return false, tea.SetClipboard(strings.Join(c.req.CLI, "\n"))
		}
	case "ctrl+y":
		if len(c.req.CLI) > 0 { // copy works while typing too
			c.copied = true
			return false, tea.SetClipboard(strings.Join(c.req.CLI, "\n"))
		}
	case "enter":
		if c.req.Typed != "" && c.typed.Value() == c.req.Typed {
			return true, c.req.Run
		}
		return false, nil // enter alone never confirms
	}
	if c.req.Typed != "" {
		c.typed, _ = c.typed.Update(k)
	}
	return false, nil
}

func (m *Model) renderConfirm(width, height int) string {
	c := m.confirm
	th := m.opts.Theme
	title := th.Accent.Render(c.req.Title)
	if c.req.Danger {
		title = th.Danger.Bold(true).Render(c.req.Title)
	}
	lines := []string{title, ""}
	limit := max(height-14, 3)
	for i, l := range c.req.Lines {
		if i == limit && len(c.req.Lines) > limit+1 {
			lines = append(lines, th.Muted.Render("  … and more"))
			break
		}
		lines = append(lines, "  "+l)
	}
	if c.req.Undoable != "" {
		lines = append(lines, "", th.Danger.Render("Cannot be undone: "+c.req.Undoable))
	}
	switch {
	case c.verdict != nil && c.verdict.OK:
		lines = append(lines, "", th.OK.Render("✓ "+c.verdict.Text))
	case c.verdict != nil:
		lines = append(lines, "", th.Warn.Render("✗ "+c.verdict.Text))
	case c.req.Precheck != nil:
		lines = append(lines, "", th.Muted.Render("DryRun precheck…"))
	}
	if len(c.req.CLI) > 0 {
		lines = append(lines, "", th.Muted.Render("aliyun CLI:"))
		for _, cli := range c.req.CLI {
			lines = append(lines, "  "+cli)
		}
	}
	lines = append(lines, "")
	// Long lines (a CLI command) are cut to the screen, never wrapped past
	// the frame: c copies the whole command.
	inner := max(width-4, 10)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, inner, "…")
	}
	copyHint := ""
	if len(c.req.CLI) > 0 {
		copyHint = "  " + th.Key.Render("c") + th.Desc.Render(" copy CLI")
		if c.copied {
			copyHint = "  " + th.OK.Render("copied")
		}
	}
	if c.req.Typed != "" {
		if len(c.req.CLI) > 0 {
			copyHint = "  " + th.Key.Render("ctrl+y") + th.Desc.Render(" copy CLI")
			if c.copied {
				copyHint = "  " + th.OK.Render("copied")
			}
		}
		lines = append(lines, c.typed.View(), th.Key.Render("enter")+th.Desc.Render(" confirm  ")+th.Key.Render("esc")+th.Desc.Render(" cancel")+copyHint)
	} else {
		lines = append(lines, th.Key.Render("y")+th.Desc.Render(" yes  ")+th.Key.Render("n/esc")+th.Desc.Render(" no")+copyHint)
	}
	box := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(borderColor(th.Danger, c.req.Danger)).Padding(0, 1).
		MaxWidth(width).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
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
