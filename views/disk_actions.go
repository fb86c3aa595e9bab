package views

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// diskActions are what the disks view does to the selected disk: resize
// (and grow the guest's filesystem), create, attach, detach, change the
// category, re-initialise, replace the system disk.
func diskActions() []Action[cloud.Disk] {
	return []Action[cloud.Disk]{
		{Name: "resize", Args: "[SIZE] [offline]", Help: "resize disk (online by default)", Keys: []string{"Z"}, Run: resizeDisk},
		{Name: "newdisk", Help: "create data disk(s)", Keys: []string{"N"}, Run: newDisk},
		{Name: "attach", Args: "[i-…]", Help: "attach disk to an instance", Keys: []string{"A"}, Run: attachDisk},
		{Name: "detach", Help: "detach disk", Keys: []string{"D"}, Run: detachDisk},
		{Name: "diskspec", Args: "[CATEGORY] [PL]", Help: "change category / performance level", Keys: []string{"C"}, Run: changeDiskSpec},
		{Name: "reinit", Help: "re-initialise disk (data lost)", Keys: []string{"I"}, Run: reinitDisk},
		{Name: "replace-os", Args: "[IMAGE] [SIZE]", Help: "replace the system disk", Keys: []string{"O"}, Run: replaceOSFromDisks},
	}
}

// sizeArg reads a new size in GiB: "200", "200G", "200GiB" (diskSize).
func sizeArg(s string) (int, error) { return diskSize("new size", s) }

// resizeDisk: `:resize SIZE [offline]` goes to the confirmation (online
// by default); otherwise a form asks. ValidateResize refuses a size not
// larger than the current or outside the category's range, before any
// call.
func resizeDisk(l *List[cloud.Disk], ctx Context, args []string) tea.Cmd {
	d, ok := l.Selected()
	if !ok {
		return nil
	}
	action := "resize " + d.ID
	online := !hasWord(args, "offline")
	size := ""
	for _, a := range args {
		if !hasWord([]string{a}, "offline", "online") {
			size = a
		}
	}
	if size != "" {
		n, err := sizeArg(size)
		if err == nil {
			err = cloud.ValidateResize(d, n)
		}
		if err != nil {
			return refuse(action, err)
		}
		return resizeCmd(ctx, d, n, online)
	}
	mode := "online"
	if !online {
		mode = "offline"
	}
	modes := []string{"online", "offline"}
	modeDescs := []string{"the instance Running: the guest sees the new size at once", "the guest sees it after a restart through the API"}
	modeHelp := ""
	if d.InstanceID == "" { // ResizeDisk refuses online for a disk no instance runs
		modes, modeDescs, mode, modeHelp = modes[1:], modeDescs[1:], "offline", "no online resize: the disk is not attached"
	}
	help := fmt.Sprintf("now %d GiB; larger, within the category's range", d.SizeGiB)
	f := newOpForm(ctx, fmt.Sprintf("Resize %s (%s, %s)", d.ID, category(d.Category, d.PerformanceLevel), gib(d.SizeGiB)), []form.Field{
		{Key: "size", Label: "New size GiB", Kind: form.Number, Help: help, Validate: func(v string) error { _, err := sizeArg(v); return err }},
		{Key: "mode", Label: "Resize", Kind: form.Choice, Value: mode, Options: modes, Descriptions: modeDescs, Help: modeHelp},
	}, func(v map[string]string) (tea.Cmd, error) {
		n, err := sizeArg(strings.TrimSpace(v["size"]))
		if err == nil {
			err = cloud.ValidateResize(d, n)
		}
		if err != nil {
			return nil, err
		}
		return resizeCmd(ctx, d, n, v["mode"] == "online"), nil
	})
	f.fields = map[string]string{"new size": "size", "disk category": "size"}
	l.OpenModal(f)
	return nil
}

