package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/views"
)

// dialogText is the dialog's words with the frame and the wrapping taken
// out, so a test can ask whether a fact is on screen whole.
func dialogText(out string) string {
	var words []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.Trim(l, " │╭╮╰╯─")
		words = append(words, strings.Fields(l)...)
	}
	return strings.Join(words, " ")
}

// checkFits fails when the screen is taller or wider than the terminal or
// the dialog lost its bottom border.
func checkFits(t *testing.T, m *Model, w, h int) string {
	t.Helper()
	out := screen(m)
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines on screen:\n%s", w, h, len(lines), out)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Fatalf("%dx%d: line %d is %d wide:\n%s", w, h, i, ansi.StringWidth(l), out)
		}
	}
	if !strings.Contains(out, "╰") || !strings.Contains(out, "╭") {
		t.Fatalf("%dx%d: the dialog's frame is cut:\n%s", w, h, out)
	}
	return out
}

func bigConfirm() views.Confirm {
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("i-bp1instance%02d  web-%02d  Running  ecs.g7.large  (replaces sp-0123456789abcdef)", i, i))
	}
	return views.Confirm{
		Title:    "Change the type of i-bp1xo51hj7473dybz49c (api-01) from ecs.c7.xlarge to ecs.c7.large and restart it?",
		Lines:    lines,
		Typed:    "i-bp1xo51hj7473dybz49c",
		Accept:   []string{"api-01"},
		Danger:   true,
		Undoable: "everything written to d-bp1disk since 2026-12-01 10:00 CST (when s-1 was taken) is lost",
		CLI: []string{
			"aliyun ecs StopInstance --RegionId cn-hangzhou --InstanceId i-bp1xo51hj7473dybz49c --ForceStop false",
			"aliyun ecs ModifyInstanceSpec --RegionId cn-hangzhou --InstanceId i-bp1xo51hj7473dybz49c --InstanceType ecs.c7.large",
		},
		Precheck: func() tea.Msg {
			return views.Verdict{Text: "DryRun refused: IncorrectInstanceStatus: The current status of the resource does not support this operation.",
				Refused: true, Advice: "The instance is not in a state that allows this: wait until it settles (r refreshes), or stop or start it first."}
		},
		Run: func() tea.Msg { return nil },
	}
}

// TestConfirmationFitsTheTerminal: at 80x24 and 60x15 a long dialog keeps
// its frame, the prompt and key lines, what cannot be undone and the
// DryRun verdict with its advice, whole; the resource list scrolls.
func TestConfirmationFitsTheTerminal(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}, {200, 50}} {
		w, h := size[0], size[1]
		m := newBareShell()
		m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		req := bigConfirm()
		_, pre := m.Update(req)
		m.Update(pre())
		out := checkFits(t, m, w, h)
		text := dialogText(out)
		for _, want := range []string{
			"type i-bp1xo51hj7473dybz49c (or api-01) to confirm:",
			"Cannot be undone: " + req.Undoable,
			"DryRun refused: IncorrectInstanceStatus: The current status of the resource does not support this operation.",
			"wait until it settles (r refreshes), or stop or start it first.",
			"esc close", "ctrl+s send anyway",
			req.Title,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%dx%d: %q is not on screen whole:\n%s", w, h, want, out)
			}
		}
		if strings.Contains(out, "sp-…") || strings.Contains(out, "since 2026-1…") {
			t.Errorf("%dx%d: a fact ends in …:\n%s", w, h, out)
		}
		if w < 200 && !strings.Contains(out, "lines ─") { // the border says the list scrolls
			t.Errorf("%dx%d: no scroll indicator for 40 lines:\n%s", w, h, out)
		}
		// Scrolling reaches the last line and keeps the frame.
		for range 60 {
			m.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
		}
		m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		out = checkFits(t, m, w, h)
		if !strings.Contains(dialogText(out), "web-39") {
			t.Errorf("%dx%d: scrolling does not reach the last line:\n%s", w, h, out)
		}
	}
}

