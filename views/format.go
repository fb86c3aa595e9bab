package views

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/theme"
)

// age renders how long ago t was, compactly: 45s, 12m, 5h, 3d, 2y.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(int(d.Seconds()), 0))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 2*365*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return fmt.Sprintf("%dy", int(d.Hours()/24/365))
}

// ageKey is the sort key behind an age cell: seconds, compared numerically.
func ageKey(now, t time.Time) string { return fmt.Sprint(int64(now.Sub(t).Seconds())) }

// Times on screen: every one says its zone. A single time carries it
// ("2026-12-04 11:22 CST"); a column or list of times names it once, in
// its title ("TIME (CST)"), so narrow columns stay narrow. The zone is
// Context.Location(): local, or UTC with --utc.

// ZoneName names loc at t as a person reads it: its abbreviation ("CST",
// "CET", "UTC"), or the offset ("UTC+08", "UTC-03:30") for a zone whose
// abbreviation is only a number ("+08") or empty.
func ZoneName(loc *time.Location, t time.Time) string {
	name, offset := t.In(loc).Zone()
	if name != "" && name[0] != '+' && name[0] != '-' {
		return name
	}
	return utcOffset(offset)
}

// utcOffset names an offset from UTC in seconds: "UTC", "UTC+08", "UTC-03:30".
func utcOffset(seconds int) string {
	if seconds == 0 {
		return "UTC"
	}
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	h, m := seconds/3600, seconds%3600/60
	if m == 0 {
		return fmt.Sprintf("UTC%c%02d", sign, h)
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, h, m)
}

// Zoned renders t in loc with layout, then its zone: Zoned(loc, t,
// "15:04:05") is "11:22:05 CST". The zero time is "".
func Zoned(loc *time.Location, t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(layout) + " " + ZoneName(loc, t)
}

// Stamp renders a time in loc, to the minute, with its zone:
// "2026-12-04 11:22 CST" (a detail pane's field).
func Stamp(loc *time.Location, t time.Time) string { return Zoned(loc, t, "2006-01-02 15:04") }

// Clock renders a time of day in loc with its zone: "11:22:05 CST".
func Clock(loc *time.Location, t time.Time) string { return Zoned(loc, t, "15:04:05") }

// columnZone is the zone of a column of times: loc's offset at now, fixed
// and named, so that every cell is in the zone the title names even across
// a daylight-saving change (a summer time then reads as the winter clock
// does, which is still true: the title says which).
func columnZone(loc *time.Location, now time.Time) *time.Location {
	_, offset := now.In(loc).Zone()
	return time.FixedZone(ZoneName(loc, now), offset)
}

// zonedTitle is a column's or a section's title naming its zone once:
// "TIME (CST)".
func zonedTitle(title string, zone *time.Location) string {
	return title + " (" + zone.String() + ")"
}

// inZone renders t in zone with layout and no zone name (the title has
// it); the zero time is "-".
func inZone(zone *time.Location, t time.Time, layout string) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(zone).Format(layout)
}

// memory renders MiB as GiB.
func memory(mib int) string {
	gib := float64(mib) / 1024
	if gib == float64(int(gib)) {
		return fmt.Sprintf("%d GiB", int(gib))
	}
	return fmt.Sprintf("%.1f GiB", gib)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// stateStyle is a Column/Field style colouring a status by its meaning.
func stateStyle(th theme.Theme, s string) lipgloss.Style { return th.State(s) }

// joinIDs lists ids on one line.
func joinIDs(ids []string) string { return strings.Join(ids, ", ") }

// typedWord is what the user types to confirm a destructive action: the id
// itself for one resource, "N <noun>" for several (so a mistyped count
// cannot delete more than the user read).
func typedWord(ids []string, noun string) string {
	if len(ids) == 1 {
		return ids[0]
	}
	return fmt.Sprintf("%d %s", len(ids), noun)
}

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// newModalID tells a form's or pane's answers from an earlier one's.
// Random, so that no counter is shared between views.
func newModalID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}
