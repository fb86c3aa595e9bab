package cloud_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func TestDisks(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 300})
	ctx := context.Background()
	disks, err := c.Disks(ctx, testRegion, cloud.DiskFilter{})
	if err != nil {
		t.Fatalf("Disks: %v", err)
	}
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	if len(disks) < len(ins) {
		t.Fatalf("%d disks for %d instances: every instance has a system disk", len(disks), len(ins))
	}
	if got, want := srv.Stats().Calls["DescribeDisks"], ceilDiv(len(disks), 100); got != want {
		t.Errorf("DescribeDisks calls = %d, want %d", got, want)
	}
	ids := map[string]bool{}
	for _, d := range disks {
		if ids[d.ID] {
			t.Fatalf("disk %s listed twice", d.ID)
		}
		ids[d.ID] = true
		if !strings.HasPrefix(d.ID, "d-") || d.RegionID != testRegion || d.ZoneID == "" || d.Category == "" || d.SizeGiB <= 0 || d.CreatedAt.IsZero() {
			t.Errorf("bad disk %+v", d)
		}
		if d.Type != cloud.DiskSystem && d.Type != cloud.DiskData {
			t.Errorf("%s: type %q", d.ID, d.Type)
		}
		if d.Status == cloud.DiskInUse && (d.InstanceID == "" || d.Device == "") {
			t.Errorf("%s: In_use without instance or device", d.ID)
		}
	}
	if !slices.ContainsFunc(disks, func(d cloud.Disk) bool { return d.Status == cloud.DiskAvailable }) {
		t.Log("no unattached disk in the fleet")
	}

	// By instance: its system disk and nothing of another instance.
	target := ins[0]
	mine, err := c.Disks(ctx, testRegion, cloud.DiskFilter{InstanceID: target.ID})
	if err != nil {
		t.Fatalf("Disks(instance): %v", err)
	}
	if !slices.ContainsFunc(mine, func(d cloud.Disk) bool { return d.Type == cloud.DiskSystem }) {
		t.Errorf("Disks(%s): no system disk in %+v", target.ID, mine)
	}
	for _, d := range mine {
		if d.InstanceID != target.ID {
			t.Errorf("Disks(%s) returned %s of %q", target.ID, d.ID, d.InstanceID)
		}
	}

	// By ID, more than one call's worth (100) of IDs.
	var want []string
	for _, d := range disks {
		want = append(want, d.ID)
	}
	if len(want) > 150 {
		want = want[:150]
	}
	byID, err := c.Disks(ctx, testRegion, cloud.DiskFilter{DiskIDs: append(want, "d-doesnotexist")})
	if err != nil {
		t.Fatalf("Disks(ids): %v", err)
	}
	var got []string
	for _, d := range byID {
		got = append(got, d.ID)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Disks(ids): got %d disks, want %d", len(got), len(want))
	}

	// Every region.
	everywhere, err := c.Disks(ctx, cloud.AllRegions, cloud.DiskFilter{})
	if err != nil {
		t.Fatalf("Disks(all): %v", err)
	}
	regions := map[string]bool{}
	for _, d := range everywhere {
		regions[d.RegionID] = true
	}
	if len(everywhere) <= len(disks) || len(regions) < 2 {
		t.Errorf("Disks(all) = %d disks in %d regions; %s alone has %d", len(everywhere), len(regions), testRegion, len(disks))
	}
}

func TestImages(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 60})
	ctx := context.Background()
	system, err := c.Images(ctx, testRegion, cloud.OwnerSystem)
	if err != nil {
		t.Fatalf("Images(system): %v", err)
	}
	if len(system) == 0 {
		t.Fatal("Images(system): none")
	}
	for _, im := range system {
		if im.ID == "" || im.Name == "" || im.Owner != cloud.OwnerSystem || im.Status != "Available" || im.SizeGiB <= 0 || im.OSType == "" || im.Architecture == "" {
			t.Errorf("bad system image %+v", im)
		}
		if im.Progress != 100 || im.RegionID != testRegion {
			t.Errorf("%s: progress %d region %q", im.ID, im.Progress, im.RegionID)
		}
	}
	self, err := c.Images(ctx, testRegion, cloud.OwnerSelf)
	if err != nil {
		t.Fatalf("Images(self): %v", err)
	}
	for _, im := range self {
		if im.Owner != cloud.OwnerSelf || !strings.HasPrefix(im.ID, "m-") {
			t.Errorf("bad own image %+v", im)
		}
	}
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.Images(ctx, testRegion, "")
	if err != nil {
		t.Fatalf("Images(any owner): %v", err)
	}
	known := map[string]bool{}
	for _, im := range all {
		known[im.ID] = true
	}
	for _, in := range ins {
		if !known[in.ImageID] {
			t.Errorf("instance %s runs image %s that Images does not list", in.ID, in.ImageID)
			break
		}
	}
}

func TestSnapshotsAndPolicies(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 120})
	ctx := context.Background()
	snaps, err := c.Snapshots(ctx, testRegion, cloud.SnapshotFilter{})
	if err != nil {
		t.Fatalf("Snapshots: %v", err)
	}
	if len(snaps) == 0 {
		t.Fatal("Snapshots: none")
	}
	withDisk := 0 // a snapshot outlives its disk: SourceDiskId may be empty
	for _, s := range snaps {
		if !strings.HasPrefix(s.ID, "s-") || s.DiskSizeGiB <= 0 || s.CreatedAt.IsZero() || s.RegionID != testRegion {
			t.Errorf("bad snapshot %+v", s)
		}
		if s.DiskType != cloud.DiskSystem && s.DiskType != cloud.DiskData {
			t.Errorf("%s: disk type %q", s.ID, s.DiskType)
		}
		if s.DiskID != "" {
			withDisk++
		}
		if s.Status == "accomplished" && s.Progress != 100 {
			t.Errorf("%s: accomplished at %d%%", s.ID, s.Progress)
		}
		if s.Type != "user" && s.Type != "auto" {
			t.Errorf("%s: type %q", s.ID, s.Type)
		}
	}
	if withDisk == 0 {
		t.Fatal("no snapshot names its disk")
	}
	disk := snaps[slices.IndexFunc(snaps, func(s cloud.Snapshot) bool { return s.DiskID != "" })].DiskID
	ofDisk, err := c.Snapshots(ctx, testRegion, cloud.SnapshotFilter{DiskID: disk})
	if err != nil {
		t.Fatalf("Snapshots(disk): %v", err)
	}
	if len(ofDisk) == 0 {
		t.Errorf("Snapshots(%s): none", disk)
	}
	for _, s := range ofDisk {
		if s.DiskID != disk {
			t.Errorf("Snapshots(%s) returned %s of %s", disk, s.ID, s.DiskID)
		}
	}

	policies, err := c.AutoSnapshotPolicies(ctx, testRegion)
	if err != nil {
		t.Fatalf("AutoSnapshotPolicies: %v", err)
	}
	if len(policies) == 0 {
		t.Fatal("AutoSnapshotPolicies: none")
	}
	for _, p := range policies {
		if p.ID == "" || p.Name == "" || p.Status == "" || len(p.TimePoints) == 0 || len(p.RepeatWeekdays) == 0 || p.RetentionDays == 0 {
			t.Errorf("bad policy %+v", p)
		}
		for _, h := range p.TimePoints {
			if h < 0 || h > 23 {
				t.Errorf("%s: time point %d", p.ID, h)
			}
		}
		for _, d := range p.RepeatWeekdays {
			if d < 1 || d > 7 {
				t.Errorf("%s: weekday %d", p.ID, d)
			}
		}
	}
}
