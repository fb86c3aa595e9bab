package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestTypeChangeConfirmationFitsThroughTheShell: T on a running instance
// at 80x24 and 60x15 shows the typed prompt, the key line and the bottom
// border of its stop → change → start confirmation.
func TestTypeChangeConfirmationFitsThroughTheShell(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		m, check := newLiveShell(t)
		tm := start(t, m, size[0], size[1])
		web := instanceNamed(t, check, "web-01")
		tm.Type("/web-01")
		tm.Send(press("enter"))
		tm.Type("T")
		waitUntil(t, tm, "the type form", func(m *Model) bool { return m.current().Capturing() })
		time.Sleep(300 * time.Millisecond) // its choices load
		tm.Send(press("enter"))
		waitUntil(t, tm, "the typed confirmation with its verdict", func(m *Model) bool {
			return m.confirm != nil && m.confirm.req.Typed == web.ID && m.confirm.verdict != nil
		})
		probe(tm, func(m *Model) {
			out := checkFits(t, m, size[0], size[1])
			text := dialogText(out)
			for _, want := range []string{"type " + web.ID, "to confirm:", "enter confirm", "esc cancel", "Cannot be undone"} {
				if !strings.Contains(text, want) {
					t.Errorf("%dx%d: %q not on screen:\n%s", size[0], size[1], want, out)
				}
			}
		})
		tm.Send(press("esc"))
		finish(t, tm)
	}
}

// TestMarkedRowHiddenByTheFilterIsNamedAndSpared: a row marked and then
// filtered out is named in the confirmation as not included, and the
// action leaves it alone; the header counts the marks.
func TestMarkedRowHiddenByTheFilterIsNamedAndSpared(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		m, check := newLiveShell(t)
		tm := start(t, m, size[0], size[1])
		a, b := instanceNamed(t, check, "web-01"), instanceNamed(t, check, "web-02")
		for _, name := range []string{"web-01", "web-02"} {
			tm.Send(press("esc")) // the filter opens with the last one: clear it
			tm.Type("/" + name)
			tm.Send(press("enter"))
			tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		}
		tm.Send(press("esc"))
		tm.Type("/web-02")
		tm.Send(press("enter"))
		waitUntil(t, tm, "two marks, one hidden", func(m *Model) bool {
			st := m.current().Status()
			return st.Marked == 1 && st.MarkedHidden == 1
		})
		tm.Type("B") // reboot: a y/n confirmation
		waitUntil(t, tm, "the reboot confirmation", func(m *Model) bool { return m.confirm != nil })
		probe(tm, func(m *Model) {
			out := checkFits(t, m, size[0], size[1])
			text := dialogText(out)
			if !strings.Contains(text, "Not included: 1 marked row hidden by the filter: "+a.ID) {
				t.Errorf("%dx%d: the hidden mark is not named:\n%s", size[0], size[1], out)
			}
			if !strings.Contains(text, b.ID) || strings.Contains(strings.Join(m.confirm.req.Lines, " "), a.ID) {
				t.Errorf("%dx%d: the reboot does not act on exactly the row shown: %v", size[0], size[1], m.confirm.req.Lines)
			}
		})
		tm.Send(press("y"))
		waitUntilFor(t, tm, 20*time.Second, "rebooted", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ reboot") })
		probe(tm, func(m *Model) {
			if shown, hidden := m.current().Marks(); len(shown)+len(hidden) != 0 {
				t.Errorf("marks left after a confirmed action: %v %v", shown, hidden)
			}
		})
		finish(t, tm)
		if got := instanceNamed(t, check, "web-01"); got.Status != cloud.StateRunning {
			t.Errorf("web-01 (hidden) is %s", got.Status)
		}
	}
}
