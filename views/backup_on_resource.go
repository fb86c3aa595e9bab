package views

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// The console offers a backup on the resource itself: "create snapshot"
// on a disk, "create custom image" on an instance. These actions are that,
// in the disks and instances views; they prepare and confirm through the
// same builders as N in the snapshots and images views, so the checks, the
// confirmation and the tracked operation are one.

// diskSnapshotAction is S / :snapshot [NAME] in the disks view.
func diskSnapshotAction() Action[cloud.Disk] {
	return Action[cloud.Disk]{Name: "snapshot", Args: "[NAME]", Help: "take a snapshot of the selected disk", Keys: []string{"S"}, Run: snapshotDisk}
}

// instanceImageAction is I / :image [NAME] in the instances view.
func instanceImageAction() Action[cloud.Instance] {
	return Action[cloud.Instance]{Name: "image", Args: "[NAME]", Help: "make a custom image of the selected instance (all its disks)", Keys: []string{"I"}, Run: imageOfInstance}
}

// snapshotDisk snapshots the one disk selected: at once to the confirmation
// with a name inline, else through the new-snapshot form for that disk.
func snapshotDisk(l *List[cloud.Disk], ctx Context, args []string) tea.Cmd {
	d, err := onlyOne(l.MarkedItems(), "a snapshot", "disk", "for several disks, :snapshot-group in :snapshots")
	if err != nil {
		return reportErr("snapshot", err)
	}
	if d.RegionID != "" {
		ctx.Region = d.RegionID // under "all regions", the disk's own
	}
	prepare := snapshotPrepare(ctx, d.ID, args)
	if len(args) > 0 {
		return bkPrepared(ctx, "snapshot "+d.ID, prepare)
	}
	disk := form.Field{Key: "disk", Label: "Disk", Kind: form.Text, Value: d.ID, Placeholder: "d-…",
		Help: "the disk to snapshot", Validate: bkIDPrefix("a disk", "d-")}
	return openBackupForm(l, ctx, "New snapshot of "+d.ID, snapshotFields(disk, args), prepare, nil)
}

// imageOfInstance makes an image of the one instance selected: at once to
// the confirmation with a name inline, else through the new-image form
// with the instance filled in.
func imageOfInstance(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	in, err := onlyOne(l.MarkedItems(), "an image", "instance", "mark one, or none and move the cursor")
	if err != nil {
		return reportErr("image", err)
	}
	if in.RegionID != "" {
		ctx.Region = in.RegionID
	}
	name := strings.Join(args, " ")
	prepare := imagePrepare(ctx, name, in.ID)
	if name != "" {
		return bkPrepared(ctx, "create image "+name, prepare)
	}
	return openBackupForm(l, ctx, "New custom image of "+in.ID, imageFormFields(in.ID, ""), prepare, nil)
}

// onlyOne is the single item an action on one resource takes; several
// marked is a refusal that says what to do instead.
func onlyOne[T any](items []T, what, noun, instead string) (T, error) {
	var zero T
	switch len(items) {
	case 0:
		return zero, errBkNoSelection
	case 1:
		return items[0], nil
	}
	return zero, fmt.Errorf("%s is of one %s and %d are marked (%s)", what, noun, len(items), instead)
}
