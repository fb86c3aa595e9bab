package cloud

import (
	"context"
	"fmt"
	"time"
)

// MetricHistories returns one metric's history between start and end for
// many instances at once (DescribeMetricList with several instanceId
// dimensions per call, NextToken followed, batches fetched concurrently),
// oldest point first per instance. It backfills a fleet's sparklines in a
// few calls instead of one MetricHistory per instance.
//
// A batch carries at most 50 instances, and fewer when the window is long:
// as many as fill one 1,440-point page at one point per period (24
// instances for an hour at 60 s). The service pages a batch's points one
// after another, so a batch of 50 x 60 points costs three sequential pages
// (the last one mostly empty): page-sized batches cost fewer calls (42
// instead of 60 for 1,000 instances) and run concurrently, one round trip
// each. Device metrics still need NextToken pages, which are followed.
// Device metrics (diskusage_utilization) keep the MAX over devices per
// timestamp. Instances with no datapoint are absent from the map. period 0
// lets the service choose (60 s for basic metrics, 15 s for agent metrics).
func (c *Client) MetricHistories(ctx context.Context, regionID string, metric Metric, instanceIDs []string, start, end time.Time, period time.Duration) (map[string][]MetricPoint, error) {
	region, err := c.oneRegion("MetricHistories", regionID)
	if err != nil {
		return nil, err
	}
	if !start.Before(end) {
		return nil, fmt.Errorf("cloud: MetricHistories: start %s is not before end %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	parts := batches(distinct(instanceIDs), historyBatchSize(start, end, period))
	if len(parts) == 0 {
		return map[string][]MetricPoint{}, nil
	}
	points, err := fanOut(ctx, len(parts), func(ctx context.Context, i int) ([]datapoint, error) {
		// One window per batch: metricPages writes the answered period.
		w := &metricWindow{start: start, end: end, period: period}
		points, err := c.metricPages(ctx, "DescribeMetricList", region, metric, parts[i], w)
		if err != nil && len(parts) > 1 {
			return nil, fmt.Errorf("MetricHistories %s batch %d of %d: %w", metric, i+1, len(parts), err)
		}
		return points, err
	})
	if err != nil {
		return nil, err
	}
	byInstance := map[string][]datapoint{}
	for _, d := range points {
		byInstance[d.InstanceID] = append(byInstance[d.InstanceID], d)
	}
	out := make(map[string][]MetricPoint, len(byInstance))
	for id, ds := range byInstance {
		out[id] = maxPerTime(ds)
	}
	return out, nil
}

// historyBatchSize is how many instances one DescribeMetricList call
// carries for a window: enough to fill a page with one point per period
// each, between 1 and metricDimensionsPerCall. An unknown period (0) is
// taken as 60 s, the basic metrics' default.
func historyBatchSize(start, end time.Time, period time.Duration) int {
	if period <= 0 {
		period = time.Minute
	}
	perInstance := max(int(end.Sub(start)/period), 1)
	return min(max(metricPageLength/perInstance, 1), metricDimensionsPerCall)
}

// distinct drops repeated ids, keeping the first of each in order.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
