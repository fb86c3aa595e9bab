package monitor_test

import (
	"strconv"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// bigFleet is an emulator fleet with more than 1,000 instances in region
// (the emulator puts about a third of its fleet in cn-hangzhou).
const bigFleet = 3200

// regionFleet returns an emulator of bigFleet instances on clk, a client
// and n instances of region.
func regionFleet(t testing.TB, clk *clock, n int) (*emulator.Server, *cloud.Client, []cloud.Instance) {
	t.Helper()
	srv := newEmulator(clk, emulator.Options{Instances: bigFleet})
	c := serve(t, srv)
	ins := listInstances(t, c, region)
	if len(ins) < n {
		t.Fatalf("%d instances in %s, want %d", len(ins), region, n)
	}
	return srv, c, ins[:n]
}

// TestCallsPerRefresh measures what one steady-state refresh costs with 3
// metrics (CPU, memory, disk) in one region: M x ceil(N/50)
// DescribeMetricLast calls, plus ceil(N/50) DescribeMonitoringAgentStatuses
// every 10th period, where asking per instance would cost N x M.
func TestCallsPerRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 instances: a few seconds at CloudMonitor's 50 calls/s")
	}
	clk := newClock()
	srv, c, all := regionFleet(t, clk, 1000)
	for _, n := range []int{100, 1000} {
		ins := all[:n]
		s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: threeMetrics()})
		backfill := callsDuring(srv, func() { refresh(t, s, ins) })
		if err := s.Err(); err != nil {
			t.Fatalf("%d instances: backfill: %v", n, err)
		}

		clk.Advance(s.Period())
		steady := callsDuring(srv, func() { refresh(t, s, ins) })
		m, batches := len(threeMetrics()), ceilDiv(n, 50)
		if steady["DescribeMetricLast"] != m*batches || len(steady) != 1 {
			t.Errorf("%d instances: steady refresh %v; want %d DescribeMetricLast only", n, steady, m*batches)
		}

		// Ten periods on, the agent statuses are due too.
		clk.Advance(10 * s.Period())
		withAgents := callsDuring(srv, func() { refresh(t, s, ins) })
		if withAgents["DescribeMetricLast"] != m*batches || withAgents["DescribeMonitoringAgentStatuses"] != batches || len(withAgents) != 2 {
			t.Errorf("%d instances: refresh with agents %v; want %d DescribeMetricLast + %d DescribeMonitoringAgentStatuses", n, withAgents, m*batches, batches)
		}
		if s.Err() != nil {
			t.Errorf("%d instances: %v", n, s.Err())
		}
		if f := srv.Stats().Faults; len(f) != 0 {
			t.Errorf("%d instances: the emulator answered faults %v (rate limit?)", n, f)
		}
		t.Logf("%4d instances x %d metrics: backfill %d DescribeMetricList + %d agent calls; steady refresh %d calls (+%d agent calls every 10th); per instance would be %d",
			n, m, backfill["DescribeMetricList"], backfill["DescribeMonitoringAgentStatuses"], steady["DescribeMetricLast"], batches, n*m)
	}
}

// BenchmarkRefreshCalls reports the API calls of a steady-state refresh of
// 3 metrics for 100 and 1,000 instances of one region beside the naive
// per-instance count (N x M), and the monthly projection at a 60 s period
// against CloudMonitor's free 1,000,000 calls. Run it with -benchtime 10x:
// agent statuses are asked once in 10 refreshes, so 10 iterations amortise
// them exactly. Wall time is dominated by the client's pacing of the metric
// APIs under 50 calls/s.
func BenchmarkRefreshCalls(b *testing.B) {
	clk := newClock()
	srv, c, all := regionFleet(b, clk, 1000)
	for _, n := range []int{100, 1000} {
		b.Run(strconv.Itoa(n)+"-instances", func(b *testing.B) {
			ins := all[:n]
			s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: threeMetrics()})
			backfill := callsDuring(srv, func() { refresh(b, s, ins) })
			metric, agent, refreshes := 0, 0, 0
			for b.Loop() {
				clk.Advance(s.Period())
				calls := callsDuring(srv, func() { refresh(b, s, ins) })
				metric += calls["DescribeMetricLast"] + calls["DescribeMetricList"]
				agent += calls["DescribeMonitoringAgentStatuses"]
				refreshes++
			}
			perRefresh := float64(metric) / float64(refreshes)
			b.ReportMetric(perRefresh, "metric-calls/refresh")
			b.ReportMetric(float64(agent)/float64(refreshes), "agent-calls/refresh")
			b.ReportMetric(float64(n*len(threeMetrics())), "naive-calls/refresh")
			b.ReportMetric(float64(backfill["DescribeMetricList"]), "backfill-calls")
			b.ReportMetric(perRefresh*43200, "metric-calls/month")
		})
	}
}
