package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// The shell shows times in the zone it was given, named: the status bar's
// refresh time, and the alerts view's column, through the whole program.
func TestShellTimesNameTheirZone(t *testing.T) {
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock})
	url := serveEmulator(t, srv)
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou"})
	nst := time.FixedZone("NST", -(3*3600 + 30*60)) // 08:00 UTC is 04:30 NST
	m := New(Options{Client: client, Region: "cn-hangzhou", Demo: true, Refresh: time.Hour, Theme: theme.New(true), Now: clock, Zone: nst})
	tm := start(t, m, 120, 40)
	waitUntil(t, tm, "the refresh time in NST", screenHas("refreshed 04:30:00 NST"))
	tm.Type(":alerts")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the alerts' TIME column in NST", screenHas("TIME (NST)"))
	alerts, err := client.Alerts(t.Context(), fixedNow.Add(-24*time.Hour), "")
	if err != nil || len(alerts) == 0 {
		t.Fatal(alerts, err)
	}
	waitUntil(t, tm, "the alerts listed", func(m *Model) bool { // the header may paint before the rows
		return m.active == "alerts" && !m.current().Status().Busy && m.current().Status().Shown >= len(alerts)
	})
	out := screen(finish(t, tm))
	for _, a := range alerts {
		if !strings.Contains(out, a.Time.In(nst).Format("2006-01-02 15:04")) {
			t.Errorf("the alert of %s is not on the NST clock:\n%s", a.Time, out)
		}
	}
	if strings.Contains(out, "UTC") {
		t.Errorf("UTC on a screen in NST:\n%s", out)
	}
}
