package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// fleetRow is one instance in the metrics view, with whether one of its
// alarm rules is firing.
type fleetRow struct {
	cloud.Instance
	Firing []string // names of rules in ALARM on this instance
}

// MetricsKind is the fleet at a glance: one row per instance with
// sparklines of CPU, memory, disk, network and load, hottest first, firing
// alarms marked. Enter opens the instance's history chart.
func MetricsKind(ctx Context) Kind[fleetRow] {
	th, samples := ctx.Theme, ctx.Metrics
	return Kind[fleetRow]{
		Name: "metrics",
		Columns: []table.Column{
			{Title: "!", Width: 2, SortLabel: "hottest"},
			{Title: "NAME", Width: 12, Flex: 1},
			{Title: "CPU", Width: sparkWidth + 5},
			{Title: "MEM", Width: sparkWidth + 5, Drop: 1},
			{Title: "DISK", Width: sparkWidth + 5, Drop: 2},
			{Title: "NET IN", Width: sparkWidth + 12, Drop: 5},
			{Title: "NET OUT", Width: sparkWidth + 12, Drop: 4},
			{Title: "LOAD", Width: sparkWidth + 6, Drop: 3},
			{Title: "ID", Width: 22, Drop: 6},
		},
		Load: func(ctx context.Context, c *cloud.Client, region, _ string) ([]fleetRow, error) {
			var (
				instances []cloud.Instance
				rules     []cloud.AlarmRule
			)
			g, gctx := errgroup.WithContext(ctx)
			g.Go(func() (err error) {
				instances, err = c.Instances(gctx, region)
				return err
			})
			g.Go(func() error {
				var err error
				rules, err = c.AlarmRules(gctx, cloud.AlarmRuleFilter{State: cloud.AlarmAlarm})
				if err != nil {
					rules = nil // the fleet still shows; alarms have their own view
				}
				return nil
			})
			if err := g.Wait(); err != nil {
				return nil, err
			}
			firing := map[string][]string{}
			for _, r := range rules {
				if !r.Enabled {
					continue
				}
				for _, id := range r.InstanceIDs {
					firing[id] = append(firing[id], r.Name)
				}
			}
			rows := make([]fleetRow, 0, len(instances))
			for _, in := range instances {
				rows = append(rows, fleetRow{Instance: in, Firing: firing[in.ID]})
			}
			return rows, nil
		},
		ID: func(r fleetRow) string { return r.ID },
		Row: func(r fleetRow, _ time.Time) table.Row {
			mark := ""
			if len(r.Firing) > 0 {
				mark = th.Danger.Render("!")
			}
			cells := []string{mark, r.Name}
			keys := []string{"", ""}
			for _, m := range []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk, cloud.MetricInternetIn, cloud.MetricInternetOut, cloud.MetricLoad1m} {
				cell, k := liveCell(th, samples, r.Instance, m, true)
				cells = append(cells, cell)
				keys = append(keys, k)
			}
			cells = append(cells, r.ID)
			keys = append(keys, "")
			// The "!" column sorts hottest first: firing alarms, then the
			// worst of CPU, memory and disk.
			keys[0] = fmt.Sprintf("%09.3f", heat(samples, r.ID)+float64(len(r.Firing))*1000)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		DefaultSort: "!",
		DefaultDesc: true,
		Subjects: func(rows []fleetRow) []cloud.Instance {
			out := make([]cloud.Instance, len(rows))
			for i, r := range rows {
				out[i] = r.Instance
			}
			return out
		},
		OnEnter: func(r fleetRow) tea.Msg {
			return Navigate{View: "history", Scope: r.ID, Region: r.RegionID, Title: r.Name}
		},
		Actions: []Action[fleetRow]{{
			Name: "install-agent", Help: "install monitoring agent", Keys: []string{"A"},
			Run: func(l *List[fleetRow], ctx Context, _ []string) tea.Cmd {
				return confirmInstallAgent(ctx, l.MarkedItems())
			},
		}},
	}
}

// confirmInstallAgent asks to install the CloudMonitor agent on the
// instances that lack it (memory, disk and load metrics come from it).
func confirmInstallAgent(ctx Context, rows []fleetRow) tea.Cmd {
	var targets []cloud.Instance
	var lines []string
	for _, r := range rows {
		status, known := ctx.Metrics.Agent(r.ID)
		if known && status == "running" {
			continue
		}
		targets = append(targets, r.Instance)
		lines = append(lines, fmt.Sprintf("%s %s (agent: %s)", r.ID, r.Name, orDash(status)))
	}
	if len(targets) == 0 {
		return func() tea.Msg {
			return Report{Action: "install monitoring agent", Err: fmt.Errorf("the selected instances already run the CloudMonitor agent")}
		}
	}
	client, timeout := ctx.Client, ctx.timeout()
	run := func() tea.Msg {
		rctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		byRegion := map[string][]string{}
		for _, in := range targets {
			byRegion[in.RegionID] = append(byRegion[in.RegionID], in.ID)
		}
		var errs []string
		for region, ids := range byRegion {
			if err := client.InstallAgent(rctx, region, ids); err != nil {
				errs = append(errs, err.Error())
			}
		}
		action := fmt.Sprintf("install monitoring agent on %d instance(s)", len(targets))
		if len(errs) > 0 {
			return Report{Action: action, Err: fmt.Errorf("%s", strings.Join(errs, "; "))}
		}
		return Report{Action: action, Reload: []string{"metrics", "instances"}}
	}
	return func() tea.Msg {
		return Confirm{
			Title: fmt.Sprintf("Install the CloudMonitor agent on %d instance(s)?", len(targets)),
			Lines: append(lines, "", "Memory, disk and load metrics need it; it runs inside the instance."),
			Run:   run,
		}
	}
}
