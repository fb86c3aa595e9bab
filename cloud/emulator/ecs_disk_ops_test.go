package emulator

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func describeDisk(t *testing.T, c *ecs.Client, id string) ecs.Disk {
	t.Helper()
	req := ecs.CreateDescribeDisksRequest()
	req.DiskIds = `["` + id + `"]`
	resp, err := c.DescribeDisks(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Disks.Disk) != 1 {
		t.Fatalf("DescribeDisks %s: %d disks", id, len(resp.Disks.Disk))
	}
	return resp.Disks.Disk[0]
}

func wantDiskStatus(t *testing.T, c *ecs.Client, id, want string) ecs.Disk {
	t.Helper()
	d := describeDisk(t, c, id)
	if d.Status != want {
		t.Fatalf("disk %s is %s, want %s", id, d.Status, want)
	}
	return d
}

// diskOf returns the id of an instance's system disk or first data disk.
func diskOf(t *testing.T, s *Server, instanceID, typ string) string {
	t.Helper()
	id := ""
	withStore(s, func(st *store) {
		for _, d := range st.disks {
			if d.InstanceID == instanceID && d.Type == typ && (id == "" || d.Device < st.disks[id].Device) {
				id = d.ID
			}
		}
	})
	if id == "" {
		t.Fatalf("%s has no %s disk", instanceID, typ)
	}
	return id
}

