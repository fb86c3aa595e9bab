package views

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// alarmClock is a movable clock shared by the emulator and the views.
type alarmClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *alarmClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *alarmClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// newAlarmEnv is newTestContext on a movable clock, with the server (for
// its call counts).
func newAlarmEnv(t *testing.T) (Context, *emulator.Server, *alarmClock) {
	t.Helper()
	clock := &alarmClock{now: testNow}
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock.Now})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	c, err := cloud.New(cloud.Config{
		Endpoint: url,
		Region:   "cn-hangzhou",
		Credentials: cloud.Credentials{
			AccessKeyID:     emulator.DefaultAccessKeyID,
			AccessKeySecret: emulator.DefaultAccessKeySecret,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return Context{
		Client:  c,
		Region:  "cn-hangzhou",
		Theme:   theme.New(true),
		Now:     clock.Now,
		Timeout: 30 * time.Second,
	}, srv, clock
}

// alarmRule fetches one rule from the emulator (ok false when it is gone).
func alarmRule(t *testing.T, ctx Context, id string) (cloud.AlarmRule, bool) {
	t.Helper()
	rules, err := ctx.Client.AlarmRules(bg(t), cloud.AlarmRuleFilter{IDs: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return cloud.AlarmRule{}, false
}

// lineWith is the screen line containing s ("" if none).
func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// report checks msg is a successful Report that reloads the alarms view.
func report(t *testing.T, msg tea.Msg) Report {
	t.Helper()
	r, ok := msg.(Report)
	if !ok {
		t.Fatalf("got %T %#v, want a Report", msg, msg)
	}
	if r.Err != nil {
		t.Fatalf("%s: %v", r.Action, r.Err)
	}
	if !slices.Contains(r.Reload, "alarms") {
		t.Errorf("%s: Reload = %v, want alarms", r.Action, r.Reload)
	}
	return r
}

const cpuRuleID = "ecsdash-demo-cpu-high"

func TestAlarmsListsRulesFiringFirst(t *testing.T) {
	ctx, _, _ := newAlarmEnv(t)
	rules, err := ctx.Client.AlarmRules(bg(t), cloud.AlarmRuleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	v := load(t, ctx, findView(t, ctx, "alarms"))
	if st := v.Status(); st.Title != "alarms" || st.Total != len(rules) || len(rules) < 3 {
		t.Fatalf("status %+v, want alarms with %d (>= 3) rules", st, len(rules))
	}
	s := screen(ctx, v, 160, 20)
	cpu := lineWith(s, "CPU above 90%")
	mustContain(t, cpu, "CPUUtilization", "Avg > 90% ×3", "1m", "ops-oncall", "yes", "ALARM")
	if !strings.HasSuffix(strings.TrimSpace(cpu), " 1") {
		t.Errorf("cpu rule: want 1 instance at the end of\n%s", cpu)
	}
	// Every rule is listed with its state; ALARM rows come first.
	lines := strings.Split(s, "\n")[1:]
	seenOther := false
	for _, r := range rules {
		if l := lineWith(s, r.Name); !strings.Contains(l, r.State) {
			t.Errorf("%s: want state %s in\n%s", r.Name, r.State, l)
		}
	}
	for _, l := range lines[:len(rules)] {
		alarm := strings.Contains(l, "ALARM")
		if alarm && seenOther {
			t.Errorf("an ALARM row after another state:\n%s", s)
		}
		seenOther = seenOther || !alarm
	}
	if !strings.Contains(lines[0], "ALARM") {
		t.Errorf("first row is not firing:\n%s", s)
	}
}

func TestAlarmDetailShowsInstancesAndAlerts(t *testing.T) {
	ctx, _, _ := newAlarmEnv(t)
	rule, ok := alarmRule(t, ctx, cpuRuleID)
	if !ok || len(rule.InstanceIDs) != 1 {
		t.Fatalf("seeded cpu rule: %+v", rule)
	}
	v := openDetail(t, ctx, load(t, ctx, findView(t, ctx, "alarms")), "CPU above 90%")
	s := screen(ctx, v, 140, 80)
	mustContain(t, s, cpuRuleID, "GreaterThanThreshold", "Average greater than 90% for 3 consecutive periods of 1m", "ops-oncall", "Instances", rule.InstanceIDs[0],
		"Alerts (last 24 h", "OK->P2")
	_, msg := press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "instances" || nav.Filter != rule.InstanceIDs[0] {
		t.Errorf("enter = %#v, want the rule's instance", msg)
	}
}

// flowReport checks a driven flow confirmed once and ended in one
// successful Report that reloads the alarms view.
func flowReport(t *testing.T, tr *trace) (Confirm, Report) {
	t.Helper()
	if len(tr.confirms) != 1 || len(tr.reports) != 1 {
		t.Fatalf("%d confirmations, %d reports; want 1 each (progress %q)", len(tr.confirms), len(tr.reports), tr.progress)
	}
	return tr.confirms[0], report(t, tr.reports[0])
}

// TestAlarmEnableDisable: E asks (y/n: nothing is lost) and then disables
// an enabled rule or enables a disabled one, through a Flow; marked rows
// are taken together, and :enable on|off says which.
func TestAlarmEnableDisable(t *testing.T) {
	ctx, srv, _ := newAlarmEnv(t)
	v := load(t, ctx, findView(t, ctx, "alarms"))
	v.SetFilter("CPU above 90%")

	// Nothing is sent before the confirmation.
	_, msg := press(t, ctx, v, runeKey('E'))
	if c, ok := msg.(Confirm); !ok || c.Typed != "" || c.Danger || c.Title != `Disable alarm rule "CPU above 90%"?` {
		t.Fatalf("E = %#v, want a y/n confirmation to disable", msg)
	}
	if n := srv.Stats().Calls["DisableMetricRules"]; n != 0 {
		t.Fatalf("disabled before the confirmation (%d calls)", n)
	}
	c, r := flowReport(t, keyFlow(t, ctx, v, runeKey('E')))
	if r.Action != `disable alarm rule "CPU above 90%"` || r.Task == "" {
		t.Errorf("report %+v, want the disable as a tracked task", r)
	}
	mustContain(t, strings.Join(c.CLI, "\n"), "aliyun cms DisableMetricRules", cpuRuleID)
	if r, _ := alarmRule(t, ctx, cpuRuleID); r.Enabled {
		t.Fatal("E did not disable the rule")
	}
	v = load(t, ctx, v)
	mustContain(t, lineWith(screen(ctx, v, 160, 20), "CPU above 90%"), " no ")
	c, r = flowReport(t, keyFlow(t, ctx, v, runeKey('E')))
	if c.Title != `Enable alarm rule "CPU above 90%"?` || r.Action != `enable alarm rule "CPU above 90%"` {
		t.Errorf("second E: %q, %q", c.Title, r.Action)
	}
	if r, _ := alarmRule(t, ctx, cpuRuleID); !r.Enabled {
		t.Fatal("E did not enable the rule")
	}
	if n := srv.Stats().Calls["EnableMetricRules"]; n != 1 {
		t.Errorf("%d EnableMetricRules calls, want 1", n)
	}

	// Marked rows: the action takes them all.
	v.SetFilter("")
	v = load(t, ctx, v)
	v, _ = v.Update(ctx, runeKey(' '))
	v, _ = v.Update(ctx, runeKey(' '))
	if _, r := flowReport(t, keyFlow(t, ctx, v, runeKey('E'))); r.Action != "disable 2 alarm rules" {
		t.Errorf("Action = %q", r.Action)
	}
	disabled := func() []string {
		rules, err := ctx.Client.AlarmRules(bg(t), cloud.AlarmRuleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range rules {
			if !r.Enabled {
				names = append(names, r.Name)
			}
		}
		return names
	}
	off := disabled()
	if len(off) != 2 {
		t.Fatalf("%d rules disabled, want 2", len(off))
	}

	// :enable on enables them; :enable on again has nothing to do.
	v = load(t, ctx, v)
	markRows(t, ctx, v, off...)
	if _, r := flowReport(t, command(t, ctx, v, "enable", "on")); r.Action != "enable 2 alarm rules" {
		t.Errorf(":enable on: Action = %q", r.Action)
	}
	if n := len(disabled()); n != 0 {
		t.Errorf("%d rules disabled after :enable on, want 0", n)
	}
	v = load(t, ctx, v)
	markRows(t, ctx, v, off...)
	cmd, _ := v.RunCommand(ctx, "enable", []string{"on"})
	if n, ok := cmd().(Notice); !ok || n.Text != "2 alarm rules already enabled" {
		t.Errorf(":enable on of enabled rules = %#v, want a notice", n)
	}
}

// TestAlarmDeleteConfirms: X asks for the rule's name typed (not its
// machine-made id) and deletes through a Flow.
func TestAlarmDeleteConfirms(t *testing.T) {
	ctx, srv, _ := newAlarmEnv(t)
	v := load(t, ctx, findView(t, ctx, "alarms"))
	v.SetFilter("Memory above 95%")
	_, msg := press(t, ctx, v, runeKey('X'))
	c, ok := msg.(Confirm)
	if !ok {
		t.Fatalf("X = %#v, want a Confirm", msg)
	}
	if c.Title != "Delete 1 alarm rule?" || !c.Danger || c.Typed != "Memory above 95%" || len(c.Lines) != 1 ||
		!strings.Contains(c.Lines[0], "Memory above 95%") || c.Run == nil || c.Undoable == "" {
		t.Fatalf("confirm %+v", c)
	}
	if n := srv.Stats().Calls["DeleteMetricRules"]; n != 0 {
		t.Fatalf("deleted before the confirmation (%d calls)", n)
	}
	_, r := flowReport(t, keyFlow(t, ctx, v, runeKey('X')))
	if r.Action != `delete alarm rule "Memory above 95%"` {
		t.Errorf("Action = %q", r.Action)
	}
	if _, ok := alarmRule(t, ctx, "ecsdash-demo-memory"); ok {
		t.Error("the rule is still listed after the confirmed delete")
	}

	// Several: the count is typed.
	v = load(t, ctx, v)
	v.SetFilter("")
	v, _ = v.Update(ctx, runeKey(' '))
	v, _ = v.Update(ctx, runeKey(' '))
	_, msg = press(t, ctx, v, runeKey('X'))
	if c, ok := msg.(Confirm); !ok || c.Typed != "2 rules" || c.Title != "Delete 2 alarm rules?" {
		t.Errorf("X on 2 marked = %#v", msg)
	}
}

// formKeys types into the open form: tab moves, other runes are typed.
func formKeys(t *testing.T, ctx Context, v View, keys ...tea.KeyPressMsg) View {
	t.Helper()
	for _, k := range keys {
		var cmd tea.Cmd
		v, cmd = v.Update(ctx, k)
		if cmd != nil {
			t.Fatalf("key %v ran a command before the submit", k)
		}
	}
	return v
}

func typed(s string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range s {
		out = append(out, runeKey(r))
	}
	return out
}

var (
	tabKey   = tea.KeyPressMsg{Code: tea.KeyTab}
	backKey  = tea.KeyPressMsg{Code: tea.KeyBackspace}
	ctrlSKey = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
)

func TestAlarmFormCreatesRuleThatFires(t *testing.T) {
	ctx, srv, clock := newAlarmEnv(t)
	seeded, ok := alarmRule(t, ctx, cpuRuleID)
	if !ok {
		t.Fatal("no seeded cpu rule")
	}
	busy := seeded.InstanceIDs[0] // the CPU-pegged instance

	// :alarms i-… opens the view scoped to the instance; n opens the form
	// pre-filled with it and loads the contact groups.
	v := findView(t, ctx, "alarms")
	v.SetScope(busy)
	v = load(t, ctx, v)
	v, msg := press(t, ctx, v, runeKey('N'))
	if !v.Capturing() || msg == nil {
		t.Fatalf("n: capturing %v, msg %#v", v.Capturing(), msg)
	}
	v = feed(ctx, v, msg) // the contact groups and the instances load
	s := screen(ctx, v, 120, 40)
	mustContain(t, s, "New alarm rule", busy, "CPUUtilization", "Average", "GreaterThanThreshold",
		"greater than the threshold", "ops-oncall", "alice: Email, SMS; bob: Email, DingTalk")

	// Threshold 150 on a % metric: refused before any call, form open.
	v = formKeys(t, ctx, v, tabKey, tabKey, tabKey, tabKey, tabKey) // to threshold
	v = formKeys(t, ctx, v, typed("150")...)
	v, cmd := v.Update(ctx, ctrlSKey)
	if cmd != nil {
		if m := cmd(); m != nil {
			t.Fatalf("a refused spec ran a command: %#v", m)
		}
	}
	if !v.Capturing() {
		t.Fatal("the form closed on a refused spec")
	}
	mustContain(t, screen(ctx, v, 120, 40), "threshold", "150 must be between 0 and 100")
	if n := srv.Stats().Calls["PutResourceMetricRule"]; n != 0 {
		t.Fatalf("%d PutResourceMetricRule calls for a refused spec", n)
	}

	// 50, once: accepted, the put is confirmed as a Flow (nothing sent
	// before), then the form closes and the flow reports.
	v = formKeys(t, ctx, v, backKey, backKey, backKey)
	v = formKeys(t, ctx, v, typed("50")...)
	v = formKeys(t, ctx, v, tabKey, backKey)
	v = formKeys(t, ctx, v, typed("1")...)
	v, cmd = v.Update(ctx, ctrlSKey)
	if cmd == nil {
		t.Fatalf("submit ran nothing:\n%s", screen(ctx, v, 120, 40))
	}
	name := "CPUUtilization on " + busy
	tr := drive(t, ctx, v, cmd)
	if len(tr.confirms) != 1 || len(tr.reports) != 1 {
		t.Fatalf("%d confirmations, %d reports; want 1 each", len(tr.confirms), len(tr.reports))
	}
	c := tr.confirms[0]
	if c.Title != `Create alarm rule "`+name+`"?` || c.Typed != "" || c.Danger {
		t.Errorf("confirmation %+v", c)
	}
	mustContain(t, strings.Join(c.Lines, "\n"), "Average greater than 50% for 1 period of 1m", "on "+busy, "ops-oncall")
	mustContain(t, strings.Join(c.CLI, "\n"), "aliyun cms PutResourceMetricRule", "--Escalations.Critical.Threshold 50")
	if r := report(t, tr.reports[0]); r.Action != `create alarm rule "`+name+`"` || r.Task == "" {
		t.Errorf("report %+v", r)
	}
	if v.Capturing() {
		t.Fatalf("the form is still open after the rule was created:\n%s", screen(ctx, v, 120, 40))
	}
	if n := srv.Stats().Calls["PutResourceMetricRule"]; n != 1 {
		t.Errorf("%d PutResourceMetricRule calls, want 1", n)
	}
	rules, err := ctx.Client.AlarmRules(bg(t), cloud.AlarmRuleFilter{Name: name})
	if err != nil || len(rules) != 1 {
		t.Fatalf("created rule: %+v %v", rules, err)
	}
	r := rules[0]
	if r.Threshold != 50 || r.Times != 1 || r.Period != time.Minute || r.Comparison != "GreaterThanThreshold" ||
		r.Statistic != "Average" || r.SilenceTime != 24*time.Hour || !slices.Equal(r.ContactGroups, []string{"ops-oncall"}) ||
		!slices.Equal(r.InstanceIDs, []string{busy}) || !r.Enabled {
		t.Errorf("created rule: %+v", r)
	}

	// Not evaluated yet: no data, no alert.
	v = load(t, ctx, v)
	mustContain(t, lineWith(screen(ctx, v, 160, 20), "Avg > 50% ×1"), "INSUFFICIENT_DATA")
	mustNotContain(t, screen(ctx, load(t, ctx, findView(t, ctx, "alerts")), 200, 40), name)

	// Once the emulator's clock moves on it has fired on the busy
	// instance: the alarms view shows it in ALARM, the alerts view lists it.
	clock.advance(2 * time.Minute)
	v = load(t, ctx, v)
	mustContain(t, lineWith(screen(ctx, v, 160, 20), "Avg > 50% ×1"), "CPUUtilization on", "ALARM")
	alerts := load(t, ctx, findView(t, ctx, "alerts"))
	line := lineWith(screen(ctx, alerts, 200, 40), name)
	mustContain(t, line, "P2", "OK->P2", "CPUUtilization")
}

// TestAlarmFormShowsAPIRefusal: a refusal by the API is the flow's error;
// the form stays open with its values, to fix and send again.
func TestAlarmFormShowsAPIRefusal(t *testing.T) {
	ctx, srv, _ := newAlarmEnv(t)
	v := findView(t, ctx, "alarms")
	v.SetScope("i-ghost")
	v = load(t, ctx, v)
	v, msg := press(t, ctx, v, runeKey('N'))
	v = feed(ctx, v, msg) // the contact groups and the instances load
	v = formKeys(t, ctx, v, tabKey, tabKey, tabKey, tabKey, tabKey)
	v = formKeys(t, ctx, v, typed("80")...)
	v, cmd := v.Update(ctx, ctrlSKey)
	if cmd == nil {
		t.Fatal("submit ran nothing")
	}
	tr := drive(t, ctx, v, cmd)
	if len(tr.reports) != 1 || tr.reports[0].Err == nil || !strings.Contains(tr.reports[0].Err.Error(), "ResourceNotFound") ||
		!strings.Contains(tr.reports[0].Err.Error(), "instance i-ghost") {
		t.Fatalf("put on an unknown instance: reports %+v", tr.reports)
	}
	if !v.Capturing() {
		t.Fatal("an API refusal closed the form")
	}
	mustContain(t, screen(ctx, v, 160, 40), "i-ghost", "80")
	if n := srv.Stats().Calls["PutResourceMetricRule"]; n != 1 {
		t.Errorf("%d PutResourceMetricRule calls, want 1", n)
	}
	// esc closes it.
	v, _ = v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyEscape})
	if v.Capturing() {
		t.Error("esc did not close the form")
	}
}

func TestCondition(t *testing.T) {
	for _, tc := range []struct {
		r    cloud.AlarmRule
		want string
	}{
		{cloud.AlarmRule{Metric: cloud.MetricCPU, Statistic: "Average", Comparison: "GreaterThanThreshold", Threshold: 90, Times: 3}, "Avg > 90% ×3"},
		{cloud.AlarmRule{Metric: cloud.MetricLoad1m, Statistic: "Maximum", Comparison: "GreaterThanOrEqualToThreshold", Threshold: 2.5, Times: 1}, "Max ≥ 2.5 ×1"},
		{cloud.AlarmRule{Metric: cloud.MetricCPU, Statistic: "Minimum", Comparison: "GreaterThanYesterday", Threshold: 20, Times: 2}, "Min ↑ vs 1d 20% ×2"},
		{cloud.AlarmRule{}, "-"},
	} {
		if got := condition(tc.r); got != tc.want {
			t.Errorf("condition(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
	cpu := cloud.AlarmRule{Metric: cloud.MetricCPU, Statistic: "Average", Comparison: "GreaterThanThreshold", Threshold: 90, Times: 3, Period: time.Minute}
	if got := conditionText(cpu); got != "Average greater than 90% for 3 consecutive periods of 1m" {
		t.Errorf("conditionText = %q", got)
	}
	cpu.Comparison, cpu.Threshold, cpu.Times = "LessThanLastWeek", 20, 1
	if got := conditionText(cpu); got != "Average fallen by more than 20% since the same time last week for 1 period of 1m" {
		t.Errorf("conditionText = %q", got)
	}
	for _, c := range cloud.Comparisons {
		if comparisonText[c] == "" {
			t.Errorf("no description of %s", c)
		}
	}
}