// resizeCmd reads the disk's instance (to know whether its filesystem can
// be grown after) and asks to confirm the resize.
func resizeCmd(ctx Context, d cloud.Disk, size int, online bool) tea.Cmd {
	client, region := ctx.Client, regionOf(ctx, d.RegionID)
	return async(ctx, func(c context.Context) tea.Msg {
		var in *cloud.Instance
		if d.InstanceID != "" {
			got, err := fetchInstance(c, client, region, d.InstanceID)
			if err != nil {
				return Report{Action: "resize " + d.ID, Err: err}
			}
			in = &got
		}
		f, err := resizeFlow(ctx, d, size, online, in)
		if err != nil {
			return Report{Action: "resize " + d.ID, Err: err}
		}
		return confirmMsg(ctx, f)
	})
}

func resizeFlow(ctx Context, d cloud.Disk, size int, online bool, in *cloud.Instance) (Flow, error) {
	region := regionOf(ctx, d.RegionID)
	action := fmt.Sprintf("resize %s to %d GiB", d.ID, size)
	p, err := ctx.Client.PlanResizeDisk(region, d.ID, size, online)
	if err != nil {
		return Flow{}, err
	}
	mode := "online resize (default): the guest sees the new size at once"
	if !online {
		mode = "offline resize: the guest sees the new size after a restart through the API (reboot)"
	}
	growable := online && in != nil && in.Status == cloud.StateRunning && !strings.EqualFold(in.OSType, "windows") && cloud.GuestDevice(d) != ""
	lines := []string{
		fmt.Sprintf("now:  %s %s", gib(d.SizeGiB), category(d.Category, d.PerformanceLevel)),
		fmt.Sprintf("then: %s", gib(size)),
		mode,
		"the partition and filesystem do not grow by themselves",
	}
	if growable {
		lines = append(lines, "after it: an offer to grow them on "+in.ID+" with Cloud Assistant")
	}
	grown := d
	grown.SizeGiB = size
	f := Flow{
		Action: action,
		Title:  fmt.Sprintf("Resize %s from %d to %d GiB?", d.ID, d.SizeGiB, size),
		Lines:  lines,
		Steps: []Step{{Label: action, Plan: p, Poll: pollDisk(region, d.ID, func(x cloud.Disk) bool {
			return x.SizeGiB >= size && x.Status != "Resizing"
		})}},
		Reload: []string{"disks"},
	}
	if growable {
		inst := *in
		f.Done = func([]cloud.Result) tea.Msg {
			g, err := growFlow(ctx, grown, inst)
			if err != nil {
				return Report{Action: "grow the filesystem of " + d.ID, Err: err}
			}
			return confirmMsg(ctx, g)
		}
	}
	return f, nil
}

// growFlow grows the guest's partition and filesystem of a disk after an
// online resize: it reads the filesystem's type (df -T), then runs
// GrowFilesystemScript with Cloud Assistant and shows its output.
func growFlow(ctx Context, d cloud.Disk, in cloud.Instance) (Flow, error) {
	region := regionOf(ctx, d.RegionID)
	dev := cloud.GuestDevice(d)
	part := dev + "1"
	detect := &invocationOutput{}
	p, err := ctx.Client.PlanRunCommand(region, []string{in.ID}, cloud.CommandShell, "df -T "+part, 0)
	if err != nil {
		return Flow{}, err
	}
	action := fmt.Sprintf("read the filesystem of %s on %s", part, in.ID)
	return Flow{
		Action: action,
		Title:  fmt.Sprintf("Grow the partition and filesystem of %s (%s) on %s to %d GiB?", d.ID, part, in.ID, d.SizeGiB),
		Lines: []string{
			"with Cloud Assistant, as root:",
			"  1. df -T " + part + "  (reads the filesystem type)",
			"  2. growpart " + dev + " 1, then resize2fs " + part + " (ext4) or xfs_growfs (xfs)",
			"  3. df -h " + part + "  (shows the new size)",
			"the output opens when it finishes",
		},
		Steps: []Step{{Label: "df -T " + part, Plan: p, Poll: detect.poll(region)}},
		Then: func([]cloud.Result) (Flow, tea.Msg) {
			fs := ""
			for _, r := range detect.results() {
				fs = dfType(r.Output, part)
			}
			script := cloud.GrowFilesystemScript(d, fs)
			grow := "grow " + part + " on " + in.ID
			if script == "" {
				return Flow{}, Report{Action: grow, Err: fmt.Errorf("filesystem %q on %s: only ext2/3/4 and xfs are grown here; grow it in the guest", fs, part)}
			}
			script += "df -h " + part + "\n"
			run, err := ctx.Client.PlanRunCommand(region, []string{in.ID}, cloud.CommandShell, script, 0)
			if err != nil {
				return Flow{}, Report{Action: grow, Err: err}
			}
			out := &invocationOutput{}
			g := Flow{
				Action: grow + " (" + fs + ")",
				Steps:  []Step{{Label: "growpart + " + map[bool]string{true: "xfs_growfs", false: "resize2fs"}[fs == "xfs"], Plan: run, Poll: out.poll(region)}},
				Reload: []string{"disks"},
				Done: func([]cloud.Result) tea.Msg {
					lines := []string{"script:"}
					for _, s := range strings.Split(strings.TrimRight(script, "\n"), "\n") {
						lines = append(lines, "  "+s)
					}
					lines = append(lines, "")
					lines = append(lines, invocationLines(out.results())...)
					return ShowModal{View: "disks", Modal: newTextPane(fmt.Sprintf("Grow %s (%s) on %s", part, fs, in.ID), lines)}
				},
			}
			return g, nil
		},
	}, nil
}

