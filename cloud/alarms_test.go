package cloud_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// movableClock is an emulator clock the test moves forward.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *movableClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// alarmEnv is an emulator on a movable clock (14:00 in Hangzhou) and a client.
func alarmEnv(t *testing.T) (*emulator.Server, *cloud.Client, *movableClock) {
	t.Helper()
	clock := &movableClock{now: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)}
	srv, c := env(t, emulator.Options{Now: clock.Now})
	return srv, c, clock
}

// peggedInstance is the instance the demo's CPU rule watches (CPU > 93%).
func peggedInstance(t *testing.T, c *cloud.Client) string {
	t.Helper()
	rules, err := c.AlarmRules(context.Background(), cloud.AlarmRuleFilter{IDs: []string{"ecsdash-demo-cpu-high"}})
	if err != nil || len(rules) != 1 || len(rules[0].InstanceIDs) != 1 {
		t.Fatalf("demo CPU rule: %+v %v", rules, err)
	}
	return rules[0].InstanceIDs[0]
}

func oneRule(t *testing.T, c *cloud.Client, id string) cloud.AlarmRule {
	t.Helper()
	rules, err := c.AlarmRules(context.Background(), cloud.AlarmRuleFilter{IDs: []string{id}})
	if err != nil {
		t.Fatalf("AlarmRules(%s): %v", id, err)
	}
	if len(rules) != 1 {
		t.Fatalf("AlarmRules(%s): %d rules", id, len(rules))
	}
	return rules[0]
}

