package monitor_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// stoppedWithAgent finds a stopped instance whose agent the sampler read as
// "stopped" (installed, not reporting).
func stoppedWithAgent(t *testing.T, s *monitor.Sampler, ins []cloud.Instance) string {
	t.Helper()
	for _, in := range ins {
		if a, _ := s.Agent(in.ID); in.Status == cloud.StateStopped && a == "stopped" {
			return in.ID
		}
	}
	t.Fatal("no stopped instance with an installed agent in the fleet")
	return ""
}

// TestAgentReadAgainAfterStart: once Refresh sees an instance change state
// (here a start), its old agent status is no longer reported, and the
// next refresh of the region reads that instance's agent, and only its:
// within one period the started instance's agent is "running".
func TestAgentReadAgainAfterStart(t *testing.T) {
	clk := newClock()
	srv := newEmulator(clk, emulator.Options{Instances: 120, TransitionDelay: time.Second})
	c := serve(t, srv)
	ins := listInstances(t, c, region)
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: []cloud.Metric{cloud.MetricCPU}})
	refresh(t, s, ins)
	id := stoppedWithAgent(t, s, ins)

	p, err := c.PlanStartInstances(region, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Second) // past the transition: Running
	ins = listInstances(t, c, region)
	started := false
	for _, in := range ins {
		started = started || (in.ID == id && in.Status == cloud.StateRunning)
	}
	if !started {
		t.Fatalf("%s did not reach Running", id)
	}

	// The view reloads and offers the new state before the period is up:
	// nothing is fetched, but the old "stopped" is no longer believed.
	if cmd := s.Refresh(ins); cmd != nil {
		t.Fatal("Refresh fetched before the period")
	}
	if a, known := s.Agent(id); known {
		t.Errorf("agent %q still reported after the start", a)
	}

	// The next refresh reads this one agent, and only it.
	clk.Advance(s.Period())
	calls := callsDuring(srv, func() { refresh(t, s, ins) })
	if calls["DescribeMonitoringAgentStatuses"] != 1 {
		t.Errorf("refresh after the start: %v; want one DescribeMonitoringAgentStatuses", calls)
	}
	if a, known := s.Agent(id); !known || a != "running" {
		t.Errorf("agent after the start = %q (known %v), want running", a, known)
	}

	// Settled: the next refresh asks no agent.
	clk.Advance(s.Period())
	if calls := callsDuring(srv, func() { refresh(t, s, ins) }); calls["DescribeMonitoringAgentStatuses"] != 0 {
		t.Errorf("steady refresh after the start: %v; want no agent call", calls)
	}
}

// TestAgentsMsg: statuses read outside the schedule (an install's flow)
// are stored as current by Apply without moving the schedule; an agent
// reported installing is read at each refresh until it settles.
func TestAgentsMsg(t *testing.T) {
	clk := newClock()
	srv := newEmulator(clk, emulator.Options{Instances: 120})
	c := serve(t, srv)
	ins := listInstances(t, c, region)
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: []cloud.Metric{cloud.MetricCPU}})
	refresh(t, s, ins)
	id := firstRunning(t, ins, clk.Now())
	next := s.NextDue()

	s.Apply(monitor.AgentsMsg(map[string]cloud.AgentStatus{
		id:        {InstanceID: id, Status: "installing"},
		"i-ghost": {InstanceID: "i-ghost", Status: "running"},
	}))
	if a, known := s.Agent(id); !known || a != "installing" {
		t.Errorf("agent after AgentsMsg = %q (known %v), want installing", a, known)
	}
	if _, known := s.Agent("i-ghost"); known || s.Len() != len(ins) {
		t.Errorf("AgentsMsg brought in an instance the sampler does not hold (len %d)", s.Len())
	}
	if !s.NextDue().Equal(next) || s.Err() != nil {
		t.Errorf("AgentsMsg moved the schedule (%v, was %v) or set Err %v", s.NextDue(), next, s.Err())
	}

	// Installing: read again at the next refresh (the emulator says it
	// runs, as the seeded fleet has it), then settled.
	clk.Advance(s.Period())
	if calls := callsDuring(srv, func() { refresh(t, s, ins) }); calls["DescribeMonitoringAgentStatuses"] != 1 {
		t.Errorf("refresh with an agent installing: %v; want one agent call", calls)
	}
	if a, _ := s.Agent(id); a == "installing" {
		t.Error("the installing agent was not read again")
	}
	clk.Advance(s.Period())
	if calls := callsDuring(srv, func() { refresh(t, s, ins) }); calls["DescribeMonitoringAgentStatuses"] != 0 {
		t.Errorf("steady refresh: %v; want no agent call", calls)
	}
}
