package emulator

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// alarmClock is a movable emulator clock.
type alarmClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *alarmClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *alarmClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// alarmEnv is an emulator on a movable clock and a CMS client.
func alarmEnv(t *testing.T) (*Server, *cms.Client, *alarmClock) {
	t.Helper()
	clock := &alarmClock{now: cmsNow}
	s, host := cmsServer(t, Options{Seed: 7, Now: clock.Now})
	return s, cmsClient(t, host), clock
}

func listRules(t *testing.T, c *cms.Client, edit func(*cms.DescribeMetricRuleListRequest)) *cms.DescribeMetricRuleListResponse {
	t.Helper()
	req := cms.CreateDescribeMetricRuleListRequest()
	req.PageSize = "100"
	if edit != nil {
		edit(req)
	}
	resp, err := c.DescribeMetricRuleList(req)
	if err != nil {
		t.Fatalf("DescribeMetricRuleList: %v", err)
	}
	if resp.Code != 200 || !resp.Success {
		t.Fatalf("DescribeMetricRuleList: %+v", resp)
	}
	return resp
}

func ruleByID(t *testing.T, c *cms.Client, id string) (cms.AlarmInDescribeMetricRuleList, bool) {
	t.Helper()
	resp := listRules(t, c, func(r *cms.DescribeMetricRuleListRequest) { r.RuleIds = id })
	if len(resp.Alarms.Alarm) == 0 {
		return cms.AlarmInDescribeMetricRuleList{}, false
	}
	return resp.Alarms.Alarm[0], true
}

func alertLogs(t *testing.T, c *cms.Client, ruleID string) []cms.AlarmInDescribeAlertLogList {
	t.Helper()
	req := cms.CreateDescribeAlertLogListRequest()
	req.RuleId = ruleID
	req.PageSize = "100"
	resp, err := c.DescribeAlertLogList(req)
	if err != nil {
		t.Fatalf("DescribeAlertLogList: %v", err)
	}
	if resp.Code != "200" || !resp.Success {
		t.Fatalf("DescribeAlertLogList: %+v", resp)
	}
	return resp.AlertLogList
}

// cpuRule is a valid PutResourceMetricRule request on one instance.
func cpuRule(id, instanceID, threshold string) *cms.PutResourceMetricRuleRequest {
	req := cms.CreatePutResourceMetricRuleRequest()
	req.RuleId = id
	req.RuleName = "cpu " + threshold
	req.Namespace = "acs_ecs_dashboard"
	req.MetricName = "CPUUtilization"
	req.ContactGroups = "ops-oncall"
	req.Resources = `[{"instanceId":"` + instanceID + `"}]`
	req.Period = "60"
	req.SilenceTime = "3600"
	req.EscalationsCriticalStatistics = "Average"
	req.EscalationsCriticalComparisonOperator = "GreaterThanThreshold"
	req.EscalationsCriticalThreshold = threshold
	req.EscalationsCriticalTimes = "1"
	return req
}

func peggedID(t *testing.T, s *Server) string {
	t.Helper()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	in := troubled(s.store, healthCPUPegged)
	if in == nil {
		t.Fatal("no cpu-pegged instance in the fleet")
	}
	return in.ID
}

