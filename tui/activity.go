package tui

import (
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views"
	"github.com/ecsdash/ecsdash/views/textsafe"
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
	cli       []string // the calls' parameters, as aliyun CLI lines
	// leftStopped are instances the action left Stopped after a failure;
	// unconfirmed: its outcome could not be read (Report).
	leftStopped []string
	unconfirmed bool
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
	if m.mode == modeActivity && (m.actCursor > 0 || m.actOpen) {
		m.actCursor++ // the entry under the cursor stays selected
	}
	m.activity = append(m.activity, e)
	if len(m.activity) > maxActivity {
		m.activity = m.activity[len(m.activity)-maxActivity:]
	}
}

// record adds a finished action (ending its running entry, if any) and
// sets the status-line notice for it.
func (m *Model) record(r views.Report) {
	if e := m.findTask(r.Task); e != nil {
		e.running, e.err, e.requestID, e.action, e.at, e.cli = false, r.Err, r.RequestID, r.Action, m.opts.Now(), r.CLI
		e.leftStopped, e.unconfirmed = r.LeftStopped, r.Unconfirmed
	} else {
		m.appendActivity(activityEntry{at: m.opts.Now(), action: r.Action, err: r.Err, requestID: r.RequestID, cli: r.CLI,
			leftStopped: r.LeftStopped, unconfirmed: r.Unconfirmed})
	}
	m.stranded.Mark(r) // their rows say so until they run
	if r.Err != nil && r.Unconfirmed && len(r.LeftStopped) == 0 {
		// Not known to have failed: the last read did not arrive.
		m.notice = "? " + r.Action + ": " + strings.TrimPrefix(oneLine(r.Err.Error()), r.Action+": ")
		m.noticeErr = true
		return
	}
	if r.Err != nil {
		// A flow's error starts with its step's label, often the action's
		// own name: said once.
		m.notice = "✗ " + r.Action + ": " + strings.TrimPrefix(oneLine(r.Err.Error()), r.Action+": ")
		m.noticeErr = true
	} else {
		m.notice = "✓ " + r.Action
		m.noticeErr = false
	}
}

// activitySummary is the status bar's one line about actions.
func (m *Model) activitySummary() string {
	if n := m.running(); n > 0 {
		return fmt.Sprintf("%d running (:activity)", n)
	}
	return ""
}

// running counts the actions still in progress.
func (m *Model) running() int {
	n := 0
	for _, e := range m.activity {
		if e.running {
			n++
		}
	}
	return n
}

// handleActivityKey moves through :activity and opens an entry whole; esc
// or q closes the entry, then the list.
func (m *Model) handleActivityKey(k tea.KeyPressMsg) tea.Cmd {
	nav := views.DefaultNav()
	switch {
	case k.String() == "esc" || k.String() == "q":
		if m.actOpen {
			m.actOpen, m.actOffset = false, 0
			return nil
		}
		m.mode = modeNormal
	case m.actOpen && key.Matches(k, nav.Down):
		m.actOffset++
	case m.actOpen && key.Matches(k, nav.Up):
		m.actOffset = max(m.actOffset-1, 0)
	case m.actOpen && key.Matches(k, nav.PageDown):
		m.actOffset += max(m.height-5, 1)
	case m.actOpen && key.Matches(k, nav.PageUp):
		m.actOffset = max(m.actOffset-max(m.height-5, 1), 0)
	case m.actOpen:
	case key.Matches(k, nav.Down):
		m.actCursor = min(m.actCursor+1, max(len(m.activity)-1, 0))
	case key.Matches(k, nav.Up):
		m.actCursor = max(m.actCursor-1, 0)
	case key.Matches(k, nav.Top):
		m.actCursor = 0
	case key.Matches(k, nav.Bottom):
		m.actCursor = max(len(m.activity)-1, 0)
	case key.Matches(k, nav.Open):
		if len(m.activity) > 0 {
			m.actOpen, m.actOffset = true, 0
		}
	}
	return nil
}

// openActivity is :activity: the list, the newest entry selected.
func (m *Model) openActivity() {
	m.mode, m.actCursor, m.actOpen, m.actOffset = modeActivity, 0, false, 0
}

// selectedActivity is the entry under the :activity cursor (0 = newest).
func (m *Model) selectedActivity() (activityEntry, bool) {
	i := len(m.activity) - 1 - m.actCursor
	if i < 0 || i >= len(m.activity) {
		return activityEntry{}, false
	}
	return m.activity[i], true
}

