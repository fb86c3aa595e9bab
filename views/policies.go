package views

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// PoliciesKind is the automatic snapshot policies view: when each policy
// runs, how long it keeps snapshots and how many disks follow it. The detail
// pane lists those disks. Days and hours are in ctx's zone (the HOURS
// title names it), converted from the API's UTC+8 (policy_schedule.go).
func PoliciesKind(ctx Context) Kind[cloud.AutoSnapshotPolicy] {
	loc, clock := ctx.Location(), ctx.now
	zone := columnZone(loc, clock())
	return Kind[cloud.AutoSnapshotPolicy]{
		Name: "policies",
		Columns: []table.Column{
			// On a narrow screen the ID goes before the schedule.
			{Title: "ID", Width: 23, Drop: 2},
			{Title: "NAME", Width: 14, Flex: 1},
			{Title: "WEEKDAYS", Width: 14, Flex: 1},
			{Title: zonedTitle("HOURS", zone), Width: 13, Flex: 1},
			{Title: "RETENTION", Width: 9, Drop: 3},
			{Title: "DISKS", Width: 5, Right: true, Drop: 4},
			{Title: "STATUS", Width: 8, Style: stateStyle, Drop: 5},
		},
		Load: func(ctx context.Context, c *cloud.Client, region, _ string) ([]cloud.AutoSnapshotPolicy, error) {
			return c.AutoSnapshotPolicies(ctx, region)
		},
		ID:     func(p cloud.AutoSnapshotPolicy) string { return p.ID },
		Region: func(p cloud.AutoSnapshotPolicy) string { return p.RegionID },
		Row: func(p cloud.AutoSnapshotPolicy, now time.Time) table.Row {
			runs := localSchedule(p.RepeatWeekdays, p.TimePoints, zone, now)
			cells := []string{
				p.ID, orDash(p.Name), runs.weekdays(), runs.hours(),
				retention(p.RetentionDays), intKey(p.DiskCount), p.Status,
			}
			keys := make([]string, len(cells))
			keys[4] = intKey(retentionKey(p.RetentionDays))
			return table.Row{Cells: cells, SortKeys: keys}
		},
		Detail: func(c context.Context, client *cloud.Client, p cloud.AutoSnapshotPolicy) (Detail, error) {
			return policyDetail(c, client, p, loc, clock())
		},
		Actions: policyActions(),
	}
}

// policyDetail is a policy's detail pane: its runs in loc (at its offset at
// now) and as the API has them, and the disks that follow it.
func policyDetail(ctx context.Context, c *cloud.Client, p cloud.AutoSnapshotPolicy, loc *time.Location, now time.Time) (Detail, error) {
	all, err := c.Disks(ctx, p.RegionID, cloud.DiskFilter{})
	if err != nil {
		return Detail{}, fmt.Errorf("details of %s: %w", p.ID, err)
	}
	var disks []cloud.Disk
	for _, d := range all {
		if d.AutoSnapshotPolicyID == p.ID {
			disks = append(disks, d)
		}
	}
	sort.Slice(disks, func(i, j int) bool { return disks[i].ID < disks[j].ID })
	runs := localSchedule(p.RepeatWeekdays, p.TimePoints, loc, now)
	d := Detail{
		Title: p.ID,
		Fields: []Field{
			{Label: "Name", Value: p.Name},
			{Label: "Status", Value: p.Status, Style: stateStyle},
			{Label: "Region", Value: p.RegionID},
			{Label: "Weekdays", Value: runs.weekdays()},
			{Label: "Hours", Value: runs.hours() + " " + runs.zone},
			{Label: "In the API", Value: apiScheduleText(p.RepeatWeekdays, p.TimePoints)},
			{Label: "Retention", Value: retention(p.RetentionDays)},
			{Label: "Disks", Value: intKey(p.DiskCount)},
		},
	}
	rows := make([]DetailRow, 0, len(disks))
	for _, dk := range disks {
		rows = append(rows, DetailRow{
			Text:   diskLine(dk),
			Target: Navigate{View: "disks", Filter: dk.ID},
		})
	}
	d.Sections = []Section{{Title: "Disks", Empty: "no disks follow this policy", Rows: rows}}
	return d, nil
}
