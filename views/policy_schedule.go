package views

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An automatic snapshot policy runs at TimePoints, hours 0-23 that the API
// defines in UTC+8 whatever the region, on RepeatWeekdays (1 Monday .. 7
// Sunday) counted in UTC+8 too. The dashboard shows and takes them in the
// user's zone instead, naming it, and converts at that zone's offset today
// (a zone with summer time shifts the hours by one across the year, as the
// policy's runs do on its clock).
//
// An hour that crosses midnight on the way moves its weekday: 02:00 UTC+8
// on Monday is 18:00 UTC on Sunday. When some hours of a policy cross and
// others do not, its runs are no longer "these days at these hours" in the
// user's zone; the view then shows each group of days with its own hours
// ("Sun / Mon" at "18:00 / 06:00"), and a form that would need such a
// policy is refused (apiSchedule says why), unless it runs daily.

// apiPolicyOffset is the offset of the zone TimePoints are in: UTC+8.
const apiPolicyOffset = 8 * 60 * 60

// apiPolicyZone names it.
const apiPolicyZone = "UTC+8"

// minutesPerDay is a day's minutes.
const minutesPerDay = 24 * 60

// schedule is when a policy runs, in the user's zone: groups of weekdays,
// each with the times of day its runs fall at.
type schedule struct {
	groups []scheduleGroup
	zone   string // the user's zone's name, e.g. "CET"
}

// scheduleGroup is weekdays (1 Monday .. 7 Sunday) and times of day in
// minutes after midnight, both in the user's zone.
type scheduleGroup struct {
	days    []int
	minutes []int
}

// policyShift is how many minutes the user's zone (loc, at now) is ahead
// of UTC+8: negative west of it.
func policyShift(loc *time.Location, now time.Time) int {
	_, offset := now.In(loc).Zone()
	return (offset - apiPolicyOffset) / 60
}

// localSchedule converts a policy's weekdays and UTC+8 hours to loc.
func localSchedule(days, hrs []int, loc *time.Location, now time.Time) schedule {
	shift := policyShift(loc, now)
	byDays := map[int][]int{} // day shift (-1, 0, +1) -> minutes
	for _, h := range hrs {
		m := h*60 + shift
		d := floorDiv(m, minutesPerDay)
		byDays[d] = append(byDays[d], m-d*minutesPerDay)
	}
	var s schedule
	s.zone = ZoneName(loc, now)
	keys := make([]int, 0, len(byDays))
	for d := range byDays {
		keys = append(keys, d)
	}
	slices.Sort(keys)
	for _, d := range keys {
		g := scheduleGroup{days: shiftDays(days, d), minutes: byDays[d]}
		// Daily stays daily: groups on the same days are one.
		if i := slices.IndexFunc(s.groups, func(o scheduleGroup) bool { return slices.Equal(o.days, g.days) }); i >= 0 {
			s.groups[i].minutes = append(s.groups[i].minutes, g.minutes...)
			slices.Sort(s.groups[i].minutes)
			continue
		}
		slices.Sort(g.minutes)
		s.groups = append(s.groups, g)
	}
	return s
}

// weekdays renders the days: "Mon,Wed", or per group "Sun / Mon".
func (s schedule) weekdays() string {
	parts := make([]string, len(s.groups))
	for i, g := range s.groups {
		parts[i] = weekdays(g.days)
	}
	return orDash(strings.Join(parts, " / "))
}

// hours renders the times without the zone (a column title names it):
// "02:00,14:00", or per group "18:00 / 06:00".
func (s schedule) hours() string {
	parts := make([]string, len(s.groups))
	for i, g := range s.groups {
		parts[i] = clockTimes(g.minutes)
	}
	return orDash(strings.Join(parts, " / "))
}

// String is the whole schedule with its zone: "daily 02:00,14:00 CET",
// "Sun 18:00; Mon 06:00 UTC".
func (s schedule) String() string {
	if len(s.groups) == 0 {
		return "-"
	}
	parts := make([]string, len(s.groups))
	for i, g := range s.groups {
		parts[i] = weekdays(g.days) + " " + clockTimes(g.minutes)
	}
	return strings.Join(parts, "; ") + " " + s.zone
}

// apiSchedule converts weekdays and times of day typed in loc to the API's
// UTC+8 weekdays and hours. It refuses a time that is not a whole hour in
// UTC+8 (in a zone half an hour off, times are HH:30), and, unless the
// policy runs daily, times that fall on different UTC+8 days: a policy's
// hours all run on its weekdays there.
func apiSchedule(days, minutes []int, loc *time.Location, now time.Time) (apiDays, apiHours []int, err error) {
	shift := policyShift(loc, now)
	zone := ZoneName(loc, now)
	daily := len(days) == 7
	dayShift, first := 0, -1
	for _, m := range minutes {
		a := m - shift // minutes after midnight UTC+8, maybe on another day
		if a%60 != 0 {
			// Short: the form shows its error on one line.
			return nil, nil, fmt.Errorf("hours: in %s use times at :%02d (whole hours in the API's %s), not %s",
				zone, mod(shift, 60), apiPolicyZone, clockTime(m))
		}
		d := floorDiv(a, minutesPerDay)
		switch {
		case first < 0:
			dayShift, first = d, m
		case d != dayShift && !daily:
			midnight := clockTime(mod(shift, minutesPerDay)) // UTC+8 00:00 on the user's clock
			return nil, nil, fmt.Errorf("hours %s, %s cross UTC+8 midnight (%s %s): one side only, or daily",
				clockTime(first), clockTime(m), midnight, zone)
		}
		h := mod(a, minutesPerDay) / 60
		if !slices.Contains(apiHours, h) {
			apiHours = append(apiHours, h)
		}
	}
	slices.Sort(apiHours)
	if daily {
		return days, apiHours, nil
	}
	return shiftDays(days, dayShift), apiHours, nil
}

// parseClockTimes reads times of day: "02", "02,14", "02:00,14:30" or a
// range of whole hours "0-3" / "01:30-03:30"; minutes after midnight,
// sorted.
func parseClockTimes(s string) ([]int, error) {
	var out []int
	for _, part := range bkSplit(s) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := parseClockTime(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = parseClockTime(hi); err != nil {
				return nil, err
			}
			if (b-a)%60 != 0 {
				return nil, fmt.Errorf("hours: %q: a range steps by whole hours, so both ends need the same minutes", part)
			}
		}
		for m := a; m <= b; m += 60 {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// parseClockTime reads "2", "02" or "02:30".
func parseClockTime(t string) (int, error) {
	t = strings.TrimSpace(t)
	hs, ms, hasMin := strings.Cut(t, ":")
	h, err := strconv.Atoi(hs)
	m := 0
	if err == nil && hasMin {
		m, err = strconv.Atoi(ms)
	}
	if err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("hours: %q is not a time of day (00-23, or HH:MM)", t)
	}
	return h*60 + m, nil
}

// clockTime renders minutes after midnight: "02:00".
func clockTime(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// clockTimes renders times of day: "02:00,14:00".
func clockTimes(ms []int) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = clockTime(m)
	}
	return strings.Join(out, ",")
}

// shiftDays moves weekdays (1..7) by n days, wrapping, sorted.
func shiftDays(days []int, n int) []int {
	out := make([]int, 0, len(days))
	for _, d := range days {
		out = append(out, mod(d-1+n, 7)+1)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// floorDiv divides rounding down (-1/1440 is -1, not 0).
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// mod is a modulo that is never negative.
func mod(a, b int) int { return ((a % b) + b) % b }
