package views

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// snapshotActions are the snapshots view's actions: each a key (upper
// case: the shell's keys are lower case), a palette command and a help
// line.
func snapshotActions() []Action[cloud.Snapshot] {
	return []Action[cloud.Snapshot]{
		{Name: "snapshot", Args: "[NAME]", Help: "new snapshot of a disk (scope d-… or asked)", Keys: []string{"N"}, Run: newSnapshot},
		{Name: "snapshot-group", Args: "[NAME]", Help: "consistent snapshot of several disks (scope i-… or asked)", Keys: []string{"M"}, Run: newSnapshotGroup},
		{Name: "rollback", Args: "[SNAPSHOT-ID]", Help: "roll the disk back to the snapshot", Keys: []string{"R"}, Run: rollback},
		{Name: "new-disk", Args: "[SIZE]", Help: "new disk from the snapshot", Keys: []string{"K"}, Run: diskFromSnapshot},
		{Name: "copy", Args: "[REGION [NAME]]", Help: "copy the snapshot to another region", Keys: []string{"C"}, Run: copySnapshot},
		{Name: "delete", Args: "", Help: "delete snapshot(s)", Keys: []string{"X"}, Run: deleteSnapshots},
	}
}

// bkDisk looks a disk up (in every region when region is all).
func bkDisk(c context.Context, client *cloud.Client, region, id string) (cloud.Disk, error) {
	if !strings.HasPrefix(id, "d-") {
		return cloud.Disk{}, fmt.Errorf("%q is not a disk id (d-…)", id)
	}
	ds, err := client.Disks(c, region, cloud.DiskFilter{DiskIDs: []string{id}})
	if err != nil {
		return cloud.Disk{}, err
	}
	if len(ds) == 0 {
		return cloud.Disk{}, fmt.Errorf("disk %s: not found in %s", id, region)
	}
	return ds[0], nil
}

// bkSnapshot looks a snapshot up (in every region when region is all).
func bkSnapshot(c context.Context, client *cloud.Client, region, id string) (cloud.Snapshot, error) {
	if !strings.HasPrefix(id, "s-") {
		return cloud.Snapshot{}, fmt.Errorf("%q is not a snapshot id (s-…)", id)
	}
	ss, err := client.Snapshots(c, region, cloud.SnapshotFilter{IDs: []string{id}})
	if err != nil {
		return cloud.Snapshot{}, err
	}
	if len(ss) == 0 {
		return cloud.Snapshot{}, fmt.Errorf("snapshot %s: not found in %s", id, region)
	}
	return ss[0], nil
}

// bkPollSnapshot follows the snapshot a step created (Result.IDs[0]) until
// it is accomplished: "45%" meanwhile.
func bkPollSnapshot(region string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(c context.Context, client *cloud.Client, res cloud.Result) (bool, string, error) {
		if len(res.IDs) == 0 {
			return false, "", fmt.Errorf("the API returned no snapshot id")
		}
		s, err := bkSnapshot(c, client, region, res.IDs[0])
		if err != nil {
			return false, "", err
		}
		switch s.Status {
		case cloud.SnapshotAccomplished:
			return true, s.ID + " accomplished 100%", nil
		case cloud.SnapshotFailed:
			return false, "", fmt.Errorf("snapshot %s failed", s.ID)
		}
		return false, fmt.Sprintf("%s %d%%", s.ID, s.Progress), nil
	}
}

// bkPollDisk follows a disk (id, or the first id a step created) until it
// is in want.
func bkPollDisk(region, id string, want cloud.DiskState) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(c context.Context, client *cloud.Client, res cloud.Result) (bool, string, error) {
		diskID := id
		if diskID == "" && len(res.IDs) > 0 {
			diskID = res.IDs[0]
		}
		d, err := bkDisk(c, client, region, diskID)
		if err != nil {
			return false, "", err
		}
		return d.Status == want, d.ID + " " + string(d.Status), nil
	}
}