func TestAlarmRulesSeeded(t *testing.T) {
	_, c, _ := alarmEnv(t)
	rules, err := c.AlarmRules(context.Background(), cloud.AlarmRuleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 3 {
		t.Fatalf("%d seeded rules: %+v", len(rules), rules)
	}
	cpu := rules[0]
	if cpu.ID != "ecsdash-demo-cpu-high" || cpu.State != cloud.AlarmAlarm || cpu.Metric != cloud.MetricCPU ||
		cpu.Level != cloud.LevelCritical || cpu.Threshold != 90 || cpu.Times != 3 || cpu.Period != time.Minute ||
		cpu.SilenceTime != 24*time.Hour || !cpu.Enabled || !slices.Equal(cpu.ContactGroups, []string{"ops-oncall"}) {
		t.Errorf("demo CPU rule: %+v", cpu)
	}
	if rules[1].Level != cloud.LevelWarn || rules[1].Times != 1 || rules[1].State != cloud.AlarmAlarm {
		t.Errorf("demo disk rule (Warn escalation): %+v", rules[1])
	}
	alarming, err := c.AlarmRules(context.Background(), cloud.AlarmRuleFilter{State: cloud.AlarmAlarm})
	if err != nil || len(alarming) != 2 {
		t.Errorf("State filter: %d rules, %v", len(alarming), err)
	}
}

func TestPutAlarmRuleRoundTrip(t *testing.T) {
	_, c, _ := alarmEnv(t)
	ctx := context.Background()
	ids := runningIDs(t, c, 2)
	spec := cloud.AlarmRuleSpec{
		ID:            cloud.NewAlarmRuleID(),
		Name:          "web memory",
		Metric:        cloud.MetricMemory,
		Level:         cloud.LevelWarn,
		Statistic:     "Maximum",
		Comparison:    "GreaterThanOrEqualToThreshold",
		Threshold:     85.5,
		Times:         3,
		Period:        5 * time.Minute,
		SilenceTime:   2 * time.Hour,
		ContactGroups: []string{"ops-oncall", "dba"},
		InstanceIDs:   ids,
	}
	if err := putAlarmRule(ctx, c, spec); err != nil {
		t.Fatalf("PutAlarmRule: %v", err)
	}
	got := oneRule(t, c, spec.ID)
	want := cloud.AlarmRule{
		ID: spec.ID, Name: spec.Name, Namespace: "acs_ecs_dashboard", Metric: spec.Metric, Level: spec.Level,
		Statistic: spec.Statistic, Comparison: spec.Comparison, Threshold: spec.Threshold, Times: spec.Times,
		Period: spec.Period, SilenceTime: spec.SilenceTime, ContactGroups: spec.ContactGroups,
		InstanceIDs: spec.InstanceIDs, Enabled: true, State: cloud.AlarmInsufficientData,
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	wantSpec := spec
	wantSpec.Namespace = "acs_ecs_dashboard"
	if fmt.Sprintf("%+v", got.Spec()) != fmt.Sprintf("%+v", wantSpec) {
		t.Errorf("Spec(): %+v", got.Spec())
	}

	// Update through the same ID: replaced, not added.
	spec.Name, spec.Level, spec.Threshold, spec.Statistic, spec.InstanceIDs = "web memory (critical)", cloud.LevelCritical, 95, "Average", ids[:1]
	if err := putAlarmRule(ctx, c, spec); err != nil {
		t.Fatal(err)
	}
	got = oneRule(t, c, spec.ID)
	if got.Name != spec.Name || got.Level != cloud.LevelCritical || got.Threshold != 95 || got.Statistic != "Average" ||
		!slices.Equal(got.InstanceIDs, ids[:1]) {
		t.Errorf("after update: %+v", got)
	}
	all, err := c.AlarmRules(ctx, cloud.AlarmRuleFilter{})
	if err != nil || len(all) != 4 {
		t.Errorf("%d rules after create+update, want 4 (%v)", len(all), err)
	}

	// Filters.
	for name, f := range map[string]cloud.AlarmRuleFilter{
		"name":     {Name: "(critical)"},
		"metric":   {Metric: cloud.MetricMemory, Name: "web"},
		"instance": {InstanceID: ids[0], Metric: cloud.MetricMemory, Name: "web"},
	} {
		rules, err := c.AlarmRules(ctx, f)
		if err != nil || len(rules) != 1 || rules[0].ID != spec.ID {
			t.Errorf("filter %s: %+v %v", name, rules, err)
		}
	}
}

func TestAlarmRulesEnableDisableDelete(t *testing.T) {
	srv, c, _ := alarmEnv(t)
	ctx := context.Background()
	id := peggedInstance(t, c)
	var ruleIDs []string
	for i := range 25 {
		spec := cpuSpec(fmt.Sprintf("bulk-%02d", i), id, 50)
		if err := putAlarmRule(ctx, c, spec); err != nil {
			t.Fatal(err)
		}
		ruleIDs = append(ruleIDs, spec.ID)
	}
	before := srv.Stats().Calls["DescribeMetricRuleList"]
	rules, err := c.AlarmRules(ctx, cloud.AlarmRuleFilter{IDs: ruleIDs})
	if err != nil || len(rules) != 25 {
		t.Fatalf("25 by id: %d %v", len(rules), err)
	}
	if calls := srv.Stats().Calls["DescribeMetricRuleList"] - before; calls != 2 {
		t.Errorf("25 ids cost %d DescribeMetricRuleList calls, want 2 (20 per call)", calls)
	}

	if err := execute(ctx, c, c.PlanDisableAlarmRules(ruleIDs[:2])); err != nil {
		t.Fatal(err)
	}
	off := false
	disabled, err := c.AlarmRules(ctx, cloud.AlarmRuleFilter{Enabled: &off})
	if err != nil || len(disabled) != 2 {
		t.Fatalf("disabled: %+v %v", disabled, err)
	}
	if err := execute(ctx, c, c.PlanEnableAlarmRules(ruleIDs[:1])); err != nil {
		t.Fatal(err)
	}
	if !oneRule(t, c, ruleIDs[0]).Enabled || oneRule(t, c, ruleIDs[1]).Enabled {
		t.Error("enable did not take")
	}
	if err := execute(ctx, c, c.PlanDeleteAlarmRules(ruleIDs)); err != nil {
		t.Fatal(err)
	}
	left, err := c.AlarmRules(ctx, cloud.AlarmRuleFilter{IDs: ruleIDs})
	if err != nil || len(left) != 0 {
		t.Errorf("after delete: %d %v", len(left), err)
	}
	err = execute(ctx, c, c.PlanDeleteAlarmRules([]string{"no-such-rule"}))
	if !cloud.IsCode(err, "ResourceNotFound") {
		t.Errorf("delete unknown: %v", err)
	}
	if err := execute(ctx, c, c.PlanDeleteAlarmRules(nil)); err != nil {
		t.Errorf("delete nothing: %v", err)
	}
}

// cpuSpec is a valid spec: CPU above threshold on one instance, every minute.
func cpuSpec(id, instanceID string, threshold float64) cloud.AlarmRuleSpec {
	return cloud.AlarmRuleSpec{
		ID: id, Name: "cpu " + strconv.FormatFloat(threshold, 'f', -1, 64), Metric: cloud.MetricCPU,
		Comparison: "GreaterThanThreshold", Threshold: threshold, Times: 1, Period: time.Minute,
		SilenceTime: time.Hour, ContactGroups: []string{"ops-oncall"}, InstanceIDs: []string{instanceID},
	}
}

func TestPutAlarmRuleValidation(t *testing.T) {
	srv, c, _ := alarmEnv(t)
	cases := []struct {
		field string
		edit  func(*cloud.AlarmRuleSpec)
	}{
		{"id", func(s *cloud.AlarmRuleSpec) { s.ID = "" }},
		{"id", func(s *cloud.AlarmRuleSpec) { s.ID = "a,b" }},
		{"name", func(s *cloud.AlarmRuleSpec) { s.Name = "  " }},
		{"name", func(s *cloud.AlarmRuleSpec) { s.Name = strings.Repeat("x", 65) }},
		{"metric", func(s *cloud.AlarmRuleSpec) { s.Metric = "" }},
		{"level", func(s *cloud.AlarmRuleSpec) { s.Level = "Urgent" }},
		{"statistic", func(s *cloud.AlarmRuleSpec) { s.Statistic = "Median" }},
		{"comparison", func(s *cloud.AlarmRuleSpec) { s.Comparison = ">" }},
		{"threshold", func(s *cloud.AlarmRuleSpec) { s.Threshold = math.NaN() }},
		{"threshold", func(s *cloud.AlarmRuleSpec) { s.Threshold = 150 }},
		{"threshold", func(s *cloud.AlarmRuleSpec) { s.Threshold = -1 }},
		{"threshold", func(s *cloud.AlarmRuleSpec) { s.Comparison, s.Threshold = "GreaterThanYesterday", -5 }},
		{"times", func(s *cloud.AlarmRuleSpec) { s.Times = 0 }},
		{"times", func(s *cloud.AlarmRuleSpec) { s.Times = 101 }},
		{"period", func(s *cloud.AlarmRuleSpec) { s.Period = 30 * time.Second }},
		{"period", func(s *cloud.AlarmRuleSpec) { s.Period = 90 * time.Second }},
		{"silence time", func(s *cloud.AlarmRuleSpec) { s.SilenceTime = 10 * time.Minute }},
		{"contact groups", func(s *cloud.AlarmRuleSpec) { s.ContactGroups = nil }},
		{"contact groups", func(s *cloud.AlarmRuleSpec) { s.ContactGroups = []string{""} }},
		{"instances", func(s *cloud.AlarmRuleSpec) { s.InstanceIDs = nil }},
	}
	for _, tc := range cases {
		spec := cpuSpec("r-valid", "i-x", 50)
		tc.edit(&spec)
		err := putAlarmRule(context.Background(), c, spec)
		var se *cloud.SpecError
		if !errors.As(err, &se) || se.Field != tc.field {
			t.Errorf("%s: got %v, want a SpecError on %s", tc.field, err, tc.field)
			continue
		}
		if !strings.Contains(err.Error(), tc.field) || se.Problem == "" {
			t.Errorf("%s: message %q", tc.field, err)
		}
	}
	if n := srv.Stats().Calls["PutResourceMetricRule"]; n != 0 {
		t.Errorf("refused specs made %d PutResourceMetricRule calls", n)
	}
	// Defaults fill the optional fields: a minimal spec is valid.
	if err := (cloud.AlarmRuleSpec{ID: "x", Name: "x", Metric: cloud.MetricCPU, Comparison: "LessThanThreshold",
		Threshold: 5, Times: 1, ContactGroups: []string{"dba"}, InstanceIDs: []string{"i-x"}}).Validate(); err != nil {
		t.Errorf("minimal spec: %v", err)
	}
}

func TestPutAlarmRuleServiceRefusals(t *testing.T) {
	_, c, _ := alarmEnv(t)
	ctx := context.Background()
	id := peggedInstance(t, c)

	spec := cpuSpec("r-x", id, 50)
	spec.ContactGroups = []string{"ops-oncall", "nobody"}
	err := putAlarmRule(ctx, c, spec)
	var apiErr *cloud.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "ContactGroupNotExists" || apiErr.HTTPStatus != 404 ||
		apiErr.Action != "PutResourceMetricRule" || !strings.Contains(apiErr.Message, "nobody") {
		t.Errorf("unknown contact group: %#v", err)
	}
	spec = cpuSpec("r-x", "i-doesnotexist", 50)
	if err := putAlarmRule(ctx, c, spec); !cloud.IsCode(err, "ResourceNotFound") {
		t.Errorf("unknown instance: %v", err)
	}
	spec = cpuSpec("r-x", id, 50)
	spec.Metric = "NoSuchMetric"
	if err := putAlarmRule(ctx, c, spec); !cloud.IsCode(err, "400") {
		t.Errorf("unknown metric: %v", err)
	}
	if rules, err := c.AlarmRules(ctx, cloud.AlarmRuleFilter{IDs: []string{"r-x"}}); err != nil || len(rules) != 0 {
		t.Errorf("a refused rule was stored: %+v %v", rules, err)
	}
}

func TestAlarmEvaluation(t *testing.T) {
	_, c, clock := alarmEnv(t)
	ctx := context.Background()
	id := peggedInstance(t, c)
	since := clock.Now()

	// Below the pegged CPU: ALARM at the next evaluation (a minute on).
	if err := putAlarmRule(ctx, c, cpuSpec("r-eval", id, 50)); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if r := oneRule(t, c, "r-eval"); r.State != cloud.AlarmAlarm {
		t.Fatalf("below the CPU: %+v", r)
	}
	alerts, err := c.Alerts(ctx, since, "r-eval")
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 {
		t.Fatalf("alerts: %+v", alerts)
	}
	a := alerts[0]
	v, _ := strconv.ParseFloat(a.Value, 64)
	if a.RuleID != "r-eval" || a.RuleName != "cpu 50" || a.InstanceID != id || a.InstanceName == "" || a.Metric != cloud.MetricCPU ||
		a.Level != "P2" || a.LevelChange != "OK->P2" || a.State != cloud.AlarmAlarm || v < 90 || a.Expression != "$Average>50" ||
		a.Time.Before(since) || !slices.Equal(a.ContactGroups, []string{"ops-oncall"}) {
		t.Errorf("alert: %+v", a)
	}

	// Above it: back to OK, with a recovery entry, newest first.
	if err := putAlarmRule(ctx, c, cpuSpec("r-eval", id, 100)); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if r := oneRule(t, c, "r-eval"); r.State != cloud.AlarmOK {
		t.Fatalf("above the CPU: %+v", r)
	}
	alerts, err = c.Alerts(ctx, since, "r-eval")
	if err != nil || len(alerts) != 2 {
		t.Fatalf("alerts after recovery: %+v %v", alerts, err)
	}
	if alerts[0].LevelChange != "P2->OK" || alerts[0].State != cloud.AlarmOK || alerts[0].Level != "OK" || !alerts[0].Time.After(alerts[1].Time) {
		t.Errorf("recovery: %+v", alerts[0])
	}

	// Every rule's history, since the start: the demo's too.
	all, err := c.Alerts(ctx, time.Time{}, "")
	if err != nil || len(all) < 3 {
		t.Fatalf("all alerts: %d %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Time.After(all[i-1].Time) {
			t.Fatalf("not newest first at %d: %s after %s", i, all[i].Time, all[i-1].Time)
		}
	}
}

func TestContactGroups(t *testing.T) {
	_, c, _ := alarmEnv(t)
	groups, err := c.ContactGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 || groups[0].Name != "ops-oncall" || len(groups[0].Contacts) != 2 {
		t.Fatalf("groups: %+v", groups)
	}
	alice := groups[0].Contacts[0]
	if alice.Name != "alice" || alice.Email == "" || alice.Phone == "" || !slices.Equal(alice.Channels(), []string{"Email", "SMS"}) {
		t.Errorf("alice: %+v", alice)
	}
	if bob := groups[0].Contacts[1]; !slices.Equal(bob.Channels(), []string{"Email", "DingTalk"}) {
		t.Errorf("bob: %+v", bob)
	}
	if groups[1].Name != "dba" || groups[1].Contacts[0].Name != "carol" || groups[1].Description == "" {
		t.Errorf("dba: %+v", groups[1])
	}
}