func TestAlarmSeededRules(t *testing.T) {
	s, c, _ := alarmEnv(t)
	resp := listRules(t, c, nil)
	if resp.Total != "3" || len(resp.Alarms.Alarm) != 3 {
		t.Fatalf("seeded rules: total %q, %d rules", resp.Total, len(resp.Alarms.Alarm))
	}
	states := map[string]string{}
	for _, a := range resp.Alarms.Alarm {
		states[a.RuleId] = a.AlertState
	}
	want := map[string]string{"ecsdash-demo-cpu-high": "ALARM", "ecsdash-demo-disk-full": "ALARM", "ecsdash-demo-memory": "OK"}
	for id, st := range want {
		if states[id] != st {
			t.Errorf("%s: state %q, want %q", id, states[id], st)
		}
	}
	cpu, _ := ruleByID(t, c, "ecsdash-demo-cpu-high")
	e := cpu.Escalations.Critical
	if e.ComparisonOperator != "GreaterThanThreshold" || e.Threshold != "90" || e.Times != 3 || e.Statistics != "Average" ||
		cpu.Period != "60" || cpu.ContactGroups != "ops-oncall" || !cpu.EnableState || cpu.SilenceTime != 86400 ||
		cpu.Resources != `[{"instanceId":"`+peggedID(t, s)+`"}]` || cpu.Dimensions != cpu.Resources {
		t.Errorf("cpu rule: %+v", cpu)
	}

	// The replayed history shows when it fired (it may flap while the CPU
	// climbs): newest first, the last change OK->P2.
	logs := alertLogs(t, c, "ecsdash-demo-cpu-high")
	if len(logs) == 0 || logs[0].LevelChange != "OK->P2" || logs[0].Level != "P2" || logs[0].InstanceId != peggedID(t, s) {
		t.Fatalf("cpu logs: %+v", logs)
	}
	ms, _ := strconv.ParseInt(logs[0].AlertTime, 10, 64)
	if at := time.UnixMilli(ms); !at.Before(cmsNow.Add(-2*time.Hour)) || at.Before(cmsNow.Add(-6*time.Hour)) {
		t.Errorf("cpu fired at %s, want between -6h and -2h", at)
	}
	if len(logs[0].ContactMailList) != 2 || len(logs[0].ContactSMSList) != 1 || logs[0].Escalation.Expression != "$Average>90" {
		t.Errorf("cpu log contacts/escalation: %+v", logs[0])
	}
	var msg map[string]any
	if err := json.Unmarshal([]byte(logs[0].Message), &msg); err != nil || msg["curLevel"] != "P2" {
		t.Errorf("Message %q: %v", logs[0].Message, err)
	}
	disk := alertLogs(t, c, "ecsdash-demo-disk-full")
	if len(disk) == 0 || disk[0].Level != "P3" {
		t.Errorf("disk logs: %+v", disk)
	}
}

func TestAlarmPutValidation(t *testing.T) {
	s, c, _ := alarmEnv(t)
	id := peggedID(t, s)
	cases := []struct {
		name   string
		edit   func(*cms.PutResourceMetricRuleRequest)
		code   string
		status int
	}{
		{"no RuleId", func(r *cms.PutResourceMetricRuleRequest) { r.RuleId = "" }, "MissingParameter", 400},
		{"no RuleName", func(r *cms.PutResourceMetricRuleRequest) { r.RuleName = "" }, "MissingParameter", 400},
		{"no ContactGroups", func(r *cms.PutResourceMetricRuleRequest) { r.ContactGroups = "" }, "MissingParameter", 400},
		{"unknown group", func(r *cms.PutResourceMetricRuleRequest) { r.ContactGroups = "ops-oncall,nobody" }, "ContactGroupNotExists", 404},
		{"bad operator", func(r *cms.PutResourceMetricRuleRequest) { r.EscalationsCriticalComparisonOperator = "Above" }, "400", 400},
		{"bad threshold", func(r *cms.PutResourceMetricRuleRequest) { r.EscalationsCriticalThreshold = "ninety" }, "400", 400},
		{"times 0", func(r *cms.PutResourceMetricRuleRequest) { r.EscalationsCriticalTimes = "0" }, "400", 400},
		{"period 90", func(r *cms.PutResourceMetricRuleRequest) { r.Period = "90" }, "400", 400},
		{"silence 60", func(r *cms.PutResourceMetricRuleRequest) { r.SilenceTime = "60" }, "400", 400},
		{"unknown instance", func(r *cms.PutResourceMetricRuleRequest) { r.Resources = `[{"instanceId":"i-ghost"}]` }, "ResourceNotFound", 404},
		{"bad resources", func(r *cms.PutResourceMetricRuleRequest) { r.Resources = `i-x` }, "400", 400},
		{"no escalation", func(r *cms.PutResourceMetricRuleRequest) {
			r.EscalationsCriticalStatistics, r.EscalationsCriticalComparisonOperator, r.EscalationsCriticalThreshold, r.EscalationsCriticalTimes = "", "", "", ""
		}, "400", 400},
		{"unknown metric", func(r *cms.PutResourceMetricRuleRequest) { r.MetricName = "CPUUsage" }, "400", 400},
	}
	for _, tc := range cases {
		req := cpuRule("r-bad", id, "50")
		tc.edit(req)
		_, err := c.PutResourceMetricRule(req)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		ecsExpectError(t, err, tc.code, tc.status)
	}
	if _, ok := ruleByID(t, c, "r-bad"); ok {
		t.Error("a refused rule was stored")
	}
}

