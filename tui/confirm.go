package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/views"
)

// confirmation is an action waiting for the user's yes. For what cannot be
// undone the user types a word (the resource's name or id) instead.
type confirmation struct {
	req   views.Confirm
	typed textinput.Model
}

func newConfirmation(req views.Confirm) *confirmation {
	c := &confirmation{req: req}
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
	case "esc", "n":
		if c.req.Typed == "" || k.String() == "esc" {
			return true, nil
		}
	case "y":
		if c.req.Typed == "" {
			return true, c.req.Run
		}
	case "enter":
		if c.req.Typed == "" {
			return false, nil // enter alone must not confirm: y is explicit
		}
		if c.typed.Value() == c.req.Typed {
			return true, c.req.Run
		}
		return false, nil
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
	limit := max(height-8, 3)
	for i, l := range c.req.Lines {
		if i == limit && len(c.req.Lines) > limit+1 {
			lines = append(lines, th.Muted.Render("  … and more"))
			break
		}
		lines = append(lines, "  "+l)
	}
	lines = append(lines, "")
	if c.req.Typed != "" {
		lines = append(lines, th.Warn.Render("This cannot be undone."), c.typed.View(), th.Muted.Render("enter confirm · esc cancel"))
	} else {
		lines = append(lines, th.Key.Render("y")+th.Desc.Render(" yes  ")+th.Key.Render("n/esc")+th.Desc.Render(" no"))
	}
	box := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(borderColor(th.Danger, c.req.Danger)).Padding(0, 1).
		MaxWidth(width).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}
