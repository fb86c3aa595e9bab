package views

import (
	"context"
	"fmt"
	"strconv"
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

// newDisk opens the new data disk form: category and level, size, zone
// (the selected disk's, which is its instance's, or the region's first),
// name, count, an optional snapshot, and whether to attach the disks to
// the instance in view (the scope, or the selected disk's instance).
func newDisk(l *List[cloud.Disk], ctx Context, _ []string) tea.Cmd {
	sel, hasSel := l.Selected()
	region := ctx.Region
	if hasSel {
		region = regionOf(ctx, sel.RegionID)
	}
	if region == cloud.AllRegions || region == "" {
		return refuse("create a disk", &cloud.ValidationError{Field: "region", Rule: "choose a region first (:region): a disk is created in one"})
	}
	target, zone := "", ""
	if hasSel {
		zone = sel.ZoneID
		target = sel.InstanceID
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
	cats := make([]string, len(newDiskCategories))
	catDescs := make([]string, len(newDiskCategories))
	for i, c := range newDiskCategories {
		cats[i], catDescs[i] = c.id, c.desc
	}
	client := ctx.Client
	f := newOpForm(ctx, "New data disk in "+region, []form.Field{
		{Key: "category", Label: "Category", Kind: form.Choice, Options: cats, Descriptions: catDescs},
		{Key: "pl", Label: "Perf. level", Kind: form.Choice, Options: cloud.PerformanceLevels(), Descriptions: plDescs, Value: "PL1",
			Help: "cloud_essd only"},
		{Key: "size", Label: "Size GiB", Kind: form.Number, Optional: true, Validate: wholeNumber("Size"),
			Help: "within the category's range; empty with a snapshot: the snapshot's size"},
		{Key: "zone", Label: "Zone", Kind: form.Choice, Value: zone, Options: nonEmpty(zone), Help: "the zone of the instance it will attach to"},
		{Key: "name", Label: "Name", Kind: form.Text, Optional: true, Placeholder: "data-1",
			Help: "2-128 characters, starting with a letter; several disks get -1, -2, …"},
		{Key: "count", Label: "Count", Kind: form.Number, Value: "1", Validate: wholeNumber("Count"),
			Help: fmt.Sprintf("1-%d disks", cloud.MaxNewDisks)},
		{Key: "snapshot", Label: "From snapshot", Kind: form.Text, Optional: true, Placeholder: "s-…", Help: "a snapshot id: the disk starts as a copy of it"},
		{Key: "attach", Label: "Attach to", Kind: form.Choice, Options: attachOpts, Descriptions: attachDescs, Value: attachValue},
	}, func(v map[string]string) (tea.Cmd, error) {
		spec := cloud.NewDiskSpec{
			ZoneID:     v["zone"],
			Category:   v["category"],
			Name:       strings.TrimSpace(v["name"]),
			SnapshotID: strings.TrimSpace(v["snapshot"]),
		}
		if spec.Category == "cloud_essd" {
			spec.PerformanceLevel = v["pl"]
		}
		spec.SizeGiB, _ = strconv.Atoi(strings.TrimSpace(v["size"]))
		spec.Count, _ = strconv.Atoi(strings.TrimSpace(v["count"]))
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
		"snapshot": "snapshot", "count": "count", "disk name": "name"}
	l.OpenModal(f)
	return loadOptions(ctx, "disks", f.id, "zone", func(c context.Context) ([]string, []string, func(), error) {
		zones, err := client.Zones(c, region)
		if err != nil {
			return nil, nil, nil, err
		}
		var opts, descs []string
		for _, z := range zones {
			opts = append(opts, z.ID)
			descs = append(descs, orDash(z.Name))
		}
		return opts, descs, nil, nil
	})
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
		f.Done = func(results []cloud.Result) tea.Msg {
			var ids []string
			for _, r := range results {
				ids = append(ids, r.IDs...)
			}
			a := Flow{Action: fmt.Sprintf("attach %s to %s", strings.Join(ids, ", "), attach), Reload: []string{"disks", "instances"}}
			for _, id := range ids {
				ap, err := ctx.Client.PlanAttachDisk(region, id, attach, false)
				if err != nil {
					return Report{Action: a.Action, Err: err}
				}
				a.Steps = append(a.Steps, Step{Label: "attach " + id, Plan: ap, Poll: pollDisk(region, id, diskStatus(cloud.DiskInUse))})
			}
			if len(a.Steps) == 0 {
				return nil
			}
			return chain(ctx, a)
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
	cats := []string{"cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"}
	f := newOpForm(ctx, fmt.Sprintf("Change %s (%s, %s)", d.ID, category(d.Category, d.PerformanceLevel), gib(d.SizeGiB)), []form.Field{
		{Key: "category", Label: "Category", Kind: form.Choice, Options: cats, Value: d.Category,
			Descriptions: []string{"ultra disk", "standard SSD", "ESSD: performance by level", "ESSD AutoPL"}},
		{Key: "pl", Label: "Perf. level", Kind: form.Choice, Options: cloud.PerformanceLevels(), Descriptions: plDescs,
			Value: cmpOrString(d.PerformanceLevel, "PL1"), Help: "cloud_essd only"},
	}, func(v map[string]string) (tea.Cmd, error) {
		pl := ""
		if v["category"] == "cloud_essd" {
			pl = v["pl"]
		}
		if err := cloud.ValidateDiskSpec(d, v["category"], pl); err != nil {
			return nil, err
		}
		return diskSpecFlow(ctx, d, v["category"], pl), nil
	})
	f.fields = map[string]string{"category": "category", "performance level": "pl", "disk spec": "category"}
	l.OpenModal(f)
	return nil
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
