package cloud_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// TestInstallAgent: an instance without the agent gets it: "installing"
// at once, "running" after the emulator's transition delay.
func TestInstallAgent(t *testing.T) {
	const delay = 100 * time.Millisecond
	srv, c := env(t, emulator.Options{Instances: 200, TransitionDelay: delay})
	ctx := context.Background()
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range ins {
		if in.Status == cloud.StateRunning {
			ids = append(ids, in.ID)
		}
	}
	agents, err := c.AgentStatuses(ctx, testRegion, ids)
	if err != nil {
		t.Fatal(err)
	}
	target := ""
	for _, id := range ids {
		if agents[id].Status == "not_installed" {
			target = id
			break
		}
	}
	if target == "" {
		t.Fatal("no running instance without the agent in the fleet")
	}

	if err := installAgent(ctx, c, testRegion, []string{target}); err != nil {
		t.Fatalf("InstallAgent: %v", err)
	}
	if n := srv.Stats().Calls["InstallMonitoringAgent"]; n != 1 {
		t.Errorf("%d InstallMonitoringAgent calls, want 1", n)
	}
	status := func() string {
		t.Helper()
		got, err := c.AgentStatuses(ctx, testRegion, []string{target})
		if err != nil {
			t.Fatal(err)
		}
		return got[target].Status
	}
	if s := status(); s != "installing" {
		t.Errorf("right after InstallAgent the agent is %q, want installing", s)
	}
	deadline := time.Now().Add(20 * delay)
	for status() != "running" {
		if time.Now().After(deadline) {
			t.Fatalf("agent still %q %s after InstallAgent", status(), 20*delay)
		}
		time.Sleep(delay / 4)
	}
	// The agent reports: memory usage appears.
	mem, err := c.LatestMetrics(ctx, testRegion, cloud.MetricMemory, []string{target})
	if err != nil || len(mem) != 1 {
		t.Errorf("memory after install: %v, %v", mem, err)
	}
}

func TestInstallAgentErrors(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 20})
	ctx := context.Background()
	if err := installAgent(ctx, c, testRegion, nil); err != nil {
		t.Errorf("no instances: %v", err)
	}
	if n := srv.Stats().Calls["InstallMonitoringAgent"]; n != 0 {
		t.Errorf("no instances cost %d calls", n)
	}
	err := installAgent(ctx, c, testRegion, []string{"i-doesnotexist"})
	if e := apiError(t, err); e.Code != "ResourceNotFound" || e.Action != "InstallMonitoringAgent" {
		t.Errorf("unknown instance: %v (action %q)", err, e.Action)
	}
	if err := installAgent(ctx, c, cloud.AllRegions, []string{"i-x"}); err == nil {
		t.Error("all regions: no error")
	}
}
