package views

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// timeOnScreen is a date and time as the views print them.
var timeOnScreen = regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?`)

// zonedTimes checks that every date and time on a detail screen is
// followed by the zone's name (summer's or winter's: a detail names the
// zone at that time), or is in a section whose title names it ("… times
// NST)"), and returns how many there are.
func zonedTimes(t *testing.T, what, s, zone, summer string) int {
	t.Helper()
	n, titled := 0, false
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			titled = false // a section ends at a blank line
			continue
		}
		if strings.Contains(line, zone+")") {
			titled = true
			continue
		}
		for _, loc := range timeOnScreen.FindAllStringIndex(line, -1) {
			n++
			rest := line[loc[1]:]
			if !titled && !strings.HasPrefix(rest, " "+zone) && !strings.HasPrefix(rest, " "+summer) {
				t.Errorf("%s: %q is not followed by its zone %s:\n%s", what, line[loc[0]:min(loc[1]+6, len(line))], zone, s)
			}
		}
	}
	return n
}

// Every time a detail pane shows is in the user's zone and names it; a
// list of times names it in its title. Newfoundland (UTC-03:30) is
// neither UTC nor the machine's zone, and half an hour off.
func TestEveryTimeShownNamesItsZone(t *testing.T) {
	ctx, _, _ := newAlarmEnv(t)
	nst, err := time.LoadLocation("America/St_Johns")
	if err != nil {
		t.Fatal(err)
	}
	ctx.Zone = nst
	zone := ZoneName(nst, testNow)
	summer := ZoneName(nst, testNow.AddDate(0, 6, 0)) // NDT when testNow is in winter
	if zone == summer {
		t.Fatalf("%s has one name all year (%s)", nst, zone)
	}
	ctx.AuditLog = writeAuditLog(t, cloud.AuditEntry{Time: testNow.Add(-time.Hour), Action: "StopInstances", Result: cloud.AuditOK, Resources: []string{"i-x"}})

	ins, err := ctx.Client.Instances(bg(t), "cn-hangzhou")
	if err != nil || len(ins) == 0 {
		t.Fatal(ins, err)
	}
	snaps, err := ctx.Client.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{})
	if err != nil || len(snaps) == 0 {
		t.Fatal(snaps, err)
	}
	disks, err := ctx.Client.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{InstanceID: ins[0].ID})
	if err != nil || len(disks) == 0 {
		t.Fatal(disks, err)
	}
	alerts, err := ctx.Client.Alerts(bg(t), testNow.Add(-alertWindow), cpuRuleID)
	if err != nil || len(alerts) == 0 {
		t.Fatal(alerts, err)
	}
	keys, err := ctx.Client.KeyPairs(bg(t), "cn-hangzhou")
	if err != nil || len(keys) == 0 {
		t.Fatal(keys, err)
	}
	groups, err := ctx.Client.SecurityGroups(bg(t), "cn-hangzhou")
	if err != nil || len(groups) == 0 {
		t.Fatal(groups, err)
	}
	images, err := ctx.Client.Images(bg(t), "cn-hangzhou", cloud.OwnerSelf)
	if err != nil || len(images) == 0 {
		t.Fatal(images, err)
	}
	for _, tc := range []struct {
		view, id string
		want     []string // exact renderings that prove the conversion
	}{
		{"keypairs", keys[0].Name, []string{Stamp(nst, keys[0].CreatedAt)}},
		{"sg", groups[0].ID, []string{Stamp(nst, groups[0].CreatedAt)}},
		{"images", images[0].ID, []string{Stamp(nst, images[0].CreatedAt)}},
		{"instances", ins[0].ID, []string{Stamp(nst, ins[0].CreatedAt)}},
		{"disks", disks[0].ID, []string{Stamp(nst, disks[0].CreatedAt)}},
		{"snapshots", snaps[0].ID, []string{Stamp(nst, snaps[0].CreatedAt)}},
		{"alarms", "CPU above 90%", []string{"times " + zone + ")"}},
		{"alerts", alertStamp(columnZone(nst, testNow), alerts[0].Time), []string{Zoned(nst, alerts[0].Time, "2006-01-02 15:04:05")}},
		{"audit", "StopInstances", []string{Zoned(nst, testNow.Add(-time.Hour), "2006-01-02 15:04:05")}},
	} {
		v := load(t, ctx, findView(t, ctx, tc.view))
		v = openDetail(t, ctx, v, tc.id)
		s := screen(ctx, v, 200, 120)
		if n := zonedTimes(t, tc.view+" "+tc.id, s, zone, summer); n == 0 {
			t.Errorf("%s %s: no time on the detail pane (the test proves nothing):\n%s", tc.view, tc.id, s)
		}
		mustContain(t, s, tc.want...)
	}
	for _, tc := range []struct{ view, title string }{
		{"alerts", "TIME (" + zone + ")"},
		{"audit", "TIME (" + zone + ")"},
		{"policies", "HOURS (" + zone + ")"},
	} {
		v := load(t, ctx, findView(t, ctx, tc.view))
		s := screen(ctx, v, 200, 20)
		mustContain(t, s, tc.title)
		mustNotContain(t, s, " UTC")
	}
	// The alerts list: the time of the newest alert on the NST clock.
	v := load(t, ctx, findView(t, ctx, "alerts"))
	newest := alerts[0]
	for _, a := range alerts {
		if a.Time.After(newest.Time) {
			newest = a
		}
	}
	mustContain(t, screen(ctx, v, 200, 20), newest.Time.In(nst).Format("2006-01-02 15:04"))
}

// writeAuditLog writes an audit log holding entries and returns its path.
func writeAuditLog(t *testing.T, entries ...cloud.AuditEntry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	var b strings.Builder
	for _, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The history chart's time axis is on the user's clock and names the zone
// once, at the start of its label row.
func TestHistoryAxisInTheUsersZone(t *testing.T) {
	ctx := newTestContext(t)
	ctx.Zone = time.FixedZone("NST", -(3*3600 + 30*60))
	ins, err := ctx.Client.Instances(bg(t), "cn-hangzhou")
	if err != nil || len(ins) == 0 {
		t.Fatal(ins, err)
	}
	var in cloud.Instance
	for _, i := range ins {
		if i.Status == cloud.StateRunning {
			in = i
			break
		}
	}
	h := NewHistory()
	h.Focus(in.ID, in.RegionID, in.Name)
	v := load(t, ctx, View(h))
	lines := strings.Split(screen(ctx, v, 100, 20), "\n")
	axis := strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(axis, "NST ") {
		t.Fatalf("the label row does not start with the zone: %q\n%s", axis, strings.Join(lines, "\n"))
	}
	labels := strings.Fields(strings.TrimPrefix(axis, "NST"))
	if len(labels) < 2 {
		t.Fatalf("labels %q", labels)
	}
	// The window is the last hour: each label is a time of it on the NST
	// clock (on the UTC clock it would be 3:30 off, outside the window).
	for _, l := range labels {
		found := false
		for m := time.Duration(0); m <= time.Hour; m += time.Minute {
			if testNow.Add(-m).In(ctx.Zone).Format("15:04") == l {
				found = true
			}
		}
		if !found {
			t.Errorf("label %q is not a time of the last hour in NST (%s)", l, testNow.In(ctx.Zone).Format("15:04"))
		}
	}
}
