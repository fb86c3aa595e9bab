package emulator

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CloudMonitor alarm rules on metrics: PutResourceMetricRule,
// DescribeMetricRuleList, EnableMetricRules, DisableMetricRules and
// DeleteMetricRules (notes §3.9). Rules belong to the account, not to a
// region; their RuleId is chosen by the caller. Evaluation is in
// alarm_eval.go, the alert history in cms_alertlog.go.

// cmsState is the account's CloudMonitor alarm data. It lives in the store
// and is guarded by the store's mutex like everything else.
type cmsState struct {
	contacts map[string]*contact
	groups   []*contactGroup // in DescribeContactGroupList order

	rules  map[string]*alarmRule
	serial int // creation order of rules

	logs      []*alertLog // oldest first, at most maxAlertLogs
	logSerial int
	lastEval  time.Time // when rules were last evaluated
}

// Escalation levels, most severe first, and the alert level each raises
// in DescribeAlertLogList (P2 critical, P3 warning, P4 info).
var escalationLevels = []struct{ name, level string }{
	{"Critical", "P2"},
	{"Warn", "P3"},
	{"Info", "P4"},
}

// comparisonOperators are the documented Escalations.*.ComparisonOperator
// values (PutResourceMetricRule metadata, aliyun-openapi-meta).
var comparisonOperators = map[string]bool{
	"GreaterThanOrEqualToThreshold": true,
	"GreaterThanThreshold":          true,
	"LessThanOrEqualToThreshold":    true,
	"LessThanThreshold":             true,
	"NotEqualToThreshold":           true,
	"EqualToThreshold":              true,
	"GreaterThanYesterday":          true,
	"LessThanYesterday":             true,
	"GreaterThanLastWeek":           true,
	"LessThanLastWeek":              true,
	"GreaterThanLastPeriod":         true,
	"LessThanLastPeriod":            true,
}

// alarmStatistics are the statistics the metric generator produces.
var alarmStatistics = map[string]bool{"Average": true, "Maximum": true, "Minimum": true}

// Rule defaults and bounds (PutResourceMetricRule docs; notes §3.9).
const (
	defaultRulePeriod  = 60
	defaultSilenceTime = 86400
	minSilenceTime     = 3600
	maxRuleIDsFilter   = 20  // DescribeMetricRuleList RuleIds
	maxRuleIDsPerCall  = 100 // Enable/DisableMetricRules RuleId.N, DeleteMetricRules Id.N
)

// pagingRules: DescribeMetricRuleList's Page/PageSize (default 10; the
// maximum is not documented, 100 is assumed).
var pagingRules = pageLimits{pageSizeDefault: 10, pageSizeMax: 100}

// escalation is one level's trigger condition.
type escalation struct {
	Statistics string
	Comparison string
	Threshold  float64
	Times      int
}

// alarmRule is a threshold rule on one metric of some resources.
type alarmRule struct {
	ID, Name            string
	Namespace, Metric   string
	Period              int // seconds
	SilenceTime         int // seconds
	ContactGroups       []string
	Resources           []map[string]string // as given: [{"instanceId":"i-x"}]; all-resources: [{"userId":...}]
	Escalations         map[string]*escalation
	Enabled             bool
	State               string // OK, ALARM, INSUFFICIENT_DATA
	NoDataPolicy        string
	EffectiveInterval   string
	NoEffectiveInterval string
	Webhook             string
	EmailSubject        string
	Labels              []map[string]string
	serial              int

	// cursor is the end (unix seconds) of the last period evaluated; 0 =
	// not evaluated yet: the next evaluation looks at the latest period.
	cursor  int64
	targets map[string]*targetState // key: instanceId + "|" + device
}

// targetState is a rule's state on one resource (instance and device).
type targetState struct {
	level    string // OK, P2, P3, P4
	notified time.Time
}

// newCMSState builds the account's CloudMonitor data: contacts, contact
// groups and the demo's alarm rules on the fleet's troubled instances.
func newCMSState(st *store) *cmsState {
	now := st.now()
	c := &cmsState{rules: map[string]*alarmRule{}}
	c.contacts, c.groups = seedContacts(now)
	c.seedRules(st, now)
	return c
}

