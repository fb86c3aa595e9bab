package cloud_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func runningIDs(t *testing.T, c *cloud.Client, n int) []string {
	t.Helper()
	ins, err := c.Instances(context.Background(), testRegion)
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	var ids []string
	for _, in := range ins {
		if in.Status == cloud.StateRunning && len(ids) < n {
			ids = append(ids, in.ID)
		}
	}
	if len(ids) < n {
		t.Fatalf("only %d running instances in %s, want %d", len(ids), testRegion, n)
	}
	return ids
}

func TestLatestMetrics(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 600})
	ctx := context.Background()
	ids := runningIDs(t, c, 120)

	before := srv.Stats().Calls["DescribeMetricLast"]
	cpu, err := c.LatestMetrics(ctx, testRegion, cloud.MetricCPU, ids)
	if err != nil {
		t.Fatalf("LatestMetrics(cpu): %v", err)
	}
	if calls := srv.Stats().Calls["DescribeMetricLast"] - before; calls != 3 {
		t.Errorf("120 instances cost %d DescribeMetricLast calls, want 3", calls)
	}
	if len(cpu) != len(ids) {
		t.Errorf("CPU for %d of %d running instances", len(cpu), len(ids))
	}
	for id, p := range cpu {
		if p.Value < 0 || p.Value > 100 || p.Max < p.Value || p.Min > p.Value {
			t.Errorf("%s: CPU point %+v", id, p)
		}
		if age := time.Since(p.Time); age < 0 || age > 2*time.Hour {
			t.Errorf("%s: newest point is %s old", id, age)
		}
	}

	// Disk usage has a device dimension: one value per instance, the max.
	disk, err := c.LatestMetrics(ctx, testRegion, cloud.MetricDisk, ids)
	if err != nil {
		t.Fatalf("LatestMetrics(disk): %v", err)
	}
	if len(disk) == 0 {
		t.Error("no disk usage at all (agent metric)")
	}
	for id, p := range disk {
		if p.Value < 0 || p.Value > 100 {
			t.Errorf("%s: disk usage %+v", id, p)
		}
	}
	agents, err := c.AgentStatuses(ctx, testRegion, ids)
	if err != nil {
		t.Fatalf("AgentStatuses: %v", err)
	}
	for id := range disk {
		if agents[id].Status != "running" {
			t.Errorf("%s has disk usage but its agent is %q", id, agents[id].Status)
		}
	}

	// An instance that does not exist has no datapoint.
	none, err := c.LatestMetrics(ctx, testRegion, cloud.MetricCPU, []string{"i-doesnotexist"})
	if err != nil || len(none) != 0 {
		t.Errorf("LatestMetrics(unknown) = %v, %v; want empty", none, err)
	}
	empty, err := c.LatestMetrics(ctx, testRegion, cloud.MetricCPU, nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("LatestMetrics(no ids) = %v, %v", empty, err)
	}
}

func TestMetricHistory(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 60})
	ctx := context.Background()
	id := runningIDs(t, c, 1)[0]
	end := time.Now()
	start := end.Add(-3 * time.Hour)

	s, err := c.MetricHistory(ctx, testRegion, id, cloud.MetricCPU, start, end, time.Minute)
	if err != nil {
		t.Fatalf("MetricHistory: %v", err)
	}
	if s.InstanceID != id || s.Metric != cloud.MetricCPU || s.Period != time.Minute {
		t.Errorf("series header %+v", s)
	}
	// 180 minutes at one point a minute: one page, every point, in order.
	if len(s.Points) < 170 || len(s.Points) > 181 {
		t.Errorf("%d points for 3h at 60s", len(s.Points))
	}
	for i, p := range s.Points {
		if p.Time.Before(start.Add(-time.Minute)) || p.Time.After(end) {
			t.Errorf("point %d at %v outside (%v, %v]", i, p.Time, start, end)
		}
		if i > 0 && !p.Time.After(s.Points[i-1].Time) {
			t.Fatalf("points not in time order at %d", i)
		}
	}

	// A long window at a short period needs several pages (1440 per page).
	long, err := c.MetricHistory(ctx, testRegion, id, cloud.MetricCPU, end.Add(-30*time.Hour), end, time.Minute)
	if err != nil {
		t.Fatalf("MetricHistory(30h): %v", err)
	}
	if len(long.Points) < 1700 {
		t.Errorf("30h at 60s gave %d points: NextToken not followed?", len(long.Points))
	}

	if _, err := c.MetricHistory(ctx, testRegion, id, cloud.MetricCPU, end, start, time.Minute); err == nil {
		t.Error("start after end: no error")
	}
	_, err = c.MetricHistory(ctx, testRegion, id, cloud.MetricCPU, start, end, 7*time.Second)
	if e := apiError(t, err); e.Code != "400" {
		t.Errorf("bad period: %v, want CloudMonitor's Code 400", err)
	}
}

func TestAgentStatuses(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 300})
	ins, err := c.Instances(context.Background(), testRegion)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range ins {
		ids = append(ids, in.ID)
	}
	got, err := c.AgentStatuses(context.Background(), testRegion, ids)
	if err != nil {
		t.Fatalf("AgentStatuses: %v", err)
	}
	if len(got) != len(ids) {
		t.Errorf("%d statuses for %d instances", len(got), len(ids))
	}
	valid := map[string]bool{"running": true, "stopped": true, "installing": true, "install_faild": true, "abnormal": true, "not_installed": true}
	running := 0
	for id, a := range got {
		if a.InstanceID != id || !valid[a.Status] {
			t.Errorf("%s: %+v", id, a)
		}
		if a.Status == "running" {
			running++
			if a.Version == "" {
				t.Errorf("%s: running agent without a version", id)
			}
		}
	}
	if running == 0 {
		t.Error("no running agent in the fleet")
	}
}
