package views

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// The forms of the disk operations that take several values: a new data
// disk (N, `:newdisk`) and a new category / performance level (C,
// `:diskspec [CATEGORY] [PL]`).

// newDiskCategories are the categories offered for a new data disk.
var newDiskCategories = []struct{ id, desc string }{
	{"cloud_essd", "ESSD: performance by level (PL0-PL3)"},
	{"cloud_ssd", "standard SSD"},
	{"cloud_efficiency", "ultra disk"},
}

var plDescs = []string{"PL0: 1-65536 GiB, up to 10k IOPS", "PL1: 20-65536 GiB, up to 50k IOPS", "PL2: 461-65536 GiB, up to 100k IOPS", "PL3: 1261-65536 GiB, up to 1M IOPS"}

// newDisk opens the new data disk form: in a view of every region first
// the region (the selected disk's by default), then category and level,
// size, zone (the selected disk's, which is its instance's, or the
// region's first), name, count, an optional snapshot, and whether to
// attach the disks to the instance in view (the scope, or the selected
// disk's instance). The zones and snapshots follow the region, the
// categories the zone: only what CreateDisk accepts there is offered.
func newDisk(l *List[cloud.Disk], ctx Context, _ []string) tea.Cmd {
	sel, hasSel := l.Selected()
	target, zone, selRegion := "", "", ""
	if hasSel {
		zone, target, selRegion = sel.ZoneID, sel.InstanceID, sel.RegionID
	}
	if strings.HasPrefix(l.scope, "i-") {
		target = l.scope
	}
	attachOpts := []string{"no"}
	attachDescs := []string{"leave the disks Available"}
	attachValue := "no"
	if target != "" {
		attachOpts = append(attachOpts, target)
		attachDescs = append(attachDescs, "attach them to "+target+" (same zone)")
		if strings.HasPrefix(l.scope, "i-") {
			attachValue = target
		}
	}
	cats, catDescs := diskCategoryChoices(nil)
	client := ctx.Client
	zoneCats := map[string][]string{} // zone -> the disk categories it creates (UI goroutine)
	f := newOpForm(ctx, "New data disk"+regionSuffix(ctx), withRegion(ctx, selRegion, []form.Field{
		{Key: "category", Label: "Category", Kind: form.Choice, Options: cats, Descriptions: catDescs,
			Help: "the categories the zone creates"},
		{Key: "pl", Label: "Perf. level", Kind: form.Choice, Options: cloud.PerformanceLevels(), Descriptions: plDescs, Value: "PL1",
			Help: "cloud_essd only"},
		{Key: "size", Label: "Size GiB", Kind: form.Number, Optional: true, Validate: func(v string) error { _, err := diskSize("size", v); return err },
			Help: "within the category's range; empty with a snapshot: the snapshot's size"},
		{Key: "zone", Label: "Zone", Kind: form.Choice, Value: zone, Options: nonEmpty(zone), Help: "the zone of the instance it will attach to"},
		{Key: "name", Label: "Name", Kind: form.Text, Optional: true, Placeholder: "data-1",
			Help: "2-128 characters, starting with a letter; several disks get -1, -2, …"},
		{Key: "count", Label: "Count", Kind: form.Number, Suggestion: "1", Validate: quantity("count", cloud.UnitCount, 1, cloud.MaxNewDisks),
			Help: fmt.Sprintf("1-%d disks", cloud.MaxNewDisks)},
		{Key: "snapshot", Label: "From snapshot", Kind: form.Picker, Optional: true,
			Help: "type to find a data-disk snapshot by name or id; none: an empty disk"},
		{Key: "attach", Label: "Attach to", Kind: form.Choice, Options: attachOpts, Descriptions: attachDescs, Value: attachValue},
	}), func(v map[string]string) (tea.Cmd, error) {
		region := createRegion(ctx, v)
		if region == "" {
			return nil, &cloud.ValidationError{Field: "region", Rule: "choose the region to create the disk in"}
		}
		spec := cloud.NewDiskSpec{
			ZoneID:     v["zone"],
			Category:   v["category"],
			Name:       strings.TrimSpace(v["name"]),
			SnapshotID: strings.TrimSpace(v["snapshot"]),
		}
		if spec.Category == "cloud_essd" {
			spec.PerformanceLevel = v["pl"]
		}
		spec.SizeGiB, _ = diskSize("size", v["size"]) // validated; empty is 0: the snapshot's size
		spec.Count, _ = cloud.ParseQuantity("count", v["count"], cloud.UnitCount, 1, cloud.MaxNewDisks)
		if err := cloud.ValidateNewDisk(spec); err != nil {
			return nil, err
		}
		attach := ""
		if v["attach"] != "no" {
			attach = v["attach"]
			if hasSel && sel.InstanceID == attach && sel.ZoneID != "" && spec.ZoneID != sel.ZoneID {
				return nil, &cloud.ValidationError{Field: "zone", Rule: fmt.Sprintf("%s is in %s: a disk attaches only in its instance's zone", attach, sel.ZoneID)}
			}
		}
		return newDiskFlow(ctx, region, spec, attach)
	})
	f.fields = map[string]string{"zone": "zone", "category": "category", "performance level": "pl", "size": "size",
		"snapshot": "snapshot", "count": "count", "disk name": "name", "region": regionKey}
	d := newDependentForm(f, "disks", nil)
	// In a view of every region the answers follow the Region field; in
	// one region they stand (no field to follow).
	watched := ""
	if spansRegions(ctx) {
		watched = regionKey
	}
	onRegion := func(_ *form.Model, region string) tea.Cmd {
		if region == "" || region == cloud.AllRegions {
			return nil
		}
		zones := d.load(ctx, watched, region, "zone", false, func(c context.Context) ([]pickOption, func(), error) {
			list, err := client.Zones(c, region)
			if err != nil {
				return nil, nil, err
			}
			ps := make([]pickOption, len(list))
			for i, z := range list {
				ps[i] = pickOption{ID: z.ID, Desc: orDash(z.Name)}
			}
			return ps, func() {
				for _, z := range list {
					zoneCats[z.ID] = z.DiskCategories
				}
			}, nil
		})
		snaps := d.load(ctx, watched, region, "snapshot", true, func(c context.Context) ([]pickOption, func(), error) {
			ps, err := snapshotPicks(c, client, region, func(s cloud.Snapshot) bool {
				return s.DiskType != cloud.DiskSystem && s.Status == cloud.SnapshotAccomplished
			})
			return ps, nil, err
		})
		return tea.Batch(zones, snaps)
	}
	onZone := func(m *form.Model, zone string) tea.Cmd {
		if zc, ok := zoneCats[zone]; ok {
			opts, descs := diskCategoryChoices(zc)
			m.SetOptions("category", opts, descs)
		}
		return nil
	}
	watch := map[string]dependsOn{"zone": onZone}
	if spansRegions(ctx) {
		watch[regionKey] = onRegion
	}
	d.watch = watch
	l.OpenModal(d)
	start := d.start()
	if !spansRegions(ctx) {
		start = tea.Batch(start, onRegion(&d.form, ctx.Region))
	}
	return tea.Batch(start, loadRegions(ctx, "disks", f.id))
}