// dfType is the Type column of df -T's line for the partition ("" when
// absent).
func dfType(out, part string) string {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && f[0] == part {
			return f[1]
		}
	}
	return ""
}

// attachDisk attaches the selected Available disk: `:attach i-…` goes to
// the confirmation, otherwise a picker lists the instances of its zone.
func attachDisk(l *List[cloud.Disk], ctx Context, args []string) tea.Cmd {
	d, ok := l.Selected()
	if !ok {
		return nil
	}
	action := "attach " + d.ID
	if d.Status != cloud.DiskAvailable {
		return refuse(action, &cloud.ValidationError{Field: "disk", Rule: fmt.Sprintf("%s is %s: only an Available disk can be attached", d.ID, d.Status)})
	}
	region := regionOf(ctx, d.RegionID)
	if len(args) > 0 {
		if !strings.HasPrefix(args[0], "i-") {
			return refuse(action, &cloud.ValidationError{Field: "instance", Rule: fmt.Sprintf("%q is not an instance id (i-…)", args[0])})
		}
		return attachFlow(ctx, d, args[0], false)
	}
	client := ctx.Client
	f := newOpForm(ctx, fmt.Sprintf("Attach %s (%s, %s)", d.ID, gib(d.SizeGiB), d.ZoneID), []form.Field{
		{Key: "instance", Label: "Instance", Kind: form.Picker, Help: "type to find one by name or id: Running or Stopped instances in " + d.ZoneID},
		{Key: "delete", Label: "Release with it", Kind: form.Choice, Options: []string{"no", "yes"},
			Descriptions: []string{"the disk stays when the instance is released", "the disk is released with the instance"}},
	}, func(v map[string]string) (tea.Cmd, error) {
		if v["instance"] == "" {
			return nil, &cloud.ValidationError{Field: "instance", Rule: "none in " + d.ZoneID}
		}
		return attachFlow(ctx, d, v["instance"], v["delete"] == "yes"), nil
	})
	f.fields = map[string]string{"instance": "instance"}
	l.OpenModal(f)
	return loadOptions(ctx, "disks", f.id, "instance", func(c context.Context) ([]string, []string, func(), error) {
		list, err := client.Instances(c, region)
		if err != nil {
			return nil, nil, nil, err
		}
		var opts, descs []string
		for _, in := range list {
			if in.ZoneID == d.ZoneID && (in.Status == cloud.StateRunning || in.Status == cloud.StateStopped) {
				opts = append(opts, in.ID)
				descs = append(descs, fmt.Sprintf("%s · %s · %s", orDash(in.Name), in.Status, in.Type))
			}
		}
		return opts, descs, nil, nil
	})
}

