package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// CloudMonitor alarm rules: list (DescribeMetricRuleList), create or
// replace (PutResourceMetricRule), enable, disable and delete. Rules
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

// PutAlarmRule creates the rule, or replaces the rule with the same ID
// (PutResourceMetricRule). The spec is validated first (a *SpecError,
// and no call, when it is refused). A new rule is enabled; a replaced one
// keeps its enable state.
func (c *Client) PutAlarmRule(ctx context.Context, spec AlarmRuleSpec) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	spec = spec.withDefaults()
	resources := make([]map[string]string, len(spec.InstanceIDs))
	for i, id := range spec.InstanceIDs {
		resources[i] = map[string]string{"instanceId": id}
	}
	raw, err := json.Marshal(resources)
	if err != nil {
		return fmt.Errorf("cloud: PutAlarmRule resources: %w", err)
	}
	region := c.region
	req := cms.CreatePutResourceMetricRuleRequest()
	req.RegionId = region
	req.Domain = c.cmsDomain(region)
	req.RuleId = spec.ID
	req.RuleName = spec.Name
	req.Namespace = spec.Namespace
	req.MetricName = string(spec.Metric)
	req.ContactGroups = strings.Join(spec.ContactGroups, ",")
	req.Resources = string(raw)
	req.Period = strconv.Itoa(int(spec.Period / time.Second))
	req.SilenceTime = requests.NewInteger(int(spec.SilenceTime / time.Second))
	threshold := strconv.FormatFloat(spec.Threshold, 'f', -1, 64)
	times := requests.NewInteger(spec.Times)
	switch spec.Level {
	case LevelWarn:
		req.EscalationsWarnStatistics, req.EscalationsWarnComparisonOperator = spec.Statistic, spec.Comparison
		req.EscalationsWarnThreshold, req.EscalationsWarnTimes = threshold, times
	case LevelInfo:
		req.EscalationsInfoStatistics, req.EscalationsInfoComparisonOperator = spec.Statistic, spec.Comparison
		req.EscalationsInfoThreshold, req.EscalationsInfoTimes = threshold, times
	default:
		req.EscalationsCriticalStatistics, req.EscalationsCriticalComparisonOperator = spec.Statistic, spec.Comparison
		req.EscalationsCriticalThreshold, req.EscalationsCriticalTimes = threshold, times
	}
	return c.do(ctx, "PutResourceMetricRule", region, func(api *sdkClients) (string, error) {
		r, err := api.cms.PutResourceMetricRule(req)
		if err == nil {
			err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
		}
		return r.RequestId, err
	})
}

// EnableAlarmRules enables rules (EnableMetricRules, 100 ids per call).
func (c *Client) EnableAlarmRules(ctx context.Context, ids []string) error {
	return c.ruleBatches(ctx, "EnableMetricRules", ids, func(api *sdkClients, region string, part []string) (string, error) {
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

// DisableAlarmRules disables rules (DisableMetricRules): they are no
// longer evaluated and notify no one.
func (c *Client) DisableAlarmRules(ctx context.Context, ids []string) error {
	return c.ruleBatches(ctx, "DisableMetricRules", ids, func(api *sdkClients, region string, part []string) (string, error) {
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

// DeleteAlarmRules deletes rules (DeleteMetricRules); their alert history
// stays.
func (c *Client) DeleteAlarmRules(ctx context.Context, ids []string) error {
	return c.ruleBatches(ctx, "DeleteMetricRules", ids, func(api *sdkClients, region string, part []string) (string, error) {
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

// ruleBatches runs a rule-id action in batches of ruleIDsPerCall, one
// after another (a failed batch stops the rest and is named in the error).
// No ids: no call.
func (c *Client) ruleBatches(ctx context.Context, action string, ids []string, call func(api *sdkClients, region string, part []string) (string, error)) error {
	region := c.region
	parts := batches(ids, ruleIDsPerCall)
	for i, part := range parts {
		err := c.do(ctx, action, region, func(api *sdkClients) (string, error) {
			return call(api, region, part)
		})
		if err != nil {
			if len(parts) > 1 {
				return fmt.Errorf("%s batch %d of %d: %w", action, i+1, len(parts), err)
			}
			return err
		}
	}
	return nil
}