// seedRules adds the demo rules: high CPU on the CPU-pegged instance and
// disk usage on the disk-full one (both in ALARM once evaluated), memory
// on the leaking one (still OK). Their history is replayed from six hours
// back, so the alert log shows when each fired.
func (c *cmsState) seedRules(st *store, now time.Time) {
	from := now.Add(-6 * time.Hour).Unix()
	add := func(r *alarmRule, h health) {
		in := troubled(st, h)
		if in == nil {
			return
		}
		r.Namespace = cmsNamespaceECS
		r.Resources = []map[string]string{{"instanceId": in.ID}}
		r.SilenceTime = defaultSilenceTime
		r.Enabled = true
		r.State = "INSUFFICIENT_DATA"
		r.cursor = floorDiv(from, int64(r.Period)) * int64(r.Period)
		c.put(r)
	}
	add(&alarmRule{
		ID: "ecsdash-demo-cpu-high", Name: "CPU above 90%", Metric: "CPUUtilization", Period: 60,
		ContactGroups: []string{"ops-oncall"},
		Escalations: map[string]*escalation{
			"Critical": {Statistics: "Average", Comparison: "GreaterThanThreshold", Threshold: 90, Times: 3},
		},
	}, healthCPUPegged)
	add(&alarmRule{
		ID: "ecsdash-demo-disk-full", Name: "Disk usage above 90%", Metric: "diskusage_utilization", Period: 300,
		ContactGroups: []string{"ops-oncall", "dba"},
		Escalations: map[string]*escalation{
			"Warn": {Statistics: "Maximum", Comparison: "GreaterThanThreshold", Threshold: 90, Times: 1},
		},
	}, healthDiskFull)
	add(&alarmRule{
		ID: "ecsdash-demo-memory", Name: "Memory above 95%", Metric: "memory_usedutilization", Period: 300,
		ContactGroups: []string{"ops-oncall"},
		Escalations: map[string]*escalation{
			"Info": {Statistics: "Average", Comparison: "GreaterThanOrEqualToThreshold", Threshold: 95, Times: 2},
		},
	}, healthMemoryLeak)
}

// troubled picks the instance showing a health scenario: cn-hangzhou
// first, then by id; nil when the fleet has none.
func troubled(st *store, h health) *instance {
	var best *instance
	for _, in := range st.instances {
		if in.Health == h && (best == nil || hangzhouFirst(in, best)) {
			best = in
		}
	}
	return best
}

// hangzhouFirst orders instances of cn-hangzhou (the default region)
// before the others, then by id.
func hangzhouFirst(a, b *instance) bool {
	ah, bh := a.RegionID == "cn-hangzhou", b.RegionID == "cn-hangzhou"
	if ah != bh {
		return ah
	}
	return a.ID < b.ID
}

// put stores a new rule (serial assigned) or replaces one.
func (c *cmsState) put(r *alarmRule) {
	if old, ok := c.rules[r.ID]; ok {
		r.serial = old.serial
	} else {
		c.serial++
		r.serial = c.serial
	}
	if r.targets == nil {
		r.targets = map[string]*targetState{}
	}
	c.rules[r.ID] = r
}

// ruleList returns the rules in creation order.
func (c *cmsState) ruleList() []*alarmRule {
	out := make([]*alarmRule, 0, len(c.rules))
	for _, r := range c.rules {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].serial < out[j].serial })
	return out
}

