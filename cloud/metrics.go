package cloud

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// ecsNamespace is the CloudMonitor namespace of ECS metrics.
const ecsNamespace = "acs_ecs_dashboard"

// metricDimensionsPerCall is how many instanceId dimensions one
// DescribeMetricLast call carries.
const metricDimensionsPerCall = 50

// metricPageLength is the maximum datapoints per CloudMonitor page (the
// Length parameter's maximum).
const metricPageLength = 1440

// LatestMetrics returns the newest value of one metric for many instances:
// DescribeMetricLast with up to 50 instanceId dimensions per call (batches
// fetched concurrently, NextToken followed), so N instances cost
// ceil(N/50) calls. For metrics with a device dimension
// (diskusage_utilization) the value is the MAX over devices. Instances with
// no datapoint are absent from the map.
func (c *Client) LatestMetrics(ctx context.Context, regionID string, metric Metric, instanceIDs []string) (map[string]MetricPoint, error) {
	region, err := c.oneRegion("LatestMetrics", regionID)
	if err != nil {
		return nil, err
	}
	parts := batches(instanceIDs, metricDimensionsPerCall)
	if len(parts) == 0 {
		return map[string]MetricPoint{}, nil
	}
	points, err := fanOut(ctx, len(parts), func(ctx context.Context, i int) ([]datapoint, error) {
		return c.metricPages(ctx, "DescribeMetricLast", region, metric, parts[i], nil)
	})
	if err != nil {
		return nil, err
	}
	return latestPerInstance(points), nil
}