func attachFlow(ctx Context, d cloud.Disk, instanceID string, deleteWith bool) tea.Cmd {
	region := regionOf(ctx, d.RegionID)
	action := fmt.Sprintf("attach %s to %s", d.ID, instanceID)
	p, err := ctx.Client.PlanAttachDisk(region, d.ID, instanceID, deleteWith)
	if err != nil {
		return refuse(action, err)
	}
	release := "kept when the instance is released"
	if deleteWith {
		release = "released with the instance"
	}
	f := Flow{
		Action: action,
		Title:  fmt.Sprintf("Attach %s to %s?", d.ID, instanceID),
		Lines:  []string{diskLine(d), "the disk will be " + release, "the guest still has to mount it"},
		Steps:  []Step{{Label: action, Plan: p, Poll: pollDisk(region, d.ID, diskStatus(cloud.DiskInUse))}},
		Reload: []string{"disks", "instances"},
	}
	return f.Cmd(ctx)
}

// detachDisk detaches the selected disk from its instance; destructive:
// the disk's id is typed.
func detachDisk(l *List[cloud.Disk], ctx Context, _ []string) tea.Cmd {
	d, ok := l.Selected()
	if !ok {
		return nil
	}
	action := "detach " + d.ID
	if d.Status != cloud.DiskInUse || d.InstanceID == "" {
		return refuse(action, &cloud.ValidationError{Field: "disk", Rule: fmt.Sprintf("%s is %s: only an attached (In_use) disk can be detached", d.ID, d.Status)})
	}
	region := regionOf(ctx, d.RegionID)
	p, err := ctx.Client.PlanDetachDisk(region, d.ID, d.InstanceID)
	if err != nil {
		return refuse(action, err)
	}
	f := Flow{
		Action:   action + " from " + d.InstanceID,
		Title:    fmt.Sprintf("Detach %s from %s?", d.ID, d.InstanceID),
		Lines:    []string{diskLine(d), "device " + orDash(d.Device) + ": unmount it in the guest first"},
		Typed:    d.ID,
		Accept:   l.uniqueNames([]cloud.Disk{d}, diskName),
		Undoable: "the guest loses the device at once; writes not flushed are lost",
		Steps:    []Step{{Label: action, Plan: p, Poll: pollDisk(region, d.ID, diskStatus(cloud.DiskAvailable))}},
		Reload:   []string{"disks", "instances"},
	}
	return f.Cmd(ctx)
}

// reinitDisk re-initialises the selected disk; its instance must be
// stopped: a running one is stopped first, as a step of the same flow.
func reinitDisk(l *List[cloud.Disk], ctx Context, _ []string) tea.Cmd {
	d, ok := l.Selected()
	if !ok {
		return nil
	}
	action := "re-initialise " + d.ID
	if d.Status != cloud.DiskInUse || d.InstanceID == "" {
		return refuse(action, cloud.ValidateReInitDisk(d, cloud.Instance{}))
	}
	region := regionOf(ctx, d.RegionID)
	client := ctx.Client
	accept := l.uniqueNames([]cloud.Disk{d}, diskName) // on the UI goroutine: it reads the list
	return async(ctx, func(c context.Context) tea.Msg {
		in, err := fetchInstance(c, client, region, d.InstanceID)
		if err != nil {
			return Report{Action: action, Err: err}
		}
		stopFirst := in.Status == cloud.StateRunning
		as := in
		if stopFirst {
			as.Status = cloud.StateStopped
		}
		if err := cloud.ValidateReInitDisk(d, as); err != nil {
			return Report{Action: action, Err: err}
		}
		p, err := client.PlanReInitDisk(region, d.ID)
		if err != nil {
			return Report{Action: action, Err: err}
		}
		what := "a data disk returns to empty"
		if d.SourceSnapshotID != "" {
			what = "a data disk returns to its source snapshot " + d.SourceSnapshotID
		}
		if d.Type == cloud.DiskSystem {
			what = "the system disk returns to its image " + orDash(d.ImageID)
		}
		f := Flow{
			Action:   action,
			Title:    fmt.Sprintf("Re-initialise %s? Every change on it is lost.", d.ID),
			Lines:    []string{diskLine(d), what, fmt.Sprintf("instance %s is %s", in.ID, in.Status)},
			Typed:    d.ID,
			Accept:   accept,
			Undoable: "ALL data written to " + d.ID + " since it was created is lost",
			Reload:   []string{"disks", "instances"},
		}
		if stopFirst {
			stop, err := client.PlanStopInstances(region, []string{in.ID}, false, stopModeFor(in))
			if err != nil {
				return Report{Action: action, Err: err}
			}
			f.Lines = append(f.Lines, "it is Running: 1. stop it (normal), 2. re-initialise the disk; it stays Stopped")
			f.Steps = append(f.Steps, Step{Label: "stop " + in.ID, Plan: stop, Poll: pollInstances(region, cloud.StateStopped)})
		}
		f.Steps = append(f.Steps, Step{Label: action, Plan: p, Poll: pollDisk(region, d.ID, diskStatus(cloud.DiskInUse))})
		return confirmMsg(ctx, f)
	})
}

