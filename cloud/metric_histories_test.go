package cloud_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// TestMetricHistories backfills 120 instances x 60 minutes in one go and
// checks the calls it took against what the emulator served.
func TestMetricHistories(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 600})
	ctx := context.Background()
	ids := runningIDs(t, c, 120)
	end := time.Now()
	start := end.Add(-time.Hour)

	before := srv.Stats().Calls["DescribeMetricList"]
	got, err := c.MetricHistories(ctx, testRegion, cloud.MetricCPU, ids, start, end, time.Minute)
	if err != nil {
		t.Fatalf("MetricHistories(cpu): %v", err)
	}
	calls := srv.Stats().Calls["DescribeMetricList"] - before

	// Batches of 24 instances fill a 1,440-point page with 60 points each:
	// ceil(120/24) = 5 calls and no NextToken page. Batches of 50 would
	// have cost 3 + 3 + 1 = 7 (3,000 points need three pages).
	const perBatch = 24
	want := 0
	for b := range slices.Chunk(ids, perBatch) {
		n := 0
		for _, id := range b {
			n += len(got[id])
		}
		want += max(1, ceilDiv(n, 1440))
	}
	if calls != want || calls != 5 {
		t.Errorf("120 instances x 60 min cost %d DescribeMetricList calls; want %d (5)", calls, want)
	}
	if len(got) != len(ids) {
		t.Errorf("history for %d of %d running instances", len(got), len(ids))
	}
	full := 0
	for id, pts := range got {
		if len(pts) > 60 {
			t.Errorf("%s: %d points in one hour at 60 s", id, len(pts))
		}
		if len(pts) == 60 {
			full++
		}
		for i, p := range pts {
			if p.Time.Before(start) || p.Time.After(end) {
				t.Errorf("%s: point %d at %v outside (%v, %v]", id, i, p.Time, start, end)
			}
			if i > 0 && !p.Time.After(pts[i-1].Time) {
				t.Fatalf("%s: points not in time order at %d", id, i)
			}
		}
	}
	if full < len(ids)/2 {
		t.Errorf("only %d of %d instances have a full hour", full, len(ids))
	}

	// The same instance asked alone gives the same series.
	one, err := c.MetricHistory(ctx, testRegion, ids[7], cloud.MetricCPU, start, end, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one.Points, got[ids[7]]) {
		t.Errorf("%s: batched history differs from MetricHistory", ids[7])
	}
}

// TestMetricHistoriesDevices: disk usage has a device dimension, so a batch
// holds more points than it has instances x periods and NextToken pages
// must be followed; each instance keeps the MAX over its devices.
func TestMetricHistoriesDevices(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 600})
	ctx := context.Background()
	ids := runningIDs(t, c, 120)
	end := time.Now()
	start := end.Add(-time.Hour)

	before := srv.Stats().Calls["DescribeMetricList"]
	got, err := c.MetricHistories(ctx, testRegion, cloud.MetricDisk, ids, start, end, time.Minute)
	if err != nil {
		t.Fatalf("MetricHistories(disk): %v", err)
	}
	calls := srv.Stats().Calls["DescribeMetricList"] - before
	if calls <= 5 {
		t.Errorf("disk usage of 120 instances took %d calls: NextToken pages not followed?", calls)
	}
	if u := c.Usage(time.Now()); u.TotalCalls["DescribeMetricList"] != srv.Stats().Calls["DescribeMetricList"] {
		t.Errorf("client counted %d DescribeMetricList calls, emulator served %d", u.TotalCalls["DescribeMetricList"], srv.Stats().Calls["DescribeMetricList"])
	}
	t.Logf("disk usage, 120 instances x 60 min: %d DescribeMetricList calls", calls)
	if len(got) == 0 {
		t.Fatal("no disk usage at all")
	}
	for _, id := range ids[:10] {
		one, err := c.MetricHistory(ctx, testRegion, id, cloud.MetricDisk, start, end, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(one.Points, got[id]) {
			t.Errorf("%s: batched disk history differs from MetricHistory", id)
		}
	}
}

func TestMetricHistoriesArguments(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 20})
	ctx := context.Background()
	end := time.Now()
	if _, err := c.MetricHistories(ctx, testRegion, cloud.MetricCPU, []string{"i-x"}, end, end.Add(-time.Hour), time.Minute); err == nil {
		t.Error("start after end: no error")
	}
	if _, err := c.MetricHistories(ctx, cloud.AllRegions, cloud.MetricCPU, []string{"i-x"}, end.Add(-time.Hour), end, time.Minute); err == nil {
		t.Error("all regions: no error")
	}
	empty, err := c.MetricHistories(ctx, testRegion, cloud.MetricCPU, nil, end.Add(-time.Hour), end, time.Minute)
	if err != nil || len(empty) != 0 {
		t.Errorf("no ids: %v, %v", empty, err)
	}
	if n := srv.Stats().Calls["DescribeMetricList"]; n != 0 {
		t.Errorf("%d calls for refused or empty requests", n)
	}
	none, err := c.MetricHistories(ctx, testRegion, cloud.MetricCPU, []string{"i-doesnotexist"}, end.Add(-time.Hour), end, time.Minute)
	if err != nil || len(none) != 0 {
		t.Errorf("unknown instance: %v, %v; want empty", none, err)
	}
}
