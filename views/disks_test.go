package views

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestDisksListAndScope(t *testing.T) {
	ctx := newTestContext(t)
	want, err := ctx.Client.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	v := load(t, ctx, findView(t, ctx, "disks"))
	if got := v.Status().Total; got != len(want) || got == 0 {
		t.Fatalf("Total = %d, want %d (> 0)", got, len(want))
	}
	s := screen(ctx, v, 200, 40) // every column, BACKUP included
	mustContain(t, s, want[0].ID, "In_use", "GiB", "PORTABLE", "BACKUP")

	// Scope to one instance: only its disks.
	var inst string
	n := 0
	for _, d := range want {
		if d.InstanceID != "" && inst == "" {
			inst = d.InstanceID
		}
		if d.InstanceID == inst {
			n++
		}
	}
	v.SetScope(inst)
	v = load(t, ctx, v)
	if got := v.Status().Total; got != n {
		t.Errorf("scope %s: Total = %d, want %d", inst, got, n)
	}
	for _, line := range strings.Split(screen(ctx, v, 160, 40), "\n")[1:] {
		if !strings.Contains(line, inst) {
			t.Errorf("scope %s: row of another instance: %s", inst, line)
		}
	}
	if v.Status().Scope != inst {
		t.Errorf("Status().Scope = %q", v.Status().Scope)
	}

	// Scope to one disk.
	v.SetScope(want[len(want)-1].ID)
	v = load(t, ctx, v)
	if got := v.Status().Total; got != 1 {
		t.Errorf("disk scope: Total = %d, want 1", got)
	}
	mustContain(t, screen(ctx, v, 160, 40), want[len(want)-1].ID)
}

func TestDisksSizeSortsNumerically(t *testing.T) {
	ctx := newTestContext(t)
	v := load(t, ctx, findView(t, ctx, "disks"))
	for range 20 {
		if v.Status().Sort == "SIZE ↑" {
			break
		}
		v.CycleSort()
	}
	if v.Status().Sort != "SIZE ↑" {
		t.Fatalf("never sorted by SIZE: %q", v.Status().Sort)
	}
	lines := strings.Split(screen(ctx, v, 160, 60), "\n")[1:]
	prev := -1
	for _, line := range lines {
		f := strings.Fields(line)
		for i, w := range f {
			if w == "GiB" && i > 0 {
				n, err := strconv.Atoi(f[i-1])
				if err != nil {
					t.Fatalf("size cell %q: %v", f[i-1], err)
				}
				if n < prev {
					t.Errorf("size %d after %d: not numeric order\n%s", n, prev, strings.Join(lines, "\n"))
				}
				prev = n
				break
			}
		}
	}
	if prev < 1000 {
		t.Errorf("largest disk %d GiB: expected the 1000+ GiB disks last", prev)
	}
}

func TestDiskDetailLinksSnapshotsInstanceAndPolicy(t *testing.T) {
	ctx := newTestContext(t)
	disks, err := ctx.Client.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var disk cloud.Disk
	var snaps []cloud.Snapshot
	for _, d := range disks {
		if d.InstanceID == "" || d.AutoSnapshotPolicyID == "" {
			continue
		}
		s, err := ctx.Client.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{DiskID: d.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(s) > 0 {
			disk, snaps = d, s
			break
		}
	}
	if disk.ID == "" {
		t.Fatal("the seeded fleet has no attached disk with a policy and snapshots")
	}
	v := openDetail(t, ctx, load(t, ctx, findView(t, ctx, "disks")), disk.ID)
	s := screen(ctx, v, 120, 60)
	mustContain(t, s, "Snapshots", "Attached to", "Snapshot policy", disk.InstanceID, disk.AutoSnapshotPolicyID)
	for _, sn := range snaps {
		mustContain(t, s, sn.ID)
	}
	if !strings.Contains(v.Status().Title, disk.ID) {
		t.Errorf("Title = %q", v.Status().Title)
	}

	// The first jumpable row opens the disk's snapshots (the count), then
	// the newest snapshot; the ones after lead to the instance and the policy.
	sortNewestFirst(snaps)
	_, msg := press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "snapshots" || nav.Scope != disk.ID {
		t.Errorf("enter on the snapshot count = %#v", msg)
	}
	v, _ = press(t, ctx, v, downKey)
	_, msg = press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "snapshots" || nav.Filter != snaps[0].ID {
		t.Errorf("enter on the first snapshot = %#v", msg)
	}
	for range len(snaps) + 1 {
		v, _ = press(t, ctx, v, downKey)
	}
	_, msg = press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "policies" || nav.Filter != disk.AutoSnapshotPolicyID {
		t.Errorf("enter on the last row = %#v, want the policy", msg)
	}
	v, _ = press(t, ctx, v, upKey)
	_, msg = press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "instances" || nav.Filter != disk.InstanceID {
		t.Errorf("enter on the instance row = %#v", msg)
	}
	v.Back()
	if v.InDetail() {
		t.Error("Back left the detail open")
	}
}