// replaceOSFromDisks replaces the system disk the selected row is.
func replaceOSFromDisks(l *List[cloud.Disk], ctx Context, args []string) tea.Cmd {
	d, ok := l.Selected()
	if !ok {
		return nil
	}
	if d.Type != cloud.DiskSystem || d.InstanceID == "" {
		return refuse("replace the system disk", &cloud.ValidationError{Field: "disk", Rule: fmt.Sprintf("%s is not an attached system disk: select one (or use O in the instances view)", d.ID)})
	}
	return replaceOS(ctx, func(m Modal) { l.OpenModal(m) }, "disks", regionOf(ctx, d.RegionID), d.InstanceID, &d, args)
}

// replaceOSFromInstances replaces the selected instance's system disk.
func replaceOSFromInstances(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	in, ok := l.Selected()
	if !ok {
		return nil
	}
	return replaceOS(ctx, func(m Modal) { l.OpenModal(m) }, "instances", regionOf(ctx, in.RegionID), in.ID, nil, args)
}

// osTarget is what a system disk replacement needs read first.
type osTarget struct {
	in     cloud.Instance
	sys    cloud.Disk
	images map[string]cloud.Image
	order  []cloud.Image
}

func loadOSTarget(c context.Context, client *cloud.Client, region, instanceID string, sys *cloud.Disk) (osTarget, error) {
	var t osTarget
	var err error
	if t.in, err = fetchInstance(c, client, region, instanceID); err != nil {
		return t, err
	}
	if sys != nil {
		t.sys = *sys
	} else {
		disks, err := client.Disks(c, region, cloud.DiskFilter{InstanceID: instanceID})
		if err != nil {
			return t, err
		}
		for _, d := range disks {
			if d.Type == cloud.DiskSystem {
				t.sys = d
			}
		}
		if t.sys.ID == "" {
			return t, fmt.Errorf("%s has no system disk", instanceID)
		}
	}
	t.images = map[string]cloud.Image{}
	for _, owner := range []cloud.ImageOwner{cloud.OwnerSelf, cloud.OwnerSystem} {
		list, err := client.Images(c, region, owner)
		if err != nil {
			return t, err
		}
		for _, img := range list {
			if _, dup := t.images[img.ID]; !dup && img.Status == "Available" {
				t.images[img.ID] = img
				t.order = append(t.order, img)
			}
		}
	}
	return t, nil
}

