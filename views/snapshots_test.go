package views

import (
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestSnapshotsNewestFirstAndScope(t *testing.T) {
	ctx := newTestContext(t)
	all, err := ctx.Client.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	v := load(t, ctx, findView(t, ctx, "snapshots"))
	if v.Status().Total != len(all) || len(all) == 0 {
		t.Fatalf("Total = %d, want %d (> 0)", v.Status().Total, len(all))
	}
	if got := v.Status().Sort; got != "CREATED ↓" {
		t.Errorf("default sort = %q, want CREATED ↓", got)
	}
	sortNewestFirst(all)
	lines := strings.Split(screen(ctx, v, 160, 30), "\n")
	if !strings.Contains(lines[1], all[0].ID) {
		t.Errorf("first row is not the newest snapshot %s:\n%s", all[0].ID, strings.Join(lines, "\n"))
	}
	mustContain(t, strings.Join(lines, "\n"), "accomplished", "100%", "GiB")

	// Scope: one disk.
	disk := all[0].DiskID
	n := 0
	for _, s := range all {
		if s.DiskID == disk {
			n++
		}
	}
	v.SetScope(disk)
	v = load(t, ctx, v)
	if v.Status().Total != n {
		t.Errorf("disk scope: Total = %d, want %d", v.Status().Total, n)
	}
	for _, line := range strings.Split(screen(ctx, v, 160, 30), "\n")[1:] {
		if !strings.Contains(line, disk) {
			t.Errorf("disk scope: row of another disk: %s", line)
		}
	}

	// Scope: one instance.
	disks, err := ctx.Client.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{DiskIDs: []string{disk}})
	if err != nil || len(disks) != 1 || disks[0].InstanceID == "" {
		t.Fatalf("disk %s: %v %+v", disk, err, disks)
	}
	want, err := ctx.Client.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{InstanceID: disks[0].InstanceID})
	if err != nil {
		t.Fatal(err)
	}
	v.SetScope(disks[0].InstanceID)
	v = load(t, ctx, v)
	if v.Status().Total != len(want) || len(want) < n {
		t.Errorf("instance scope: Total = %d, want %d (>= %d)", v.Status().Total, len(want), n)
	}
}

func TestSnapshotDetailLinksSourceDisk(t *testing.T) {
	ctx := newTestContext(t)
	all, err := ctx.Client.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var snap cloud.Snapshot
	for _, s := range all {
		if d, _ := ctx.Client.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{DiskIDs: []string{s.DiskID}}); s.DiskID != "" && len(d) == 1 {
			snap = s
			break
		}
	}
	if snap.ID == "" {
		t.Fatal("no snapshot of an existing disk in the seeded fleet")
	}
	v := openDetail(t, ctx, load(t, ctx, findView(t, ctx, "snapshots")), snap.ID)
	mustContain(t, screen(ctx, v, 120, 30), "Source disk", snap.DiskID, "Retention", "Progress", "accomplished")
	_, msg := press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "disks" || nav.Filter != snap.DiskID {
		t.Errorf("enter on the source disk = %#v", msg)
	}
}
