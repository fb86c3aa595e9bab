package cloud

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// alertPageSize is the PageSize asked of DescribeAlertLogList.
const alertPageSize = 100

// maxAlertPages bounds one Alerts call (the service keeps a bounded
// history; a server that never ends its list must not loop forever).
const maxAlertPages = 100

// Alerts returns the alert history (DescribeAlertLogList) since a time
// (zero: all the service keeps), of one rule ("" for every rule), newest
// first. The API reports no total, so pages are fetched one after another
// until a short one.
func (c *Client) Alerts(ctx context.Context, since time.Time, ruleID string) ([]Alert, error) {
	region := c.region
	var out []Alert
	seen := map[string]bool{}
	for page := 1; page <= maxAlertPages; page++ {
		req := cms.CreateDescribeAlertLogListRequest()
		req.RegionId = region
		req.Domain = c.cmsDomain(region)
		req.PageNumber = requests.NewInteger(page)
		req.PageSize = requests.NewInteger(alertPageSize)
		req.RuleId = ruleID
		if !since.IsZero() {
			req.StartTime = requests.NewInteger64(since.UnixMilli())
		}
		var resp *cms.DescribeAlertLogListResponse
		err := c.do(ctx, "DescribeAlertLogList", region, func(api *sdkClients) (string, error) {
			r, err := api.cms.DescribeAlertLogList(req)
			resp = r
			if err == nil {
				err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
			}
			return r.RequestId, err
		})
		if err != nil {
			return nil, err
		}
		for _, a := range resp.AlertLogList {
			al := alertFromSDK(a)
			// Entries written while paging shift the pages: skip repeats.
			key := al.ID
			if key == "" {
				key = al.RuleID + "|" + al.InstanceID + "|" + al.LevelChange + "|" + strconv.FormatInt(al.Time.UnixMilli(), 10)
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, al)
		}
		size := alertPageSize
		if resp.PageSize > 0 {
			size = min(size, resp.PageSize)
		}
		if len(resp.AlertLogList) < size {
			break
		}
	}
	return out, nil
}

// alertFromSDK converts one AlertLogList item. The value comes from
// ExtendedInfo or the Message JSON ("curValue"), when the service gives it.
func alertFromSDK(a cms.AlarmInDescribeAlertLogList) Alert {
	al := Alert{
		ID:            a.LogId,
		RuleID:        a.RuleId,
		RuleName:      a.RuleName,
		InstanceID:    a.InstanceId,
		InstanceName:  a.InstanceName,
		Metric:        Metric(a.MetricName),
		Level:         a.Level,
		LevelChange:   a.LevelChange,
		State:         AlarmAlarm,
		Expression:    a.Escalation.Expression,
		Message:       a.Message,
		ContactGroups: a.ContactGroups,
	}
	if al.Level == "OK" {
		al.State = AlarmOK
	}
	if ms, err := strconv.ParseInt(a.AlertTime, 10, 64); err == nil {
		al.Time = time.UnixMilli(ms).UTC()
	}
	for _, d := range a.Dimensions {
		if d.Key == "instanceId" && al.InstanceID == "" {
			al.InstanceID = d.Value
		}
	}
	for _, e := range a.ExtendedInfo {
		if e.Name == "curValue" {
			al.Value = e.Value
		}
	}
	if al.Value == "" && a.Message != "" {
		var msg struct {
			CurValue json.RawMessage `json:"curValue"`
		}
		if json.Unmarshal([]byte(a.Message), &msg) == nil && len(msg.CurValue) > 0 {
			var s string
			if json.Unmarshal(msg.CurValue, &s) != nil {
				s = string(msg.CurValue) // a bare number
			}
			al.Value = s
		}
	}
	return al
}
