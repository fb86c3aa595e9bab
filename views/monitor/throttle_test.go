package monitor_test

import (
	"slices"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/views/chart"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// TestThrottled: when CloudMonitor throttles every call the values stay,
// Stale reports since when, Refresh backs off (2, then 4 periods), and the
// next good refresh clears it all and marks the missed periods as gaps.
func TestThrottled(t *testing.T) {
	clk := newClock()
	good := newEmulator(clk, emulator.Options{Instances: 200})
	throttled := newEmulator(clk, emulator.Options{Instances: 200, ThrottleRate: 1})
	var sw switchable
	sw.cur.Store(good)
	c := serve(t, &sw)
	ins := listInstances(t, c, region)
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: threeMetrics()})
	refresh(t, s, ins)
	id := firstRunning(t, ins, clk.Now().Add(-time.Hour))
	kept := s.Points(id, cloud.MetricCPU)

	sw.cur.Store(throttled)
	p := s.Period()
	clk.Advance(p)
	failedAt := clk.Now()
	refresh(t, s, ins)
	since, stale := s.Stale()
	if !stale || !since.Equal(failedAt) {
		t.Errorf("Stale() = %v, %v; want %v, true", since, stale, failedAt)
	}
	if !cloud.HasCodePrefix(s.Err(), "Throttling") {
		t.Errorf("Err() = %v, want Throttling.User", s.Err())
	}
	if got := s.Points(id, cloud.MetricCPU); !samePoints(got, kept) {
		t.Error("values changed by a throttled refresh")
	}
	if _, _, ok := s.Latest(id, cloud.MetricCPU); !ok {
		t.Error("Latest blanked by a throttled refresh")
	}

	// Backoff: 2 periods after the first failure.
	if next := s.NextDue(); !next.Equal(failedAt.Add(2 * p)) {
		t.Errorf("NextDue() = %v, want %v (2 periods after the failure)", next, failedAt.Add(2*p))
	}
	clk.Advance(p)
	if s.Due() || s.Refresh(ins) != nil {
		t.Error("Refresh fetched one period after throttling; want a 2-period backoff")
	}
	clk.Advance(p)
	if !s.Due() {
		t.Fatal("not due 2 periods after throttling")
	}
	refresh(t, s, ins) // throttled again: 4 periods now
	if since2, _ := s.Stale(); !since2.Equal(failedAt) {
		t.Errorf("stale since moved to %v; want the first failure, %v", since2, failedAt)
	}
	for range 3 {
		clk.Advance(p)
		if s.Refresh(ins) != nil {
			t.Fatal("Refresh fetched within the 4-period backoff")
		}
	}

	// The service recovers.
	sw.cur.Store(good)
	clk.Advance(p)
	refresh(t, s, ins)
	if _, stale := s.Stale(); stale || s.Err() != nil {
		t.Errorf("after a good refresh: stale %v, err %v", stale, s.Err())
	}
	got := s.Points(id, cloud.MetricCPU)
	lastKept := kept[len(kept)-1].T
	newest := got[len(got)-1]
	if missed := int(newest.T.Sub(lastKept)/p) - 1; missed != 6 || nans(s.Values(id, cloud.MetricCPU)) != missed {
		t.Errorf("after 7 periods: %d missed periods, %d gaps", missed, nans(s.Values(id, cloud.MetricCPU)))
	}
	if len(got) != s.Capacity() {
		t.Errorf("%d points, want %d", len(got), s.Capacity())
	}
}

// TestOtherErrorKeepsValues: a failure other than throttling is reported
// in Err, keeps the values and does not back off.
func TestOtherErrorKeepsValues(t *testing.T) {
	clk := newClock()
	good := newEmulator(clk, emulator.Options{Instances: 200})
	failing := newEmulator(clk, emulator.Options{Instances: 200, ErrorRate: 1})
	var sw switchable
	sw.cur.Store(good)
	c := serve(t, &sw)
	ins := listInstances(t, c, region)
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: []cloud.Metric{cloud.MetricCPU}})
	refresh(t, s, ins)
	id := firstRunning(t, ins, clk.Now().Add(-time.Hour))
	kept := s.Points(id, cloud.MetricCPU)

	sw.cur.Store(failing)
	clk.Advance(s.Period())
	refresh(t, s, ins)
	if s.Err() == nil || cloud.HasCodePrefix(s.Err(), "Throttling") {
		t.Errorf("Err() = %v, want a server error", s.Err())
	}
	if _, stale := s.Stale(); stale {
		t.Error("a server error marked the values stale")
	}
	if !samePoints(s.Points(id, cloud.MetricCPU), kept) {
		t.Error("values changed by a failed refresh")
	}
	sw.cur.Store(good)
	clk.Advance(s.Period())
	if !s.Due() {
		t.Error("backing off after a non-throttling error")
	}
	refresh(t, s, ins)
	if s.Err() != nil {
		t.Errorf("Err() = %v after a good refresh", s.Err())
	}
}

// samePoints compares points, NaN equal to NaN.
func samePoints(a, b []chart.Point) bool {
	return slices.EqualFunc(a, b, func(x, y chart.Point) bool {
		return x.T.Equal(y.T) && (x.V == y.V || (x.V != x.V && y.V != y.V))
	})
}