// diskCategoryChoices are the new-disk categories a zone creates (all of
// them when the zone is not known yet), with what each is.
func diskCategoryChoices(zoneCats []string) (opts, descs []string) {
	for _, c := range newDiskCategories {
		if zoneCats == nil || slices.Contains(zoneCats, c.id) {
			opts, descs = append(opts, c.id), append(descs, c.desc)
		}
	}
	return opts, descs
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// newDiskFlow creates the disks and, when attach names an instance,
// attaches each once it is Available (a second flow, started without
// asking again: the confirmation said so).
func newDiskFlow(ctx Context, region string, spec cloud.NewDiskSpec, attach string) (tea.Cmd, error) {
	p, err := ctx.Client.PlanCreateDisks(region, spec)
	if err != nil {
		return nil, err
	}
	n := max(spec.Count, 1)
	noun := "1 disk"
	if n > 1 {
		noun = fmt.Sprintf("%d disks", n)
	}
	size := gib(spec.SizeGiB)
	if spec.SizeGiB == 0 {
		size = "the snapshot's size"
	}
	lines := []string{
		fmt.Sprintf("%s %s, %s, in %s", noun, category(spec.Category, spec.PerformanceLevel), size, spec.ZoneID),
		"name: " + orDash(spec.Name),
		"from snapshot: " + orDash(spec.SnapshotID),
		"pay-as-you-go",
	}
	if attach != "" {
		lines = append(lines, "then attach each to "+attach+" (kept when the instance is released)")
	} else {
		lines = append(lines, "left Available (attach with A)")
	}
	f := Flow{
		Action: "create " + noun + " in " + spec.ZoneID,
		Title:  fmt.Sprintf("Create %s?", noun),
		Lines:  lines,
		Steps:  []Step{{Label: "create " + noun, Plan: p, Poll: pollDisk(region, "", diskStatus(cloud.DiskAvailable))}},
		Reload: []string{"disks"},
	}
	if attach != "" {
		f.Then = func(results []cloud.Result) (Flow, tea.Msg) {
			var ids []string
			for _, r := range results {
				ids = append(ids, r.IDs...)
			}
			a := Flow{Action: fmt.Sprintf("attach %s to %s", strings.Join(ids, ", "), attach), Reload: []string{"disks", "instances"}}
			for _, id := range ids {
				ap, err := ctx.Client.PlanAttachDisk(region, id, attach, false)
				if err != nil {
					return Flow{}, Report{Action: a.Action, Err: err}
				}
				a.Steps = append(a.Steps, Step{Label: "attach " + id, Plan: ap, Poll: pollDisk(region, id, diskStatus(cloud.DiskInUse))})
			}
			return a, nil
		}
	}
	return f.Cmd(ctx), nil
}

// changeDiskSpec: `:diskspec CATEGORY [PL]` (or just `:diskspec PL2` for
// the level of an ESSD) goes to the confirmation; otherwise a form asks.
// ValidateDiskSpec refuses before any call.
func changeDiskSpec(l *List[cloud.Disk], ctx Context, args []string) tea.Cmd {
	d, ok := l.Selected()
	if !ok {
		return nil
	}
	cat, pl := "", ""
	for _, a := range args {
		if strings.HasPrefix(strings.ToUpper(a), "PL") {
			pl = strings.ToUpper(a)
		} else {
			cat = a
		}
	}
	if cat != "" || pl != "" {
		if cat == "" {
			cat = d.Category
		}
		return diskSpecFlow(ctx, d, cat, pl)
	}
	specs, absent := cloud.DiskSpecChanges(d)
	if len(specs) == 0 {
		return refuse("change the category of "+d.ID, &cloud.ValidationError{Field: "disk spec",
			Rule: fmt.Sprintf("%s cannot change: %s", category(d.Category, d.PerformanceLevel), strings.Join(absent, "; "))})
	}
	opts := make([]string, len(specs))
	descs := make([]string, len(specs))
	for i, sp := range specs {
		opts[i], descs[i] = sp.String(), diskSpecDesc(sp)
	}
	help := "only the changes ModifyDiskSpec accepts for this disk"
	if len(absent) > 0 {
		help = "not offered, as the API refuses them:\n" + strings.Join(absent, "\n")
	}
	f := newOpForm(ctx, fmt.Sprintf("Change %s (%s, %s)", d.ID, category(d.Category, d.PerformanceLevel), gib(d.SizeGiB)), []form.Field{
		{Key: "spec", Label: "Change to", Kind: form.Choice, Options: opts, Descriptions: descs, Help: help},
	}, func(v map[string]string) (tea.Cmd, error) {
		cat, pl, _ := strings.Cut(v["spec"], " ")
		if err := cloud.ValidateDiskSpec(d, cat, pl); err != nil {
			return nil, err
		}
		return diskSpecFlow(ctx, d, cat, pl), nil
	})
	f.fields = map[string]string{"category": "spec", "performance level": "spec", "disk spec": "spec"}
	l.OpenModal(f)
	return nil
}

// diskSpecDesc says what a disk spec is.
func diskSpecDesc(s cloud.DiskSpec) string {
	switch s.Category {
	case "cloud_essd":
		if i := slices.Index(cloud.PerformanceLevels(), s.PerformanceLevel); i >= 0 && i < len(plDescs) {
			return "ESSD " + plDescs[i]
		}
		return "ESSD"
	case "cloud_auto":
		return "ESSD AutoPL: performance follows load"
	case "cloud_ssd":
		return "standard SSD"
	case "cloud_efficiency":
		return "ultra disk"
	}
	return ""
}

func cmpOrString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func diskSpecFlow(ctx Context, d cloud.Disk, cat, pl string) tea.Cmd {
	action := "change the category of " + d.ID
	if err := cloud.ValidateDiskSpec(d, cat, pl); err != nil {
		return refuse(action, err)
	}
	region := regionOf(ctx, d.RegionID)
	catParam := cat
	if cat == d.Category {
		catParam = ""
	}
	p, err := ctx.Client.PlanModifyDiskSpec(region, d.ID, catParam, pl)
	if err != nil {
		return refuse(action, err)
	}
	wantPL := pl
	if cat == "cloud_essd" && wantPL == "" {
		wantPL = cmpOrString(d.PerformanceLevel, "PL1")
	}
	then := category(cat, wantPL)
	f := Flow{
		Action: fmt.Sprintf("change %s to %s", d.ID, then),
		Title:  fmt.Sprintf("Change %s from %s to %s?", d.ID, category(d.Category, d.PerformanceLevel), then),
		Lines:  []string{diskLine(d), "the change is immediate; the disk stays " + string(d.Status)},
		Steps: []Step{{Label: "ModifyDiskSpec " + d.ID, Plan: p, Poll: pollDisk(region, d.ID, func(x cloud.Disk) bool {
			return x.Category == cat && (wantPL == "" || x.PerformanceLevel == wantPL)
		})}},
		Reload: []string{"disks"},
	}
	if cat == "cloud_essd" && pl == "" {
		f.Lines = append(f.Lines, "performance level: "+wantPL+" (default)")
	}
	return f.Cmd(ctx)
}
