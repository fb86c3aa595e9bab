package views

import (
	"context"
	"fmt"
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
			{Title: "!", Width: 2, SortLabel: "hottest", Styled: true},
			{Title: "NAME", Width: 12, Flex: 1},
			{Title: "CPU", Width: sparkWidth + 5, Styled: true}, // liveCell
			{Title: "MEM", Width: sparkWidth + 5, Drop: 1, Styled: true},
			{Title: "DISK", Width: sparkWidth + 5, Drop: 2, Styled: true},
			{Title: "NET IN", Width: sparkWidth + 12, Drop: 5, Styled: true},
			{Title: "NET OUT", Width: sparkWidth + 12, Drop: 4, Styled: true},
			{Title: "LOAD", Width: sparkWidth + 6, Drop: 3, Styled: true},
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
		ID:     func(r fleetRow) string { return r.ID },
		Region: func(r fleetRow) string { return r.RegionID },
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
				return installAgent(ctx, l.MarkedItems())
			},
		}},
	}
}
