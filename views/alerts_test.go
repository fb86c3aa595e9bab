package views

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
)

func TestAlertsNewestFirst(t *testing.T) {
	ctx, _, _ := newAlarmEnv(t)
	want, err := ctx.Client.Alerts(bg(t), testNow.Add(-alertWindow), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("the seeded history has no alert in the last 24 h")
	}
	v := load(t, ctx, findView(t, ctx, "alerts"))
	if st := v.Status(); st.Total != len(want) || st.Sort != zonedTitle("TIME", columnZone(ctx.Location(), testNow))+" ↓" {
		t.Fatalf("status %+v, want %d alerts by time, newest first", st, len(want))
	}
	lines := strings.Split(screen(ctx, v, 160, len(want)+1), "\n")[1:]
	prev := ""
	for _, l := range lines {
		stamp := strings.TrimSpace(l)[:16]
		if prev != "" && stamp > prev {
			t.Errorf("%s listed after %s", stamp, prev)
		}
		prev = stamp
	}
	// The seeded CPU rule fired on its pegged instance (P2, critical).
	var fired cloud.Alert
	for _, a := range want {
		if a.RuleID == cpuRuleID && a.LevelChange == "OK->P2" {
			fired = a
			break
		}
	}
	if fired.RuleID == "" {
		t.Fatalf("no OK->P2 alert of %s in %+v", cpuRuleID, want)
	}
	s := screen(ctx, v, 160, len(want)+1)
	zone := columnZone(ctx.Location(), testNow)
	mustContain(t, s, "TIME ("+zone.String()+")")
	row := lineWith(s, alertStamp(zone, fired.Time)+" P2")
	mustContain(t, row, "OK->P2", "CPU above 90%", alertInstance(fired), "CPUUtilization")
	if fired.Value != "" {
		mustContain(t, row, alertValue(fired))
	}
}

func TestAlertDetailOpensRuleAndInstance(t *testing.T) {
	ctx, _, _ := newAlarmEnv(t)
	alerts, err := ctx.Client.Alerts(bg(t), testNow.Add(-alertWindow), cpuRuleID)
	if err != nil || len(alerts) == 0 {
		t.Fatalf("alerts: %v %v", alerts, err)
	}
	a := alerts[0]
	v := load(t, ctx, findView(t, ctx, "alerts"))
	stamp := alertStamp(columnZone(ctx.Location(), testNow), a.Time)
	v.SetFilter(stamp)
	v = openDetail(t, ctx, v, stamp)
	mustContain(t, screen(ctx, v, 140, 60), Zoned(ctx.Location(), a.Time, "2006-01-02 15:04:05"), "Level change", a.LevelChange, "CPU above 90%", cpuRuleID, a.InstanceID, "$Average>90")
	_, msg := press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "alarms" || nav.Filter != "CPU above 90%" {
		t.Errorf("enter = %#v, want the rule", msg)
	}
	v, _ = v.Update(ctx, downKey)
	_, msg = press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "instances" || nav.Filter != a.InstanceID {
		t.Errorf("enter = %#v, want the instance", msg)
	}
}

func TestLevelStyle(t *testing.T) {
	th := theme.Default()
	for level, want := range map[string]lipgloss.Style{
		"P2": th.Danger, "CRITICAL": th.Danger, "P3": th.Warn, "WARN": th.Warn, "OK": th.OK,
	} {
		if got := levelStyle(th, level); got.GetForeground() != want.GetForeground() || got.GetBold() != want.GetBold() {
			t.Errorf("%s: wrong style", level)
		}
	}
	if levelStyle(th, "P2").GetForeground() == levelStyle(th, "P3").GetForeground() {
		t.Error("critical and warning look the same")
	}
}
