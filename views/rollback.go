package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// rollback is R / :rollback [SNAPSHOT-ID]: roll the snapshot's disk back
// to it (ResetDisk). The instance must be Stopped, so when it is not the
// whole flow runs as one tracked operation: a safety snapshot of the
// disk's current state (default yes) and its wait, stop, roll back,
// start. The typed confirmation says which data is lost: everything
// written since the snapshot was taken.
func rollback(l *List[cloud.Snapshot], ctx Context, args []string) tea.Cmd {
	snapID, region := "", ctx.Region
	switch s, ok := l.Selected(); {
	case len(args) > 0:
		snapID = args[0]
	case ok:
		snapID, region = s.ID, s.RegionID
	default:
		return reportErr("roll back", errBkNoSelection)
	}
	client := ctx.Client
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		id := bkValue(v, "snapshot", snapID)
		safety := bkValue(v, "safety", "yes") == "yes"
		s, err := bkSnapshot(c, client, region, id)
		if err != nil {
			return nil, err
		}
		if s.DiskID == "" {
			return nil, fmt.Errorf("snapshot %s: its source disk is unknown (a copy?): nothing to roll back", s.ID)
		}
		info, err := client.PrepareRollback(c, s.RegionID, s.DiskID, s.ID)
		if err != nil {
			return nil, err
		}
		f, err := rollbackFlow(client, info, safety, ctx.now(), ctx.Location())
		if err != nil {
			return nil, err
		}
		return bkConfirm(ctx, f), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "roll back to "+snapID, prepare)
	}
	fields := []form.Field{
		{Key: "snapshot", Label: "Snapshot", Kind: form.Picker, Value: snapID, Placeholder: "s-…",
			Help: "type to find it by name or id: the disk it was taken from is rolled back to it", Validate: bkIDPrefix("a snapshot", "s-")},
		{Key: "safety", Label: "Safety snapshot", Kind: form.Choice, Options: bkYesNo,
			Descriptions: []string{"snapshot the disk as it is now, and wait for it, first", "roll back without a copy of the current data"}},
	}
	fill := oneRegionFill(region, pickFill("snapshot", func(c context.Context) ([]pickOption, error) {
		return snapshotPicks(c, client, region, func(s cloud.Snapshot) bool { return s.Status == cloud.SnapshotAccomplished && s.DiskID != "" })
	}))
	return openBackupForm(l, ctx, "Roll back a disk", fields, prepare, fill)
}

// safetySnapshotName names the snapshot taken before a roll back, stamped
// in UTC, which the trailing Z says (ISO 8601).
func safetySnapshotName(now time.Time) string {
	return "before-rollback-" + now.UTC().Format("20060102-150405") + "Z"
}

// rollbackFlow builds the roll back: [safety snapshot, wait] [stop, wait]
// reset [start, wait]. Its lines show times in loc.
func rollbackFlow(client *cloud.Client, info cloud.RollbackInfo, safety bool, now time.Time, loc *time.Location) (Flow, error) {
	d, s := info.Disk, info.Snapshot
	region, inst := d.RegionID, d.InstanceID
	var steps []Step
	var order []string
	lines := []string{
		"Disk:     " + diskLine(d),
		fmt.Sprintf("Snapshot: %s %s, taken %s (%s ago)", s.ID, orDash(s.Name), Stamp(loc, s.CreatedAt), age(now, s.CreatedAt)),
	}
	safetyName := safetySnapshotName(now)
	if safety {
		p, err := client.PlanCreateSnapshotWith(region, d.ID, cloud.SnapshotOptions{
			Name: safetyName, Description: "Safety snapshot before rolling back to " + s.ID,
		})
		if err != nil {
			return Flow{}, err
		}
		steps = append(steps, Step{Label: "safety snapshot of " + d.ID, Plan: p, Poll: bkPollSnapshot(region)})
		order = append(order, "safety snapshot (waited for)")
		lines = append(lines, "Safety:   a snapshot "+safetyName+" of the disk as it is now, taken and waited for first")
	} else {
		lines = append(lines, "Safety:   none: no copy of the current data is kept")
	}
	switch {
	case inst == "":
		lines = append(lines, "Instance: the disk is not attached")
	case info.MustStop:
		lines = append(lines, fmt.Sprintf("Instance: %s is %s: it is stopped, the disk rolled back, then it is started again", inst, info.InstanceStatus))
		stop, err := client.PlanStopInstances(region, []string{inst}, false, "")
		if err != nil {
			return Flow{}, err
		}
		steps = append(steps, Step{Label: "stop " + inst, Plan: stop, Poll: bkPollInstances(region, []string{inst}, cloud.StateStopped)})
		order = append(order, "stop "+inst)
	default:
		lines = append(lines, "Instance: "+inst+" is Stopped: it stays stopped")
	}
	reset, err := client.PlanResetDisk(region, d.ID, s.ID)
	if err != nil {
		return Flow{}, err
	}
	steps = append(steps, Step{Label: "roll back " + d.ID + " to " + s.ID, Plan: reset})
	order = append(order, "roll back")
	if inst != "" && info.MustStop {
		start, err := client.PlanStartInstances(region, []string{inst})
		if err != nil {
			return Flow{}, err
		}
		steps = append(steps, Step{Label: "start " + inst, Plan: start, Poll: bkPollInstances(region, []string{inst}, cloud.StateRunning)})
		order = append(order, "start "+inst)
	}
	lines = append(lines, "Steps:    "+strings.Join(order, " → "))
	undo := fmt.Sprintf("everything written to %s since %s (when %s was taken, %s ago) is lost",
		d.ID, Stamp(loc, info.LostSince), s.ID, age(now, info.LostSince))
	if safety {
		undo += "; the safety snapshot " + safetyName + " keeps a copy"
	}
	return Flow{
		Action:   "roll back " + d.ID + " to " + s.ID,
		Title:    "Roll " + d.ID + " back to " + s.ID + "?",
		Lines:    lines,
		Steps:    steps,
		Typed:    d.ID,
		Undoable: undo,
		Reload:   []string{"snapshots", "disks", "instances"},
	}, nil
}

// bkPollInstances follows instances until every one is in want.
func bkPollInstances(region string, ids []string, want cloud.InstanceState) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(c context.Context, client *cloud.Client, _ cloud.Result) (bool, string, error) {
		st, err := client.InstanceStatuses(c, region, ids)
		if err != nil {
			return false, "", err
		}
		n := 0
		for _, id := range ids {
			if st[id] == want {
				n++
			}
		}
		return n == len(ids), fmt.Sprintf("%d/%d %s", n, len(ids), want), nil
	}
}
