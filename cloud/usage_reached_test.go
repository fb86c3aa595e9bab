package cloud_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestUsageCountsOnlyCallsThatReachedTheAPI: a call whose connection was
// refused never reached the API, so the cost estimate does not count it.
func TestUsageCountsOnlyCallsThatReachedTheAPI(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	_ = l.Close() // nothing listens there now: connection refused
	c := newClient(t, url, nil)
	cloud.SetRetryPolicyForTest(c, 0, 0, 0) // one attempt
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.LatestMetrics(ctx, testRegion, cloud.MetricCPU, []string{"i-a"}); err == nil {
		t.Fatal("LatestMetrics succeeded against a closed port")
	}
	u := c.Usage(time.Now())
	if n := u.TotalCalls["DescribeMetricLast"]; n != 0 || u.MetricCallsLastMinute != 0 {
		t.Errorf("a refused connection counted as %d call(s) (%d in the last minute); want 0", n, u.MetricCallsLastMinute)
	}
}
