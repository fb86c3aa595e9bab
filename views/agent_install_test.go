package views

import (
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// withAgent finds an instance of the seeded fleet in region in the state
// wanted whose agent reads agent.
func withAgent(t *testing.T, e opsEnv, region string, state cloud.InstanceState, agent string) cloud.Instance {
	t.Helper()
	list, err := e.check.Instances(bg(t), region)
	if err != nil {
		t.Fatal(err)
	}
	ids := instanceIDs(list)
	agents, err := e.check.AgentStatuses(bg(t), region, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range list {
		if in.Status == state && agents[in.ID].Status == agent {
			return in
		}
	}
	t.Fatalf("no %s instance with agent %s in %s of the seeded fleet", state, agent, region)
	return cloud.Instance{}
}

// TestInstallAgentFlow: A on an instance without the agent asks, installs
// it through a Flow that waits for the install to end, and hands the
// agent's new status to the sampler: the row's "no agent" is gone at
// once, not at the sampler's next scheduled agent read.
func TestInstallAgentFlow(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ctx.Region = "cn-shanghai" // where the seeded fleet has a running instance without the agent
	ctx.Metrics = monitor.NewSampler(ctx.Client, monitor.Options{Metrics: []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory}})
	bare := withAgent(t, e, ctx.Region, cloud.StateRunning, "not_installed")

	v := load(t, ctx, findView(t, ctx, "metrics"))
	sampled := v.(interface{ Subjects() []cloud.Instance }).Subjects()
	ctx.Metrics.Apply(ctx.Metrics.Refresh(sampled)().(monitor.SamplesMsg))
	v.Redraw(ctx)
	selectRow(t, v, bare.ID)
	mustContain(t, lineWith(screen(ctx, v, 200, 40), bare.ID), "no agent")

	tr := keyFlow(t, ctx, v, runeKey('A'))
	if len(tr.confirms) != 1 || len(tr.reports) != 1 {
		t.Fatalf("%d confirmations, %d reports; want 1 each", len(tr.confirms), len(tr.reports))
	}
	c, r := tr.confirms[0], tr.reports[0]
	mustContain(t, c.Title, "Install the CloudMonitor agent on "+bare.ID)
	mustContain(t, strings.Join(c.CLI, "\n"), "aliyun cms InstallMonitoringAgent", bare.ID)
	if r.Err != nil || r.Task == "" || !strings.HasPrefix(r.Action, "install monitoring agent on "+bare.ID) {
		t.Fatalf("report %+v", r)
	}
	mustContain(t, strings.Join(tr.progress, "\n"), "1/1 running")
	if a, _ := ctx.Metrics.Agent(bare.ID); a != "running" {
		t.Errorf("the sampler's agent status after the install is %q, want running", a)
	}
	v.Redraw(ctx)
	mustNotContain(t, lineWith(screen(ctx, v, 200, 40), bare.ID), "no agent")
}

// TestInstallAgentOnStoppedFails: Cloud Assistant cannot reach a stopped
// instance; the flow reports the failed install as its error.
func TestInstallAgentOnStoppedFails(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ctx.Metrics = monitor.NewSampler(ctx.Client, monitor.Options{Metrics: []cloud.Metric{cloud.MetricCPU}})
	stopped := withAgent(t, e, ctx.Region, cloud.StateStopped, "stopped")
	v := load(t, ctx, findView(t, ctx, "metrics"))
	selectRow(t, v, stopped.ID)
	tr := keyFlow(t, ctx, v, runeKey('A'))
	if len(tr.reports) != 1 || tr.reports[0].Err == nil || !strings.Contains(tr.reports[0].Err.Error(), stopped.ID+": install_faild") {
		t.Fatalf("reports %+v, want the failed install named", tr.reports)
	}
	if a, _ := ctx.Metrics.Agent(stopped.ID); a != "" {
		t.Errorf("agent %q recorded for an instance the sampler never sampled", a)
	}
}
