package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// CloudMonitor alarm rules: list (DescribeMetricRuleList), create or
// replace (PutResourceMetricRule), and plans to enable, disable and delete
// them. Rules
// belong to the account, not to a region; the calls carry the client's
// default region as RegionId.

const (
	// rulePageSize is the PageSize asked of DescribeMetricRuleList.
	rulePageSize = 100
	// ruleIDsPerFilter is DescribeMetricRuleList's limit on RuleIds.
	ruleIDsPerFilter = 20
	// ruleIDsPerCall is Enable/Disable/DeleteMetricRules' limit on ids.
	ruleIDsPerCall = 100
)

// AlarmRuleFilter narrows AlarmRules; zero fields match every rule.
type AlarmRuleFilter struct {
	IDs        []string // any number (sent 20 per call)
	Name       string   // substring of the name
	Namespace  string
	Metric     Metric
	State      string // AlarmOK, AlarmAlarm, AlarmInsufficientData
	Enabled    *bool
	InstanceID string // rules watching this instance
}

// AlarmRules lists the account's alarm rules that match f, every page, in
// the service's order.
func (c *Client) AlarmRules(ctx context.Context, f AlarmRuleFilter) ([]AlarmRule, error) {
	if len(f.IDs) == 0 {
		return c.alarmRulePages(ctx, f, "")
	}
	parts := batches(f.IDs, ruleIDsPerFilter)
	return fanOut(ctx, len(parts), func(ctx context.Context, i int) ([]AlarmRule, error) {
		return c.alarmRulePages(ctx, f, strings.Join(parts[i], ","))
	})
}

