package cloud_test

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// TestUsage: the client counts every call it sends, exactly as the
// emulator counts what it served, and rates the metric queries.
func TestUsage(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 600})
	ctx := context.Background()
	ids := runningIDs(t, c, 120) // one DescribeInstances page or more

	// Concurrent callers: the meter is shared.
	var wg sync.WaitGroup
	for _, m := range []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk} {
		wg.Go(func() {
			if _, err := c.LatestMetrics(ctx, testRegion, m, ids); err != nil {
				t.Errorf("LatestMetrics(%s): %v", m, err)
			}
		})
	}
	wg.Go(func() {
		if _, err := c.AgentStatuses(ctx, testRegion, ids); err != nil {
			t.Errorf("AgentStatuses: %v", err)
		}
	})
	wg.Wait()

	now := time.Now()
	u := c.Usage(now)
	served := srv.Stats().Calls
	if !maps.Equal(u.TotalCalls, served) {
		t.Errorf("client counted %v, emulator served %v", u.TotalCalls, served)
	}
	metric := served["DescribeMetricLast"] + served["DescribeMetricList"]
	if metric != 9 { // 3 metrics x ceil(120/50)
		t.Errorf("emulator served %d metric calls, want 9", metric)
	}
	if u.MetricCallsLastMinute != metric {
		t.Errorf("MetricCallsLastMinute = %d, want %d", u.MetricCallsLastMinute, metric)
	}
	// The client is seconds old: the rate is over one minute, not seconds.
	if u.MetricCallsPerMinute != float64(metric) || u.ProjectedMonthly != metric*43200 {
		t.Errorf("rate %.1f/min, projected %d; want %d/min, %d", u.MetricCallsPerMinute, u.ProjectedMonthly, metric, metric*43200)
	}
	if u.FreeMonthlyQuota != 1_000_000 || u.Retries != 0 {
		t.Errorf("quota %d, retries %d", u.FreeMonthlyQuota, u.Retries)
	}

	// Later: the last minute empties, the 10-minute average keeps them.
	later := c.Usage(now.Add(90 * time.Second))
	if later.MetricCallsLastMinute != 0 {
		t.Errorf("90 s later: %d calls in the last minute", later.MetricCallsLastMinute)
	}
	if r := later.MetricCallsPerMinute; r <= 0 || r >= float64(metric) {
		t.Errorf("90 s later: %.2f calls/min, want between 0 and %d", r, metric)
	}
	gone := c.Usage(now.Add(11 * time.Minute))
	if gone.MetricCallsPerMinute != 0 || gone.ProjectedMonthly != 0 {
		t.Errorf("11 min later: %.2f/min, projected %d; want 0", gone.MetricCallsPerMinute, gone.ProjectedMonthly)
	}
	if !maps.Equal(gone.TotalCalls, served) {
		t.Errorf("totals changed with time: %v", gone.TotalCalls)
	}
	// The snapshot is a copy.
	u.TotalCalls["DescribeMetricLast"] = -1
	if c.Usage(now).TotalCalls["DescribeMetricLast"] == -1 {
		t.Error("Usage shares its TotalCalls map")
	}
}

// TestUsageFailedCalls: throttled calls reached the API and are counted.
func TestUsageFailedCalls(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 20, ThrottleRate: 1})
	cloud.SetRetryPolicyForTest(c, 0, 0, 0) // one attempt, so one call
	_, err := c.LatestMetrics(context.Background(), testRegion, cloud.MetricCPU, []string{"i-a", "i-b"})
	if !cloud.HasCodePrefix(err, "Throttling") {
		t.Fatalf("err = %v, want Throttling.User", err)
	}
	u := c.Usage(time.Now())
	if u.TotalCalls["DescribeMetricLast"] != 1 || srv.Stats().Calls["DescribeMetricLast"] != 1 || u.MetricCallsLastMinute != 1 {
		t.Errorf("usage %+v, emulator %v", u, srv.Stats().Calls)
	}

	// A call cancelled before it is sent is not counted.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = c.LatestMetrics(ctx, testRegion, cloud.MetricCPU, []string{"i-a"})
	if n := c.Usage(time.Now()).TotalCalls["DescribeMetricLast"]; n != srv.Stats().Calls["DescribeMetricLast"] {
		t.Errorf("client counted %d, emulator served %d", n, srv.Stats().Calls["DescribeMetricLast"])
	}
}
