package views

import (
	"context"
	"fmt"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// SnapshotGroupsKind lists snapshot consistency groups (`:snapshot-groups`, taken
// with M / :snapshot-group in the snapshots view), each with its member
// snapshots in the detail.
func SnapshotGroupsKind(ctx Context) Kind[cloud.SnapshotGroup] {
	loc := ctx.Location()
	return Kind[cloud.SnapshotGroup]{
		Name: "snapshot-groups",
		Columns: []table.Column{
			{Title: "ID", Width: 22},
			{Title: "NAME", Width: 12, Flex: 1},
			{Title: "INSTANCE", Width: 22, Drop: 2},
			{Title: "STATUS", Width: 12, Style: stateStyle},
			{Title: "PROGRESS", Width: 8, Right: true},
			{Title: "SNAPSHOTS", Width: 9, Right: true},
			{Title: "CREATED", Width: 7, Right: true, Drop: 1},
		},
		ScopeHint: "i-…",
		Load: func(ctx context.Context, c *cloud.Client, region, scope string) ([]cloud.SnapshotGroup, error) {
			groups, err := c.SnapshotGroups(ctx, region)
			if err != nil || scope == "" {
				return groups, err
			}
			var out []cloud.SnapshotGroup
			for _, g := range groups {
				if g.InstanceID == scope {
					out = append(out, g)
				}
			}
			return out, nil
		},
		ID:     func(g cloud.SnapshotGroup) string { return g.ID },
		Region: func(g cloud.SnapshotGroup) string { return g.RegionID },
		Row: func(g cloud.SnapshotGroup, now time.Time) table.Row {
			cells := []string{g.ID, orDash(g.Name), orDash(g.InstanceID), g.Status,
				fmt.Sprintf("%d%%", g.Progress), fmt.Sprint(len(g.SnapshotIDs)), age(now, g.CreatedAt)}
			keys := make([]string, len(cells))
			keys[6] = ageKey(now, g.CreatedAt)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		DefaultSort: "CREATED",
		Detail: func(ctx context.Context, c *cloud.Client, g cloud.SnapshotGroup) (Detail, error) {
			d := Detail{Title: g.ID, Fields: []Field{
				{Label: "Name", Value: g.Name},
				{Label: "Status", Value: g.Status, Style: stateStyle},
				{Label: "Progress", Value: fmt.Sprintf("%d%%", g.Progress)},
				{Label: "Instance", Value: g.InstanceID},
				{Label: "Created", Value: Stamp(loc, g.CreatedAt)},
				{Label: "Description", Value: g.Description},
			}}
			var rows []DetailRow
			if len(g.SnapshotIDs) > 0 {
				snaps, err := c.Snapshots(ctx, g.RegionID, cloud.SnapshotFilter{IDs: g.SnapshotIDs})
				if err != nil {
					return Detail{}, fmt.Errorf("snapshots of group %s: %w", g.ID, err)
				}
				for _, s := range snaps {
					rows = append(rows, DetailRow{
						Text:   fmt.Sprintf("%-24s %-22s %-12s %3d%%", s.ID, s.DiskID, s.Status, s.Progress),
						Target: Navigate{View: "snapshots", Filter: s.ID},
					})
				}
			}
			if g.InstanceID != "" {
				d.Sections = append(d.Sections, Section{Title: "Instance", Rows: []DetailRow{{Text: g.InstanceID, Target: Navigate{View: "instances", Filter: g.InstanceID}}}})
			}
			d.Sections = append([]Section{{Title: "Member snapshots", Empty: "none", Rows: rows}}, d.Sections...)
			return d, nil
		},
	}
}
