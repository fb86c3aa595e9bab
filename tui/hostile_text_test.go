package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// hostileName clears the screen and reverses what follows it when a
// terminal obeys it.
const hostileName = "evil\x1b[2J\u202Egpj.exe"

// hostilePlaceholders is hostileName as the screen must show it.
const hostilePlaceholders = "evil␛[2J‹U+202E›gpj.exe"

// newStylelessShell is a shell over srv whose theme has no style at all,
// so any ESC byte on its screen came from the data, not from the program.
func newStylelessShell(t *testing.T, srv *emulator.Server) (*Model, *cloud.Client) {
	t.Helper()
	url := serveEmulator(t, srv)
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou"})
	return New(Options{
		Client: client, Region: "cn-hangzhou", Demo: true,
		Refresh: time.Hour, Theme: theme.Theme{NoColor: true}, Now: clock, Zone: time.UTC,
	}), client
}

// programSGR is the one escape the program writes itself with a styleless
// theme: the short help's colours (bubbles' help styles, not the theme's).
var programSGR = regexp.MustCompile("\x1b\\[[0-9;]*m")

// assertPrintable fails when the raw screen holds an ESC (but the short
// help's colours), another control but the newlines, or a bidi override.
func assertPrintable(t *testing.T, where, raw string) {
	t.Helper()
	raw = programSGR.ReplaceAllString(raw, "")
	if i := strings.IndexFunc(raw, func(r rune) bool {
		return r == 0x1b || (r < 0x20 && r != '\n') || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
	}); i >= 0 {
		t.Errorf("%s: a control reached the screen at byte %d: %q\n%s", where, i, raw[max(0, i-30):min(len(raw), i+30)], raw)
	}
}

// TestHostileNameIsShownAsPlaceholders: an instance named with ESC [ 2 J
// and U+202E shows as visible placeholders in the list, its detail pane and
// the stop confirmation, and nothing on screen is a control sequence.
func TestHostileNameIsShownAsPlaceholders(t *testing.T) {
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock})
	m, client := newStylelessShell(t, srv)
	list, err := client.Instances(context.Background(), "cn-hangzhou")
	if err != nil || len(list) == 0 {
		t.Fatalf("instances: %d, %v", len(list), err)
	}
	id := list[0].ID
	if err := srv.SetInstanceNameUnchecked(id, hostileName); err != nil {
		t.Fatal(err)
	}
	tm := start(t, m, 120, 40)
	tm.Type("/" + id)
	tm.Send(press("enter"))
	var raw string
	grab := func(m *Model) bool { raw = m.render(); return true }

	waitUntil(t, tm, "the row alone", func(m *Model) bool { return m.current().Status().Shown == 1 })
	waitUntil(t, tm, "the list", grab)
	if !strings.Contains(raw, hostilePlaceholders) {
		t.Errorf("the list does not show %q:\n%s", hostilePlaceholders, raw)
	}
	assertPrintable(t, "list", raw)

	tm.Send(press("enter"))
	waitUntil(t, tm, "detail loaded", detailLoaded)
	waitUntil(t, tm, "the detail", grab)
	if !strings.Contains(raw, hostilePlaceholders) {
		t.Errorf("the detail does not show %q:\n%s", hostilePlaceholders, raw)
	}
	assertPrintable(t, "detail", raw)
	tm.Send(press("esc"))
	waitUntil(t, tm, "back in the list", func(m *Model) bool { return !m.current().InDetail() })

	tm.Send(press("D"))
	waitUntil(t, tm, "the stop confirmation", func(m *Model) bool { return m.confirm != nil })
	waitUntil(t, tm, "the confirmation", grab)
	if !strings.Contains(raw, "evil␛[2J") {
		t.Errorf("the confirmation does not show the placeholders:\n%s", raw)
	}
	assertPrintable(t, "confirmation", raw)
	tm.Send(press("esc"))
	finish(t, tm)
}

// TestHostileErrorMessageIsShownAsPlaceholders: an API error whose
// message holds escapes shows them as placeholders on the error line.
func TestHostileErrorMessageIsShownAsPlaceholders(t *testing.T) {
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock})
	if err := srv.InjectFault(emulator.TargetedFault{Action: "DescribeInstances", Code: "Forbidden.RAM", Status: 403,
		Message: "denied\x1b]0;pwned\x07 by \u202Epolicy \x1b[31mred", Count: 1000}); err != nil {
		t.Fatal(err)
	}
	m, _ := newStylelessShell(t, srv)
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(120, 40))
	var raw string
	waitUntil(t, tm, "the error line", func(m *Model) bool {
		raw = m.render()
		return m.current().Status().Err != nil
	})
	if !strings.Contains(raw, "denied␛]0;pwned␇ by ‹U+202E›policy ␛[31mred") {
		t.Errorf("the error line lacks the placeholders:\n%s", raw)
	}
	assertPrintable(t, "error line", raw)
	finish(t, tm)
}

// TestHostileNameInTheHistoryChart: the history view of that instance
// names it in its header and its chart title as placeholders.
func TestHostileNameInTheHistoryChart(t *testing.T) {
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock})
	m, client := newStylelessShell(t, srv)
	list, err := client.Instances(context.Background(), "cn-hangzhou")
	if err != nil || len(list) == 0 {
		t.Fatalf("instances: %d, %v", len(list), err)
	}
	var id string
	for _, in := range list {
		if in.Status == cloud.StateRunning {
			id = in.ID
			break
		}
	}
	if err := srv.SetInstanceNameUnchecked(id, hostileName); err != nil {
		t.Fatal(err)
	}
	tm := start(t, m, 120, 40)
	tm.Type(":metrics")
	tm.Send(press("enter"))
	waitUntil(t, tm, "metrics", loaded("metrics"))
	tm.Type("/" + id)
	tm.Send(press("enter"))
	waitUntil(t, tm, "the row alone", func(m *Model) bool { return m.current().Status().Shown == 1 })
	tm.Send(press("enter"))
	var raw string
	waitUntil(t, tm, "the history chart", func(m *Model) bool {
		raw = m.render()
		return m.active == "history" && strings.Contains(raw, "· CPU ·")
	})
	if n := strings.Count(raw, hostilePlaceholders); n < 2 {
		t.Errorf("the header and the chart title should show %q (%d times):\n%s", hostilePlaceholders, n, raw)
	}
	assertPrintable(t, "history", raw)
	finish(t, tm)
}
