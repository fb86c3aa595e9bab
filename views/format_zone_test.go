package views

import (
	"testing"
	"time"
	_ "time/tzdata" // IANA zones on any machine
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestTimeHelpersNameTheZone(t *testing.T) {
	at := time.Date(2026, 12, 4, 3, 22, 5, 0, time.UTC)
	summer := time.Date(2026, 7, 4, 3, 22, 5, 0, time.UTC)
	local := time.Local
	for _, tc := range []struct {
		loc          *time.Location
		t            time.Time
		zone, stamp  string
		clock        string
		columnHeader string
	}{
		{time.UTC, at, "UTC", "2026-12-04 03:22 UTC", "03:22:05 UTC", "TIME (UTC)"},
		{mustZone(t, "Asia/Shanghai"), at, "CST", "2026-12-04 11:22 CST", "11:22:05 CST", "TIME (CST)"},
		// A zone the database gives no letters: its offset instead of "+08".
		{mustZone(t, "Asia/Singapore"), at, "UTC+08", "2026-12-04 11:22 UTC+08", "11:22:05 UTC+08", "TIME (UTC+08)"},
		// Half an hour west, the day before.
		{mustZone(t, "America/St_Johns"), at, "NST", "2026-12-03 23:52 NST", "23:52:05 NST", "TIME (NST)"},
		{mustZone(t, "Europe/Berlin"), summer, "CEST", "2026-07-04 05:22 CEST", "05:22:05 CEST", "TIME (CEST)"},
		{time.FixedZone("", -(3*3600 + 30*60)), at, "UTC-03:30", "2026-12-03 23:52 UTC-03:30", "23:52:05 UTC-03:30", "TIME (UTC-03:30)"},
	} {
		if got := ZoneName(tc.loc, tc.t); got != tc.zone {
			t.Errorf("ZoneName(%s) = %q, want %q", tc.loc, got, tc.zone)
		}
		if got := Stamp(tc.loc, tc.t); got != tc.stamp {
			t.Errorf("Stamp(%s) = %q, want %q", tc.loc, got, tc.stamp)
		}
		if got := Clock(tc.loc, tc.t); got != tc.clock {
			t.Errorf("Clock(%s) = %q, want %q", tc.loc, got, tc.clock)
		}
		if got := zonedTitle("TIME", columnZone(tc.loc, tc.t)); got != tc.columnHeader {
			t.Errorf("title in %s = %q, want %q", tc.loc, got, tc.columnHeader)
		}
	}
	// Local: whatever the machine's zone is, it is named.
	name, _ := at.In(local).Zone()
	want := at.In(local).Format("2006-01-02 15:04") + " " + ZoneName(local, at)
	if got := Stamp(local, at); got != want || ZoneName(local, at) == "" {
		t.Errorf("Stamp(Local) = %q, want %q (zone %q)", got, want, name)
	}
	if Stamp(time.UTC, time.Time{}) != "" || alertStamp(time.UTC, time.Time{}) != "-" {
		t.Error("the zero time is not blank")
	}
	// The Context's default is the local zone; Zone switches it.
	if (Context{}).Location() != time.Local || (Context{Zone: time.UTC}).Location() != time.UTC {
		t.Error("Context.Location does not default to Local")
	}
}

// A column's zone is fixed at its title's offset: a summer time in a
// column titled with the winter zone reads on the winter clock, which is
// what the title says.
func TestColumnZoneKeepsTheTitlesOffset(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	winter := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	zone := columnZone(berlin, winter)
	summerInstant := time.Date(2026, 7, 4, 12, 0, 0, 0, time.UTC)
	if got := inZone(zone, summerInstant, "15:04"); got != "13:00" || zone.String() != "CET" {
		t.Errorf("in %s: %s, want 13:00 CET", zone, got)
	}
}
