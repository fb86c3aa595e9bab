package tui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views"
)

// newBareShell is a shell with no client: enough for the dialogs.
func newBareShell() *Model {
	m := New(Options{Theme: theme.New(true), Now: clock})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return m
}

func TestConfirmRunsOnlyOnYes(t *testing.T) {
	m := newBareShell()
	ran := 0
	req := views.Confirm{Title: "Delete 2 alarm rules?", Lines: []string{"cpu-high", "disk-full"}, Danger: true,
		Run: func() tea.Msg { ran++; return views.Report{Action: "delete 2 alarm rules"} }}

	m.Update(req)
	out := screen(m)
	for _, want := range []string{"Delete 2 alarm rules?", "cpu-high", "disk-full", "y yes"} {
		if !strings.Contains(out, want) {
			t.Fatalf("dialog lacks %q:\n%s", want, out)
		}
	}
	for _, k := range []string{"enter", "q", "x"} { // none of these may confirm
		if _, cmd := m.Update(press(k)); cmd != nil {
			t.Fatalf("%q returned a command", k)
		}
	}
	if m.confirm == nil {
		t.Fatal("dialog closed by a key that is not y/n/esc")
	}
	m.Update(press("esc"))
	if m.confirm != nil || ran != 0 {
		t.Fatalf("esc: dialog %v, ran %d", m.confirm != nil, ran)
	}

	m.Update(req)
	_, cmd := m.Update(press("y"))
	if cmd == nil {
		t.Fatal("y did not run the action")
	}
	m.Update(cmd())
	if ran != 1 || len(m.activity) != 1 || !strings.Contains(m.notice, "✓ delete 2 alarm rules") {
		t.Fatalf("ran %d, activity %v, notice %q", ran, m.activity, m.notice)
	}
}

func TestTypedConfirmNeedsTheExactWord(t *testing.T) {
	m := newBareShell()
	ran := false
	m.Update(views.Confirm{Title: "Re-initialise d-abc?", Typed: "d-abc", Danger: true,
		Run: func() tea.Msg { ran = true; return nil }})
	for _, r := range "d-ab" {
		m.Update(press(string(r)))
	}
	if _, cmd := m.Update(press("enter")); cmd != nil || m.confirm == nil {
		t.Fatal("a partial word confirmed")
	}
	m.Update(press("c"))
	_, cmd := m.Update(press("enter"))
	if cmd == nil || m.confirm != nil {
		t.Fatal("the exact word did not confirm")
	}
	cmd()
	if !ran {
		t.Fatal("action not run")
	}
}

func TestReportErrorGoesToActivityAndStatusLine(t *testing.T) {
	m := newBareShell()
	m.Update(views.Report{Action: "enable alarm rule cpu-high", Err: errors.New("Throttling.User: Request was denied")})
	if !m.noticeErr || !strings.Contains(m.notice, "Throttling.User") {
		t.Fatalf("notice %q", m.notice)
	}
	m.runCommand("activity")
	if out := screen(m); !strings.Contains(out, "✗ enable alarm rule cpu-high: Throttling.User") {
		t.Fatalf("activity list:\n%s", out)
	}
}

func TestPrecheckVerdictShownAndStaleOnesDropped(t *testing.T) {
	m := newBareShell()
	first := views.Confirm{Title: "Start i-1?", CLI: []string{"aliyun ecs StartInstance --InstanceId i-1"},
		Precheck: func() tea.Msg { return views.Verdict{Text: "DryRun: would succeed", OK: true} }}
	_, pre := m.Update(first)
	stale := pre() // answers the first dialog
	m.Update(press("esc"))
	m.Update(views.Confirm{Title: "Stop i-2?", Precheck: func() tea.Msg { return nil }})
	m.Update(stale)
	if m.confirm.verdict != nil {
		t.Fatal("a verdict for a closed dialog was shown on the next one")
	}
	m.Update(press("esc"))

	_, pre = m.Update(first)
	m.Update(pre())
	out := screen(m)
	for _, want := range []string{"✓ DryRun: would succeed", "aliyun ecs StartInstance --InstanceId i-1", "c copy CLI"} {
		if !strings.Contains(out, want) {
			t.Errorf("dialog lacks %q:\n%s", want, out)
		}
	}
	if _, cmd := m.Update(press("c")); cmd == nil || m.confirm == nil {
		t.Fatal("c did not copy the CLI line, or closed the dialog")
	}
}

func TestProgressThenReportInActivity(t *testing.T) {
	m := newBareShell()
	next := func() tea.Msg {
		return views.Report{Task: "snap-1", Action: "snapshot d-1", RequestID: "REQ-42"}
	}
	_, cmd := m.Update(views.Progress{Task: "snap-1", Text: "40%", Next: next})
	if !strings.Contains(m.activitySummary(), "1 running") {
		t.Fatalf("summary %q", m.activitySummary())
	}
	m.Update(cmd())
	if m.activitySummary() != "" || len(m.activity) != 1 || m.activity[0].running {
		t.Fatalf("task not finished: %+v", m.activity)
	}
	m.runCommand("activity")
	if out := screen(m); !strings.Contains(out, "snapshot d-1") || !strings.Contains(out, "REQ-42") {
		t.Fatalf("activity:\n%s", out)
	}
}
