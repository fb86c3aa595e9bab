package monitor_test

import (
	"math"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// TestRefreshBackfillsThenAppends: the first refresh backfills Capacity
// points per instance, a second one within the period fetches nothing, and
// one a period later appends one point per instance.
func TestRefreshBackfillsThenAppends(t *testing.T) {
	clk := newClock()
	srv := newEmulator(clk, emulator.Options{Instances: 200})
	c := serve(t, srv)
	ins := listInstances(t, c, region)
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: threeMetrics()})
	if !s.Due() {
		t.Fatal("a new Sampler is not due")
	}

	calls := callsDuring(srv, func() { refresh(t, s, ins) })
	if calls["DescribeMetricLast"] != 0 || calls["DescribeMetricList"] == 0 {
		t.Errorf("first refresh: %v; want a DescribeMetricList backfill only", calls)
	}
	if want := ceilDiv(len(ins), 50); calls["DescribeMonitoringAgentStatuses"] != want {
		t.Errorf("first refresh asked agents in %d calls, want %d", calls["DescribeMonitoringAgentStatuses"], want)
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Err after the backfill: %v", err)
	}

	hourAgo := clk.Now().Add(-time.Hour)
	full, stopped := 0, 0
	for _, in := range ins {
		cpu := s.Values(in.ID, cloud.MetricCPU)
		agent, known := s.Agent(in.ID)
		if !known {
			t.Errorf("%s: agent status unknown after the first refresh", in.ID)
		}
		switch {
		case in.Status == cloud.StateRunning && in.CreatedAt.Before(hourAgo):
			if len(cpu) != s.Capacity() || nans(cpu) != 0 {
				t.Errorf("%s (running): %d CPU values, %d gaps; want %d, 0", in.ID, len(cpu), nans(cpu), s.Capacity())
			}
			full++
			mem := s.Values(in.ID, cloud.MetricMemory)
			if agent == "running" && (len(mem) != s.Capacity() || nans(mem) != 0) {
				t.Errorf("%s (agent running): %d memory values, %d gaps", in.ID, len(mem), nans(mem))
			}
			if agent == "not_installed" && mem != nil {
				t.Errorf("%s (no agent): memory %v", in.ID, mem)
			}
		case in.Status == cloud.StateStopped && in.CreatedAt.Before(hourAgo):
			// No datapoint in its last 10 minutes: a gap up to the region's
			// newest point, not a shorter line.
			if len(cpu) != s.Capacity() || nans(cpu) < 9 || !math.IsNaN(cpu[len(cpu)-1]) {
				t.Errorf("%s (stopped): %d CPU values, %d gaps; want %d with the last 10 minutes missing", in.ID, len(cpu), nans(cpu), s.Capacity())
			}
			if _, _, ok := s.Latest(in.ID, cloud.MetricCPU); ok {
				t.Errorf("%s (stopped): Latest reports a current value", in.ID)
			}
			stopped++
		}
	}
	if full == 0 || stopped == 0 {
		t.Fatalf("fleet has %d long-running and %d stopped instances in %s; the test needs both", full, stopped, region)
	}

	// Within the period: nothing to do.
	if next := s.NextDue(); !next.Equal(clk.Now().Add(s.Period())) {
		t.Errorf("NextDue() = %v, want a period from now", next)
	}
	if cmd := s.Refresh(ins); cmd != nil {
		t.Error("a second Refresh at once fetched again")
	}
	clk.Advance(s.Period() / 2)
	if s.Due() || s.Refresh(ins) != nil {
		t.Error("Refresh half a period later fetched again")
	}

	// A period later: one DescribeMetricLast per metric per 50 instances,
	// and each instance's line moves on by one point.
	id := firstRunning(t, ins, hourAgo)
	before := s.Points(id, cloud.MetricCPU)
	clk.Advance(s.Period() / 2)
	if !s.Due() {
		t.Fatal("not due a period after the last refresh")
	}
	calls = callsDuring(srv, func() { refresh(t, s, ins) })
	if want := 3 * ceilDiv(len(ins), 50); calls["DescribeMetricLast"] != want || len(calls) != 1 {
		t.Errorf("steady refresh: %v; want %d DescribeMetricLast only", calls, want)
	}
	after := s.Points(id, cloud.MetricCPU)
	last := before[len(before)-1].T
	if len(after) != s.Capacity() || !after[len(after)-1].T.Equal(last.Add(s.Period())) || !after[len(after)-2].T.Equal(last) {
		t.Errorf("after one period: %d points ending %v, want %d ending %v", len(after), after[len(after)-1].T, s.Capacity(), last.Add(s.Period()))
	}
	if v, at, ok := s.Latest(id, cloud.MetricCPU); !ok || !at.Equal(last.Add(s.Period())) || v < 0 || v > 100 {
		t.Errorf("Latest = %v at %v (%v)", v, at, ok)
	}
	if _, stale := s.Stale(); stale || s.Err() != nil {
		t.Errorf("stale %v, err %v after a good refresh", stale, s.Err())
	}
}