func (m *Model) renderActivity(width, height int) string {
	if e, ok := m.selectedActivity(); ok && m.actOpen {
		return m.renderActivityEntry(e, width, height)
	}
	th := m.opts.Theme
	m.actCursor = min(m.actCursor, max(len(m.activity)-1, 0))
	head := []string{th.Accent.Render("Activity") + th.Muted.Render(" newest first · enter: the whole entry · esc closes"), ""}
	if len(m.activity) == 0 {
		return strings.Join(append(head, th.Muted.Render("Nothing has been done in this session yet.")), "\n")
	}
	rows := max(height-len(head), 1)
	first := max(m.actCursor-rows+1, 0) // the cursor stays on screen
	lines := head
	for n := first; n < len(m.activity) && n < first+rows; n++ {
		e := m.activity[len(m.activity)-1-n]
		mark, style := "✓", th.OK
		text := textsafe.Line(e.action)
		switch {
		case e.running:
			mark, style = m.spinner.View(), th.Warn
			text += " — " + textsafe.Line(e.progress)
		case e.err != nil && len(e.leftStopped) > 0:
			mark, style = "✗", th.Danger
			text += " " + th.Warn.Render("left Stopped: "+strings.Join(e.leftStopped, ", ")) + ": " + oneLine(e.err.Error())
		case e.err != nil && e.unconfirmed:
			mark, style = "?", th.Warn
			text += ": " + oneLine(e.err.Error())
		case e.err != nil:
			mark, style = "✗", th.Danger
			text += ": " + oneLine(e.err.Error())
		}
		if e.requestID != "" {
			text += th.Muted.Render("  RequestId " + e.requestID)
		}
		line := fmt.Sprintf("%s %s %s", th.Muted.Render(views.Clock(m.ctx().Location(), e.at)), style.Render(mark), text)
		line = ansi.Truncate(line, width-2, "…")
		if n == m.actCursor {
			line = th.Selected.Render("▸ " + ansi.Strip(line))
		} else {
			line = "  " + line
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// renderActivityEntry is one action whole: its state, the full error with
// each field of the API's answer, and the parameters of its calls,
// wrapped to the width and scrolled with j/k.
func (m *Model) renderActivityEntry(e activityEntry, width, height int) string {
	th := m.opts.Theme
	var body []string
	field := func(label, value string) {
		if value != "" {
			body = append(body, hangWrap(th.Muted.Render(fmt.Sprintf("%-11s", label)), textsafe.Line(value), width, 11, lipgloss.NewStyle())...)
		}
	}
	state := "done"
	switch {
	case e.running:
		state = "running: " + e.progress
	case e.err != nil && e.unconfirmed:
		state = "could not confirm: the last read did not arrive"
	case e.err != nil:
		state = "failed"
	}
	field("Action", e.action)
	field("At", views.Zoned(m.ctx().Location(), e.at, "2006-01-02 15:04:05"))
	field("State", state)
	failure := e.err
	var outcome *views.OutcomeError
	if errors.As(failure, &outcome) {
		// What the operation left (in the warning colour when it left an
		// instance Stopped) and did, then what failed, field by field.
		style := lipgloss.NewStyle()
		if len(e.leftStopped) > 0 {
			style = th.Warn
		}
		body = append(body, hangWrap(th.Muted.Render(fmt.Sprintf("%-11s", "Left")), oneLine(strings.Join(outcome.States, "; ")), width, 11, style)...)
		field("Done", strings.Join(outcome.Done, ", "))
		failure = outcome.Err
	}
	if failure != nil {
		text := oneLine(failure.Error())
		var api *cloud.APIError
		if !errors.As(failure, &api) {
			field("Error", text)
		} else {
			// The API's answer field by field; what the action wrapped it
			// in (the step that failed) before it.
			if step := strings.TrimSuffix(strings.TrimSuffix(text, oneLine(api.Error())), ": "); step != text && step != "" {
				field("Failed at", step)
			}
			field("Code", api.Code)
			field("Message", api.Message)
			field("Recommend", api.Recommend)
			field("API", api.Action)
			field("Region", api.Region)
			if api.HTTPStatus != 0 {
				field("HTTP", fmt.Sprint(api.HTTPStatus))
			}
			if e.requestID == "" {
				e.requestID = api.RequestID
			}
		}
	}
	field("RequestId", e.requestID)
	for i, line := range e.cli {
		label := "Parameters"
		if len(e.cli) > 1 {
			label = fmt.Sprintf("Call %d", i+1)
		}
		body = append(body, th.Muted.Render(label))
		for _, p := range cliParams(line) {
			body = append(body, hangWrap("  ", textsafe.Line(p), width, 4, lipgloss.NewStyle())...)
		}
	}
	head := []string{th.Accent.Render("Activity › "+ansi.Truncate(textsafe.Line(e.action), max(width-30, 10), "…")) + th.Muted.Render(" j/k scroll · esc: the list"), ""}
	rows := max(height-len(head), 1)
	m.actOffset = min(m.actOffset, max(len(body)-rows, 0))
	return strings.Join(append(head, body[m.actOffset:]...), "\n")
}

// cliParams splits an aliyun CLI line into the command and one
// "Name value" per parameter, for reading down rather than across.
func cliParams(line string) []string {
	parts := strings.Split(line, " --")
	out := []string{parts[0]}
	for _, p := range parts[1:] {
		out = append(out, "--"+p)
	}
	return out
}

func borderColor(danger lipgloss.Style, isDanger bool) color.Color {
	if isDanger {
		return danger.GetForeground()
	}
	return lipgloss.NoColor{}
}