func TestAlarmLifecycle(t *testing.T) {
	s, c, clock := alarmEnv(t)
	id := peggedID(t, s)
	listRules(t, c, nil) // first evaluation (seeded rules)

	resp, err := c.PutResourceMetricRule(cpuRule("r-1", id, "50"))
	if err != nil || resp.Code != "200" || !resp.Success {
		t.Fatalf("put: %+v %v", resp, err)
	}
	if a, _ := ruleByID(t, c, "r-1"); a.AlertState != "INSUFFICIENT_DATA" || a.RuleName != "cpu 50" {
		t.Fatalf("before evaluation: %+v", a)
	}
	clock.advance(time.Minute)
	if a, _ := ruleByID(t, c, "r-1"); a.AlertState != "ALARM" {
		t.Fatalf("after a minute: %+v", a)
	}
	logs := alertLogs(t, c, "r-1")
	if len(logs) != 1 || logs[0].LevelChange != "OK->P2" || logs[0].RuleName != "cpu 50" {
		t.Fatalf("logs: %+v", logs)
	}

	// Update through the same RuleId: above the CPU, it recovers.
	if _, err := c.PutResourceMetricRule(cpuRule("r-1", id, "99.9")); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	a, _ := ruleByID(t, c, "r-1")
	if a.AlertState != "OK" || a.Escalations.Critical.Threshold != "99.9" || a.RuleName != "cpu 99.9" {
		t.Fatalf("after update: %+v", a)
	}
	logs = alertLogs(t, c, "r-1")
	if len(logs) != 2 || logs[0].LevelChange != "P2->OK" || logs[0].Level != "OK" {
		t.Fatalf("recovery logs: %+v", logs)
	}
	if n := len(listRules(t, c, func(r *cms.DescribeMetricRuleListRequest) { r.RuleIds = "r-1,ecsdash-demo-memory" }).Alarms.Alarm); n != 2 {
		t.Errorf("RuleIds filter: %d rules", n)
	}
	if n := len(listRules(t, c, func(r *cms.DescribeMetricRuleListRequest) { r.AlertState = "ALARM" }).Alarms.Alarm); n != 2 {
		t.Errorf("AlertState filter: %d rules", n)
	}
	if n := len(listRules(t, c, func(r *cms.DescribeMetricRuleListRequest) { r.Dimensions = `[{"instanceId":"` + id + `"}]` }).Alarms.Alarm); n != 2 {
		t.Errorf("Dimensions filter: %d rules", n)
	}

	// Disabled: not evaluated, state kept.
	dis := cms.CreateDisableMetricRulesRequest()
	dis.RuleId = &[]string{"r-1"}
	if _, err := c.DisableMetricRules(dis); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutResourceMetricRule(cpuRule("r-1", id, "10")); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if a, _ := ruleByID(t, c, "r-1"); a.EnableState || a.AlertState != "OK" {
		t.Fatalf("disabled: %+v", a)
	}
	en := cms.CreateEnableMetricRulesRequest()
	en.RuleId = &[]string{"r-1"}
	if _, err := c.EnableMetricRules(en); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if a, _ := ruleByID(t, c, "r-1"); !a.EnableState || a.AlertState != "ALARM" {
		t.Fatalf("enabled: %+v", a)
	}
	en.RuleId = &[]string{"r-1", "r-ghost"}
	_, err = c.EnableMetricRules(en)
	ecsExpectError(t, err, "ResourceNotFound", 404)

	del := cms.CreateDeleteMetricRulesRequest()
	del.Id = &[]string{"r-1"}
	if _, err := c.DeleteMetricRules(del); err != nil {
		t.Fatal(err)
	}
	if _, ok := ruleByID(t, c, "r-1"); ok {
		t.Error("deleted rule still listed")
	}
	if len(alertLogs(t, c, "r-1")) != 3 {
		t.Error("a deleted rule's history is gone")
	}
}