// TestRefreshSpansRegions: instances of several regions are grouped; one
// refresh asks each region for its own instances.
func TestRefreshSpansRegions(t *testing.T) {
	clk := newClock()
	srv := newEmulator(clk, emulator.Options{Instances: 400})
	c := serve(t, srv)
	ins := listInstances(t, c, cloud.AllRegions)
	perRegion := map[string]int{}
	for _, in := range ins {
		perRegion[in.RegionID]++
	}
	if len(perRegion) < 2 {
		t.Fatalf("fleet in %d regions", len(perRegion))
	}
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: threeMetrics()})
	refresh(t, s, ins)
	clk.Advance(s.Period())
	calls := callsDuring(srv, func() { refresh(t, s, ins) })
	want := 0
	for _, n := range perRegion {
		want += 3 * ceilDiv(n, 50)
	}
	if calls["DescribeMetricLast"] != want {
		t.Errorf("%d instances in %d regions: %d DescribeMetricLast calls, want %d (3 x ceil(N/50) per region)", len(ins), len(perRegion), calls["DescribeMetricLast"], want)
	}
	for _, in := range ins {
		if _, known := s.Agent(in.ID); !known {
			t.Fatalf("%s in %s: agent unknown", in.ID, in.RegionID)
		}
	}
}

// TestForget: Forget drops the instances no longer listed, a late answer
// does not bring them back, and an instance listed again is backfilled
// again.
func TestForget(t *testing.T) {
	clk := newClock()
	srv := newEmulator(clk, emulator.Options{Instances: 200})
	c := serve(t, srv)
	ins := listInstances(t, c, region)
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: []cloud.Metric{cloud.MetricCPU}})
	refresh(t, s, ins)
	if s.Len() != len(ins) {
		t.Fatalf("Len = %d after sampling %d instances", s.Len(), len(ins))
	}
	keep := map[string]bool{ins[0].ID: true, ins[1].ID: true}
	s.Forget(keep)
	if s.Len() != 2 || s.Values(ins[2].ID, cloud.MetricCPU) != nil || s.Values(ins[0].ID, cloud.MetricCPU) == nil {
		t.Errorf("after Forget: Len %d, forgotten %v, kept %v", s.Len(), s.Values(ins[2].ID, cloud.MetricCPU), s.Values(ins[0].ID, cloud.MetricCPU))
	}

	// A refresh in flight when its instances are forgotten.
	clk.Advance(s.Period())
	cmd := s.Refresh(ins)
	s.Forget(map[string]bool{})
	s.Apply(cmd().(monitor.SamplesMsg))
	if s.Len() != 0 {
		t.Errorf("Apply brought back %d forgotten instances", s.Len())
	}

	// Listed again: backfilled again.
	clk.Advance(s.Period())
	calls := callsDuring(srv, func() { refresh(t, s, ins[:10]) })
	if calls["DescribeMetricList"] == 0 || calls["DescribeMetricLast"] != 0 {
		t.Errorf("re-listed instances: %v, want a backfill", calls)
	}
	if n := len(s.Values(ins[0].ID, cloud.MetricCPU)); n == 0 || s.Len() != 10 {
		t.Errorf("after re-listing: %d values, Len %d", n, s.Len())
	}
}

// TestOptionsDefaults: the documented defaults, and a period rounded up to
// the basic metrics' minute.
func TestOptionsDefaults(t *testing.T) {
	s := monitor.NewSampler(nil, monitor.Options{})
	if s.Period() != time.Minute || s.Capacity() != 60 || len(s.Metrics()) != 6 {
		t.Errorf("defaults: period %s, capacity %d, metrics %v", s.Period(), s.Capacity(), s.Metrics())
	}
	if p := monitor.NewSampler(nil, monitor.Options{Period: 90 * time.Second}).Period(); p != 2*time.Minute {
		t.Errorf("period 90s became %s, want 2m", p)
	}
	if s.Values("i-none", cloud.MetricCPU) != nil || s.Points("i-none", cloud.MetricCPU) != nil {
		t.Error("values for an unknown instance")
	}
	if _, _, ok := s.Latest("i-none", cloud.MetricCPU); ok {
		t.Error("Latest for an unknown instance")
	}
	if _, known := s.Agent("i-none"); known {
		t.Error("agent known for an unknown instance")
	}
	if s.Refresh(nil) != nil {
		t.Error("Refresh of no instances returned a command")
	}
}

func nans(vs []float64) int {
	n := 0
	for _, v := range vs {
		if math.IsNaN(v) {
			n++
		}
	}
	return n
}

func firstRunning(t *testing.T, ins []cloud.Instance, createdBefore time.Time) string {
	t.Helper()
	for _, in := range ins {
		if in.Status == cloud.StateRunning && in.CreatedAt.Before(createdBefore) {
			return in.ID
		}
	}
	t.Fatal("no long-running instance")
	return ""
}
