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

// activityEntry is one action, running or finished.
type activityEntry struct {
	task      string
	at        time.Time
	action    string
	progress  string // last progress text while running
	running   bool
	err       error
	requestID string
}

// progress records a running action's step.
func (m *Model) progress(p views.Progress) {
	if e := m.findTask(p.Task); e != nil {
		e.progress = p.Text
		return
	}
	action := p.Action
	if action == "" {
		action = p.Task
	}
	m.appendActivity(activityEntry{task: p.Task, at: m.opts.Now(), action: action, progress: p.Text, running: true})
}

func (m *Model) findTask(task string) *activityEntry {
	if task == "" {
		return nil
	}
	for i := len(m.activity) - 1; i >= 0; i-- {
		if m.activity[i].task == task && m.activity[i].running {
			return &m.activity[i]
		}
	}
	return nil
}

func (m *Model) appendActivity(e activityEntry) {
	m.activity = append(m.activity, e)
	if len(m.activity) > maxActivity {
		m.activity = m.activity[len(m.activity)-maxActivity:]
	}
}

// record adds a finished action (ending its running entry, if any) and
// sets the status-line notice for it.
func (m *Model) record(r views.Report) {
	if e := m.findTask(r.Task); e != nil {
		e.running, e.err, e.requestID, e.action, e.at = false, r.Err, r.RequestID, r.Action, m.opts.Now()
	} else {
		m.appendActivity(activityEntry{at: m.opts.Now(), action: r.Action, err: r.Err, requestID: r.RequestID})
	}
	if r.Err != nil {
		m.notice = "✗ " + r.Action + ": " + oneLine(r.Err.Error())
		m.noticeErr = true
	} else {
		m.notice = "✓ " + r.Action
		m.noticeErr = false
	}
}

// activitySummary is the status bar's one line about actions.
func (m *Model) activitySummary() string {
	running := 0
	for _, e := range m.activity {
		if e.running {
			running++
		}
	}
	if running == 0 {
		return ""
	}
	return fmt.Sprintf("%d running (:activity)", running)
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
		switch {
		case e.running:
			mark, style = m.spinner.View(), th.Warn
			text += " — " + e.progress
		case e.err != nil:
			mark, style = "✗", th.Danger
			text += ": " + oneLine(e.err.Error())
		}
		if e.requestID != "" {
			text += th.Muted.Render("  RequestId " + e.requestID)
		}
		line := fmt.Sprintf("%s %s %s", th.Muted.Render(views.Clock(m.ctx().Location(), e.at)), style.Render(mark), text)
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
