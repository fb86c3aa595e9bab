package views

import (
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestPoliciesListAndDetail(t *testing.T) {
	ctx := newTestContext(t)
	// Shown in CET (UTC+1), 7 hours behind the API's UTC+8.
	ctx.Zone = time.FixedZone("CET", 3600)
	pols, err := ctx.Client.AutoSnapshotPolicies(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	v := load(t, ctx, findView(t, ctx, "policies"))
	if v.Status().Total != len(pols) || len(pols) == 0 {
		t.Fatalf("Total = %d, want %d (> 0)", v.Status().Total, len(pols))
	}
	s := screen(ctx, v, 120, 30)
	for _, p := range pols {
		runs := localSchedule(p.RepeatWeekdays, p.TimePoints, ctx.Zone, testNow)
		mustContain(t, s, p.ID, p.Name, runs.weekdays(), runs.hours(), retention(p.RetentionDays))
	}
	// The seeded daily 03:00 UTC+8 is 20:00 the day before in CET: still daily.
	mustContain(t, s, "HOURS (CET)", "Normal", "daily", "20:00", "7 days")
	mustNotContain(t, s, "03:00")

	disks, err := ctx.Client.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	p := pols[0]
	var mine []string
	for _, d := range disks {
		if d.AutoSnapshotPolicyID == p.ID {
			mine = append(mine, d.ID)
		}
	}
	if len(mine) == 0 {
		t.Fatalf("policy %s has no disks in the seeded fleet", p.ID)
	}
	v = openDetail(t, ctx, v, p.ID)
	s = screen(ctx, v, 120, 60)
	mustContain(t, s, "Disks", "Weekdays", "Hours", localSchedule(p.RepeatWeekdays, p.TimePoints, ctx.Zone, testNow).hours()+" CET",
		"In the API", apiScheduleText(p.RepeatWeekdays, p.TimePoints))
	mustContain(t, s, mine...)
	for _, d := range disks {
		if d.AutoSnapshotPolicyID != p.ID {
			mustNotContain(t, s, d.ID)
		}
	}
	_, msg := press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "disks" || nav.Filter == "" {
		t.Errorf("enter on a disk = %#v", msg)
	}
}

func TestPolicyCells(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{weekdays([]int{1, 3, 5}), "Mon,Wed,Fri"},
		{weekdays([]int{1, 2, 3, 4, 5, 6, 7}), "daily"},
		{weekdays(nil), "-"},
		{hours([]int{2, 14}), "02:00,14:00"},
		{retention(-1), "forever"},
		{retention(7), "7 days"},
		{category("cloud_essd", "PL1"), "essd PL1"},
		{category("cloud_efficiency", ""), "efficiency"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