// newSnapshot is N / :snapshot [NAME]: a manual snapshot of the scoped
// disk, at once with the defaults when the name is inline; otherwise a
// form asks for the disk (pre-filled from the scope), name, description,
// retention and instant access.
func newSnapshot(l *List[cloud.Snapshot], ctx Context, args []string) tea.Cmd {
	scope := l.scope
	prepare := snapshotPrepare(ctx, scope, args)
	if len(args) > 0 && strings.HasPrefix(scope, "d-") {
		return bkPrepared(ctx, "snapshot "+scope, prepare)
	}
	diskField := form.Field{Key: "disk", Label: "Disk", Kind: form.Picker, Value: scope, Placeholder: "d-…",
		Help: "the disk to snapshot: type to find it by name or id", Validate: bkIDPrefix("a disk", "d-")}
	client, region := ctx.Client, ctx.Region
	filter := cloud.DiskFilter{}
	if strings.HasPrefix(scope, "i-") { // a choice among the instance's disks
		diskField.Value, diskField.Help, filter.InstanceID = "", "a disk of "+scope, scope
	}
	// In a view of every region, every region's disks: the snapshot is
	// taken in its disk's region.
	fill := pickFill("disk", func(c context.Context) ([]pickOption, error) {
		return diskPicks(c, client, region, filter, nil)
	})
	fields := snapshotFields(diskField, args)
	return openBackupForm(l, ctx, "New snapshot", fields, prepare, fill)
}

// snapshotPrepare checks a snapshot's inputs against its disk (the scope's,
// or the form's) and builds the confirmation: N in the snapshots view and
// :snapshot in the disks view share it.
func snapshotPrepare(ctx Context, scope string, args []string) backupPrepare {
	return func(c context.Context, v map[string]string) (tea.Msg, error) {
		diskID := bkValue(v, "disk", scope)
		name := bkValue(v, "name", strings.Join(args, " "))
		retention, err := bkRetention(bkValue(v, "retention", ""))
		if err != nil {
			return nil, err
		}
		opt := cloud.SnapshotOptions{
			Name: name, Description: bkValue(v, "description", ""), RetentionDays: retention,
			InstantAccess: bkValue(v, "instant", "no") == "yes",
		}
		if err := cloud.ValidateSnapshotName(opt.Name); err != nil {
			return nil, err
		}
		d, err := bkDisk(c, ctx.Client, ctx.Region, diskID)
		if err != nil {
			return nil, err
		}
		if opt.InstantAccess && d.Category != "cloud_essd" {
			return nil, fmt.Errorf("instant access is for ESSD disks; %s is %s", d.ID, d.Category)
		}
		plan, err := ctx.Client.PlanCreateSnapshotWith(d.RegionID, d.ID, opt)
		if err != nil {
			return nil, err
		}
		return bkConfirm(ctx, snapshotFlow(d, opt, plan)), nil
	}
}

// snapshotFields are the new-snapshot form's fields after the disk.
func snapshotFields(diskField form.Field, args []string) []form.Field {
	return []form.Field{
		diskField,
		{Key: "name", Label: "Name", Kind: form.Text, Value: strings.Join(args, " "), Optional: true,
			Help: "2-128, starts with a letter, not auto… or http(s)://", Validate: bkValidSnapshotName},
		{Key: "description", Label: "Description", Kind: form.Text, Optional: true, Validate: cloud.ValidateDescription},
		{Key: "retention", Label: "Retention", Kind: form.Text, Suggestion: "forever",
			Help: "days, 1-65536, or forever (kept until deleted)", Validate: bkValidRetention},
		{Key: "instant", Label: "Instant access", Kind: form.Choice, Options: []string{"no", "yes"},
			Descriptions: []string{"", "ESSD disks only: usable at once"}},
	}
}

// snapshotFlow is the confirmation and tracked operation of a snapshot.
func snapshotFlow(d cloud.Disk, opt cloud.SnapshotOptions, plan *cloud.Plan) Flow {
	name := opt.Name
	if name == "" {
		name = "(none: the API names it)"
	}
	ia := "no"
	if opt.InstantAccess {
		ia = "yes"
	}
	return Flow{
		Action: "snapshot " + d.ID,
		Title:  "Take a snapshot of " + d.ID + "?",
		Lines: []string{
			"Disk:           " + diskLine(d),
			"Name:           " + name,
			"Description:    " + orDash(opt.Description),
			"Retention:      " + retention(opt.RetentionDays),
			"Instant access: " + ia,
			"Progress shows in the activity list and the snapshots view until accomplished.",
		},
		Steps:  []Step{{Label: "snapshot " + d.ID, Plan: plan, Poll: bkPollSnapshot(d.RegionID)}},
		Reload: []string{"snapshots", "disks"},
	}
}