func TestECSCreateAttachDetachDisk(t *testing.T) {
	c, s := newOpsClient(t)
	inID := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	in := describeInstance(t, c, inID)

	create := func(mod func(*ecs.CreateDiskRequest)) (*ecs.CreateDiskResponse, error) {
		req := ecs.CreateCreateDiskRequest()
		req.ZoneId, req.DiskCategory, req.Size, req.DiskName = in.ZoneId, "cloud_essd", requests.NewInteger(100), "app-data"
		mod(req)
		return c.CreateDisk(req)
	}
	for _, tc := range []struct {
		name   string
		mod    func(*ecs.CreateDiskRequest)
		code   string
		status int
	}{
		{"PL1 below 20 GiB", func(r *ecs.CreateDiskRequest) { r.Size = requests.NewInteger(10) }, "InvalidSize.ValueNotSupported", 400},
		{"PL2 below 461 GiB", func(r *ecs.CreateDiskRequest) { r.PerformanceLevel = "PL2" }, "InvalidSize.ValueNotSupported", 400},
		{"above 65536 GiB", func(r *ecs.CreateDiskRequest) { r.Size = requests.NewInteger(65537) }, "InvalidSize.ValueNotSupported", 400},
		{"bad PL", func(r *ecs.CreateDiskRequest) { r.PerformanceLevel = "PL9" }, "InvalidPerformanceLevel.Malformed", 400},
		{"unknown category", func(r *ecs.CreateDiskRequest) { r.DiskCategory = "floppy" }, "InvalidDiskCategory.ValueNotSupported", 400},
		{"default category cloud not in zone", func(r *ecs.CreateDiskRequest) { r.DiskCategory = "" }, "InvalidDataDiskCategory.NotSupported", 403},
		{"unknown zone", func(r *ecs.CreateDiskRequest) { r.ZoneId = "cn-hangzhou-z" }, "InvalidZoneId.NotFound", 404},
		{"bad name", func(r *ecs.CreateDiskRequest) { r.DiskName = "1-starts-with-digit" }, "InvalidDiskName.Malformed", 400},
		{"unknown snapshot", func(r *ecs.CreateDiskRequest) { r.SnapshotId = "s-bp1nosuchsnapshot000" }, "InvalidSnapshotId.NotFound", 404},
	} {
		_, err := create(tc.mod)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		t.Run(tc.name, func(t *testing.T) { ecsExpectError(t, err, tc.code, tc.status) })
	}
	noSize := ecs.CreateCreateDiskRequest()
	noSize.ZoneId, noSize.DiskCategory = in.ZoneId, "cloud_essd"
	_, err := c.CreateDisk(noSize)
	ecsExpectError(t, err, "MissingParameter", 400)

	// From a snapshot: smaller than the snapshot is refused.
	var snapID string
	var snapSize int
	withStore(s, func(st *store) {
		for _, sn := range st.snapshots {
			if sn.RegionID == "cn-hangzhou" && sn.Status == "accomplished" && (snapID == "" || sn.ID < snapID) {
				snapID, snapSize = sn.ID, sn.SourceDiskSizeGiB
			}
		}
	})
	if snapID != "" {
		_, err := create(func(r *ecs.CreateDiskRequest) { r.SnapshotId, r.Size = snapID, requests.NewInteger(snapSize-1) })
		ecsExpectError(t, err, "InvalidDiskSize.TooSmall", 403)
	}

	resp, err := create(func(r *ecs.CreateDiskRequest) { r.ClientToken = "disk-1" })
	if err != nil {
		t.Fatal(err)
	}
	again, err := create(func(r *ecs.CreateDiskRequest) { r.ClientToken = "disk-1" })
	if err != nil || again.DiskId != resp.DiskId {
		t.Fatalf("ClientToken replay: %v %+v", err, again)
	}
	d := wantDiskStatus(t, c, resp.DiskId, "Creating")
	if d.Size != 100 || d.Category != "cloud_essd" || d.PerformanceLevel != "PL1" || d.DiskName != "app-data" || !d.Portable || d.Type != "data" {
		t.Errorf("new disk %+v", d)
	}
	attach := ecs.CreateAttachDiskRequest()
	attach.InstanceId, attach.DiskId = inID, resp.DiskId
	_, err = c.AttachDisk(attach)
	ecsExpectError(t, err, "DiskError", 403) // still Creating
	opsStep(t, s)
	wantDiskStatus(t, c, resp.DiskId, "Available")

	if _, err := c.AttachDisk(attach); err != nil {
		t.Fatal(err)
	}
	wantDiskStatus(t, c, resp.DiskId, "Attaching")
	opsStep(t, s)
	d = wantDiskStatus(t, c, resp.DiskId, "In_use")
	if d.InstanceId != inID || len(d.Device) != len("/dev/xvdb") || d.Device[:8] != "/dev/xvd" || d.AttachedTime == "" {
		t.Errorf("attached disk %+v", d)
	}
	_, err = c.AttachDisk(attach)
	ecsExpectError(t, err, "InvalidDisk.InUse", 404)

	// A disk of another zone.
	var otherZone string
	withStore(s, func(st *store) {
		for _, z := range st.zones["cn-hangzhou"] {
			if z.ID != in.ZoneId {
				otherZone = z.ID
			}
		}
	})
	far, err := create(func(r *ecs.CreateDiskRequest) { r.ZoneId = otherZone })
	if err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	attach2 := ecs.CreateAttachDiskRequest()
	attach2.InstanceId, attach2.DiskId = inID, far.DiskId
	_, err = c.AttachDisk(attach2)
	ecsExpectError(t, err, "ResourcesNotInSameZone", 403)

	detach := ecs.CreateDetachDiskRequest()
	detach.InstanceId, detach.DiskId = inID, far.DiskId
	_, err = c.DetachDisk(detach)
	ecsExpectError(t, err, "InvalidDisk.AlreadyDetached", 403)
	detach.DiskId = resp.DiskId
	if _, err := c.DetachDisk(detach); err != nil {
		t.Fatal(err)
	}
	wantDiskStatus(t, c, resp.DiskId, "Detaching")
	opsStep(t, s)
	d = wantDiskStatus(t, c, resp.DiskId, "Available")
	if d.InstanceId != "" || d.Device != "" || d.DetachedTime == "" || d.DeleteWithInstance {
		t.Errorf("detached disk %+v", d)
	}

	// The system disk of a running instance cannot be detached.
	detach = ecs.CreateDetachDiskRequest()
	detach.InstanceId, detach.DiskId = inID, diskOf(t, s, inID, "system")
	_, err = c.DetachDisk(detach)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403)
}

