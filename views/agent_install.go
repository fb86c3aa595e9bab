package views

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// installAgent asks to install the CloudMonitor agent (memory, disk and
// load metrics come from it) on the instances acted on that lack it. It is
// a Flow: one step per region, each waiting until none of its instances
// is still installing; an install that failed is the action's error. The
// statuses read at the end go to the sampler, so the metrics view's
// `no agent` clears as soon as the agent runs, not at the sampler's next
// scheduled agent read.
func installAgent(ctx Context, rows []fleetRow) tea.Cmd {
	var targets []cloud.Instance
	var lines []string
	for _, r := range rows {
		status, known := "", false
		if ctx.Metrics != nil {
			status, known = ctx.Metrics.Agent(r.ID)
		}
		if known && status == "running" {
			continue
		}
		targets = append(targets, r.Instance)
		lines = append(lines, fmt.Sprintf("%s %s (agent: %s)", r.ID, orDash(r.Name), orDash(status)))
	}
	if len(targets) == 0 {
		return reportErr("install monitoring agent", errors.New("the selected instances already run the CloudMonitor agent"))
	}
	action := "install monitoring agent on " + instancesNoun(targets)
	regions, ids := byRegion(targets)
	steps := make([]Step, 0, len(regions))
	for _, r := range regions {
		p, err := ctx.Client.PlanInstallAgent(r, ids[r])
		if err != nil {
			return refuse(action, err)
		}
		steps = append(steps, Step{Label: "install agent on " + strings.Join(ids[r], ", "), Plan: p, Poll: pollAgents(r, ids[r])})
	}
	// final is the statuses Verify reads once every step is done; Done,
	// called right after it by the same command, hands them to the
	// sampler.
	var final map[string]cloud.AgentStatus
	client, timeout := ctx.Client, ctx.timeout()
	f := Flow{
		Action: action,
		Title:  fmt.Sprintf("Install the CloudMonitor agent on %s?", instancesNoun(targets)),
		Lines:  append(lines, "", "Memory, disk and load metrics need it; Cloud Assistant installs it inside the instance."),
		Steps:  steps,
		Reload: []string{"metrics", "instances"},
		Verify: func([]cloud.Result) error {
			rctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			var err error
			final, err = agentStatuses(rctx, client, regions, ids)
			if err != nil {
				return fmt.Errorf("the agent statuses after the install: %w", err)
			}
			return agentsFailed(targets, final)
		},
		Done: func([]cloud.Result) tea.Msg {
			if final == nil {
				return nil
			}
			return monitor.AgentsMsg(final)
		},
	}
	return f.Cmd(ctx)
}

// pollAgents waits until none of the instances' agents is installing.
func pollAgents(region string, ids []string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(ctx context.Context, c *cloud.Client, _ cloud.Result) (bool, string, error) {
		got, err := c.AgentStatuses(ctx, region, ids)
		if err != nil {
			return false, "", err
		}
		running, installing := 0, 0
		for _, id := range ids {
			switch got[id].Status {
			case "running":
				running++
			case "installing":
				installing++
			}
		}
		text := fmt.Sprintf("%d/%d running", running, len(ids))
		if installing > 0 {
			text += fmt.Sprintf(", %d installing", installing)
		}
		return installing == 0, text, nil
	}
}

// agentStatuses reads the agents of instances in several regions.
func agentStatuses(ctx context.Context, c *cloud.Client, regions []string, ids map[string][]string) (map[string]cloud.AgentStatus, error) {
	all := map[string]cloud.AgentStatus{}
	for _, r := range regions {
		got, err := c.AgentStatuses(ctx, r, ids[r])
		if err != nil {
			return nil, err
		}
		for id, a := range got {
			all[id] = a
		}
	}
	return all, nil
}

// agentsFailed names the instances whose agent is not running after the
// install ("i-a: install_faild; ...").
func agentsFailed(targets []cloud.Instance, got map[string]cloud.AgentStatus) error {
	var failed []string
	for _, in := range targets {
		if s := got[in.ID].Status; s != "running" {
			failed = append(failed, fmt.Sprintf("%s: %s", in.ID, orDash(s)))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("the agent is not running on %d of %d: %s", len(failed), len(targets), strings.Join(failed, "; "))
}
