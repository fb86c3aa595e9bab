package views

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

var (
	scheduleNow = time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC) // winter: Berlin is CET
	zoneCET     = time.FixedZone("CET", 3600)                  // 7 h behind UTC+8
	zoneCST     = time.FixedZone("CST", 8*3600)                // the API's own offset
	zoneIST     = time.FixedZone("IST", 5*3600+1800)           // 2:30 behind
	zoneNZ      = time.FixedZone("NZDT", 13*3600)              // 5 h ahead
)

func TestPolicyHoursShownInTheUsersZone(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		days, hrs               []int
		loc                     *time.Location
		weekdays, hours, string string
	}{
		{"same zone", []int{1, 3}, []int{2, 14}, zoneCST, "Mon,Wed", "02:00,14:00", "Mon,Wed 02:00,14:00 CST"},
		{"daily stays daily across midnight", []int{1, 2, 3, 4, 5, 6, 7}, []int{3, 12}, zoneCET, "daily", "05:00,20:00", "daily 05:00,20:00 CET"},
		{"every hour on the day before", []int{1}, []int{1, 3}, zoneCET, "Sun", "18:00,20:00", "Sun 18:00,20:00 CET"},
		{"hours split across midnight", []int{7}, []int{1, 13}, zoneCET, "Sat / Sun", "18:00 / 06:00", "Sat 18:00; Sun 06:00 CET"},
		{"Sunday wraps to Monday eastwards", []int{7}, []int{20}, zoneNZ, "Mon", "01:00", "Mon 01:00 NZDT"},
		{"half-hour zone", []int{1, 2, 3, 4, 5}, []int{2}, zoneIST, "Mon,Tue,Wed,Thu,Sun", "23:30", "Mon,Tue,Wed,Thu,Sun 23:30 IST"},
	} {
		s := localSchedule(tc.days, tc.hrs, tc.loc, scheduleNow)
		if s.weekdays() != tc.weekdays || s.hours() != tc.hours || s.String() != tc.string {
			t.Errorf("%s: %q %q %q, want %q %q %q", tc.name, s.weekdays(), s.hours(), s.String(), tc.weekdays, tc.hours, tc.string)
		}
	}
}

func TestPolicyHoursTypedInTheUsersZone(t *testing.T) {
	for _, tc := range []struct {
		name          string
		days, hrs     string
		loc           *time.Location
		apiDays       []int
		apiHours      []int
		errorMentions string
	}{
		{"same zone", "Mon-Fri", "02,14:00", zoneCST, []int{1, 2, 3, 4, 5}, []int{2, 14}, ""},
		{"evening in CET is the next UTC+8 day", "Sun", "18:00,20", zoneCET, []int{1}, []int{1, 3}, ""},
		{"morning in CET stays on its day", "Mon,Fri", "06:00", zoneCET, []int{1, 5}, []int{13}, ""},
		{"daily takes hours on both sides of midnight", "daily", "06,18", zoneCET, []int{1, 2, 3, 4, 5, 6, 7}, []int{1, 13}, ""},
		{"east of UTC+8 Monday early is Sunday", "Mon", "01:00", zoneNZ, []int{7}, []int{20}, ""},
		{"half-hour zone at :30", "Mon", "23:30", zoneIST, []int{2}, []int{2}, ""},
		{"half-hour zone at :00 is refused", "Mon", "02:00", zoneIST, nil, nil, "in IST use times at :30"},
		{"hours on two UTC+8 days are refused", "Sat", "06:00,18:00", zoneCET, nil, nil, "cross UTC+8 midnight (17:00 CET)"},
		{"not a time", "Mon", "25", zoneCET, nil, nil, "not a time of day"},
	} {
		spec, err := policySpecOf("nightly", tc.days, tc.hrs, "7", tc.loc, scheduleNow)
		if tc.errorMentions != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errorMentions) {
				t.Errorf("%s: err = %v, want one saying %q", tc.name, err, tc.errorMentions)
			}
			continue
		}
		if err != nil || !slices.Equal(spec.Weekdays, tc.apiDays) || !slices.Equal(spec.Hours, tc.apiHours) {
			t.Errorf("%s: sent %v at %v (%v), want %v at %v", tc.name, spec.Weekdays, spec.Hours, err, tc.apiDays, tc.apiHours)
		}
	}
}