// instanceIDs lists the instances a rule names ("" entries skipped); nil
// for an all-resources rule.
func (r *alarmRule) instanceIDs() []string {
	var ids []string
	for _, m := range r.Resources {
		if id := m["instanceId"]; id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// putResourceMetricRule answers PutResourceMetricRule: create the rule, or
// replace the one with the same RuleId (which keeps its enable state and
// its per-resource alert levels, so a changed threshold recovers or fires
// at the next evaluation).
func (s *Server) putResourceMetricRule(r *request) (any, error) {
	st := s.store
	c := st.cms
	rule := &alarmRule{Enabled: true, State: "INSUFFICIENT_DATA"}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"RuleId", &rule.ID}, {"RuleName", &rule.Name}, {"Namespace", &rule.Namespace}, {"MetricName", &rule.Metric}, {"ContactGroups", nil}} {
		v, err := r.required(p.name)
		if err != nil {
			return nil, err
		}
		if p.dst != nil {
			*p.dst = v
		}
	}
	if !knownNamespaces[rule.Namespace] {
		return nil, errCMS(400, "The specified namespace %q does not exist.", rule.Namespace)
	}
	if rule.Namespace == cmsNamespaceECS {
		if _, ok := ecsMetricDefs[rule.Metric]; !ok {
			return nil, errCMS(400, "The specified metric %q does not exist in namespace %s.", rule.Metric, rule.Namespace)
		}
	}
	for _, name := range r.commaList("ContactGroups") {
		if c.contactGroup(name) == nil {
			return nil, &APIError{Status: 404, Code: "ContactGroupNotExists", Message: "The contact group " + strconv.Quote(name) + " does not exist."}
		}
		rule.ContactGroups = append(rule.ContactGroups, name)
	}
	if len(rule.ContactGroups) == 0 {
		return nil, errMissing("ContactGroups")
	}
	var err error
	if rule.Escalations, err = parseEscalations(r); err != nil {
		return nil, err
	}
	if rule.Period, err = r.intParam("Period", defaultRulePeriod); err != nil {
		return nil, errCMS(400, "The specified parameter \"Period\" is not valid: %s.", r.str("Period"))
	}
	if rule.Period < 60 || rule.Period%60 != 0 {
		return nil, errCMS(400, "The specified parameter \"Period\" is not valid: %d is not a multiple of 60 seconds.", rule.Period)
	}
	if rule.SilenceTime, err = r.intParam("SilenceTime", defaultSilenceTime); err != nil {
		return nil, errCMS(400, "The specified parameter \"SilenceTime\" is not valid: %s.", r.str("SilenceTime"))
	}
	if rule.SilenceTime < minSilenceTime {
		return nil, errCMS(400, "The specified parameter \"SilenceTime\" is not valid: %d is less than the minimum of %d seconds.", rule.SilenceTime, minSilenceTime)
	}
	if rule.Resources, err = s.parseRuleResources(r.str("Resources")); err != nil {
		return nil, err
	}
	switch p := r.str("NoDataPolicy"); p {
	case "", "KEEP_LAST_STATE", "INSUFFICIENT_DATA", "OK":
		rule.NoDataPolicy = p
	default:
		return nil, errCMS(400, "The specified parameter \"NoDataPolicy\" is not valid: %s.", p)
	}
	rule.EffectiveInterval = r.str("EffectiveInterval")
	rule.NoEffectiveInterval = r.str("NoEffectiveInterval")
	rule.Webhook = r.str("Webhook")
	rule.EmailSubject = r.str("EmailSubject")
	for i := 1; r.has("Labels." + strconv.Itoa(i) + ".Key"); i++ {
		n := "Labels." + strconv.Itoa(i)
		rule.Labels = append(rule.Labels, map[string]string{"Key": r.str(n + ".Key"), "Value": r.str(n + ".Value")})
	}

	if old, ok := c.rules[rule.ID]; ok {
		rule.Enabled = old.Enabled
		rule.State = old.State
		rule.targets = old.targets
		keep := map[string]bool{}
		for _, id := range rule.instanceIDs() {
			keep[id] = true
		}
		for key := range rule.targets {
			if id, _, _ := strings.Cut(key, "|"); len(keep) > 0 && !keep[id] {
				delete(rule.targets, key)
			}
		}
	}
	c.put(rule) // cursor 0: the next evaluation looks at the latest periods
	return map[string]any{"Code": "200", "Success": true, "Message": ""}, nil
}

// parseEscalations reads Escalations.{Critical,Warn,Info}.*: a level is
// set when any of its parameters is; it then needs ComparisonOperator and
// Threshold (Statistics defaults to Average, Times to 1). At least one
// level is required.
func parseEscalations(r *request) (map[string]*escalation, error) {
	out := map[string]*escalation{}
	for _, lv := range escalationLevels {
		p := "Escalations." + lv.name + "."
		if !r.has(p+"ComparisonOperator") && !r.has(p+"Threshold") && !r.has(p+"Statistics") && !r.has(p+"Times") {
			continue
		}
		e := &escalation{Statistics: r.str(p + "Statistics"), Comparison: r.str(p + "ComparisonOperator")}
		if e.Statistics == "" {
			e.Statistics = "Average"
		}
		if !alarmStatistics[e.Statistics] {
			return nil, errCMS(400, "The specified parameter %q is not valid: %s is not a statistic of the metric (Average, Maximum, Minimum).", p+"Statistics", e.Statistics)
		}
		if e.Comparison == "" {
			return nil, errMissing(p + "ComparisonOperator")
		}
		if !comparisonOperators[e.Comparison] {
			return nil, errCMS(400, "The specified parameter %q is not valid: %s.", p+"ComparisonOperator", e.Comparison)
		}
		raw := r.str(p + "Threshold")
		if raw == "" {
			return nil, errMissing(p + "Threshold")
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errCMS(400, "The specified parameter %q is not valid: %s is not a number.", p+"Threshold", raw)
		}
		e.Threshold = v
		times, err := r.intParam(p+"Times", 1)
		if err != nil || times < 1 {
			return nil, errCMS(400, "The specified parameter %q is not valid: %s must be an integer of 1 or more.", p+"Times", r.str(p+"Times"))
		}
		e.Times = times
		out[lv.name] = e
	}
	if len(out) == 0 {
		return nil, errCMS(400, "At least one of Escalations.Critical, Escalations.Warn and Escalations.Info must be specified.")
	}
	return out, nil
}