// TestTypedConfirmationShowsTheMatch: the typed part says whether it
// matches, tab completes the expected word, the unique name is accepted.
func TestTypedConfirmationShowsTheMatch(t *testing.T) {
	m := newBareShell()
	ran := 0
	req := views.Confirm{Title: "Stop i-abc?", Typed: "i-abc", Accept: []string{"web-01"}, Danger: true,
		Run: func() tea.Msg { ran++; return nil }}
	m.Update(req)
	for _, r := range "i-x" {
		m.Update(press(string(r)))
	}
	if out := screen(m); !strings.Contains(out, "✗ does not match") {
		t.Fatalf("a wrong word is not called out:\n%s", out)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	m.Update(press("tab"))
	if m.confirm.typed != "i-abc" || !strings.Contains(screen(m), "✓ matches") {
		t.Fatalf("tab gave %q:\n%s", m.confirm.typed, screen(m))
	}
	m.Update(press("esc"))

	m.Update(req)
	for _, r := range "web-01" {
		m.Update(press(string(r)))
	}
	_, cmd := m.Update(press("enter"))
	if cmd == nil {
		t.Fatal("the unique name did not confirm")
	}
	cmd()
	if ran != 1 {
		t.Fatalf("ran %d times", ran)
	}
}

// TestRefusedPrecheckTakesYAway: after a refusal y does nothing; only the
// explicit second key sends.
func TestRefusedPrecheckTakesYAway(t *testing.T) {
	m := newBareShell()
	ran := 0
	_, pre := m.Update(views.Confirm{Title: "Start i-1?",
		Precheck: func() tea.Msg {
			return views.Verdict{Text: "DryRun refused: IncorrectInstanceStatus", Refused: true, Advice: "stop it first"}
		},
		Run: func() tea.Msg { ran++; return nil }})
	m.Update(pre())
	if _, cmd := m.Update(press("y")); cmd != nil || m.confirm == nil {
		t.Fatal("y still confirms after a refused precheck")
	}
	out := screen(m)
	if strings.Contains(out, "y yes") || !strings.Contains(out, "stop it first") || !strings.Contains(out, "ctrl+s send anyway") {
		t.Fatalf("the dialog does not say what to do:\n%s", out)
	}
	_, cmd := m.Update(press("ctrl+s"))
	if cmd == nil || m.confirm != nil {
		t.Fatal("ctrl+s did not send anyway")
	}
	cmd()
	if ran != 1 {
		t.Fatalf("ran %d", ran)
	}
}

// TestOptionsChangeInTheDialog: ←/→ changes a setting in place: the dialog
// shows the new request (its CLI) and runs a new precheck for it.
func TestOptionsChangeInTheDialog(t *testing.T) {
	m := newBareShell()
	var build func(opts []views.Option) (views.Confirm, error)
	build = func(opts []views.Option) (views.Confirm, error) {
		mode := opts[0].Value()
		return views.Confirm{Title: "Stop i-1?", CLI: []string{"aliyun ecs StopInstance --ForceStop " + fmt.Sprint(mode == "force")},
			Options: opts, Change: build,
			Precheck: func() tea.Msg { return views.Verdict{Text: "checked " + mode, OK: true} },
			Run:      func() tea.Msg { return views.Report{Action: "stop " + mode} }}, nil
	}
	first, _ := build([]views.Option{{Label: "mode", Choices: []string{"normal", "force"}}})
	_, pre := m.Update(first)
	m.Update(pre())
	if out := screen(m); !strings.Contains(out, "[normal]") || !strings.Contains(out, "--ForceStop false") {
		t.Fatalf("defaults not shown:\n%s", out)
	}
	_, recheck := m.Update(tea.KeyPressMsg{Code: tea.KeyRight})
	if recheck == nil {
		t.Fatal("no new precheck after a change")
	}
	m.Update(recheck())
	out := screen(m)
	if !strings.Contains(out, "[force]") || !strings.Contains(out, "--ForceStop true") || !strings.Contains(out, "checked force") {
		t.Fatalf("the change is not shown:\n%s", out)
	}
	_, cmd := m.Update(press("y"))
	if r, ok := cmd().(views.Report); !ok || r.Action != "stop force" {
		t.Fatalf("y ran %v", cmd())
	}
}