// What the form pre-fills comes back as the same policy, in every zone.
func TestPolicyScheduleRoundTrip(t *testing.T) {
	for _, loc := range []*time.Location{zoneCST, zoneCET, zoneIST, zoneNZ, time.UTC} {
		for _, p := range []struct{ days, hrs []int }{
			{[]int{1, 2, 3, 4, 5, 6, 7}, []int{0, 3, 23}},
			{[]int{1, 3, 5}, []int{9}},
			{[]int{7}, []int{0}},
		} {
			s := localSchedule(p.days, p.hrs, loc, scheduleNow)
			if len(s.groups) != 1 {
				continue // not one product of days and hours in this zone
			}
			spec, err := policySpecOf("nightly", s.weekdays(), s.hours(), "7", loc, scheduleNow)
			if err != nil || !slices.Equal(spec.Weekdays, p.days) || !slices.Equal(spec.Hours, p.hrs) {
				t.Errorf("%s: %v at %v shown as %q %q, sent back as %v at %v (%v)", loc, p.days, p.hrs, s.weekdays(), s.hours(), spec.Weekdays, spec.Hours, err)
			}
		}
	}
	if got := policyDefaultHours(zoneIST, scheduleNow); got != "02:30" {
		t.Errorf("default hours in IST = %q, want 02:30 (a whole UTC+8 hour)", got)
	}
	if got := policyDefaultHours(zoneCET, scheduleNow); got != "02:00" {
		t.Errorf("default hours in CET = %q", got)
	}
}

// Through the form: an edit that leaves a schedule alone sends it back
// exactly, even one the form could not type (hours on two UTC+8 days); a
// new policy typed in CET reaches the API in UTC+8, a day later.
func TestPolicyFormInTheUsersZone(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ctx.Zone = zoneCET
	ctx.Now = func() time.Time { return scheduleNow }
	v := load(t, ctx, findView(t, ctx, "policies"))
	pols, err := e.check.AutoSnapshotPolicies(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(pols, func(p cloud.AutoSnapshotPolicy) bool { return p.Name == "weekly-sunday" })
	if i < 0 || !slices.Equal(pols[i].RepeatWeekdays, []int{7}) || !slices.Equal(pols[i].TimePoints, []int{1, 13}) {
		t.Fatalf("the seeded weekly-sunday policy: %+v", pols)
	}
	weekly := pols[i]
	selectRow(t, v, weekly.ID)
	_, cmd := v.Update(ctx, runeKey('E'))
	drive(t, ctx, v, cmd)
	form := screen(ctx, v, 120, 30)
	mustContain(t, form, "Sat / Sun", "18:00 / 06:00", "Hours (CET)", "UTC+8 days start at 17:00")
	for range 3 {
		v.Update(ctx, tabKey) // to the retention
	}
	for range 4 {
		v.Update(ctx, bsKey)
	}
	typeText(t, ctx, v, "14")
	_, cmd = v.Update(ctx, submitKy)
	tr := drive(t, ctx, v, cmd)
	noErrors(t, tr)
	if len(tr.confirms) == 0 {
		t.Fatalf("no confirmation:\n%s", screen(ctx, v, 120, 30))
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "Sat 18:00; Sun 06:00 CET", "Sun 01:00,13:00 UTC+8")
	got := policyNamed(t, e, "weekly-sunday")
	if !slices.Equal(got.RepeatWeekdays, []int{7}) || !slices.Equal(got.TimePoints, []int{1, 13}) || got.RetentionDays != 14 {
		t.Errorf("after the edit: %v at %v, keep %d; want Sun at 1,13 (UTC+8), keep 14", got.RepeatWeekdays, got.TimePoints, got.RetentionDays)
	}

	tr = command(t, ctx, v, "new", "evening", "Sun", "18:00,20:00", "3")
	noErrors(t, tr)
	if len(tr.confirms) == 0 {
		t.Fatal("no confirmation for :new")
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "Sun 18:00,20:00 CET", "Mon 01:00,03:00 UTC+8")
	got = policyNamed(t, e, "evening")
	if !slices.Equal(got.RepeatWeekdays, []int{1}) || !slices.Equal(got.TimePoints, []int{1, 3}) {
		t.Errorf("created: %v at %v, want Mon at 1,3 (UTC+8)", got.RepeatWeekdays, got.TimePoints)
	}
}

func policyNamed(t *testing.T, e opsEnv, name string) cloud.AutoSnapshotPolicy {
	t.Helper()
	pols, err := e.check.AutoSnapshotPolicies(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pols {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no policy %s in %+v", name, pols)
	return cloud.AutoSnapshotPolicy{}
}