// newSnapshotGroup is M / :snapshot-group [NAME]: one crash-consistent
// snapshot of every disk of the scoped instance (inline), or of the
// instance / disks the form asks for.
func newSnapshotGroup(l *List[cloud.Snapshot], ctx Context, args []string) tea.Cmd {
	scope := l.scope
	inst, disks := "", ""
	switch {
	case strings.HasPrefix(scope, "i-"):
		inst = scope
	case strings.HasPrefix(scope, "d-"):
		disks = scope
	}
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		instance := bkValue(v, "instance", inst)
		ids := bkSplit(bkValue(v, "disks", disks))
		name := bkValue(v, "name", strings.Join(args, " "))
		var members []cloud.Disk
		switch {
		case len(ids) > 0:
			ds, err := ctx.Client.Disks(c, ctx.Region, cloud.DiskFilter{DiskIDs: ids})
			if err != nil {
				return nil, err
			}
			members = ds
		case instance != "":
			ds, err := ctx.Client.Disks(c, ctx.Region, cloud.DiskFilter{InstanceID: instance})
			if err != nil {
				return nil, err
			}
			members = ds
		default:
			return nil, fmt.Errorf("a snapshot group needs an instance or disks")
		}
		if len(members) == 0 {
			return nil, fmt.Errorf("no disk found for %s", strings.Join(append([]string{instance}, ids...), " "))
		}
		region := members[0].RegionID
		plan, err := ctx.Client.PlanCreateSnapshotGroup(region, instance, ids, name)
		if err != nil {
			return nil, err
		}
		lines := []string{"One crash-consistent snapshot, at the same instant, of:"}
		for _, d := range members {
			lines = append(lines, "  "+diskLine(d))
		}
		lines = append(lines, "Name: "+orDash(name))
		what := instance
		if what == "" {
			what = typedWord(ids, "disks")
		}
		return bkConfirm(ctx, Flow{
			Action: "snapshot group of " + what,
			Title:  "Take a consistent snapshot group of " + what + "?",
			Lines:  lines,
			Steps:  []Step{{Label: "snapshot group " + what, Plan: plan, Poll: bkPollSnapshotGroup(region)}},
			Reload: []string{"snapshots"},
		}), nil
	}
	if len(args) > 0 && inst != "" {
		return bkPrepared(ctx, "snapshot group of "+inst, prepare)
	}
	fields := []form.Field{
		{Key: "instance", Label: "Instance", Kind: form.Picker, Value: inst, Optional: true, Placeholder: "i-…",
			Help: "all its disks, when no disk is given", Validate: bkIDPrefix("an instance", "i-")},
		{Key: "disks", Label: "Disks", Kind: form.Picker, Multi: true, Value: disks, Optional: true, Placeholder: "d-…, d-…",
			Help: "1-16 ESSD disks of one zone: type to find one, enter adds it", Validate: bkIDPrefix("a disk", "d-")},
		{Key: "name", Label: "Name", Kind: form.Text, Value: strings.Join(args, " "), Optional: true,
			Validate: cloud.ValidateSnapshotGroupName},
	}
	client, region := ctx.Client, ctx.Region
	// In a view of every region, every region's: the group is taken in
	// its disks' region.
	fill := bothFills(
		pickFill("instance", func(c context.Context) ([]pickOption, error) { return instancePicks(c, client, region, nil) }),
		pickFill("disks", func(c context.Context) ([]pickOption, error) {
			return diskPicks(c, client, region, cloud.DiskFilter{}, func(d cloud.Disk) bool { return d.Category == "cloud_essd" })
		}))
	return openBackupForm(l, ctx, "New snapshot consistency group", fields, prepare, fill)
}