// MetricHistory returns one instance's metric between start and end
// (DescribeMetricList, NextToken followed), oldest point first. period 0
// lets the service choose (60s for basic metrics, 15s for agent metrics).
// For device metrics each timestamp keeps the MAX over devices.
func (c *Client) MetricHistory(ctx context.Context, regionID, instanceID string, metric Metric, start, end time.Time, period time.Duration) (MetricSeries, error) {
	region, err := c.oneRegion("MetricHistory", regionID)
	if err != nil {
		return MetricSeries{}, err
	}
	if !start.Before(end) {
		return MetricSeries{}, fmt.Errorf("cloud: MetricHistory: start %s is not before end %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	q := &metricWindow{start: start, end: end, period: period}
	points, err := c.metricPages(ctx, "DescribeMetricList", region, metric, []string{instanceID}, q)
	if err != nil {
		return MetricSeries{}, err
	}
	series := MetricSeries{InstanceID: instanceID, Metric: metric, Period: cmp.Or(q.answered, period)}
	series.Points = maxPerTime(points)
	return series, nil
}

// metricWindow is DescribeMetricList's time window and period; answered
// receives the period the service reports.
type metricWindow struct {
	start, end time.Time
	period     time.Duration
	answered   time.Duration
}

// datapoint is one element of the Datapoints JSON string.
type datapoint struct {
	Timestamp  int64    `json:"timestamp"` // Unix ms
	InstanceID string   `json:"instanceId"`
	Device     string   `json:"device"`
	Average    *float64 `json:"Average"`
	Maximum    *float64 `json:"Maximum"`
	Minimum    *float64 `json:"Minimum"`
	Value      *float64 `json:"Value"`
}

// point converts; metrics without Average report Value.
func (d datapoint) point() MetricPoint {
	v := d.Average
	if v == nil {
		v = d.Value
	}
	p := MetricPoint{Time: time.UnixMilli(d.Timestamp).UTC(), Value: deref(v)}
	p.Max, p.Min = p.Value, p.Value
	if d.Maximum != nil {
		p.Max = *d.Maximum
	}
	if d.Minimum != nil {
		p.Min = *d.Minimum
	}
	return p
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// metricPages runs DescribeMetricLast or DescribeMetricList for some
// instances and follows NextToken. w is nil for DescribeMetricLast, whose
// window the service picks (the docs advise against a StartTime).
func (c *Client) metricPages(ctx context.Context, action, region string, metric Metric, ids []string, w *metricWindow) ([]datapoint, error) {
	dims := make([]map[string]string, len(ids))
	for i, id := range ids {
		dims[i] = map[string]string{"instanceId": id}
	}
	rawDims, err := json.Marshal(dims)
	if err != nil {
		return nil, fmt.Errorf("cloud: %s dimensions: %w", action, err)
	}
	return listTokens(ctx, func(ctx context.Context, token string) ([]datapoint, string, error) {
		var resp metricAnswer
		err := c.do(ctx, action, region, func(api *sdkClients) (string, error) {
			var err error
			if w == nil {
				resp, err = c.describeMetricLast(api, region, metric, string(rawDims), token)
			} else {
				resp, err = c.describeMetricList(api, region, metric, string(rawDims), token, w)
			}
			return resp.requestID, err
		})
		if err != nil {
			return nil, "", err
		}
		var points []datapoint
		if resp.datapoints != "" {
			if err := json.Unmarshal([]byte(resp.datapoints), &points); err != nil {
				return nil, "", &APIError{Code: "SDK.JsonUnmarshalError", Message: "Datapoints is not a JSON array: " + err.Error(), RequestID: resp.requestID, Action: action, Region: region}
			}
		}
		if w != nil && resp.period != "" {
			if s, err := strconv.Atoi(resp.period); err == nil {
				w.answered = time.Duration(s) * time.Second
			}
		}
		return points, resp.nextToken, nil
	})
}

// metricAnswer is what DescribeMetricLast and DescribeMetricList share.
type metricAnswer struct {
	requestID, datapoints, nextToken, period string
}

func (c *Client) describeMetricLast(api *sdkClients, region string, metric Metric, dims, token string) (metricAnswer, error) {
	req := cms.CreateDescribeMetricLastRequest()
	req.RegionId = region
	req.Domain = c.cmsDomain(region)
	req.Namespace = ecsNamespace
	req.MetricName = string(metric)
	req.Dimensions = dims
	req.Length = strconv.Itoa(metricPageLength)
	req.NextToken = token
	// The agent reports every 15 s; ask for the 60 s period the dashboard
	// polls at, so the latest value matches the backfilled history.
	req.Period = "60"
	r, err := api.cms.DescribeMetricLast(req)
	if err == nil {
		err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
	}
	return metricAnswer{r.RequestId, r.Datapoints, r.NextToken, r.Period}, err
}

func (c *Client) describeMetricList(api *sdkClients, region string, metric Metric, dims, token string, w *metricWindow) (metricAnswer, error) {
	req := cms.CreateDescribeMetricListRequest()
	req.RegionId = region
	req.Domain = c.cmsDomain(region)
	req.Namespace = ecsNamespace
	req.MetricName = string(metric)
	req.Dimensions = dims
	req.Length = strconv.Itoa(metricPageLength)
	req.NextToken = token
	// Unix milliseconds: unambiguous, unlike "YYYY-MM-DD hh:mm:ss" (UTC+8).
	req.StartTime = strconv.FormatInt(w.start.UnixMilli(), 10)
	req.EndTime = strconv.FormatInt(w.end.UnixMilli(), 10)
	if w.period > 0 {
		req.Period = strconv.Itoa(int(w.period / time.Second))
	}
	r, err := api.cms.DescribeMetricList(req)
	if err == nil {
		err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
	}
	return metricAnswer{r.RequestId, r.Datapoints, r.NextToken, r.Period}, err
}

// cmsFailure catches a CloudMonitor error sent with HTTP 200: the SDK
// decides success by status alone (API notes §2.1), CloudMonitor by Code.
func cmsFailure(code, message string, success bool, requestID string) error {
	if (code == "" || code == "200") && (success || code == "200") {
		return nil
	}
	return &APIError{Code: cmp.Or(code, "UnknownError"), Message: oneLine(message), RequestID: requestID, HTTPStatus: 200}
}

// latestPerInstance keeps, per instance, the newest point of each device
// and then the device with the highest value (the fullest disk).
func latestPerInstance(points []datapoint) map[string]MetricPoint {
	type key struct{ instance, device string }
	newest := map[key]datapoint{}
	for _, d := range points {
		k := key{d.InstanceID, d.Device}
		if cur, ok := newest[k]; !ok || d.Timestamp > cur.Timestamp {
			newest[k] = d
		}
	}
	out := make(map[string]MetricPoint, len(newest))
	for k, d := range newest {
		p := d.point()
		if cur, ok := out[k.instance]; !ok || p.Value > cur.Value {
			out[k.instance] = p
		}
	}
	return out
}

// maxPerTime merges device series into one: per timestamp, the point with
// the highest value. Sorted oldest first.
func maxPerTime(points []datapoint) []MetricPoint {
	byTime := map[int64]MetricPoint{}
	for _, d := range points {
		p := d.point()
		if cur, ok := byTime[d.Timestamp]; !ok || p.Value > cur.Value {
			byTime[d.Timestamp] = p
		}
	}
	out := make([]MetricPoint, 0, len(byTime))
	for _, p := range byTime {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b MetricPoint) int { return a.Time.Compare(b.Time) })
	return out
}
