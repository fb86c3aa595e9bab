package tui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// newFaultyShell is a shell on an emulator that throttles, fails and lags.
func newFaultyShell(t *testing.T, opts emulator.Options) (*Model, *emulator.Server) {
	t.Helper()
	opts.Seed, opts.Now = 1, clock
	srv := emulator.New(opts)
	url := serveEmulator(t, srv)
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou", Timeout: 10 * time.Second})
	return New(Options{Client: client, Region: "cn-hangzhou", Demo: true, Refresh: time.Hour, Theme: theme.New(true), Now: clock}), srv
}

// TestEveryViewLoadsUnderFaults: with 30 % of calls throttled, 5 % failing
// server-side and 200 ms on every answer, every view still loads
// completely (reads retry with back-off) and shows no error.
func TestEveryViewLoadsUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("fault run takes ~20 s")
	}
	m, srv := newFaultyShell(t, emulator.Options{ThrottleRate: 0.3, ErrorRate: 0.05, Latency: 200 * time.Millisecond})
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(120, 40))
	for _, name := range []string{"instances", "metrics", "disks", "images", "snapshots", "policies", "sg", "keypairs", "alarms", "alerts"} {
		if name != "instances" {
			tm.Type(":" + name)
			tm.Send(press("enter"))
		}
		waitUntilFor(t, tm, 60*time.Second, name+" loaded without error", func(m *Model) bool {
			st := m.current().Status()
			return loaded(name)(m) && st.Err == nil && st.Total > 0
		})
	}
	waitUntil(t, tm, "retries counted in the status bar", screenHas("retries"))
	finish(t, tm)
	if st := srv.Stats(); st.Faults["Throttling.User"] == 0 {
		t.Fatalf("no fault was injected: %+v", st.Faults)
	}
}

// TestSlowAPIKeepsTheUIResponsive: with 3 s answers, keys act at once, the
// header shows a spinner, and leaving the view cancels its request (the
// emulator sees it go).
func TestSlowAPIKeepsTheUIResponsive(t *testing.T) {
	m, srv := newFaultyShell(t, emulator.Options{Latency: 3 * time.Second})
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(120, 40))
	waitUntilFor(t, tm, 2*time.Second, "the instances request in flight", func(m *Model) bool {
		return m.current().Status().Busy && srv.Stats().InFlight >= 1
	})
	before := srv.Stats().InFlight
	start := time.Now()
	tm.Send(press("?"))
	waitUntilFor(t, tm, time.Second, "help open at once", func(m *Model) bool { return m.mode == modeHelp })
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("a key took %s to act while the API is slow", d)
	}
	tm.Send(press("esc"))
	tm.Type(":audit") // a view that reads a local file: no new request
	tm.Send(press("enter"))
	waitUntilFor(t, tm, 2*time.Second, "the left view's request cancelled", func(*Model) bool {
		return srv.Stats().InFlight < before
	})
	finish(t, tm)
}
