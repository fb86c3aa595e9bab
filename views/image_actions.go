package views

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// imageExtras is what the images view shows beside each image that
// DescribeImages does not say: who it is shared with and which instances
// run it. The loader fills it off the UI goroutine; Row reads it.
type imageExtras struct {
	mu       sync.Mutex
	shares   map[string][]string // image id -> account ids (own images)
	launched map[string][]string // image id -> instance ids
}

// load fetches the extras of images (shares only for own ones: one call
// per image, at most 4 at once) and keeps them.
func (x *imageExtras) load(ctx context.Context, c *cloud.Client, region string, images []cloud.Image) error {
	shares := map[string][]string{}
	launched := map[string][]string{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	g.Go(func() error {
		ins, err := c.Instances(gctx, region)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, in := range ins {
			if in.ImageID != "" {
				launched[in.ImageID] = append(launched[in.ImageID], in.ID)
			}
		}
		return nil
	})
	for _, im := range images {
		if im.Owner != cloud.OwnerSelf || im.RegionID == "" {
			continue
		}
		g.Go(func() error {
			s, err := c.ImageShares(gctx, im.RegionID, im.ID)
			if err != nil {
				return err
			}
			mu.Lock()
			shares[im.ID] = s
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	x.mu.Lock()
	x.shares, x.launched = shares, launched
	x.mu.Unlock()
	return nil
}

// of returns an image's shares (nil when unknown) and instances.
func (x *imageExtras) of(id string) (shares []string, known bool, launched []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.shares[id]
	return s, ok, x.launched[id]
}

// imageActions are the images view's actions beside the owner switch.
func imageActions() []Action[cloud.Image] {
	return []Action[cloud.Image]{
		{Name: "image", Args: "[NAME [i-…|s-…]]", Help: "new image from an instance or a system-disk snapshot", Keys: []string{"N"}, Run: newImage},
		{Name: "launch", Args: "[COUNT]", Help: "launch instances from the image", Keys: []string{"L"}, Run: launch},
		{Name: "copy", Args: "[REGION [NAME]]", Help: "copy the image to another region", Keys: []string{"C"}, Run: copyImage},
		{Name: "cancel-copy", Help: "cancel a copy in progress (in its region)", Keys: []string{"Z"}, Run: cancelCopyImage},
		{Name: "share", Args: "[ID… -ID…]", Help: "share with / unshare from accounts", Keys: []string{"H"}, Run: shareImage},
		{Name: "export", Args: "[BUCKET [FORMAT [PREFIX]]]", Help: "export the image to OSS", Keys: []string{"E"}, Run: exportImage},
		{Name: "deprecate", Help: "deprecate / restore (toggle)", Keys: []string{"V"}, Run: toggleDeprecated},
		{Name: "delete", Args: "[force]", Help: "delete the image", Keys: []string{"X"}, Run: deleteImage},
	}
}

// ownImage refuses what only an own image allows.
func ownImage(l *List[cloud.Image], action string) (cloud.Image, error) {
	im, ok := l.Selected()
	if !ok {
		return im, errBkNoSelection
	}
	if im.Owner != cloud.OwnerSelf {
		return im, fmt.Errorf("%s: %s is a %s image; only your own (self) images can be changed", action, im.ID, im.Owner)
	}
	return im, nil
}

// bkPollImage follows an image (id, or Result.IDs[0]) until Available.
func bkPollImage(region, id string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(c context.Context, client *cloud.Client, res cloud.Result) (bool, string, error) {
		imageID := id
		if imageID == "" && len(res.IDs) > 0 {
			imageID = res.IDs[0]
		}
		ims, err := client.Images(c, region, cloud.OwnerSelf)
		if err != nil {
			return false, "", err
		}
		i := slices.IndexFunc(ims, func(im cloud.Image) bool { return im.ID == imageID })
		if i < 0 {
			return false, "", fmt.Errorf("image %s: not found in %s", imageID, region)
		}
		im := ims[i]
		switch im.Status {
		case cloud.ImageAvailable, cloud.ImageDeprecated:
			return true, im.ID + " " + im.Status + " 100%", nil
		case cloud.ImageCreateFailed, cloud.ImageUnAvailable:
			return false, "", fmt.Errorf("image %s: %s", im.ID, im.Status)
		}
		return false, fmt.Sprintf("%s %s %d%%", im.ID, im.Status, im.Progress), nil
	}
}

// newImage is N / :image [NAME [SOURCE]]: a custom image from an instance
// (all its disks) or a system-disk snapshot; the name checked locally,
// unique in the region.
func newImage(l *List[cloud.Image], ctx Context, args []string) tea.Cmd {
	name, source := "", ""
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "i-") || strings.HasPrefix(a, "s-"):
			source = a
		case name == "":
			name = a
		}
	}
	prepare := imagePrepare(ctx, name, source)
	if name != "" && source != "" {
		return bkPrepared(ctx, "create image "+name, prepare)
	}
	return openBackupForm(l, ctx, "New custom image", imageFormFields(source, name), prepare, imageSourceFill(ctx, ctx.Region))
}

// imagePrepare checks a new image's name and source (an instance or a
// system-disk snapshot) and builds the confirmation: N in the images view
// and :image in the instances view share it.
func imagePrepare(ctx Context, name, source string) backupPrepare {
	client := ctx.Client
	return func(c context.Context, v map[string]string) (tea.Msg, error) {
		name, src := bkValue(v, "name", name), bkValue(v, "source", source)
		family, desc := bkValue(v, "family", ""), bkValue(v, "description", "")
		region, err := imageRegion(c, client, ctx.Region, src) // every region: the source's
		if err != nil {
			return nil, err
		}
		names, err := client.ImageNames(c, region)
		if err != nil {
			return nil, err
		}
		if err := cloud.ValidateImageName(name, names); err != nil {
			return nil, err
		}
		var plan *cloud.Plan
		lines := []string{}
		switch {
		case strings.HasPrefix(src, "i-"):
			st, err := client.InstanceStatuses(c, region, []string{src})
			if err != nil {
				return nil, err
			}
			s, ok := st[src]
			if !ok {
				return nil, fmt.Errorf("instance %s: not found in %s", src, region)
			}
			ds, err := client.Disks(c, region, cloud.DiskFilter{InstanceID: src})
			if err != nil {
				return nil, err
			}
			lines = append(lines, fmt.Sprintf("From:        instance %s (%s): a snapshot of each of its %d disk(s)", src, s, len(ds)))
			for _, d := range ds {
				lines = append(lines, "  "+diskLine(d))
			}
			plan, err = client.PlanCreateImageFromInstance(region, src, name, family, desc)
			if err != nil {
				return nil, err
			}
		case strings.HasPrefix(src, "s-"):
			s, err := bkSnapshot(c, client, region, src)
			if err != nil {
				return nil, err
			}
			if s.DiskType != "" && s.DiskType != cloud.DiskSystem {
				return nil, fmt.Errorf("snapshot %s is of a %s disk; an image is made from a system-disk snapshot", s.ID, s.DiskType)
			}
			if s.Status != cloud.SnapshotAccomplished {
				return nil, fmt.Errorf("snapshot %s is %s; an image needs an accomplished snapshot", s.ID, s.Status)
			}
			lines = append(lines, fmt.Sprintf("From:        system-disk snapshot %s %s (%s)", s.ID, orDash(s.Name), gib(s.DiskSizeGiB)))
			plan, err = client.PlanCreateImageFromSnapshot(region, src, name, family, desc)
			if err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("an image is made from an instance (i-…) or a system-disk snapshot (s-…), not %q", src)
		}
		lines = append(lines, "Name:        "+name, "Family:      "+orDash(family), "Description: "+orDash(desc),
			"Progress shows in the activity list and the images view until Available.")
		return bkConfirm(ctx, Flow{
			Action: "create image " + name,
			Title:  "Create image " + name + " from " + src + "?",
			Lines:  lines,
			Steps:  []Step{{Label: "image " + name, Plan: plan, Poll: bkPollImage(region, "")}},
			Reload: []string{"images", "snapshots"},
		}), nil
	}
}

// copyImage is C / :copy [REGION [NAME]]: a copy in another region,
// followed there until Available (Z in that region cancels it).
func copyImage(l *List[cloud.Image], ctx Context, args []string) tea.Cmd {
	im, err := ownImage(l, "copy image")
	if err != nil {
		return reportErr("copy image", err)
	}
	client := ctx.Client
	prepare := func(_ context.Context, v map[string]string) (tea.Msg, error) {
		dest, name := "", im.Name
		if len(args) > 0 {
			dest = args[0]
		}
		if len(args) > 1 {
			name = args[1]
		}
		dest, name = bkValue(v, "region", dest), bkValue(v, "name", name)
		plan, err := client.PlanCopyImage(im.RegionID, im.ID, dest, name)
		if err != nil {
			return nil, err
		}
		return bkConfirm(ctx, Flow{
			Action: "copy " + im.ID + " to " + dest,
			Title:  "Copy " + im.ID + " to " + dest + "?",
			Lines: []string{
				"Image:     " + im.ID + " " + orDash(im.Name) + " (" + gib(im.SizeGiB) + ")",
				"To region: " + dest,
				"Name:      " + orDash(name),
				"While it copies, Z on the copy (images view in " + dest + ") cancels it.",
			},
			Steps:  []Step{{Label: "copy " + im.ID + " to " + dest, Plan: plan, Poll: bkPollImage(dest, "")}},
			Reload: []string{"images"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "copy image "+im.ID, prepare)
	}
	fields := []form.Field{
		{Key: "region", Label: "To region", Kind: form.Choice, Help: "another region"},
		{Key: "name", Label: "Name", Kind: form.Text, Suggestion: im.Name, Optional: true,
			Help: "the copy's name; empty keeps the source's", Validate: func(v string) error { return cloud.ValidateImageName(strings.TrimSpace(v), nil) }},
	}
	return openBackupForm(l, ctx, "Copy "+im.ID+" to another region", fields, prepare, bkRegionChoices(client, im.RegionID))
}

// cancelCopyImage is Z / :cancel-copy: stop a copy still in progress.
func cancelCopyImage(l *List[cloud.Image], ctx Context, _ []string) tea.Cmd {
	im, err := ownImage(l, "cancel copy")
	if err != nil {
		return reportErr("cancel copy", err)
	}
	if im.Status != cloud.ImageCreating && im.Status != cloud.ImageWaiting {
		return reportErr("cancel copy", fmt.Errorf("%s is %s: only a copy in progress can be cancelled", im.ID, im.Status))
	}
	plan, err := ctx.Client.PlanCancelCopyImage(im.RegionID, im.ID)
	if err != nil {
		return reportErr("cancel copy", err)
	}
	return Flow{
		Action: "cancel copy " + im.ID,
		Title:  "Cancel the copy " + im.ID + " (" + percent(im.Progress) + " done)?",
		Lines:  []string{"The partial copy is removed; the source image stays."},
		Steps:  []Step{{Label: "cancel copy " + im.ID, Plan: plan}},
		Reload: []string{"images"},
	}.Cmd(ctx)
}

// shareImage is H / :share [ID… -ID…]: share with (ids) and unshare from
// (-ids) accounts; the form shows who it is shared with now.
func shareImage(l *List[cloud.Image], ctx Context, args []string) tea.Cmd {
	im, err := ownImage(l, "share image")
	if err != nil {
		return reportErr("share image", err)
	}
	client := ctx.Client
	var inAdd, inRemove []string
	for _, a := range args {
		if id, ok := strings.CutPrefix(a, "-"); ok {
			inRemove = append(inRemove, id)
		} else {
			inAdd = append(inAdd, strings.TrimPrefix(a, "+"))
		}
	}
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		add := bkSplit(bkValue(v, "add", strings.Join(inAdd, ",")))
		remove := bkSplit(bkValue(v, "remove", strings.Join(inRemove, ",")))
		current, err := client.ImageShares(c, im.RegionID, im.ID)
		if err != nil {
			return nil, err
		}
		if err := cloud.ValidateImageShare(current, add, remove); err != nil {
			return nil, err
		}
		plan, err := client.PlanShareImage(im.RegionID, im.ID, add, remove)
		if err != nil {
			return nil, err
		}
		after := slices.DeleteFunc(append(slices.Clone(current), add...), func(id string) bool { return slices.Contains(remove, id) })
		slices.Sort(after)
		after = slices.Compact(after)
		return bkConfirm(ctx, Flow{
			Action: "share " + im.ID,
			Title:  "Change who " + im.ID + " is shared with?",
			Lines: []string{
				"Now shared with:   " + orDash(strings.Join(current, ", ")),
				"Share with:        " + orDash(strings.Join(add, ", ")),
				"Unshare from:      " + orDash(strings.Join(remove, ", ")),
				"Afterwards shared: " + orDash(strings.Join(after, ", ")),
			},
			Steps:  []Step{{Label: "share " + im.ID, Plan: plan}},
			Reload: []string{"images"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "share "+im.ID, prepare)
	}
	view := l.kind.Name
	return openAfterLoad(l, ctx, "Share "+im.ID, func(c context.Context) (Modal, tea.Msg, error) {
		current, err := client.ImageShares(c, im.RegionID, im.ID)
		if err != nil {
			return nil, nil, err
		}
		return newBackupForm(ctx, view, "Share "+im.ID, shareFields(current), prepare), nil, nil
	})
}

// exportImage is E / :export [BUCKET [FORMAT [PREFIX]]]: to an OSS bucket,
// followed through its task.
func exportImage(l *List[cloud.Image], ctx Context, args []string) tea.Cmd {
	im, err := ownImage(l, "export image")
	if err != nil {
		return reportErr("export image", err)
	}
	client := ctx.Client
	in := append(slices.Clone(args), "", "", "")
	prepare := func(_ context.Context, v map[string]string) (tea.Msg, error) {
		bucket := bkValue(v, "bucket", in[0])
		format := cmpOr(bkValue(v, "format", in[1]), "raw")
		prefix := bkValue(v, "prefix", in[2])
		plan, err := client.PlanExportImage(im.RegionID, im.ID, bucket, prefix, format)
		if err != nil {
			return nil, err
		}
		return bkConfirm(ctx, Flow{
			Action: "export " + im.ID,
			Title:  "Export " + im.ID + " to oss://" + bucket + "?",
			Lines: []string{
				"Image:  " + im.ID + " " + orDash(im.Name) + " (" + gib(im.SizeGiB) + ")",
				"Bucket: " + bucket + " (in " + im.RegionID + ")",
				"Prefix: " + orDash(prefix),
				"Format: " + format,
			},
			Steps:  []Step{{Label: "export " + im.ID, Plan: plan, Poll: bkPollTask(im.RegionID)}},
			Reload: []string{"images"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "export "+im.ID, prepare)
	}
	return openBackupForm(l, ctx, "Export "+im.ID+" to OSS", exportFields(""), prepare, nil)
}

// bkPollTask follows a task (Result.IDs[0]) until Finished.
func bkPollTask(region string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(c context.Context, client *cloud.Client, res cloud.Result) (bool, string, error) {
		if len(res.IDs) == 0 {
			return false, "", fmt.Errorf("the API returned no task id")
		}
		ts, err := client.Task(c, region, res.IDs[0])
		if err != nil {
			return false, "", err
		}
		switch {
		case ts.Status == cloud.TaskFinished:
			return true, ts.ID + " finished 100%", nil
		case ts.Status == cloud.TaskFailed, strings.HasPrefix(ts.Status, "Cancel"):
			return false, "", fmt.Errorf("task %s: %s", ts.ID, ts.Status)
		}
		return false, fmt.Sprintf("%s %s %d%%", ts.ID, ts.Status, ts.Progress), nil
	}
}

// toggleDeprecated is V / :deprecate: Deprecated <-> Available.
func toggleDeprecated(l *List[cloud.Image], ctx Context, _ []string) tea.Cmd {
	im, err := ownImage(l, "deprecate image")
	if err != nil {
		return reportErr("deprecate image", err)
	}
	var plan *cloud.Plan
	var f Flow
	if im.Status == cloud.ImageDeprecated {
		plan, err = ctx.Client.PlanRestoreImage(im.RegionID, im.ID)
		f = Flow{Action: "restore " + im.ID, Title: "Restore " + im.ID + " (Available again)?",
			Lines: []string{"Its family (" + orDash(im.Family) + ") uses it again; it can be shared and copied again."}}
	} else {
		plan, err = ctx.Client.PlanDeprecateImage(im.RegionID, im.ID)
		f = Flow{Action: "deprecate " + im.ID, Title: "Deprecate " + im.ID + "?",
			Lines: []string{"Its family (" + orDash(im.Family) + ") skips it; it can no longer be shared or copied; it can still launch instances.",
				"V again restores it."}}
	}
	if err != nil {
		return reportErr(f.Action, err)
	}
	f.Steps = []Step{{Label: f.Action, Plan: plan}}
	f.Reload = []string{"images"}
	return f.Cmd(ctx)
}

// deleteImage is X / :delete [force]: refused while shared (unshare first)
// and, unless forced, while instances use it; typed confirmation.
func deleteImage(l *List[cloud.Image], ctx Context, args []string) tea.Cmd {
	im, err := ownImage(l, "delete image")
	if err != nil {
		return reportErr("delete image", err)
	}
	force := slices.Contains(args, "force")
	client := ctx.Client
	accept := l.uniqueNames([]cloud.Image{im}, func(i cloud.Image) string { return i.Name })
	return bkPrepared(ctx, "delete image "+im.ID, func(c context.Context, _ map[string]string) (tea.Msg, error) {
		shares, err := client.ImageShares(c, im.RegionID, im.ID)
		if err != nil {
			return nil, err
		}
		if len(shares) > 0 {
			return nil, fmt.Errorf("%s is shared with %s: unshare it first (H)", im.ID, strings.Join(shares, ", "))
		}
		ins, err := client.Instances(c, im.RegionID)
		if err != nil {
			return nil, err
		}
		var using []string
		for _, in := range ins {
			if in.ImageID == im.ID {
				using = append(using, in.ID)
			}
		}
		if len(using) > 0 && !force {
			return nil, fmt.Errorf("instances %s use %s: :delete force deletes it anyway (they keep running; re-initialising their system disks is then impossible)", strings.Join(using, ", "), im.ID)
		}
		plan, err := client.PlanDeleteImage(im.RegionID, im.ID, force)
		if err != nil {
			return nil, err
		}
		lines := []string{im.ID + " " + orDash(im.Name) + " " + im.Status + " " + gib(im.SizeGiB)}
		if len(using) > 0 {
			lines = append(lines, "Forced: instances "+strings.Join(using, ", ")+" use it.")
		}
		return bkConfirm(ctx, Flow{
			Action:   "delete image " + im.ID,
			Title:    "Delete image " + im.ID + "?",
			Lines:    lines,
			Steps:    []Step{{Label: "delete " + im.ID, Plan: plan}},
			Typed:    im.ID,
			Accept:   accept,
			Undoable: "the image is gone: no instance can be launched from it again",
			Reload:   []string{"images"},
		}), nil
	})
}
