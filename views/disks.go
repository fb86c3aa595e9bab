package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// DisksKind is the block storage view: every disk of the region, or of one
// instance (scope i-...) or one disk (scope d-...). The detail pane lists the
// disk's snapshots, the instance it is attached to and its snapshot policy.
func DisksKind(ctx Context) Kind[cloud.Disk] {
	loc, now := ctx.Location(), ctx.now
	return Kind[cloud.Disk]{
		Name: "disks",
		Columns: []table.Column{
			{Title: "ID", Width: 22},
			{Title: "NAME", Width: 10, Flex: 1},
			{Title: "TYPE", Width: 6, Drop: 4},
			{Title: "CATEGORY", Width: 10, Drop: 5},
			{Title: "SIZE", Width: 8, Right: true},
			{Title: "STATUS", Width: 9, Style: stateStyle},
			{Title: "INSTANCE", Width: 22},
			{Title: "ZONE", Width: 13, Drop: 7},
			{Title: "PORTABLE", Width: 8, Drop: 9},
			{Title: "DEL W/ INST", Width: 11, Drop: 8},
			{Title: "POLICY", Width: 23, Drop: 6},
		},
		ScopeHint: "i-…|d-…",
		Load: func(ctx context.Context, c *cloud.Client, region, scope string) ([]cloud.Disk, error) {
			return c.Disks(ctx, region, diskFilter(scope))
		},
		ID:     func(d cloud.Disk) string { return d.ID },
		Region: func(d cloud.Disk) string { return d.RegionID },
		Row: func(d cloud.Disk, _ time.Time) table.Row {
			cells := []string{
				d.ID, orDash(d.Name), string(d.Type), category(d.Category, d.PerformanceLevel),
				gib(d.SizeGiB), string(d.Status), orDash(d.InstanceID), d.ZoneID,
				yesNo(d.Portable), yesNo(d.DeleteWithInstance), orDash(d.AutoSnapshotPolicyID),
			}
			keys := make([]string, len(cells))
			keys[4] = intKey(d.SizeGiB)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		Detail: func(c context.Context, client *cloud.Client, d cloud.Disk) (Detail, error) {
			return diskDetail(c, client, d, loc, now())
		},
		Actions: append(diskActions(), diskSnapshotAction()),
	}
}

// diskFilter turns a scope into a DiskFilter: an instance id lists that
// instance's disks, a disk id that disk; anything else lists all.
func diskFilter(scope string) cloud.DiskFilter {
	switch {
	case strings.HasPrefix(scope, "i-"):
		return cloud.DiskFilter{InstanceID: scope}
	case strings.HasPrefix(scope, "d-"):
		return cloud.DiskFilter{DiskIDs: []string{scope}}
	}
	return cloud.DiskFilter{}
}

// diskDetail is a disk's detail pane, its times in loc (policy hours at
// loc's offset at now).
func diskDetail(ctx context.Context, c *cloud.Client, d cloud.Disk, loc *time.Location, now time.Time) (Detail, error) {
	var (
		snapshots []cloud.Snapshot
		policies  []cloud.AutoSnapshotPolicy
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		snapshots, err = c.Snapshots(gctx, d.RegionID, cloud.SnapshotFilter{DiskID: d.ID})
		return err
	})
	if d.AutoSnapshotPolicyID != "" {
		g.Go(func() (err error) {
			policies, err = c.AutoSnapshotPolicies(gctx, d.RegionID)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Detail{}, fmt.Errorf("details of %s: %w", d.ID, err)
	}
	det := Detail{
		Title: d.ID,
		Fields: []Field{
			{Label: "Name", Value: d.Name},
			{Label: "Status", Value: string(d.Status), Style: stateStyle},
			{Label: "Type", Value: string(d.Type)},
			{Label: "Category", Value: strings.TrimSpace(d.Category + " " + d.PerformanceLevel)},
			{Label: "Size", Value: gib(d.SizeGiB)},
			{Label: "Region / zone", Value: d.RegionID + " / " + d.ZoneID},
			{Label: "Instance", Value: d.InstanceID},
			{Label: "Device", Value: d.Device},
			{Label: "Portable", Value: yesNo(d.Portable)},
			{Label: "Delete with instance", Value: yesNo(d.DeleteWithInstance)},
			{Label: "Encrypted", Value: yesNo(d.Encrypted)},
			{Label: "Image", Value: d.ImageID},
			{Label: "Source snapshot", Value: d.SourceSnapshotID},
			{Label: "Snapshot policy", Value: d.AutoSnapshotPolicyID},
			{Label: "Created", Value: Stamp(loc, d.CreatedAt)},
		},
	}
	sortNewestFirst(snapshots)
	snapRows := make([]DetailRow, 0, len(snapshots))
	for _, s := range snapshots {
		snapRows = append(snapRows, DetailRow{
			Text:   fmt.Sprintf("%-24s %-5s %-13s %-20s %s", s.ID, s.Type, s.Status, Stamp(loc, s.CreatedAt), orDash(s.Name)),
			Target: Navigate{View: "snapshots", Filter: s.ID},
		})
	}
	var instRows []DetailRow
	if d.InstanceID != "" {
		instRows = append(instRows, DetailRow{
			Text:   fmt.Sprintf("%-22s %s", d.InstanceID, d.Device),
			Target: Navigate{View: "instances", Filter: d.InstanceID},
		})
	}
	var policyRows []DetailRow
	if d.AutoSnapshotPolicyID != "" {
		text := d.AutoSnapshotPolicyID + "  (not found)"
		for _, p := range policies {
			if p.ID == d.AutoSnapshotPolicyID {
				text = policyLine(p, loc, now)
			}
		}
		policyRows = append(policyRows, DetailRow{Text: text, Target: Navigate{View: "policies", Filter: d.AutoSnapshotPolicyID}})
	}
	// The count opens the snapshots view narrowed to this disk, where
	// snapshots are taken and rolled back.
	snapRows = append([]DetailRow{{
		Text:   fmt.Sprintf("%d snapshots: open them (take, roll back, copy) →", len(snapRows)),
		Target: Navigate{View: "snapshots", Scope: d.ID},
	}}, snapRows...)
	det.Sections = []Section{
		{Title: "Snapshots", Empty: "no snapshots of this disk", Rows: snapRows},
		{Title: "Attached to", Empty: "not attached", Rows: instRows},
		{Title: "Snapshot policy", Empty: "no automatic snapshots", Rows: policyRows},
	}
	return det, nil
}

// policyLine is a policy on one line of a detail pane, its runs in loc.
func policyLine(p cloud.AutoSnapshotPolicy, loc *time.Location, now time.Time) string {
	return fmt.Sprintf("%-24s %-16s %s, keep %s", p.ID, p.Name, localSchedule(p.RepeatWeekdays, p.TimePoints, loc, now), retention(p.RetentionDays))
}

// diskLine is a disk on one line of a detail pane.
func diskLine(d cloud.Disk) string {
	return fmt.Sprintf("%-22s %-6s %-11s %7s  %-9s %s", d.ID, d.Type, category(d.Category, d.PerformanceLevel), gib(d.SizeGiB), d.Status, orDash(d.InstanceID))
}