func TestAlarmNoData(t *testing.T) {
	s, c, clock := alarmEnv(t)
	cmsAddInstance(s, "i-stopped", func(in *instance) { in.Status = "Stopped" })
	if _, err := c.PutResourceMetricRule(cpuRule("r-nodata", "i-stopped", "1")); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if a, _ := ruleByID(t, c, "r-nodata"); a.AlertState != "INSUFFICIENT_DATA" {
		t.Fatalf("stopped instance: %+v", a)
	}
}

func TestAlarmLogBound(t *testing.T) {
	c := &cmsState{}
	rule := &alarmRule{ID: "r", Name: "r", Namespace: cmsNamespaceECS, Metric: "CPUUtilization"}
	se := &series{inst: &instance{ID: "i-x", Name: "x"}}
	for i := range maxAlertLogs + 50 {
		c.appendLog(rule, se, "OK", evaluation{level: "P2"}, cmsNow.Add(time.Duration(i)*time.Minute))
	}
	if len(c.logs) != maxAlertLogs || !c.logs[0].Time.Equal(cmsNow.Add(50*time.Minute)) {
		t.Fatalf("%d logs, oldest %s", len(c.logs), c.logs[0].Time)
	}
}

func TestContactsAndHistoryShapes(t *testing.T) {
	_, c, _ := alarmEnv(t)
	groups, err := c.DescribeContactGroupList(cms.CreateDescribeContactGroupListRequest())
	if err != nil || groups.Code != "200" || groups.Total != 3 {
		t.Fatalf("groups: %+v %v", groups, err)
	}
	g := groups.ContactGroupList.ContactGroup[0]
	if g.Name != "ops-oncall" || len(g.Contacts.Contact) != 2 || g.Contacts.Contact[0] != "alice" || groups.ContactGroups.ContactGroup[1] != "dba" {
		t.Errorf("groups: %+v", groups)
	}
	contacts, err := c.DescribeContactList(cms.CreateDescribeContactListRequest())
	if err != nil || contacts.Total != 3 {
		t.Fatalf("contacts: %+v %v", contacts, err)
	}
	alice := contacts.Contacts.Contact[0]
	if alice.Name != "alice" || alice.Channels.Mail == "" || alice.Channels.SMS == "" || alice.ChannelsState.SMS != "OK" ||
		len(alice.ContactGroups.ContactGroup) != 1 {
		t.Errorf("alice: %+v", alice)
	}
	byName := cms.CreateDescribeContactListRequest()
	byName.ContactName = "carol"
	if one, err := c.DescribeContactList(byName); err != nil || len(one.Contacts.Contact) != 1 {
		t.Errorf("ContactName filter: %+v %v", one, err)
	}

	hist := cms.CreateDescribeAlertHistoryListRequest()
	hist.RuleId = "ecsdash-demo-cpu-high"
	h, err := c.DescribeAlertHistoryList(hist)
	if err != nil || h.Total == "0" || len(h.AlarmHistoryList.AlarmHistory) == 0 {
		t.Fatalf("history: %+v %v", h, err)
	}
	if a := h.AlarmHistoryList.AlarmHistory[0]; a.Level != "CRITICAL" || a.State != "ALARM" || a.AlertTime == 0 {
		t.Errorf("history item: %+v", a)
	}
}
