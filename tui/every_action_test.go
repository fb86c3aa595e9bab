package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/views"
)

// TestEveryActionFitsTheTerminal walks every registered view and presses
// every key of it at 80x24 and 60x15: whatever opens (a confirmation, a
// form, a pane, the help) must fit the terminal and keep its prompt and key
// line. Nothing is confirmed, so nothing is sent but DryRun prechecks.
func TestEveryActionFitsTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every view against the emulator")
	}
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		w, h := size[0], size[1]
		m, _ := newLiveShell(t)
		tm := start(t, m, w, h)
		confirms, forms := 0, 0
		var names []string
		for _, v := range m.views {
			if v.Name() != "history" { // reached from a metrics row, below
				names = append(names, v.Name())
			}
		}
		for _, name := range names {
			tm.Send(views.Navigate{View: name})
			waitUntilFor(t, tm, 20*time.Second, name+" loaded", func(m *Model) bool {
				st := m.current().Status()
				return m.active == name && !st.Busy && (!st.LastRefresh.IsZero() || st.NoCount || st.Err != nil)
			})
			checkHelp(t, tm, w, h, name)
			var keys []string
			probe(tm, func(m *Model) {
				for _, b := range m.current().Keys() {
					if k := b.Keys()[0]; k != "enter" {
						keys = append(keys, k)
					}
				}
			})
			for _, k := range keys {
				pressKey(tm, k)
				what := name + " " + k
				waitUntilFor(t, tm, 20*time.Second, what+" settles", func(m *Model) bool {
					return !m.current().Status().Busy
				})
				time.Sleep(150 * time.Millisecond) // a form's options or a precheck may follow
				probe(tm, func(m *Model) {
					checkOverlay(t, m, w, h, what)
					switch {
					case m.confirm != nil:
						confirms++
					case m.current().Capturing():
						forms++
					}
				})
				for range 4 { // back to the list
					tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
				}
				tm.Send(views.Navigate{View: name})
				waitUntilFor(t, tm, 20*time.Second, name+" again", func(m *Model) bool {
					return m.active == name && m.confirm == nil && !m.current().Capturing() && !m.current().Status().Busy
				})
			}
		}
		finish(t, tm)
		// The walk must have opened what the views offer, or it proves nothing.
		if confirms < 10 || forms < 10 {
			t.Errorf("%dx%d: the walk opened %d confirmations and %d forms", w, h, confirms, forms)
		}
		t.Logf("%dx%d: %d confirmations, %d forms or panes checked", w, h, confirms, forms)
	}
}

// probe runs f on the shell's state between two messages.
func probe(tm interface{ Send(tea.Msg) }, f func(m *Model)) {
	reply := make(chan bool, 1)
	tm.Send(probeMsg{check: func(m *Model) bool { f(m); return true }, reply: reply})
	select {
	case <-reply:
	case <-time.After(5 * time.Second):
	}
}

func pressKey(tm interface{ Send(tea.Msg) }, k string) {
	if r := []rune(k); len(r) == 1 {
		tm.Send(tea.KeyPressMsg{Code: r[0], Text: k})
		return
	}
	switch k {
	case "tab":
		tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	case "space":
		tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	}
}

// checkOverlay fails when what is on screen is taller or wider than the
// terminal, or a dialog or form lost its prompt or key line.
func checkOverlay(t *testing.T, m *Model, w, h int, what string) {
	t.Helper()
	out := screen(m)
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Errorf("%s at %dx%d: %d lines:\n%s", what, w, h, len(lines), out)
		return
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("%s at %dx%d: line %d is %d wide:\n%s", what, w, h, i, ansi.StringWidth(l), out)
			return
		}
	}
	switch {
	case m.confirm != nil:
		if !strings.Contains(out, "╰") || !strings.Contains(out, "╭") {
			t.Errorf("%s at %dx%d: the confirmation's frame is cut:\n%s", what, w, h, out)
		}
		if !strings.Contains(out, "esc ") {
			t.Errorf("%s at %dx%d: the confirmation has no key line:\n%s", what, w, h, out)
		}
		if m.confirm.typedMode() && !strings.Contains(dialogText(out), "to confirm:") {
			t.Errorf("%s at %dx%d: the typed confirmation lost its prompt:\n%s", what, w, h, out)
		}
	case m.current().Capturing():
		// The form's own hint line, above the status bar and short help.
		if !strings.Contains(strings.Join(lines[1:h-2], "\n"), "esc") {
			t.Errorf("%s at %dx%d: the form or pane has no key line:\n%s", what, w, h, out)
		}
	}
}

// checkHelp opens the help of the view on screen and scrolls it through:
// every page fits, no description is cut, every key of the view is there.
func checkHelp(t *testing.T, tm interface{ Send(tea.Msg) }, w, h int, name string) {
	t.Helper()
	tm.Send(tea.KeyPressMsg{Code: '?', Text: "?"})
	var seen strings.Builder
	var keys []string
	probe(tm, func(m *Model) {
		for _, b := range m.current().Keys() {
			keys = append(keys, b.Help().Key)
		}
	})
	last := ""
	for page := 0; page < 20; page++ {
		var out string
		probe(tm, func(m *Model) { out = screen(m); checkOverlay(t, m, w, h, name+" help") })
		for _, l := range strings.Split(out, "\n")[1 : h-2] {
			for _, cell := range regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(l), -1) {
				// "i-…" is how a scope is written; any other "…" ends a cut.
				if strings.HasSuffix(cell, "…") && !strings.HasSuffix(cell, "-…") && !strings.HasSuffix(cell, "COMMAND…") {
					t.Errorf("%s help at %dx%d cuts a line: %q", name, w, h, l)
				}
			}
		}
		seen.WriteString(out)
		if out == last {
			break
		}
		last = out
		tm.Send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	for _, k := range keys {
		if !strings.Contains(seen.String(), k+" ") {
			t.Errorf("%s help at %dx%d lacks the key %q", name, w, h, k)
		}
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
}