// alarmRulePages pages DescribeMetricRuleList for one RuleIds value.
func (c *Client) alarmRulePages(ctx context.Context, f AlarmRuleFilter, ids string) ([]AlarmRule, error) {
	region := c.region
	return listPages(ctx, rulePageSize, func(r AlarmRule) string { return r.ID },
		func(ctx context.Context, page int) ([]AlarmRule, pageInfo, error) {
			req := cms.CreateDescribeMetricRuleListRequest()
			req.RegionId = region
			req.Domain = c.cmsDomain(region)
			req.Page = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(rulePageSize)
			req.RuleIds = ids
			req.RuleName = f.Name
			req.Namespace = f.Namespace
			req.MetricName = string(f.Metric)
			req.AlertState = f.State
			if f.Enabled != nil {
				req.EnableState = requests.NewBoolean(*f.Enabled)
			}
			if f.InstanceID != "" {
				dims, err := json.Marshal([]map[string]string{{"instanceId": f.InstanceID}})
				if err != nil {
					return nil, pageInfo{}, fmt.Errorf("cloud: AlarmRules dimensions: %w", err)
				}
				req.Dimensions = string(dims)
			}
			var resp *cms.DescribeMetricRuleListResponse
			err := c.do(ctx, "DescribeMetricRuleList", region, func(api *sdkClients) (string, error) {
				r, err := api.cms.DescribeMetricRuleList(req)
				resp = r
				if err == nil {
					code := ""
					if r.Code != 0 {
						code = strconv.Itoa(r.Code)
					}
					err = cmsFailure(code, r.Message, r.Success, r.RequestId)
				}
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			total, _ := strconv.Atoi(resp.Total)
			out := make([]AlarmRule, 0, len(resp.Alarms.Alarm))
			for _, a := range resp.Alarms.Alarm {
				out = append(out, alarmRuleFromSDK(a))
			}
			return out, pageInfo{total: total, size: servedSize(page, len(out), total, rulePageSize)}, nil
		})
}

// servedSize is the page size a service applied when it does not echo it:
// a first page shorter than asked while the total says more exist means
// the service capped PageSize at that length (0 = as asked).
func servedSize(page, got, total, asked int) int {
	if page == 1 && got > 0 && got < asked && total > got {
		return got
	}
	return 0
}

// alarmRuleFromSDK converts; the condition shown is the most severe
// escalation that is set.
func alarmRuleFromSDK(a cms.AlarmInDescribeMetricRuleList) AlarmRule {
	r := AlarmRule{
		ID:          a.RuleId,
		Name:        a.RuleName,
		Namespace:   a.Namespace,
		Metric:      Metric(a.MetricName),
		SilenceTime: time.Duration(a.SilenceTime) * time.Second,
		Enabled:     a.EnableState,
		State:       a.AlertState,
	}
	if s, err := strconv.Atoi(a.Period); err == nil {
		r.Period = time.Duration(s) * time.Second
	}
	for _, g := range strings.Split(a.ContactGroups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			r.ContactGroups = append(r.ContactGroups, g)
		}
	}
	r.InstanceIDs = instanceIDsOf(a.Resources)
	if len(r.InstanceIDs) == 0 {
		r.InstanceIDs = instanceIDsOf(a.Dimensions)
	}
	e := a.Escalations
	switch {
	case e.Critical.ComparisonOperator != "":
		r.Level, r.Statistic, r.Comparison, r.Times = LevelCritical, e.Critical.Statistics, e.Critical.ComparisonOperator, e.Critical.Times
		r.Threshold, _ = strconv.ParseFloat(e.Critical.Threshold, 64)
	case e.Warn.ComparisonOperator != "":
		r.Level, r.Statistic, r.Comparison = LevelWarn, e.Warn.Statistics, e.Warn.ComparisonOperator
		r.Times, _ = strconv.Atoi(e.Warn.Times) // a string in this SDK struct
		r.Threshold, _ = strconv.ParseFloat(e.Warn.Threshold, 64)
	case e.Info.ComparisonOperator != "":
		r.Level, r.Statistic, r.Comparison, r.Times = LevelInfo, e.Info.Statistics, e.Info.ComparisonOperator, e.Info.Times
		r.Threshold, _ = strconv.ParseFloat(e.Info.Threshold, 64)
	}
	return r
}

// instanceIDsOf reads the instanceId values of a Resources/Dimensions JSON
// string ([{"instanceId":"i-x"}, ...]); nil when it names none.
func instanceIDsOf(raw string) []string {
	var objs []map[string]any
	if err := json.Unmarshal([]byte(raw), &objs); err != nil {
		return nil
	}
	var ids []string
	for _, o := range objs {
		if id, ok := o["instanceId"].(string); ok && id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// PlanPutAlarmRule plans creating the rule, or replacing the rule with the
// same ID (PutResourceMetricRule): the spec is validated first (a
// *SpecError, and no plan, when it is refused) and its defaults applied.
// A new rule is enabled; a replaced one keeps its enable state. Putting a rule is naturally
// idempotent (the caller chooses the RuleId; the same call again replaces
// the rule with itself), so Execute retries it. CloudMonitor has no DryRun
// for it.
func (c *Client) PlanPutAlarmRule(spec AlarmRuleSpec) (*Plan, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	spec = spec.withDefaults()
	resources := make([]map[string]string, len(spec.InstanceIDs))
	for i, id := range spec.InstanceIDs {
		resources[i] = map[string]string{"instanceId": id}
	}
	raw, err := json.Marshal(resources)
	if err != nil {
		return nil, fmt.Errorf("cloud: PlanPutAlarmRule resources: %w", err)
	}
	region := c.region
	level := "Critical"
	switch spec.Level {
	case LevelWarn:
		level = "Warn"
	case LevelInfo:
		level = "Info"
	}
	esc := "Escalations." + level + "."
	params := map[string]string{
		"RegionId":                 region,
		"RuleId":                   spec.ID,
		"RuleName":                 spec.Name,
		"Namespace":                spec.Namespace,
		"MetricName":               string(spec.Metric),
		"ContactGroups":            strings.Join(spec.ContactGroups, ","),
		"Resources":                string(raw),
		"Period":                   strconv.Itoa(int(spec.Period / time.Second)),
		"SilenceTime":              strconv.Itoa(int(spec.SilenceTime / time.Second)),
		esc + "Statistics":         spec.Statistic,
		esc + "ComparisonOperator": spec.Comparison,
		esc + "Threshold":          strconv.FormatFloat(spec.Threshold, 'f', -1, 64),
		esc + "Times":              strconv.Itoa(spec.Times),
	}
	op := Operation{
		Product: "cms", Action: "PutResourceMetricRule", Region: region,
		Resources: []string{spec.ID}, Params: params, Idempotent: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := cms.CreatePutResourceMetricRuleRequest()
		req.RegionId = region
		req.Domain = c.cmsDomain(region)
		req.RuleId = spec.ID
		req.RuleName = spec.Name
		req.Namespace = spec.Namespace
		req.MetricName = string(spec.Metric)
		req.ContactGroups = params["ContactGroups"]
		req.Resources = params["Resources"]
		req.Period = params["Period"]
		req.SilenceTime = requests.Integer(params["SilenceTime"])
		threshold, times := params[esc+"Threshold"], requests.Integer(params[esc+"Times"])
		switch level {
		case "Warn":
			req.EscalationsWarnStatistics, req.EscalationsWarnComparisonOperator = spec.Statistic, spec.Comparison
			req.EscalationsWarnThreshold, req.EscalationsWarnTimes = threshold, times
		case "Info":
			req.EscalationsInfoStatistics, req.EscalationsInfoComparisonOperator = spec.Statistic, spec.Comparison
			req.EscalationsInfoThreshold, req.EscalationsInfoTimes = threshold, times
		default:
			req.EscalationsCriticalStatistics, req.EscalationsCriticalComparisonOperator = spec.Statistic, spec.Comparison
			req.EscalationsCriticalThreshold, req.EscalationsCriticalTimes = threshold, times
		}
		r, err := api.cms.PutResourceMetricRule(req)
		if err == nil {
			err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
		}
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// PlanEnableAlarmRules plans enabling rules (EnableMetricRules): one call
// per 100 ids, one after another. Enabling is naturally idempotent:
// Execute retries it. No ids: a plan that makes no call. Like every
// mutation, it is sent only by Execute (the views run it in a Flow).
func (c *Client) PlanEnableAlarmRules(ids []string) *Plan {
	return c.planRuleIDs("EnableMetricRules", "RuleId", ids, true, false, func(api *sdkClients, region string, part []string) (string, error) {
		req := cms.CreateEnableMetricRulesRequest()
		req.RegionId, req.Domain = region, c.cmsDomain(region)
		req.RuleId = &part
		r, err := api.cms.EnableMetricRules(req)
		if err == nil {
			err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
		}
		return r.RequestId, err
	})
}

// PlanDisableAlarmRules plans disabling rules (DisableMetricRules): they
// are no longer evaluated and notify no one. One call per 100 ids;
// naturally idempotent, so Execute retries it.
func (c *Client) PlanDisableAlarmRules(ids []string) *Plan {
	return c.planRuleIDs("DisableMetricRules", "RuleId", ids, true, false, func(api *sdkClients, region string, part []string) (string, error) {
		req := cms.CreateDisableMetricRulesRequest()
		req.RegionId, req.Domain = region, c.cmsDomain(region)
		req.RuleId = &part
		r, err := api.cms.DisableMetricRules(req)
		if err == nil {
			err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
		}
		return r.RequestId, err
	})
}

// PlanDeleteAlarmRules plans deleting rules (DeleteMetricRules; their
// alert history stays): one call per 100 ids. It is Destructive, and not
// retried: repeated after a lost answer it would fail (ResourceNotFound)
// although it had worked.
func (c *Client) PlanDeleteAlarmRules(ids []string) *Plan {
	return c.planRuleIDs("DeleteMetricRules", "Id", ids, false, true, func(api *sdkClients, region string, part []string) (string, error) {
		req := cms.CreateDeleteMetricRulesRequest()
		req.RegionId, req.Domain = region, c.cmsDomain(region)
		req.Id = &part
		r, err := api.cms.DeleteMetricRules(req)
		if err == nil {
			err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
		}
		return r.RequestId, err
	})
}

// planRuleIDs plans a rule-id action (param.N) in batches of
// ruleIDsPerCall; the calls run one after another and a failed batch stops
// the rest. No ids: a plan that makes no call.
func (c *Client) planRuleIDs(action, param string, ids []string, idempotent, destructive bool, call func(api *sdkClients, region string, part []string) (string, error)) *Plan {
	region := c.region
	whole := Operation{
		Product: "cms", Action: action, Region: region, Resources: slices.Clone(ids),
		Params: repeatedParams(region, param, ids), Idempotent: idempotent, Destructive: destructive,
	}
	var parts []*Plan
	for _, part := range batches(ids, ruleIDsPerCall) {
		op := whole
		op.Resources, op.Params = part, repeatedParams(region, param, part)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			id, err := call(api, region, part)
			return Result{RequestID: id}, err
		}))
	}
	return newBatchPlan(whole, parts)
}

// repeatedParams is RegionId plus name.1 .. name.N, as the CLI takes a
// repeated parameter.
func repeatedParams(region, name string, values []string) map[string]string {
	params := map[string]string{"RegionId": region}
	for i, v := range values {
		params[name+"."+strconv.Itoa(i+1)] = v
	}
	return params
}