func TestECSResizeDisk(t *testing.T) {
	c, s := newOpsClient(t)
	ids := pickInstances(t, s, 2, runningPostPaidLinux)
	sys := diskOf(t, s, ids[0], "system")
	cur := describeDisk(t, c, sys)

	resize := func(id string, size int, typ, token string) (*ecs.ResizeDiskResponse, error) {
		req := ecs.CreateResizeDiskRequest()
		req.DiskId, req.NewSize, req.Type, req.ClientToken = id, requests.NewInteger(size), typ, token
		return c.ResizeDisk(req)
	}
	_, err := resize(sys, cur.Size-1, "online", "")
	ecsExpectError(t, err, "InvalidDiskSize.TooSmall", 403)
	_, err = resize(sys, cur.Size, "online", "")
	ecsExpectError(t, err, "InvalidDiskSize", 403)
	_, err = resize(sys, 2049, "online", "")
	ecsExpectError(t, err, "InvalidDiskSize.TooLarge", 403)
	_, err = resize(sys, cur.Size+10, "sideways", "")
	ecsExpectError(t, err, "InvalidParam.Type", 400)
	_, err = resize("d-bp1nosuchdisk0000000", 100, "online", "")
	ecsExpectError(t, err, "InvalidDiskId.NotFound", 404)

	if _, err := resize(sys, cur.Size+40, "online", "grow-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := resize(sys, cur.Size+40, "online", "grow-1"); err != nil {
		t.Errorf("ClientToken replay: %v", err)
	}
	if got := describeDisk(t, c, sys); got.Size != cur.Size+40 || got.Status != "In_use" {
		t.Errorf("after online resize: %d GiB %s", got.Size, got.Status)
	}
	withStore(s, func(st *store) {
		d := st.disks[sys]
		if d.PartitionGiB != cur.Size || d.GuestGiB != 0 {
			t.Errorf("online resize: partition %d GiB, guest sees %d (0 = all)", d.PartitionGiB, d.GuestGiB)
		}
	})

	// Offline on a running instance: the guest sees it after a restart.
	sys2 := diskOf(t, s, ids[1], "system")
	size2 := describeDisk(t, c, sys2).Size
	if _, err := resize(sys2, size2+20, "", ""); err != nil {
		t.Fatal(err)
	}
	withStore(s, func(st *store) {
		if g := st.disks[sys2].GuestGiB; g != size2 {
			t.Errorf("guest sees %d GiB before the restart, want %d", g, size2)
		}
	})
	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = ids[1]
	if _, err := c.StopInstance(stop); err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	_, err = resize(sys2, size2+30, "online", "")
	ecsExpectError(t, err, "InvalidInstanceStatus.NotRunning", 403)
	start := ecs.CreateStartInstanceRequest()
	start.InstanceId = ids[1]
	if _, err := c.StartInstance(start); err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	describeInstance(t, c, ids[1])
	withStore(s, func(st *store) {
		if g := st.disks[sys2].GuestGiB; g != 0 {
			t.Errorf("guest still sees %d GiB after the restart", g)
		}
	})

	// An unattached disk: offline only.
	var spare string
	withStore(s, func(st *store) {
		for _, d := range st.disks {
			if d.RegionID == "cn-hangzhou" && d.Status == "Available" && (spare == "" || d.ID < spare) {
				spare = d.ID
			}
		}
	})
	if spare != "" {
		sz := describeDisk(t, c, spare).Size
		_, err = resize(spare, sz+10, "online", "")
		ecsExpectError(t, err, "IncorrectDiskStatus", 403)
		if _, err := resize(spare, sz+10, "offline", ""); err != nil {
			t.Error(err)
		}
		_, err = resize(spare, 65537, "offline", "")
		ecsExpectError(t, err, "InvalidDiskSize.TooLarge", 403)
	}
}

