package tui

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/views"
)

// maxActivity bounds the activity list: it is a session's recent history,
// the audit log keeps the rest.
const maxActivity = 200

// activityEntry is one finished action.
type activityEntry struct {
	at     time.Time
	action string
	err    error
}

// record adds a finished action and returns the status-line notice for it.
func (m *Model) record(r views.Report) {
	m.activity = append(m.activity, activityEntry{at: m.opts.Now(), action: r.Action, err: r.Err})
	if len(m.activity) > maxActivity {
		m.activity = m.activity[len(m.activity)-maxActivity:]
	}
	if r.Err != nil {
		m.notice = "✗ " + r.Action + ": " + oneLine(r.Err.Error())
		m.noticeErr = true
	} else {
		m.notice = "✓ " + r.Action
		m.noticeErr = false
	}
}

func (m *Model) renderActivity(width, height int) string {
	th := m.opts.Theme
	lines := []string{th.Accent.Render("Activity") + th.Muted.Render(" (newest first · esc closes)"), ""}
	if len(m.activity) == 0 {
		lines = append(lines, th.Muted.Render("Nothing has been done in this session yet."))
	}
	for i := len(m.activity) - 1; i >= 0 && len(lines) < height; i-- {
		e := m.activity[i]
		mark, style := "✓", th.OK
		text := e.action
		if e.err != nil {
			mark, style = "✗", th.Danger
			text += ": " + oneLine(e.err.Error())
		}
		line := fmt.Sprintf("%s %s %s", th.Muted.Render(e.at.Format("15:04:05")), style.Render(mark), text)
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	return strings.Join(lines, "\n")
}

func borderColor(danger lipgloss.Style, isDanger bool) color.Color {
	if isDanger {
		return danger.GetForeground()
	}
	return lipgloss.NoColor{}
}
