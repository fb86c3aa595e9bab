package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// fixedNow pins every clock so golden screens do not drift.
var fixedNow = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// newTestShell starts a seeded emulator and a shell pointed at it.
func newTestShell(t *testing.T) *Model {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock})
	url := serveEmulator(t, srv)
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou"})
	return New(Options{
		Client: client, Region: "cn-hangzhou", Demo: true,
		Refresh: time.Hour, Theme: theme.New(true), Now: clock,
		Zone: time.UTC, // golden screens must not depend on the machine's zone
	})
}

// probed wraps the shell so a test can look at its state on the program's
// own goroutine (reading it from the test goroutine would race).
type probed struct{ *Model }

type probeMsg struct {
	check func(*Model) bool
	reply chan bool
}

func (p probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if pm, ok := msg.(probeMsg); ok {
		pm.reply <- pm.check(p.Model)
		return p, nil
	}
	m, cmd := p.Model.Update(msg)
	return probed{m.(*Model)}, cmd
}

func start(t *testing.T, m *Model, w, h int) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(w, h))
	waitUntil(t, tm, "instances loaded", func(m *Model) bool {
		st := m.current().Status()
		return m.active == "instances" && st.Total > 0 && !st.Busy && metricsArrived(m)
	})
	return tm
}

// metricsArrived reports whether the live metrics of the view on screen
// have been applied (so golden screens hold them, not a race).
func metricsArrived(m *Model) bool {
	v, ok := m.current().(subjects)
	if !ok {
		return true
	}
	for _, in := range v.Subjects() {
		if in.Status == cloud.StateRunning {
			_, _, ok := m.samples.Latest(in.ID, cloud.MetricCPU)
			return ok
		}
	}
	return false
}

// waitUntil polls the shell's state until check holds (10 s at most).
func waitUntil(t *testing.T, tm *teatest.TestModel, what string, check func(*Model) bool) {
	t.Helper()
	waitUntilFor(t, tm, 10*time.Second, what, check)
}

// waitUntilFor is waitUntil with its own patience (for a faulty API).
func waitUntilFor(t *testing.T, tm *teatest.TestModel, patience time.Duration, what string, check func(*Model) bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		reply := make(chan bool, 1)
		tm.Send(probeMsg{check: check, reply: reply})
		select {
		case ok := <-reply:
			if ok {
				return
			}
		case <-time.After(time.Second):
		}
		time.Sleep(20 * time.Millisecond)
	}
	var last string
	reply := make(chan bool, 1)
	tm.Send(probeMsg{check: func(m *Model) bool { last = screen(m); return true }, reply: reply})
	select {
	case <-reply:
	case <-time.After(time.Second):
	}
	t.Fatalf("timed out waiting for %s; the screen:\n%s", what, last)
}

// loaded is true once the active view is name and has finished loading.
func loaded(name string) func(*Model) bool {
	return func(m *Model) bool {
		st := m.current().Status()
		return m.active == name && !st.Busy && !st.LastRefresh.IsZero()
	}
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func finish(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	tm.Send(press("ctrl+c"))
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(probed).Model
}

func screen(m *Model) string { return ansi.Strip(m.render()) }

func TestInstancesGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			m := finish(t, start(t, newTestShell(t), size.w, size.h))
			out := screen(m)
			assertFits(t, out, size.w, size.h)
			golden.RequireEqual(t, out)
		})
	}
}

// assertFits checks the screen is exactly h lines, none wider than w.
func assertFits(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Errorf("screen has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide (> %d): %q", i, n, w, l)
		}
	}
}

func TestFilterKeepsAndEscClears(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Type("/web")
	tm.Send(press("enter"))
	waitUntil(t, tm, "filter web", func(m *Model) bool { return m.mode == modeNormal && m.current().Status().Filter == "web" })
	m := finish(t, tm)
	st := m.current().Status()
	if st.Filter != "web" {
		t.Fatalf("filter = %q, want web", st.Filter)
	}
	if st.Shown == 0 || st.Shown >= st.Total {
		t.Fatalf("filter shows %d of %d rows", st.Shown, st.Total)
	}
	for _, line := range rowsOf(screen(m)) {
		if !strings.Contains(strings.ToLower(line), "web") {
			t.Errorf("row without web after filtering: %q", line)
		}
	}
	m.Update(press("esc"))
	if got := m.current().Status().Filter; got != "" {
		t.Fatalf("esc left filter %q", got)
	}
}

// rowsOf returns the table rows of a screen (between header and status bar).
func rowsOf(s string) []string {
	lines := strings.Split(s, "\n")
	var rows []string
	for _, l := range lines[2 : len(lines)-2] {
		if strings.Contains(l, "i-") {
			rows = append(rows, l)
		}
	}
	return rows
}

func TestSortCyclesAndShowsInHeader(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Type(">>") // ID, then NAME
	waitUntil(t, tm, "sort by name", func(m *Model) bool { return m.current().Status().Sort == "NAME ↑" })
	m := finish(t, tm)
	if got := m.current().Status().Sort; got != "NAME ↑" {
		t.Fatalf("sort = %q", got)
	}
	rows := rowsOf(screen(m))
	if len(rows) < 2 {
		t.Fatal("no rows")
	}
	name := func(row string) string { return strings.Fields(row)[1] }
	for i := 1; i < len(rows); i++ {
		if strings.ToLower(name(rows[i-1])) > strings.ToLower(name(rows[i])) {
			t.Errorf("rows not sorted by name: %q before %q", name(rows[i-1]), name(rows[i]))
		}
	}
}