func TestECSModifyDiskSpec(t *testing.T) {
	c, s := newOpsClient(t)
	var essd, eff string
	withStore(s, func(st *store) {
		for _, d := range st.disks {
			in := st.instances[d.InstanceID]
			if d.RegionID != "cn-hangzhou" || d.Status != "In_use" || in == nil || in.Status != "Running" || d.SizeGiB >= 461 {
				continue
			}
			if d.Category == "cloud_essd" && d.PerformanceLevel == "PL1" && (essd == "" || d.ID < essd) {
				essd = d.ID
			}
			if d.Category == "cloud_efficiency" && (eff == "" || d.ID < eff) {
				eff = d.ID
			}
		}
	})
	if essd == "" || eff == "" {
		t.Fatalf("no disks to change (essd %q, efficiency %q)", essd, eff)
	}
	req := ecs.CreateModifyDiskSpecRequest()
	req.DiskId, req.PerformanceLevel = essd, "PL2"
	_, err := c.ModifyDiskSpec(req)
	ecsExpectError(t, err, "OperationDenied.PerformanceLevelNotMatch", 403)
	req = ecs.CreateModifyDiskSpecRequest()
	req.DiskId, req.PerformanceLevel = essd, "PL7"
	_, err = c.ModifyDiskSpec(req)
	ecsExpectError(t, err, "InvalidPerformanceLevel.Malformed", 400)
	req = ecs.CreateModifyDiskSpecRequest()
	req.DiskId, req.DiskCategory = essd, "cloud_efficiency"
	_, err = c.ModifyDiskSpec(req)
	ecsExpectError(t, err, "OperationDenied", 403)

	req = ecs.CreateModifyDiskSpecRequest()
	req.DiskId, req.DiskCategory, req.PerformanceLevel = eff, "cloud_essd", "PL0"
	req.DryRun = requests.NewBoolean(true)
	_, err = c.ModifyDiskSpec(req)
	ecsExpectError(t, err, "DryRunOperation", 400)
	req.DryRun = requests.NewBoolean(false)
	resp, err := c.ModifyDiskSpec(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.TaskId == "" {
		t.Error("no TaskId")
	}
	if d := describeDisk(t, c, eff); d.Category != "cloud_essd" || d.PerformanceLevel != "PL0" || d.Status != "In_use" {
		t.Errorf("after: %s %s %s", d.Category, d.PerformanceLevel, d.Status)
	}
}

func TestECSReInitAndReplaceSystemDisk(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	sys := diskOf(t, s, id, "system")

	re := ecs.CreateReInitDiskRequest()
	re.DiskId = sys
	_, err := c.ReInitDisk(re)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403)
	replace := ecs.CreateReplaceSystemDiskRequest()
	replace.InstanceId, replace.ImageId = id, "ubuntu_22_04_x64_20G_alibase_20240530.vhd"
	_, err = c.ReplaceSystemDisk(replace)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403)

	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = id
	if _, err := c.StopInstance(stop); err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)

	withStore(s, func(st *store) { st.disks[sys].PartitionGiB = 20 })
	if _, err := c.ReInitDisk(re); err != nil {
		t.Fatal(err)
	}
	wantDiskStatus(t, c, sys, "ReIniting")
	opsStep(t, s)
	d := wantDiskStatus(t, c, sys, "In_use")
	withStore(s, func(st *store) {
		if p := st.disks[sys].PartitionGiB; p != d.Size {
			t.Errorf("re-initialised partition %d GiB, disk %d", p, d.Size)
		}
	})

	replace = ecs.CreateReplaceSystemDiskRequest()
	replace.InstanceId, replace.ImageId = id, "ubuntu_22_04_x64_20G_alibase_20240530.vhd"
	replace.SystemDiskSize = requests.NewInteger(10)
	_, err = c.ReplaceSystemDisk(replace)
	ecsExpectError(t, err, "InvalidSystemDiskSize.LessThanImageSize", 404)
	replace = ecs.CreateReplaceSystemDiskRequest()
	replace.InstanceId, replace.ImageId = id, "ubuntu_22_04_x64_20G_alibase_20240530.vhd"
	replace.SystemDiskSize = requests.NewInteger(4000)
	_, err = c.ReplaceSystemDisk(replace)
	ecsExpectError(t, err, "InvalidSystemDiskSize.MoreThanMaxSize", 404)
	replace = ecs.CreateReplaceSystemDiskRequest()
	replace.InstanceId, replace.ImageId = id, "m-bp1nosuchimage000000"
	_, err = c.ReplaceSystemDisk(replace)
	ecsExpectError(t, err, "InvalidImageId.NotFound", 404)

	replace = ecs.CreateReplaceSystemDiskRequest()
	replace.InstanceId, replace.ImageId = id, "ubuntu_22_04_x64_20G_alibase_20240530.vhd"
	replace.SystemDiskSize = requests.NewInteger(60)
	replace.ClientToken = "os-1"
	resp, err := c.ReplaceSystemDisk(replace)
	if err != nil {
		t.Fatal(err)
	}
	if resp.DiskId == "" || resp.DiskId == sys {
		t.Fatalf("new disk id %q (old %s)", resp.DiskId, sys)
	}
	nd := wantDiskStatus(t, c, resp.DiskId, "Creating")
	if nd.Size != 60 || nd.Type != "system" || nd.InstanceId != id || nd.Device != "/dev/xvda" || nd.Category != d.Category {
		t.Errorf("new system disk %+v", nd)
	}
	opsStep(t, s)
	wantDiskStatus(t, c, resp.DiskId, "In_use")
	req := ecs.CreateDescribeDisksRequest()
	req.DiskIds = `["` + sys + `"]`
	if old, err := c.DescribeDisks(req); err != nil || len(old.Disks.Disk) != 0 {
		t.Errorf("old system disk still listed: %v %d", err, len(old.Disks.Disk))
	}
	in := describeInstance(t, c, id)
	if in.ImageId != "ubuntu_22_04_x64_20G_alibase_20240530.vhd" || in.OSName != "Ubuntu  22.04 64 bit" {
		t.Errorf("instance image %s %q", in.ImageId, in.OSName)
	}
}