// bkPollSnapshotGroup follows a group (Result.IDs[0]) until accomplished;
// the final text lists its member snapshots.
func bkPollSnapshotGroup(region string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(c context.Context, client *cloud.Client, res cloud.Result) (bool, string, error) {
		if len(res.IDs) == 0 {
			return false, "", fmt.Errorf("the API returned no group id")
		}
		groups, err := client.SnapshotGroups(c, region)
		if err != nil {
			return false, "", err
		}
		i := slices.IndexFunc(groups, func(g cloud.SnapshotGroup) bool { return g.ID == res.IDs[0] })
		if i < 0 {
			return false, "", fmt.Errorf("snapshot group %s: not found", res.IDs[0])
		}
		g := groups[i]
		switch g.Status {
		case cloud.SnapshotAccomplished:
			return true, g.ID + " accomplished: " + strings.Join(g.SnapshotIDs, ", "), nil
		case cloud.SnapshotFailed:
			return false, "", fmt.Errorf("snapshot group %s failed", g.ID)
		}
		return false, fmt.Sprintf("%s %d%%", g.ID, g.Progress), nil
	}
}

// diskFromSnapshot is K / :new-disk [SIZE]: a pay-as-you-go disk made from
// the selected snapshot, in the source disk's zone and category unless the
// form says otherwise, optionally attached to an instance (one tracked
// operation: create, wait, attach, wait).
func diskFromSnapshot(l *List[cloud.Snapshot], ctx Context, args []string) tea.Cmd {
	snap, ok := l.Selected()
	if !ok {
		return reportErr("disk from snapshot", errBkNoSelection)
	}
	client := ctx.Client
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		s, err := bkSnapshot(c, client, snap.RegionID, snap.ID)
		if err != nil {
			return nil, err
		}
		var src cloud.Disk
		if s.DiskID != "" {
			if ds, err := client.Disks(c, s.RegionID, cloud.DiskFilter{DiskIDs: []string{s.DiskID}}); err == nil && len(ds) > 0 {
				src = ds[0]
			}
		}
		defSize := ""
		if len(args) > 0 {
			defSize = args[0]
		}
		size, err := bkAtoi("size", bkValue(v, "size", defSize), cloud.UnitGiB, 1, cloud.MaxDiskGiB, s.DiskSizeGiB)
		if err != nil {
			return nil, err
		}
		spec := cloud.NewDiskSpec{
			ZoneID: bkValue(v, "zone", src.ZoneID), Category: bkValue(v, "category", src.Category),
			SizeGiB: size, Name: bkValue(v, "name", ""), SnapshotID: s.ID,
		}
		if spec.Category == "cloud_essd" && src.Category == "cloud_essd" {
			spec.PerformanceLevel = src.PerformanceLevel
		}
		if spec.ZoneID == "" {
			return nil, fmt.Errorf("the source disk %s is gone, so its zone is unknown: press K and choose one", orDash(s.DiskID))
		}
		if spec.Category == "" {
			spec.Category = "cloud_essd"
		}
		if err := cloud.ValidateDiskFromSnapshot(spec, s); err != nil {
			return nil, err
		}
		plan, err := client.PlanCreateDisks(s.RegionID, spec)
		if err != nil {
			return nil, err
		}
		attach := bkValue(v, "attach", "")
		steps := []Step{{Label: "create disk from " + s.ID, Plan: plan, Poll: bkPollDisk(s.RegionID, "", cloud.DiskAvailable)}}
		lines := []string{
			"Snapshot:  " + s.ID + " " + orDash(s.Name) + " (" + gib(s.DiskSizeGiB) + " source disk)",
			"Size:      " + gib(max(spec.SizeGiB, s.DiskSizeGiB)),
			"Zone:      " + spec.ZoneID,
			"Category:  " + category(spec.Category, spec.PerformanceLevel),
			"Name:      " + orDash(spec.Name),
			"Billing:   pay-as-you-go",
		}
		if attach != "" {
			// The new disk's id is known only once it exists: the attach
			// step's plan is filled in when the create step has finished.
			attachPlan, err := client.PlanAttachDisk(s.RegionID, "<new disk>", attach, false)
			if err != nil {
				return nil, err
			}
			var newID string // set once the create step has finished
			create := steps[0].Poll
			steps[0].Poll = func(c context.Context, cl *cloud.Client, res cloud.Result) (bool, string, error) {
				done, text, err := create(c, cl, res)
				if done && err == nil && len(res.IDs) > 0 {
					real, perr := cl.PlanAttachDisk(s.RegionID, res.IDs[0], attach, false)
					if perr != nil {
						return false, "", perr
					}
					*attachPlan = *real
					newID = res.IDs[0]
				}
				return done, text, err
			}
			attached := func(c context.Context, cl *cloud.Client, res cloud.Result) (bool, string, error) {
				return bkPollDisk(s.RegionID, newID, cloud.DiskInUse)(c, cl, res)
			}
			steps = append(steps, Step{Label: "attach the new disk to " + attach, Plan: attachPlan, Poll: attached})
			lines = append(lines, "Attach to: "+attach+" (same zone; the guest sees a new device)")
		} else {
			lines = append(lines, "Attach to: - (left Available)")
		}
		return bkConfirm(ctx, Flow{
			Action: "disk from " + s.ID,
			Title:  "Create a disk from " + s.ID + "?",
			Lines:  lines,
			Steps:  steps,
			Reload: []string{"disks", "snapshots"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "disk from "+snap.ID, prepare)
	}
	cats := cloud.DiskCategories()
	fields := []form.Field{
		{Key: "size", Label: "Size (GiB)", Kind: form.Number, Suggestion: strconv.Itoa(snap.DiskSizeGiB),
			Help: fmt.Sprintf("at least the snapshot's %d GiB", snap.DiskSizeGiB)},
		{Key: "zone", Label: "Zone", Kind: form.Choice, Help: "the zone of the instance it will be attached to"},
		{Key: "category", Label: "Category", Kind: form.Choice, Options: cats, Value: "cloud_essd", Help: "the categories the region's zones create"},
		{Key: "name", Label: "Name", Kind: form.Text, Optional: true},
		{Key: "attach", Label: "Attach to", Kind: form.Picker, Optional: true, Placeholder: "i-…",
			Help: "an instance of the same zone; none leaves the disk Available", Validate: bkIDPrefix("an instance", "i-")},
	}
	region := snap.RegionID
	fill := func(c context.Context) (func(*form.Model), error) {
		zones, err := client.Zones(c, region)
		if err != nil {
			return nil, err
		}
		var src cloud.Disk
		if snap.DiskID != "" {
			if ds, err := client.Disks(c, region, cloud.DiskFilter{DiskIDs: []string{snap.DiskID}}); err == nil && len(ds) > 0 {
				src = ds[0]
			}
		}
		ids := make([]string, 0, len(zones))
		for _, z := range zones {
			ids = append(ids, z.ID)
		}
		if i := slices.Index(ids, src.ZoneID); i > 0 { // the source's zone first: the default
			ids[0], ids[i] = ids[i], ids[0]
		}
		// Only the categories the zones create (CreateDisk refuses others,
		// e.g. the basic "cloud" where a zone no longer makes it).
		offered := slices.DeleteFunc(slices.Clone(cats), func(c string) bool {
			return !slices.ContainsFunc(zones, func(z cloud.Zone) bool { return slices.Contains(z.DiskCategories, c) })
		})
		return func(m *form.Model) {
			m.SetOptions("zone", ids, nil)
			if slices.Contains(offered, src.Category) {
				rest := slices.DeleteFunc(slices.Clone(offered), func(c string) bool { return c == src.Category })
				offered = append([]string{src.Category}, rest...)
			}
			m.SetOptions("category", offered, nil)
		}, nil
	}
	attachTo := pickFill("attach", func(c context.Context) ([]pickOption, error) { return instancePicks(c, client, region, nil) })
	return openBackupForm(l, ctx, "New disk from "+snap.ID, fields, prepare, bothFills(fill, attachTo))
}

// copySnapshot is C / :copy [REGION [NAME]]: a copy of the selected
// snapshot in another region, with its own name and retention.
func copySnapshot(l *List[cloud.Snapshot], ctx Context, args []string) tea.Cmd {
	snap, ok := l.Selected()
	if !ok {
		return reportErr("copy snapshot", errBkNoSelection)
	}
	defName := snap.Name
	if cloud.ValidateSnapshotName(defName) != nil || defName == "" {
		defName = "copy-" + snap.ID
	}
	client := ctx.Client
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		dest, name := "", defName
		if len(args) > 0 {
			dest = args[0]
		}
		if len(args) > 1 {
			name = args[1]
		}
		dest, name = bkValue(v, "region", dest), bkValue(v, "name", name)
		ret, err := bkRetention(bkValue(v, "retention", ""))
		if err != nil {
			return nil, err
		}
		plan, err := client.PlanCopySnapshot(snap.RegionID, snap.ID, dest, name, ret)
		if err != nil {
			return nil, err
		}
		return bkConfirm(ctx, Flow{
			Action: "copy " + snap.ID + " to " + dest,
			Title:  "Copy " + snap.ID + " to " + dest + "?",
			Lines: []string{
				"Snapshot:  " + snap.ID + " " + orDash(snap.Name) + " (" + gib(snap.DiskSizeGiB) + ")",
				"To region: " + dest,
				"Name:      " + name,
				"Retention: " + retention(ret),
			},
			Steps:  []Step{{Label: "copy " + snap.ID + " to " + dest, Plan: plan, Poll: bkPollSnapshot(dest)}},
			Reload: []string{"snapshots"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "copy "+snap.ID, prepare)
	}
	fields := []form.Field{
		{Key: "region", Label: "To region", Kind: form.Choice, Help: "another region"},
		{Key: "name", Label: "Name", Kind: form.Text, Suggestion: defName, Validate: bkValidSnapshotName},
		{Key: "retention", Label: "Retention", Kind: form.Text, Suggestion: "forever",
			Help: "days, 1-65536, or forever", Validate: bkValidRetention},
	}
	return openBackupForm(l, ctx, "Copy "+snap.ID+" to another region", fields, prepare, bkRegionChoices(client, snap.RegionID))
}

// bkRegionChoices fills a "region" Choice with every region but own.
func bkRegionChoices(client *cloud.Client, own string) func(context.Context) (func(*form.Model), error) {
	return func(c context.Context) (func(*form.Model), error) {
		rs, err := client.Regions(c)
		if err != nil {
			return nil, err
		}
		var ids, descs []string
		for _, r := range rs {
			if r.ID != own {
				ids = append(ids, r.ID)
				descs = append(descs, r.Name)
			}
		}
		return func(m *form.Model) { m.SetOptions("region", ids, descs) }, nil
	}
}

// deleteSnapshots is X / :delete: the marked snapshots (or the selected
// one). CheckDeleteSnapshots first: one that backs a custom image is
// refused with the image named; one that disks were made from needs force,
// and the confirmation says so.
func deleteSnapshots(l *List[cloud.Snapshot], ctx Context, _ []string) tea.Cmd {
	snaps := l.MarkedItems()
	if len(snaps) == 0 {
		return reportErr("delete snapshots", errBkNoSelection)
	}
	ids := make([]string, len(snaps))
	for i, s := range snaps {
		ids[i] = s.ID
	}
	accept := l.uniqueNames(snaps, func(s cloud.Snapshot) string { return s.Name })
	region := snaps[0].RegionID
	client := ctx.Client
	action := "delete " + typedWord(ids, "snapshots")
	return bkPrepared(ctx, action, func(c context.Context, _ map[string]string) (tea.Msg, error) {
		if err := client.CheckDeleteSnapshots(c, region, ids, true); err != nil {
			return nil, err // it backs an image: refused, the image named
		}
		force := client.CheckDeleteSnapshots(c, region, ids, false) != nil
		lines := make([]string, 0, len(snaps)+2)
		for _, s := range snaps {
			line := fmt.Sprintf("%s %s %s %s", s.ID, orDash(s.Name), orDash(s.DiskID), s.Status)
			if force {
				if _, dks, err := client.SnapshotLinks(c, region, s.ID); err == nil && len(dks) > 0 {
					line += "  — disks made from it: " + strings.Join(dks, ", ")
				}
			}
			lines = append(lines, line)
		}
		if force {
			lines = append(lines, "Disks were created from these snapshots: the deletion needs force (Force=true); the disks stay.")
		}
		plan, err := client.PlanDeleteSnapshots(region, ids, force)
		if err != nil {
			return nil, err
		}
		return bkConfirm(ctx, Flow{
			Action:   action,
			Title:    fmt.Sprintf("Delete %s?", typedWord(ids, "snapshots")),
			Lines:    lines,
			Steps:    []Step{{Label: action, Plan: plan}},
			Typed:    typedWord(ids, "snapshots"),
			Accept:   accept,
			Undoable: "the snapshots are gone: nothing can be rolled back or restored from them",
			Reload:   []string{"snapshots", "disks"},
		}), nil
	})
}
