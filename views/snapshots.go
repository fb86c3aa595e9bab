package views

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// SnapshotsKind is the snapshots view, newest first: every snapshot of the
// region, or those of one disk (scope d-...) or of one instance's disks
// (scope i-...). The detail pane links the source disk.
func SnapshotsKind(ctx Context) Kind[cloud.Snapshot] {
	loc := ctx.Location()
	return Kind[cloud.Snapshot]{
		Name: "snapshots",
		Columns: []table.Column{
			{Title: "ID", Width: 22},
			{Title: "NAME", Width: 12, Flex: 1, Drop: 3},
			{Title: "DISK", Width: 22},
			{Title: "SIZE", Width: 8, Right: true, Drop: 4},
			{Title: "PROGRESS", Width: 8, Right: true, Drop: 6},
			{Title: "STATUS", Width: 12, Style: stateStyle},
			{Title: "RETENTION", Width: 9, Drop: 5},
			{Title: "CREATED", Width: 8, Right: true},
		},
		ScopeHint: "d-…|i-…",
		Load: func(ctx context.Context, c *cloud.Client, region, scope string) ([]cloud.Snapshot, error) {
			return c.Snapshots(ctx, region, snapshotFilter(scope))
		},
		ID:     func(s cloud.Snapshot) string { return s.ID },
		Region: func(s cloud.Snapshot) string { return s.RegionID },
		Row: func(s cloud.Snapshot, now time.Time) table.Row {
			cells := []string{
				s.ID, orDash(s.Name), orDash(s.DiskID), gib(s.DiskSizeGiB), percent(s.Progress),
				s.Status, retention(s.RetentionDays), age(now, s.CreatedAt),
			}
			keys := make([]string, len(cells))
			keys[3] = intKey(s.DiskSizeGiB)
			keys[4] = intKey(s.Progress)
			keys[6] = intKey(retentionKey(s.RetentionDays))
			keys[7] = timeKey(s.CreatedAt)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		Detail: func(c context.Context, client *cloud.Client, s cloud.Snapshot) (Detail, error) {
			return snapshotDetail(c, client, s, loc)
		},
		DefaultSort: "CREATED",
		DefaultDesc: true,
		Actions:     snapshotActions(),
	}
}

// snapshotFilter turns a scope into a SnapshotFilter.
func snapshotFilter(scope string) cloud.SnapshotFilter {
	switch {
	case strings.HasPrefix(scope, "d-"):
		return cloud.SnapshotFilter{DiskID: scope}
	case strings.HasPrefix(scope, "i-"):
		return cloud.SnapshotFilter{InstanceID: scope}
	}
	return cloud.SnapshotFilter{}
}

// retentionKey sorts "forever" after every finite retention.
func retentionKey(days int) int {
	if days <= 0 {
		return 1 << 30
	}
	return days
}

func sortNewestFirst(s []cloud.Snapshot) {
	sort.SliceStable(s, func(i, j int) bool { return s[i].CreatedAt.After(s[j].CreatedAt) })
}

func snapshotDetail(ctx context.Context, c *cloud.Client, s cloud.Snapshot, loc *time.Location) (Detail, error) {
	var disks []cloud.Disk
	if s.DiskID != "" {
		var err error
		disks, err = c.Disks(ctx, s.RegionID, cloud.DiskFilter{DiskIDs: []string{s.DiskID}})
		if err != nil {
			return Detail{}, fmt.Errorf("details of %s: %w", s.ID, err)
		}
	}
	// The consistency group it belongs to, if any (listed with its
	// members); a failure here only leaves the section empty.
	var group *cloud.SnapshotGroup
	if groups, err := c.SnapshotGroups(ctx, s.RegionID); err == nil {
		for i, g := range groups {
			if slices.Contains(g.SnapshotIDs, s.ID) {
				group = &groups[i]
				break
			}
		}
	}
	d := Detail{
		Title: s.ID,
		Fields: []Field{
			{Label: "Name", Value: s.Name},
			{Label: "Status", Value: s.Status, Style: stateStyle},
			{Label: "Progress", Value: percent(s.Progress)},
			{Label: "Type", Value: s.Type},
			{Label: "Region", Value: s.RegionID},
			{Label: "Source disk", Value: s.DiskID},
			{Label: "Disk type", Value: string(s.DiskType)},
			{Label: "Disk size", Value: gib(s.DiskSizeGiB)},
			{Label: "Retention", Value: retention(s.RetentionDays)},
			{Label: "Created", Value: Stamp(loc, s.CreatedAt)},
		},
	}
	var rows []DetailRow
	switch {
	case s.DiskID == "":
	case len(disks) == 0:
		// The source disk was released: nothing to open.
		rows = append(rows, DetailRow{Text: s.DiskID + "  (released)"})
	default:
		dk := disks[0]
		rows = append(rows, DetailRow{
			Text:   diskLine(dk),
			Target: Navigate{View: "disks", Filter: dk.ID},
		})
	}
	var groupRows []DetailRow
	if group != nil {
		groupRows = append(groupRows, DetailRow{Text: fmt.Sprintf("%-24s %-16s %-12s %s", group.ID, orDash(group.Name), group.Status, Stamp(loc, group.CreatedAt))})
		for _, id := range group.SnapshotIDs {
			groupRows = append(groupRows, DetailRow{Text: "  member " + id, Target: Navigate{View: "snapshots", Filter: id}})
		}
	}
	d.Sections = []Section{
		{Title: "Source disk", Empty: "unknown", Rows: rows},
		{Title: "Consistency group", Empty: "none", Rows: groupRows},
	}
	return d, nil
}
