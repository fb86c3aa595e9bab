package emulator

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestECSDescribeDisks(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 1, Instances: 200})
	s.store.mu.Lock()
	var total, system, available int
	var withPolicy *disk
	for _, d := range s.store.disks {
		if d.RegionID != "cn-hangzhou" {
			continue
		}
		total++
		if d.Type == "system" {
			system++
		}
		if d.Status == "Available" {
			available++
		}
		if d.AutoSnapshotPolicyID != "" && withPolicy == nil {
			cp := *d
			withPolicy = &cp
		}
	}
	s.store.mu.Unlock()

	// All disks via NextToken (MaxResults is clamped up to 10).
	seen := map[string]bool{}
	token := ""
	for {
		req := ecs.CreateDescribeDisksRequest()
		req.MaxResults = requests.NewInteger(3)
		req.NextToken = token
		resp, err := c.DescribeDisks(req)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Disks.Disk) > 10 || (resp.NextToken != "" && len(resp.Disks.Disk) != 10) {
			t.Fatalf("page of %d", len(resp.Disks.Disk))
		}
		for _, d := range resp.Disks.Disk {
			if seen[d.DiskId] {
				t.Errorf("%s twice", d.DiskId)
			}
			seen[d.DiskId] = true
		}
		if token = resp.NextToken; token == "" {
			break
		}
	}
	if len(seen) != total {
		t.Errorf("NextToken paged %d disks, want %d", len(seen), total)
	}

	call := func(mod func(*ecs.DescribeDisksRequest)) *ecs.DescribeDisksResponse {
		t.Helper()
		req := ecs.CreateDescribeDisksRequest()
		req.PageSize = requests.NewInteger(100)
		mod(req)
		resp, err := c.DescribeDisks(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	r := call(func(r *ecs.DescribeDisksRequest) { r.DiskType = "system" })
	if r.TotalCount != system {
		t.Errorf("system: %d, want %d", r.TotalCount, system)
	}
	idRE := regexp.MustCompile(`^d-bp1[a-z0-9]{17}$`)
	secondRE := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	for _, d := range r.Disks.Disk {
		if d.Type != "system" || d.Device != "/dev/xvda" || d.Status != "In_use" || !idRE.MatchString(d.DiskId) {
			t.Errorf("system disk %+v", d)
		}
		if !secondRE.MatchString(d.CreationTime) || d.ExpiredTime == "" || d.Size < 20 || d.IOPS == 0 {
			t.Errorf("%s: creation %q expired %q size %d iops %d", d.DiskId, d.CreationTime, d.ExpiredTime, d.Size, d.IOPS)
		}
		if d.Category == "cloud_essd" && !strings.HasPrefix(d.PerformanceLevel, "PL") {
			t.Errorf("%s: ESSD without PL", d.DiskId)
		}
		if len(d.MountInstances.MountInstance) != 1 || d.MountInstances.MountInstance[0].InstanceId != d.InstanceId {
			t.Errorf("%s: mounts %+v", d.DiskId, d.MountInstances)
		}
	}
	if r := call(func(r *ecs.DescribeDisksRequest) { r.Status = "Available" }); r.TotalCount != available || available == 0 {
		t.Errorf("Available: %d, want %d", r.TotalCount, available)
	}
	if r := call(func(r *ecs.DescribeDisksRequest) { r.DiskIds = "[]" }); r.TotalCount != 0 {
		t.Errorf("[] matched %d", r.TotalCount)
	}
	r = call(func(r *ecs.DescribeDisksRequest) { r.AutoSnapshotPolicyId = withPolicy.AutoSnapshotPolicyID })
	if r.TotalCount == 0 {
		t.Error("AutoSnapshotPolicyId matched nothing")
	}
	for _, d := range r.Disks.Disk {
		if d.AutoSnapshotPolicyId != withPolicy.AutoSnapshotPolicyID || !d.EnableAutoSnapshot {
			t.Errorf("%s: policy %q", d.DiskId, d.AutoSnapshotPolicyId)
		}
	}
	r = call(func(r *ecs.DescribeDisksRequest) { r.InstanceId = withPolicy.InstanceID })
	if r.TotalCount < 1 {
		t.Error("InstanceId matched nothing")
	}
	for _, d := range r.Disks.Disk {
		if d.InstanceId != withPolicy.InstanceID {
			t.Errorf("InstanceId let %s through", d.DiskId)
		}
	}
	r = call(func(r *ecs.DescribeDisksRequest) {
		r.DiskIds = `["` + withPolicy.ID + `"]`
		r.Portable = requests.NewBoolean(true)
	})
	if r.TotalCount != 1 || r.Disks.Disk[0].DiskId != withPolicy.ID {
		t.Errorf("DiskIds: %+v", r.Disks)
	}

	req := ecs.CreateDescribeDisksRequest()
	req.DiskType = "boot"
	_, err := c.DescribeDisks(req)
	ecsExpectError(t, err, "InvalidDiskType.ValueNotSupported", 400)
	req = ecs.CreateDescribeDisksRequest()
	req.Status = "Broken"
	_, err = c.DescribeDisks(req)
	ecsExpectError(t, err, "InvalidStatus.ValueNotSupported", 400)
	req = ecs.CreateDescribeDisksRequest()
	req.RegionId = "xx-nowhere-1"
	_, err = c.DescribeDisks(req)
	ecsExpectError(t, err, "InvalidRegionId.NotFound", 404)
}

func TestECSDescribeImages(t *testing.T) {
	c, _ := newECSTestClient(t, Options{Seed: 1})
	req := ecs.CreateDescribeImagesRequest()
	req.PageSize = requests.NewInteger(100)
	resp, err := c.DescribeImages(req)
	if err != nil {
		t.Fatal(err)
	}
	owners := map[string]int{}
	for _, img := range resp.Images.Image {
		owners[img.ImageOwnerAlias]++
		if img.Status != "Available" || img.Progress != "100%" || img.Size == 0 || img.OSName == "" {
			t.Errorf("image %+v", img)
		}
		if len(img.DiskDeviceMappings.DiskDeviceMapping) == 0 || img.DiskDeviceMappings.DiskDeviceMapping[0].Device != "/dev/xvda" {
			t.Errorf("%s: mappings %+v", img.ImageId, img.DiskDeviceMappings)
		}
		if img.ImageOwnerAlias == "self" && (!strings.HasPrefix(img.ImageId, "m-bp1") || img.DiskDeviceMappings.DiskDeviceMapping[0].SnapshotId == "") {
			t.Errorf("self image %+v", img)
		}
	}
	if resp.TotalCount != len(resp.Images.Image) || resp.RegionId != "cn-hangzhou" {
		t.Errorf("total %d, got %d", resp.TotalCount, len(resp.Images.Image))
	}
	for _, o := range []string{"system", "self", "others", "marketplace"} {
		if owners[o] == 0 {
			t.Errorf("no %s images in cn-hangzhou (%v)", o, owners)
		}
	}

	req = ecs.CreateDescribeImagesRequest()
	req.ImageOwnerAlias = "system"
	req.OSType = "windows"
	if resp, err = c.DescribeImages(req); err != nil || resp.TotalCount != 1 || !strings.HasPrefix(resp.Images.Image[0].ImageId, "win2022") {
		t.Errorf("system windows: %v %+v", err, resp)
	}
	req = ecs.CreateDescribeImagesRequest()
	req.ImageId = "aliyun_3_x64_20G_alibase_20240819.vhd"
	if resp, err = c.DescribeImages(req); err != nil || resp.TotalCount != 1 || resp.Images.Image[0].Usage != "instance" {
		t.Errorf("ImageId: %v %+v", err, resp)
	}
	req = ecs.CreateDescribeImagesRequest()
	req.Status = "Deprecated"
	if resp, err = c.DescribeImages(req); err != nil || resp.TotalCount != 0 {
		t.Errorf("Deprecated: %v %d", err, resp.TotalCount)
	}
	req = ecs.CreateDescribeImagesRequest()
	req.PageSize = requests.NewInteger(3)
	req.PageNumber = requests.NewInteger(2)
	if resp, err = c.DescribeImages(req); err != nil || len(resp.Images.Image) != 3 || resp.PageNumber != 2 {
		t.Errorf("paging: %v %+v", err, resp)
	}
	req = ecs.CreateDescribeImagesRequest()
	req.ImageOwnerAlias = "everyone"
	_, err = c.DescribeImages(req)
	ecsExpectError(t, err, "InvalidImageOwnerAlias.ValueNotSupported", 400)
}

func TestECSDescribeSnapshotsAndPolicies(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 1, Instances: 150})
	s.store.mu.Lock()
	total, auto := 0, 0
	var someDisk string
	for _, sn := range s.store.snapshots {
		if sn.RegionID != "cn-hangzhou" {
			continue
		}
		total++
		if sn.Type == "auto" {
			auto++
			someDisk = sn.SourceDiskID
		}
	}
	s.store.mu.Unlock()

	seen := map[string]bool{}
	for page := 1; page < 50; page++ {
		req := ecs.CreateDescribeSnapshotsRequest()
		req.PageNumber = requests.NewInteger(page)
		req.PageSize = requests.NewInteger(7)
		resp, err := c.DescribeSnapshots(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.TotalCount != total {
			t.Fatalf("total %d, want %d", resp.TotalCount, total)
		}
		if len(resp.Snapshots.Snapshot) == 0 {
			break
		}
		for _, sn := range resp.Snapshots.Snapshot {
			seen[sn.SnapshotId] = true
			if !strings.HasPrefix(sn.SnapshotId, "s-bp1") || sn.Progress != "100%" || sn.Status != "accomplished" || sn.SourceDiskSize == "" || sn.SourceDiskSize == "0" {
				t.Errorf("snapshot %+v", sn)
			}
			if sn.Usage == "" || sn.CreationTime == "" || (sn.SnapshotType != "auto" && sn.SnapshotType != "user") {
				t.Errorf("snapshot %+v", sn)
			}
		}
	}
	if len(seen) != total {
		t.Errorf("paged %d, want %d", len(seen), total)
	}
	req := ecs.CreateDescribeSnapshotsRequest()
	req.SnapshotType = "auto"
	req.PageSize = requests.NewInteger(100)
	resp, err := c.DescribeSnapshots(req)
	if err != nil || resp.TotalCount != auto || auto == 0 {
		t.Errorf("auto: %v %d, want %d", err, resp.TotalCount, auto)
	}
	for _, sn := range resp.Snapshots.Snapshot {
		if !strings.HasPrefix(sn.SnapshotName, "auto_") || sn.RetentionDays == 0 {
			t.Errorf("auto snapshot %+v", sn)
		}
	}
	req = ecs.CreateDescribeSnapshotsRequest()
	req.DiskId = someDisk
	if resp, err = c.DescribeSnapshots(req); err != nil || resp.TotalCount == 0 || resp.Snapshots.Snapshot[0].SourceDiskId != someDisk {
		t.Errorf("DiskId: %v %+v", err, resp)
	}
	req = ecs.CreateDescribeSnapshotsRequest()
	req.SnapshotIds = "[]"
	if resp, err = c.DescribeSnapshots(req); err != nil || resp.TotalCount != 0 {
		t.Errorf("[]: %v %d", err, resp.TotalCount)
	}

	preq := ecs.CreateDescribeAutoSnapshotPolicyExRequest()
	presp, err := c.DescribeAutoSnapshotPolicyEx(preq)
	if err != nil {
		t.Fatal(err)
	}
	if presp.TotalCount < 1 || len(presp.AutoSnapshotPolicies.AutoSnapshotPolicy) != presp.TotalCount {
		t.Fatalf("policies %+v", presp)
	}
	withDisks := 0
	for _, p := range presp.AutoSnapshotPolicies.AutoSnapshotPolicy {
		var tp, wd []string
		if err := json.Unmarshal([]byte(p.TimePoints), &tp); err != nil || len(tp) == 0 {
			t.Errorf("TimePoints %q", p.TimePoints)
		}
		if err := json.Unmarshal([]byte(p.RepeatWeekdays), &wd); err != nil || len(wd) == 0 {
			t.Errorf("RepeatWeekdays %q", p.RepeatWeekdays)
		}
		if !strings.HasPrefix(p.AutoSnapshotPolicyId, "sp-bp1") || p.Status != "Normal" || p.RetentionDays == 0 {
			t.Errorf("policy %+v", p)
		}
		withDisks += p.DiskNums
	}
	if withDisks == 0 {
		t.Error("no disk uses a policy")
	}
	preq = ecs.CreateDescribeAutoSnapshotPolicyExRequest()
	preq.AutoSnapshotPolicyId = presp.AutoSnapshotPolicies.AutoSnapshotPolicy[0].AutoSnapshotPolicyId
	if presp, err = c.DescribeAutoSnapshotPolicyEx(preq); err != nil || presp.TotalCount != 1 {
		t.Errorf("by id: %v %+v", err, presp)
	}
}