// replaceOS: `:replace-os IMAGE [SIZE]` goes to the confirmation once the
// image is found; otherwise a form picks the image and the size.
func replaceOS(ctx Context, open func(Modal), view, region, instanceID string, sys *cloud.Disk, args []string) tea.Cmd {
	action := "replace the system disk of " + instanceID
	client := ctx.Client
	if len(args) > 0 {
		imageID, size := args[0], 0
		if len(args) > 1 {
			n, err := sizeArg(args[1])
			if err != nil {
				return refuse(action, &cloud.ValidationError{Field: "system disk size", Rule: fmt.Sprintf("%q is not a size in GiB", args[1])})
			}
			size = n
		}
		return async(ctx, func(c context.Context) tea.Msg {
			t, err := loadOSTarget(c, client, region, instanceID, sys)
			if err != nil {
				return Report{Action: action, Err: err}
			}
			img, ok := t.images[imageID]
			if !ok {
				return Report{Action: action, Err: &cloud.ValidationError{Field: "image", Rule: fmt.Sprintf("%s is not an Available image of yours or the system's in %s", imageID, region)}}
			}
			f, err := replaceOSFlow(ctx, t, img, size)
			if err != nil {
				return Report{Action: action, Err: err}
			}
			return confirmMsg(ctx, f)
		})
	}
	var t osTarget
	f := newOpForm(ctx, "Replace the system disk of "+instanceID, []form.Field{
		{Key: "image", Label: "Image", Kind: form.Picker, Help: "type to find one by name or id: your Available images and the system's"},
		{Key: "size", Label: "Size GiB", Kind: form.Number, Optional: true,
			Help: "empty: the larger of the image's size and the current disk's", Validate: func(v string) error { _, err := diskSize("size", v); return err }},
	}, func(v map[string]string) (tea.Cmd, error) {
		img, ok := t.images[v["image"]]
		if !ok {
			return nil, &cloud.ValidationError{Field: "image", Rule: "none chosen"}
		}
		size, _ := diskSize("size", v["size"]) // validated; empty is 0: the default
		flow, err := replaceOSFlow(ctx, t, img, size)
		if err != nil {
			return nil, err
		}
		return flow.Cmd(ctx), nil
	})
	f.fields = map[string]string{"image": "image", "system disk size": "size"}
	open(f)
	return loadOptions(ctx, view, f.id, "image", func(c context.Context) ([]string, []string, func(), error) {
		got, err := loadOSTarget(c, client, region, instanceID, sys)
		if err != nil {
			return nil, nil, nil, err
		}
		var opts, descs []string
		for _, img := range got.order {
			opts = append(opts, img.ID)
			descs = append(descs, fmt.Sprintf("%s · %d GiB · %s", strings.Join(strings.Fields(orDash(img.OSName)), " "), img.SizeGiB, img.Owner))
		}
		return opts, descs, func() { t = got }, nil
	})
}

func replaceOSFlow(ctx Context, t osTarget, img cloud.Image, size int) (Flow, error) {
	region := regionOf(ctx, t.in.RegionID)
	in := t.in
	stopFirst := in.Status == cloud.StateRunning
	as := in
	if stopFirst {
		as.Status = cloud.StateStopped
	}
	if err := cloud.ValidateReplaceSystemDisk(as, t.sys, img, size); err != nil {
		return Flow{}, err
	}
	p, err := ctx.Client.PlanReplaceSystemDisk(region, in.ID, img.ID, size)
	if err != nil {
		return Flow{}, err
	}
	shown := "default: " + gib(max(img.SizeGiB, t.sys.SizeGiB))
	if size > 0 {
		shown = gib(size)
	}
	action := fmt.Sprintf("replace the system disk of %s with %s", in.ID, img.ID)
	f := Flow{
		Action: action,
		Title:  fmt.Sprintf("Replace the system disk of %s with %s?", instancesNoun([]cloud.Instance{in}), img.ID),
		Lines: []string{
			fmt.Sprintf("now:  %s, image %s (%s)", t.sys.ID, orDash(in.ImageID), orDash(in.OSName)),
			fmt.Sprintf("then: a new %s system disk, %s, from %s (%s)", category(t.sys.Category, t.sys.PerformanceLevel), shown, img.ID, orDash(img.OSName)),
			"the instance keeps its key pair; no password is set",
		},
		Typed:    in.ID,
		Undoable: "the old system disk " + t.sys.ID + " and ALL its data are released",
		Reload:   []string{"disks", "instances"},
	}
	if stopFirst {
		stop, err := ctx.Client.PlanStopInstances(region, []string{in.ID}, false, stopModeFor(in))
		if err != nil {
			return Flow{}, err
		}
		f.Lines = append(f.Lines, "it is Running: 1. stop it (normal), 2. replace the system disk; it stays Stopped")
		f.Steps = append(f.Steps, Step{Label: "stop " + in.ID, Plan: stop, Poll: pollInstances(region, cloud.StateStopped)})
	}
	f.Steps = append(f.Steps, Step{Label: "replace the system disk", Plan: p, Poll: pollDisk(region, "", diskStatus(cloud.DiskInUse))})
	return f, nil
}
