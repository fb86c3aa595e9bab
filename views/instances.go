package views

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/table"
)

// InstancesKind is the instances view: every instance of the region (or of
// every region), with a detail pane listing its disks, security groups, key
// pair and snapshots, each of which opens in its own view.
func InstancesKind(ctx Context) Kind[cloud.Instance] {
	th, samples, loc, stranded := ctx.Theme, ctx.Metrics, ctx.Location(), ctx.Stranded
	return Kind[cloud.Instance]{
		Name: "instances",
		Columns: []table.Column{
			{Title: "ID", Width: 22, Drop: 3},
			{Title: "NAME", Width: 12, Flex: 1},
			{Title: "STATUS", Width: 8, Style: instanceStateStyle},
			{Title: "CPU", Width: sparkWidth + 5, Drop: 1, Styled: true}, // liveCell
			{Title: "MEM", Width: sparkWidth + 5, Drop: 2, Styled: true},
			{Title: "DISK", Width: 4, Right: true, Drop: 4, Styled: true},
			{Title: "ZONE", Width: 13, Flex: 1, Drop: 11},
			{Title: "TYPE", Width: 17, Flex: 1, Drop: 6},
			{Title: "CPU/MEM", Width: 8, Right: true, Drop: 8},
			{Title: "PUBLIC IP", Width: 15, Drop: 5},
			{Title: "PRIVATE IP", Width: 15, Drop: 9},
			{Title: "CHARGE", Width: 8, Drop: 12},
			{Title: "AGE", Width: 4, Right: true, Drop: 10},
		},
		Load: func(ctx context.Context, c *cloud.Client, region, _ string) ([]cloud.Instance, error) {
			return c.Instances(ctx, region)
		},
		ID:     func(in cloud.Instance) string { return in.ID },
		Region: func(in cloud.Instance) string { return in.RegionID },
		Row: func(in cloud.Instance, now time.Time) table.Row {
			cpu, cpuKey := liveCell(th, samples, in, cloud.MetricCPU, true)
			mem, memKey := liveCell(th, samples, in, cloud.MetricMemory, true)
			dsk, dskKey := liveCell(th, samples, in, cloud.MetricDisk, false)
			status := string(in.Status)
			if stranded.By(in) != "" {
				status = leftStoppedCell
			}
			cells := []string{
				in.ID, in.Name, status, cpu, mem, dsk, in.ZoneID, in.Type,
				fmt.Sprintf("%d/%s", in.CPU, memory(in.MemoryMiB)),
				orDash(in.PublicIP), orDash(in.PrivateIP), in.ChargeType, age(now, in.CreatedAt),
			}
			keys := make([]string, len(cells))
			keys[3], keys[4], keys[5] = cpuKey, memKey, dskKey
			keys[8] = fmt.Sprintf("%04d/%08d", in.CPU, in.MemoryMiB)
			keys[12] = ageKey(now, in.CreatedAt)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		Subjects: func(items []cloud.Instance) []cloud.Instance { return items },
		Detail: func(c context.Context, client *cloud.Client, in cloud.Instance) (Detail, error) {
			d, err := instanceDetail(c, client, in, loc)
			if action := stranded.By(in); action != "" && err == nil {
				for i, f := range d.Fields {
					if f.Label == "Status" {
						d.Fields[i].Value = leftStoppedCell + " a failed operation left it so"
						d.Fields = slices.Insert(d.Fields, i+1, Field{Label: "Left by", Value: action, Style: func(th theme.Theme, _ string) lipgloss.Style { return th.Warn }})
						break
					}
				}
			}
			return d, err
		},
		Actions: append(instanceActions(), sshAction(ctx.SSH), passwordAction(), bindKeyAction(), joinGroupAction(), patchAction(), instanceImageAction()),
	}
}

// instanceStateStyle colours an instance's status, and in the warning
// colour one an operation left Stopped (leftStoppedCell, the detail's
// sentence).
func instanceStateStyle(th theme.Theme, s string) lipgloss.Style {
	if strings.HasPrefix(s, leftStoppedCell) {
		return th.Warn
	}
	return th.State(s)
}

// instanceDetail is an instance's detail pane, its times in loc.
func instanceDetail(ctx context.Context, c *cloud.Client, in cloud.Instance, loc *time.Location) (Detail, error) {
	var (
		disks     []cloud.Disk
		groups    []cloud.SecurityGroup
		snapshots []cloud.Snapshot
		ingress   Section
		patches   Section
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		disks, err = c.Disks(gctx, in.RegionID, cloud.DiskFilter{InstanceID: in.ID})
		return err
	})
	g.Go(func() (err error) {
		groups, err = c.SecurityGroups(gctx, in.RegionID)
		return err
	})
	g.Go(func() (err error) {
		snapshots, err = c.Snapshots(gctx, in.RegionID, cloud.SnapshotFilter{InstanceID: in.ID})
		return err
	})
	g.Go(func() error {
		ingress = ingressSection(gctx, c, in) // shows its own error
		return nil
	})
	g.Go(func() error {
		patches = patchSection(gctx, c, in, loc) // shows its own error
		return nil
	})
	if err := g.Wait(); err != nil {
		return Detail{}, fmt.Errorf("details of %s: %w", in.ID, err)
	}
	d := Detail{
		Title: in.ID,
		Fields: []Field{
			{Label: "Name", Value: in.Name},
			{Label: "Status", Value: string(in.Status), Style: instanceStateStyle},
			{Label: "Region / zone", Value: in.RegionID + " / " + in.ZoneID},
			{Label: "Type", Value: fmt.Sprintf("%s (%d vCPU, %s)", in.Type, in.CPU, memory(in.MemoryMiB))},
			{Label: "OS", Value: in.OSName + " (" + in.OSType + ")"},
			{Label: "Image", Value: in.ImageID},
			{Label: "Public IP", Value: in.PublicIP},
			{Label: "Private IP", Value: in.PrivateIP},
			{Label: "VPC / vSwitch", Value: in.VpcID + " / " + in.VSwitchID},
			{Label: "Bandwidth out", Value: fmt.Sprintf("%d Mbit/s (%s)", in.BandwidthOutMbps, in.InternetChargeType)},
			{Label: "Billing", Value: in.ChargeType},
			{Label: "Created", Value: Stamp(loc, in.CreatedAt)},
			{Label: "Expires", Value: Stamp(loc, in.ExpiresAt)},
			{Label: "Stopped mode", Value: in.StoppedMode},
			{Label: "Locks", Value: joinIDs(in.LockReasons)},
			{Label: "Description", Value: in.Description},
		},
	}
	sort.Slice(disks, func(i, j int) bool { return disks[i].Device < disks[j].Device })
	diskRows := make([]DetailRow, 0, len(disks))
	for _, dk := range disks {
		diskRows = append(diskRows, DetailRow{
			Text:   fmt.Sprintf("%-22s %-9s %-6s %-18s %5d GiB  %s", dk.ID, dk.Device, dk.Type, dk.Category, dk.SizeGiB, dk.Status),
			Target: Navigate{View: "disks", Filter: dk.ID},
		})
	}
	member := map[string]bool{}
	for _, id := range in.SecurityGroupIDs {
		member[id] = true
	}
	var sgRows []DetailRow
	for _, sg := range groups {
		if member[sg.ID] {
			sgRows = append(sgRows, DetailRow{Text: fmt.Sprintf("%-24s %s", sg.ID, sg.Name), Target: Navigate{View: "sg", Filter: sg.ID}})
		}
	}
	var keyRows []DetailRow
	if in.KeyPairName != "" {
		keyRows = append(keyRows, DetailRow{Text: in.KeyPairName, Target: Navigate{View: "keypairs", Filter: in.KeyPairName}})
	}
	sort.Slice(snapshots, func(i, j int) bool { return snapshots[i].CreatedAt.After(snapshots[j].CreatedAt) })
	var snapRows []DetailRow
	for _, s := range snapshots {
		snapRows = append(snapRows, DetailRow{
			Text:   fmt.Sprintf("%-24s %-22s %-12s %s", s.ID, s.DiskID, s.Status, Stamp(loc, s.CreatedAt)),
			Target: Navigate{View: "snapshots", Filter: s.ID},
		})
	}
	d.Sections = []Section{
		{Title: "Disks", Empty: "no disks", Rows: diskRows},
		{Title: "Security groups", Empty: "none", Rows: sgRows},
		ingress,
		{Title: "Key pair", Empty: "no key pair (password login)", Rows: keyRows},
		{Title: "Snapshots", Empty: "no snapshots of this instance's disks", Rows: append([]DetailRow{{
			Text:   fmt.Sprintf("%d snapshots of its disks: open them →", len(snapRows)),
			Target: Navigate{View: "snapshots", Scope: in.ID},
		}}, snapRows...)},
		patches,
	}
	return d, nil
}