// parseRuleResources reads Resources: a JSON array of objects. Absent
// means every resource of the account ([{"userId":...}]). An instanceId
// the account does not own is refused (ResourceNotFound, 404).
func (s *Server) parseRuleResources(raw string) ([]map[string]string, error) {
	if strings.TrimSpace(raw) == "" {
		return []map[string]string{{"userId": cmsUserID}}, nil
	}
	var objs []map[string]any
	if err := json.Unmarshal([]byte(raw), &objs); err != nil || len(objs) == 0 {
		return nil, errCMS(400, "parse param resources error(%s)", raw)
	}
	out := make([]map[string]string, 0, len(objs))
	for _, o := range objs {
		m := map[string]string{}
		for k, v := range o {
			str, ok := v.(string)
			if !ok {
				return nil, errCMS(400, "parse param resources error(%s)", raw)
			}
			m[k] = str
		}
		if id := m["instanceId"]; id != "" && s.store.instances[id] == nil {
			return nil, &APIError{Status: 404, Code: "ResourceNotFound", Message: "The specified resource is not found: instance " + id + "."}
		}
		out = append(out, m)
	}
	return out, nil
}

// describeMetricRuleList answers DescribeMetricRuleList, filtered by
// RuleIds (comma list, at most 20), RuleName (substring), Namespace,
// MetricName, EnableState, AlertState and Dimensions (rules on any of the
// instances named), paged by Page/PageSize. Total is a string.
func (s *Server) describeMetricRuleList(r *request) (any, error) {
	c := s.store.cms
	ids := r.commaList("RuleIds")
	if len(ids) > maxRuleIDsFilter {
		return nil, errCMS(400, "The specified parameter \"RuleIds\" is not valid: at most %d rule ids are allowed, got %d.", maxRuleIDsFilter, len(ids))
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var enable *bool
	if r.has("EnableState") {
		b, err := r.boolParam("EnableState", false)
		if err != nil {
			return nil, err
		}
		enable = &b
	}
	dims, err := parseDimensions(r.str("Dimensions"))
	if err != nil {
		return nil, err
	}
	page, err := r.intParam("Page", 1)
	if err != nil || page < 1 {
		return nil, errCMS(400, "The specified parameter \"Page\" is not valid: %s.", r.str("Page"))
	}
	size, err := r.intParam("PageSize", pagingRules.pageSizeDefault)
	if err != nil || size < 1 {
		return nil, errCMS(400, "The specified parameter \"PageSize\" is not valid: %s.", r.str("PageSize"))
	}
	size = min(size, pagingRules.pageSizeMax)

	var list []*alarmRule
	for _, rule := range c.ruleList() {
		switch {
		case len(want) > 0 && !want[rule.ID],
			r.has("RuleName") && !strings.Contains(rule.Name, r.str("RuleName")),
			r.has("RuleIdLike") && !strings.Contains(rule.ID, r.str("RuleIdLike")),
			r.has("Namespace") && rule.Namespace != r.str("Namespace"),
			r.has("MetricName") && rule.Metric != r.str("MetricName"),
			r.has("AlertState") && rule.State != r.str("AlertState"),
			enable != nil && rule.Enabled != *enable,
			len(dims) > 0 && !ruleCovers(rule, dims):
			continue
		}
		list = append(list, rule)
	}
	items, _ := pageOf(list, pager{offset: (page - 1) * size, limit: size})
	alarms := make([]map[string]any, 0, len(items))
	for _, rule := range items {
		alarms = append(alarms, rule.body())
	}
	return map[string]any{
		"Code":    "200",
		"Success": true,
		"Total":   strconv.Itoa(len(list)),
		"Alarms":  map[string]any{"Alarm": alarms},
	}, nil
}

// ruleCovers reports whether a rule watches any instance the dimensions
// name (an all-resources rule watches every one).
func ruleCovers(rule *alarmRule, dims []map[string]string) bool {
	ids := rule.instanceIDs()
	for _, d := range dims {
		id, ok := d["instanceId"]
		if !ok {
			return true
		}
		if ids == nil {
			return true
		}
		for _, have := range ids {
			if have == id {
				return true
			}
		}
	}
	return false
}

// body is a rule in DescribeMetricRuleList's Alarm shape: Period a string,
// Resources and Dimensions JSON strings, ContactGroups comma-separated,
// Escalations.{Critical,Warn,Info} with Threshold a string.
func (rule *alarmRule) body() map[string]any {
	resources, _ := json.Marshal(rule.Resources)
	esc := map[string]any{}
	for _, lv := range escalationLevels {
		e, ok := rule.Escalations[lv.name]
		if !ok {
			esc[lv.name] = map[string]any{}
			continue
		}
		esc[lv.name] = map[string]any{
			"ComparisonOperator": e.Comparison,
			"Statistics":         e.Statistics,
			"Threshold":          strconv.FormatFloat(e.Threshold, 'f', -1, 64),
			"Times":              e.Times,
		}
	}
	labels := make([]map[string]string, 0, len(rule.Labels))
	labels = append(labels, rule.Labels...)
	noData := rule.NoDataPolicy
	if noData == "" {
		noData = "KEEP_LAST_STATE"
	}
	return map[string]any{
		"RuleId":              rule.ID,
		"RuleName":            rule.Name,
		"Namespace":           rule.Namespace,
		"MetricName":          rule.Metric,
		"Period":              strconv.Itoa(rule.Period),
		"Resources":           string(resources),
		"Dimensions":          string(resources),
		"ContactGroups":       strings.Join(rule.ContactGroups, ","),
		"EnableState":         rule.Enabled,
		"AlertState":          rule.State,
		"SilenceTime":         rule.SilenceTime,
		"EffectiveInterval":   rule.EffectiveInterval,
		"NoEffectiveInterval": rule.NoEffectiveInterval,
		"Webhook":             rule.Webhook,
		"MailSubject":         rule.EmailSubject,
		"NoDataPolicy":        noData,
		"SourceType":          "METRIC",
		"RuleType":            "STATIC",
		"ProductCategory":     "ecs",
		"GroupId":             "",
		"GroupName":           "",
		"GroupBy":             "",
		"Options":             "",
		"Escalations":         esc,
		"Labels":              map[string]any{"Labels": labels},
	}
}

// ruleIDsParam reads a repeated rule-id parameter (RuleId.N or Id.N):
// 1 to 100 ids, each an existing rule, else nothing changes
// (ResourceNotFound, 404, as Terraform expects for unknown rules).
func (s *Server) ruleIDsParam(r *request, name string) ([]*alarmRule, error) {
	ids := r.repeated(name)
	if len(ids) == 0 {
		return nil, errMissing(name + ".1")
	}
	if len(ids) > maxRuleIDsPerCall {
		return nil, errCMS(400, "The specified parameter %q is not valid: at most %d rule ids are allowed, got %d.", name, maxRuleIDsPerCall, len(ids))
	}
	out := make([]*alarmRule, 0, len(ids))
	for _, id := range ids {
		rule := s.store.cms.rules[id]
		if rule == nil {
			return nil, &APIError{Status: 404, Code: "ResourceNotFound", Message: "The specified resource is not found: alarm rule " + id + "."}
		}
		out = append(out, rule)
	}
	return out, nil
}

// setMetricRulesEnabled answers EnableMetricRules / DisableMetricRules. A
// disabled rule is not evaluated and keeps its AlertState; enabling it
// starts evaluation afresh from the latest periods.
func (s *Server) setMetricRulesEnabled(enabled bool) handler {
	return func(r *request) (any, error) {
		rules, err := s.ruleIDsParam(r, "RuleId")
		if err != nil {
			return nil, err
		}
		for _, rule := range rules {
			if rule.Enabled != enabled {
				rule.Enabled = enabled
				rule.cursor = 0
			}
		}
		return map[string]any{"Code": "200", "Success": true, "Message": ""}, nil
	}
}

// deleteMetricRules answers DeleteMetricRules (Id.N). The alert history
// of a deleted rule stays.
func (s *Server) deleteMetricRules(r *request) (any, error) {
	rules, err := s.ruleIDsParam(r, "Id")
	if err != nil {
		return nil, err
	}
	for _, rule := range rules {
		delete(s.store.cms.rules, rule.ID)
	}
	return map[string]any{"Code": "200", "Success": true, "Message": ""}, nil
}