func TestDetailAndBack(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Send(press("enter"))
	waitUntil(t, tm, "detail loaded", detailLoaded)
	m := finish(t, tm)
	out := screen(m)
	for _, want := range []string{"Disks", "Security groups", "Key pair", "Snapshots", "/dev/xvda"} {
		if !strings.Contains(out, want) {
			t.Errorf("detail lacks %q:\n%s", want, out)
		}
	}
	golden.RequireEqual(t, out)
	m.Update(press("esc"))
	if m.current().InDetail() {
		t.Fatal("esc did not close the detail")
	}
}

func TestPaletteSuggestsNearestCommand(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Type(":isntances")
	tm.Send(press("enter"))
	waitUntil(t, tm, "a notice", func(m *Model) bool { return m.notice != "" })
	m := finish(t, tm)
	if !strings.Contains(m.notice, "did you mean :instances?") {
		t.Fatalf("notice = %q", m.notice)
	}
}

func TestRegionSwitch(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Type(":region cn-shanghai")
	tm.Send(press("enter"))
	waitUntil(t, tm, "shanghai loaded", func(m *Model) bool { return m.opts.Region == "cn-shanghai" && loaded("instances")(m) })
	m := finish(t, tm)
	if m.opts.Region != "cn-shanghai" {
		t.Fatalf("region = %q", m.opts.Region)
	}
	for _, row := range rowsOf(screen(m)) {
		if !strings.Contains(row, "i-uf6") {
			t.Errorf("row from another region after switching: %q", row)
		}
	}
}

func TestRegionPickerSwitchesRegion(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Type(":region")
	tm.Send(press("enter"))
	waitUntil(t, tm, "region picker", loaded("regions"))
	tm.Send(press("enter")) // first row: all regions
	waitUntil(t, tm, "every region loaded", func(m *Model) bool { return m.opts.Region == cloud.AllRegions && loaded("instances")(m) })
	m := finish(t, tm)
	if m.opts.Region != cloud.AllRegions || m.active != "instances" {
		t.Fatalf("region %q view %q", m.opts.Region, m.active)
	}
}

func TestResizeReflows(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	m := finish(t, tm)
	assertFits(t, screen(m), 80, 24)
}

func TestQuitKey(t *testing.T) {
	tm := start(t, newTestShell(t), 80, 24)
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func TestHelpListsBindingsAndCommands(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Send(press("?"))
	waitUntil(t, tm, "help open", func(m *Model) bool { return m.mode == modeHelp })
	m := finish(t, tm)
	out := screen(m)
	for _, want := range []string{"filter", "sort by next column", ":region", ":instances", "details"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// TestEveryViewGolden opens each view from the palette and keeps its screen
// at both sizes; the detail of the first row must open and close too.
func TestEveryViewGolden(t *testing.T) {
	names := []string{"disks", "images", "snapshots", "policies", "sg", "keypairs", "regions"}
	for _, name := range names {
		for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size.w, size.h), func(t *testing.T) {
				tm := start(t, newTestShell(t), size.w, size.h)
				command := name
				if name == "regions" {
					command = "region" // the picker has no command of its own
				}
				tm.Type(":" + command)
				tm.Send(press("enter"))
				waitUntil(t, tm, name+" loaded", loaded(name))
				m := finish(t, tm)
				if m.active != name {
					t.Fatalf("active view %q, want %q", m.active, name)
				}
				st := m.current().Status()
				if st.Total == 0 || st.Err != nil {
					t.Fatalf("%s: %d rows, err %v", name, st.Total, st.Err)
				}
				out := screen(m)
				assertFits(t, out, size.w, size.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

func TestJumpFromInstanceDetailToDisk(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Send(press("enter"))
	waitUntil(t, tm, "detail loaded", detailLoaded)
	tm.Send(press("enter")) // the cursor starts on the first disk
	waitUntil(t, tm, "disks loaded", loaded("disks"))
	m := finish(t, tm)
	if m.active != "disks" {
		t.Fatalf("active %q, want disks", m.active)
	}
	st := m.current().Status()
	if st.Shown != 1 || !strings.HasPrefix(st.Filter, "d-") {
		t.Fatalf("disks view shows %d rows with filter %q, want the one disk", st.Shown, st.Filter)
	}
}

func detailLoaded(m *Model) bool {
	return m.current().InDetail() && !m.current().Status().Busy
}

// serveEmulator serves srv on loopback for the test's life and returns its URL.
func serveEmulator(tb testing.TB, srv *emulator.Server) string {
	tb.Helper()
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = stop() })
	return url
}

// emulatorClient is a client of the emulator at url with its credentials;
// cfg gives the rest (region, audit log, read-only...).
func emulatorClient(tb testing.TB, url string, cfg cloud.Config) *cloud.Client {
	tb.Helper()
	cfg.Endpoint = url
	cfg.Credentials = cloud.Credentials{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret}
	c, err := cloud.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
