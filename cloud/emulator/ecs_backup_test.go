package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// backupNow pins the base clock: 2026-11-25 00:00 UTC is 08:00 in UTC+8.
var backupNow = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func newBackupClient(t *testing.T) (*ecs.Client, *Server) {
	t.Helper()
	return newECSTestClient(t, Options{Seed: 7, Now: func() time.Time { return backupNow }})
}

// jump moves the emulator clock through POST /_emulator/clock.
func jump(t *testing.T, c *ecs.Client, body string) time.Time {
	t.Helper()
	resp, err := http.Post("http://"+c.Domain+"/_emulator/clock", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Now     string `json:"now"`
		Message string `json:"Message"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("clock %s: %d %s", body, resp.StatusCode, out.Message)
	}
	now, err := time.Parse(time.RFC3339, out.Now)
	if err != nil {
		t.Fatal(err)
	}
	return now
}

// pickInstance finds a cn-hangzhou instance in the store matching keep.
func pickInstance(t *testing.T, s *Server, keep func(*instance, []*disk) bool) (*instance, []*disk) {
	t.Helper()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	ids := make([]string, 0)
	for id := range s.store.instances {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		in := s.store.instances[id]
		if in.RegionID != "cn-hangzhou" {
			continue
		}
		var disks []*disk
		for _, d := range s.store.disks {
			if d.InstanceID == in.ID {
				disks = append(disks, d)
			}
		}
		slices.SortFunc(disks, func(a, b *disk) int { return strings.Compare(a.Device, b.Device) })
		if keep(in, disks) {
			return in, disks
		}
	}
	t.Fatal("no instance fits")
	return nil, nil
}

func TestClockJumpsAndScales(t *testing.T) {
	c, _ := newBackupClient(t)
	if got := jump(t, c, `{"advance":"2h"}`); !got.Equal(backupNow.Add(2 * time.Hour)) {
		t.Fatalf("advance 2h: now %s", got)
	}
	if got := jump(t, c, `{"advance":"1d"}`); !got.Equal(backupNow.Add(26 * time.Hour)) {
		t.Fatalf("advance 1d: now %s", got)
	}
	if got := jump(t, c, `{"set":"2026-12-01T00:00:00Z"}`); !got.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("set: now %s", got)
	}
	resp, err := http.Post("http://"+c.Domain+"/_emulator/clock", "application/json", strings.NewReader(`{"set":"2026-01-01T00:00:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("setting the clock back: status %d, want 400", resp.StatusCode)
	}

	// TimeScale applies on top of the given Now.
	base := backupNow
	s := New(Options{Seed: 1, Now: func() time.Time { return base }, TimeScale: 60})
	base = base.Add(time.Second)
	if got := s.opts.Now(); !got.Equal(backupNow.Add(time.Minute)) {
		t.Fatalf("TimeScale 60: one real second gave %s", got.Sub(backupNow))
	}
}

func TestCreateImageFromInstanceAndDeleteRefusals(t *testing.T) {
	c, s := newBackupClient(t)
	in, disks := pickInstance(t, s, func(in *instance, d []*disk) bool { return in.Status == "Running" && len(d) >= 2 })

	req := ecs.CreateCreateImageRequest()
	req.RegionId, req.InstanceId, req.ImageName, req.ImageFamily, req.ClientToken = "cn-hangzhou", in.ID, "golden-api-v1", "golden-api", "tok-image-1"
	resp, err := c.CreateImage(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateImage(req)
	if err != nil || again.ImageId != resp.ImageId {
		t.Fatalf("retried CreateImage with the same ClientToken: %v %v, want %s", again, err, resp.ImageId)
	}
	// The same name again is refused.
	dup := ecs.CreateCreateImageRequest()
	dup.RegionId, dup.InstanceId, dup.ImageName = "cn-hangzhou", in.ID, "golden-api-v1"
	_, err = c.CreateImage(dup)
	ecsExpectError(t, err, "InvalidImageName.Duplicated", 400)
	bad := ecs.CreateCreateImageRequest()
	bad.RegionId, bad.InstanceId, bad.ImageName = "cn-hangzhou", in.ID, "http://x"
	_, err = c.CreateImage(bad)
	ecsExpectError(t, err, "InvalidImageName.Malformed", 400)

	img := describeImage(t, c, resp.ImageId)
	if img.Status != "Creating" || img.ImageFamily != "golden-api" {
		t.Fatalf("new image: %+v", img)
	}
	if n := len(img.DiskDeviceMappings.DiskDeviceMapping); n != len(disks) {
		t.Fatalf("image has %d disk mappings, instance has %d disks", n, len(disks))
	}
	jump(t, c, `{"advance":"5s"}`)
	if img = describeImage(t, c, resp.ImageId); img.Status != "Creating" || img.Progress == "0%" || img.Progress == "100%" {
		t.Fatalf("image half way: %s %s", img.Status, img.Progress)
	}
	jump(t, c, `{"advance":"30s"}`)
	if img = describeImage(t, c, resp.ImageId); img.Status != "Available" || img.Progress != "100%" {
		t.Fatalf("image done: %s %s", img.Status, img.Progress)
	}
	sysSnap := img.DiskDeviceMappings.DiskDeviceMapping[0].SnapshotId

	// Its snapshots say they back an image and cannot be deleted.
	sr := ecs.CreateDescribeSnapshotsRequest()
	sr.RegionId, sr.SnapshotIds = "cn-hangzhou", `["`+sysSnap+`"]`
	snaps, err := c.DescribeSnapshots(sr)
	if err != nil || len(snaps.Snapshots.Snapshot) != 1 || snaps.Snapshots.Snapshot[0].Usage != "image" || snaps.Snapshots.Snapshot[0].Status != "accomplished" {
		t.Fatalf("image snapshot: %+v %v", snaps, err)
	}
	del := ecs.CreateDeleteSnapshotRequest()
	del.SnapshotId = sysSnap
	_, err = c.DeleteSnapshot(del)
	ecsExpectError(t, err, "SnapshotCreatedImage", 403)

	// An image from that snapshot (SnapshotId: the system disk).
	fromSnap := ecs.CreateCreateImageRequest()
	fromSnap.RegionId, fromSnap.SnapshotId, fromSnap.ImageName = "cn-hangzhou", sysSnap, "from-snap"
	if _, err := c.CreateImage(fromSnap); err != nil {
		t.Fatal(err)
	}
	dataSnap := img.DiskDeviceMappings.DiskDeviceMapping[1].SnapshotId
	fromData := ecs.CreateCreateImageRequest()
	fromData.RegionId, fromData.SnapshotId, fromData.ImageName = "cn-hangzhou", dataSnap, "from-data"
	_, err = c.CreateImage(fromData)
	ecsExpectError(t, err, "InvalidSnapshotId.NotSystemDiskSnapshot", 400)

	// Deprecate: the family skips it; restore: it is back.
	fam := ecs.CreateDescribeImageFromFamilyRequest()
	fam.RegionId, fam.ImageFamily = "cn-hangzhou", "golden-api"
	ff, err := c.DescribeImageFromFamily(fam)
	if err != nil || ff.Image.ImageId != resp.ImageId {
		t.Fatalf("family: %+v %v", ff, err)
	}
	dep := ecs.CreateModifyImageAttributeRequest()
	dep.RegionId, dep.ImageId, dep.Status = "cn-hangzhou", resp.ImageId, "Deprecated"
	if _, err := c.ModifyImageAttribute(dep); err != nil {
		t.Fatal(err)
	}
	if ff, err = c.DescribeImageFromFamily(fam); err != nil || ff.Image.ImageId != "" {
		t.Fatalf("family after deprecation: %+v %v", ff.Image.ImageId, err)
	}
	dep.Status = "Available"
	if _, err := c.ModifyImageAttribute(dep); err != nil {
		t.Fatal(err)
	}

	// Share, list, then deletion is refused while shared.
	share := ecs.CreateModifyImageSharePermissionRequest()
	share.RegionId, share.ImageId, share.AddAccount = "cn-hangzhou", resp.ImageId, &[]string{"1987654321098765", "1111222233334444"}
	if _, err := c.ModifyImageSharePermission(share); err != nil {
		t.Fatal(err)
	}
	self := ecs.CreateModifyImageSharePermissionRequest()
	self.RegionId, self.ImageId, self.AddAccount = "cn-hangzhou", resp.ImageId, &[]string{cmsUserID}
	_, err = c.ModifyImageSharePermission(self)
	ecsExpectError(t, err, "InvalidAccount.Forbbiden", 404)
	dsp := ecs.CreateDescribeImageSharePermissionRequest()
	dsp.RegionId, dsp.ImageId = "cn-hangzhou", resp.ImageId
	perm, err := c.DescribeImageSharePermission(dsp)
	if err != nil || perm.TotalCount != 2 || len(perm.Accounts.Account) != 2 || perm.Accounts.Account[0].SharedTime == "" {
		t.Fatalf("share permission: %+v %v", perm, err)
	}
	if img = describeImage(t, c, resp.ImageId); img.IsSelfShared != "True" {
		t.Fatalf("IsSelfShared = %q", img.IsSelfShared)
	}
	di := ecs.CreateDeleteImageRequest()
	di.RegionId, di.ImageId = "cn-hangzhou", resp.ImageId
	_, err = c.DeleteImage(di)
	ecsExpectError(t, err, "ImageUseShared", 403)
	dep.Status = "Deprecated"
	_, err = c.ModifyImageAttribute(dep)
	ecsExpectError(t, err, "ImageUseShared", 403)
	unshare := ecs.CreateModifyImageSharePermissionRequest()
	unshare.RegionId, unshare.ImageId, unshare.RemoveAccount = "cn-hangzhou", resp.ImageId, &[]string{"1987654321098765", "1111222233334444"}
	if _, err := c.ModifyImageSharePermission(unshare); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteImage(di); err != nil {
		t.Fatalf("delete an unused, unshared image: %v", err)
	}
	// The image made from the snapshot still holds it.
	_, err = c.DeleteSnapshot(del)
	ecsExpectError(t, err, "SnapshotCreatedImage", 403)
}

func describeImage(t *testing.T, c *ecs.Client, id string) ecs.Image {
	t.Helper()
	req := ecs.CreateDescribeImagesRequest()
	req.RegionId, req.ImageId, req.Status = "cn-hangzhou", id, "Creating,Waiting,Available,Deprecated"
	resp, err := c.DescribeImages(req)
	if err != nil || len(resp.Images.Image) != 1 {
		t.Fatalf("DescribeImages %s: %+v %v", id, resp, err)
	}
	return resp.Images.Image[0]
}

func TestRunInstancesFromImage(t *testing.T) {
	c, s := newBackupClient(t)
	src, _ := pickInstance(t, s, func(in *instance, d []*disk) bool {
		return in.Status == "Running" && in.OSType == "linux" && in.KeyPairName != ""
	})
	ci := ecs.CreateCreateImageRequest()
	ci.RegionId, ci.InstanceId, ci.ImageName = "cn-hangzhou", src.ID, "template-web"
	img, err := c.CreateImage(ci)
	if err != nil {
		t.Fatal(err)
	}
	jump(t, c, `{"advance":"1m"}`)

	launch := func(edit func(*ecs.RunInstancesRequest)) *ecs.RunInstancesRequest {
		run := ecs.CreateRunInstancesRequest()
		run.RegionId, run.ImageId, run.InstanceType = "cn-hangzhou", img.ImageId, src.InstanceType
		run.VSwitchId, run.SecurityGroupId, run.KeyPairName = src.VSwitchID, src.SecurityGroupIDs[0], src.KeyPairName
		run.Amount, run.InstanceName, run.InternetMaxBandwidthOut = requests.NewInteger(2), "clone-[1,2]", requests.NewInteger(5)
		run.SystemDiskCategory, run.SystemDiskSize = "cloud_essd", "60"
		run.ClientToken = "launch-token-1"
		if edit != nil {
			edit(run)
		}
		return run
	}
	run := launch(nil)
	_, err = c.RunInstances(launch(func(r *ecs.RunInstancesRequest) { r.DryRun = requests.NewBoolean(true) }))
	ecsExpectError(t, err, "DryRunOperation", 400)
	_, err = c.RunInstances(launch(func(r *ecs.RunInstancesRequest) { r.InstanceName, r.ClientToken = "1-starts-with-digit", "" }))
	ecsExpectError(t, err, "InvalidInstanceName.Malformed", 400)
	_, err = c.RunInstances(launch(func(r *ecs.RunInstancesRequest) { r.SystemDiskSize, r.ClientToken = "20", "" }))
	ecsExpectError(t, err, "InvalidSystemDiskSize.LessThanImageSize", 404)
	_, err = c.RunInstances(launch(func(r *ecs.RunInstancesRequest) { r.KeyPairName, r.ClientToken = "nobody", "" }))
	ecsExpectError(t, err, "InvalidKeyPairName.NotFound", 404)

	first, err := c.RunInstances(run)
	if err != nil {
		t.Fatal(err)
	}
	ids := first.InstanceIdSets.InstanceIdSet
	if len(ids) != 2 {
		t.Fatalf("launched %v", ids)
	}
	retry, err := c.RunInstances(launch(nil))
	if err != nil || !slices.Equal(retry.InstanceIdSets.InstanceIdSet, ids) {
		t.Fatalf("retry with the same ClientToken: %v %v, want %v", retry.InstanceIdSets.InstanceIdSet, err, ids)
	}
	_, err = c.RunInstances(launch(func(r *ecs.RunInstancesRequest) { r.Amount = requests.NewInteger(3) }))
	ecsExpectError(t, err, "IdempotentParameterMismatch", 400)

	describe := func() []ecs.Instance {
		req := ecs.CreateDescribeInstancesRequest()
		req.RegionId, req.InstanceIds = "cn-hangzhou", `["`+ids[0]+`","`+ids[1]+`"]`
		resp, err := c.DescribeInstances(req)
		if err != nil {
			t.Fatal(err)
		}
		out := resp.Instances.Instance
		slices.SortFunc(out, func(a, b ecs.Instance) int { return strings.Compare(a.InstanceName, b.InstanceName) })
		return out
	}
	got := describe()
	if len(got) != 2 || got[0].Status != "Pending" || got[0].InstanceName != "clone-01" || got[1].InstanceName != "clone-02" {
		t.Fatalf("new instances: %+v", got)
	}
	if got[0].ImageId != img.ImageId || got[0].VpcAttributes.VSwitchId != src.VSwitchID || got[0].VpcAttributes.PrivateIpAddress.IpAddress[0] == src.PrivateIP || len(got[0].PublicIpAddress.IpAddress) != 1 {
		t.Fatalf("new instance network/image: %+v", got[0])
	}
	jump(t, c, `{"advance":"3s"}`)
	if got = describe(); got[0].Status != "Starting" {
		t.Fatalf("after one delay: %s", got[0].Status)
	}
	jump(t, c, `{"advance":"3s"}`)
	if got = describe(); got[0].Status != "Running" || got[1].Status != "Running" {
		t.Fatalf("after two delays: %s %s", got[0].Status, got[1].Status)
	}

	dr := ecs.CreateDescribeDisksRequest()
	dr.RegionId, dr.InstanceId = "cn-hangzhou", ids[0]
	disks, err := c.DescribeDisks(dr)
	if err != nil {
		t.Fatal(err)
	}
	var sys *ecs.Disk
	for i, d := range disks.Disks.Disk {
		if d.Type == "system" {
			sys = &disks.Disks.Disk[i]
		}
		if d.Status != "In_use" {
			t.Fatalf("disk %s is %s", d.DiskId, d.Status)
		}
	}
	if sys == nil || sys.ImageId != img.ImageId || sys.Size != 60 || sys.Category != "cloud_essd" {
		t.Fatalf("system disk: %+v", sys)
	}

	// The image is in use now: deleting it needs Force.
	di := ecs.CreateDeleteImageRequest()
	di.RegionId, di.ImageId = "cn-hangzhou", img.ImageId
	_, err = c.DeleteImage(di)
	ecsExpectError(t, err, "ImageUsingByInstance", 403)
	di.Force = requests.NewBoolean(true)
	if _, err := c.DeleteImage(di); err != nil {
		t.Fatal(err)
	}

	// The new instances report agent metrics like the rest of the fleet.
	s.store.mu.Lock()
	in := s.store.instances[ids[0]]
	agent := in.AgentStatus
	s.store.mu.Unlock()
	if agent != "running" {
		t.Fatalf("agent %q", agent)
	}
}

func TestResetDiskAndCopySnapshot(t *testing.T) {
	c, s := newBackupClient(t)
	in, disks := pickInstance(t, s, func(in *instance, d []*disk) bool { return in.Status == "Running" && len(d) >= 2 })
	sys, data := disks[0], disks[1]
	cs := ecs.CreateCreateSnapshotRequest()
	cs.DiskId, cs.SnapshotName = sys.ID, "before-change"
	snap, err := c.CreateSnapshot(cs)
	if err != nil {
		t.Fatal(err)
	}
	reset := ecs.CreateResetDiskRequest()
	reset.DiskId, reset.SnapshotId = sys.ID, snap.SnapshotId
	_, err = c.ResetDisk(reset)
	ecsExpectError(t, err, "InvalidSnapshotId.NotReady", 403)
	jump(t, c, `{"advance":"1m"}`)
	_, err = c.ResetDisk(reset)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403)
	wrong := ecs.CreateResetDiskRequest()
	wrong.DiskId, wrong.SnapshotId = data.ID, snap.SnapshotId
	_, err = c.ResetDisk(wrong)
	ecsExpectError(t, err, "InvalidParameter.Mismatch", 403)

	s.store.mu.Lock()
	s.store.instances[in.ID].Status = "Stopped"
	s.store.mu.Unlock()
	reset.DryRun = requests.NewBoolean(true)
	_, err = c.ResetDisk(reset)
	ecsExpectError(t, err, "DryRunOperation", 400)
	reset.DryRun = requests.NewBoolean(false)
	if _, err := c.ResetDisk(reset); err != nil {
		t.Fatal(err)
	}

	cp := ecs.CreateCopySnapshotRequest()
	cp.RegionId, cp.SnapshotId, cp.DestinationRegionId = "cn-hangzhou", snap.SnapshotId, "cn-shanghai"
	cp.DestinationSnapshotName, cp.DestinationSnapshotDescription, cp.RetentionDays = "dr-copy", "disaster recovery", requests.NewInteger(30)
	same := ecs.CreateCopySnapshotRequest()
	same.RegionId, same.SnapshotId, same.DestinationRegionId = "cn-hangzhou", snap.SnapshotId, "cn-hangzhou"
	same.DestinationSnapshotName, same.DestinationSnapshotDescription = "dr-copy", "disaster recovery"
	_, err = c.CopySnapshot(same)
	ecsExpectError(t, err, "InvalidOperation.NotSupportCopyInSameRegion", 403)
	copied, err := c.CopySnapshot(cp)
	if err != nil {
		t.Fatal(err)
	}
	dsr := ecs.CreateDescribeSnapshotsRequest()
	dsr.RegionId, dsr.SnapshotIds = "cn-shanghai", `["`+copied.SnapshotId+`"]`
	got, err := c.DescribeSnapshots(dsr)
	if err != nil || len(got.Snapshots.Snapshot) != 1 {
		t.Fatal(got, err)
	}
	if g := got.Snapshots.Snapshot[0]; g.Status != "progressing" || g.SourceRegionId != "cn-hangzhou" || g.SourceSnapshotId != snap.SnapshotId || g.RetentionDays != 30 || g.SnapshotName != "dr-copy" {
		t.Fatalf("copy: %+v", g)
	}
	jump(t, c, `{"advance":"1m"}`)
	if got, _ = c.DescribeSnapshots(dsr); got.Snapshots.Snapshot[0].Status != "accomplished" {
		t.Fatalf("copy after a minute: %s", got.Snapshots.Snapshot[0].Status)
	}
}

func TestSnapshotGroups(t *testing.T) {
	c, s := newBackupClient(t)
	in, disks := pickInstance(t, s, func(in *instance, d []*disk) bool {
		if in.Status != "Running" || len(d) < 2 {
			return false
		}
		for _, x := range d {
			if x.Category != "cloud_essd" {
				return false
			}
		}
		return true
	})
	req := ecs.CreateCreateSnapshotGroupRequest()
	req.RegionId, req.InstanceId, req.Name = "cn-hangzhou", in.ID, "pre-upgrade-group"
	g, err := c.CreateSnapshotGroup(req)
	if err != nil {
		t.Fatal(err)
	}
	dg := ecs.CreateDescribeSnapshotGroupsRequest()
	dg.RegionId, dg.SnapshotGroupId = "cn-hangzhou", &[]string{g.SnapshotGroupId}
	got, err := c.DescribeSnapshotGroups(dg)
	if err != nil || len(got.SnapshotGroups.SnapshotGroup) != 1 {
		t.Fatal(got, err)
	}
	grp := got.SnapshotGroups.SnapshotGroup[0]
	if grp.Status != "progressing" || grp.InstanceId != in.ID || len(grp.Snapshots.Snapshot) != len(disks) {
		t.Fatalf("group: %+v", grp)
	}
	// A second group while the first is progressing is refused.
	_, err = c.CreateSnapshotGroup(req)
	ecsExpectError(t, err, "IncorrectDiskStatus.CreatingSnapshot", 403)
	jump(t, c, `{"advance":"1m"}`)
	got, _ = c.DescribeSnapshotGroups(dg)
	if grp = got.SnapshotGroups.SnapshotGroup[0]; grp.Status != "accomplished" || grp.Snapshots.Snapshot[0].Progress != "100%" {
		t.Fatalf("group after a minute: %+v", grp)
	}
	del := ecs.CreateDeleteSnapshotGroupRequest()
	del.RegionId, del.SnapshotGroupId = "cn-hangzhou", g.SnapshotGroupId
	dr, err := c.DeleteSnapshotGroup(del)
	if err != nil || len(dr.OperationProgressSet.OperationProgress) != len(disks) {
		t.Fatal(dr, err)
	}
	if got, _ = c.DescribeSnapshotGroups(dg); len(got.SnapshotGroups.SnapshotGroup) != 0 {
		t.Fatalf("deleted group still listed")
	}
}

func TestAutomaticSnapshotPoliciesFire(t *testing.T) {
	c, s := newBackupClient(t)
	_, disks := pickInstance(t, s, func(in *instance, d []*disk) bool { return in.Status == "Running" && d[0].AutoSnapshotPolicyID == "" })
	d := disks[0]

	bad := ecs.CreateCreateAutoSnapshotPolicyRequest()
	bad.RegionId, bad.TimePoints, bad.RepeatWeekdays, bad.RetentionDays = "cn-hangzhou", `["24"]`, `["1"]`, requests.NewInteger(1)
	_, err := c.CreateAutoSnapshotPolicy(bad)
	ecsExpectError(t, err, "ParameterInvalid", 403)

	cp := ecs.CreateCreateAutoSnapshotPolicyRequest()
	cp.RegionId, cp.AutoSnapshotPolicyName = "cn-hangzhou", "nightly-2am"
	cp.TimePoints, cp.RepeatWeekdays, cp.RetentionDays = `["2"]`, `["1","2","3","4","5","6","7"]`, requests.NewInteger(1)
	pol, err := c.CreateAutoSnapshotPolicy(cp)
	if err != nil {
		t.Fatal(err)
	}
	ap := ecs.CreateApplyAutoSnapshotPolicyRequest()
	ap.RegionId, ap.AutoSnapshotPolicyId, ap.DiskIds = "cn-hangzhou", pol.AutoSnapshotPolicyId, `["`+d.ID+`"]`
	if _, err := c.ApplyAutoSnapshotPolicy(ap); err != nil {
		t.Fatal(err)
	}
	missing := ecs.CreateApplyAutoSnapshotPolicyRequest()
	missing.RegionId, missing.AutoSnapshotPolicyId, missing.DiskIds = "cn-hangzhou", "sp-doesnotexist", `["`+d.ID+`"]`
	_, err = c.ApplyAutoSnapshotPolicy(missing)
	ecsExpectError(t, err, "ParameterInvalid", 404)

	autos := func() []ecs.Snapshot {
		req := ecs.CreateDescribeSnapshotsRequest()
		req.RegionId, req.DiskId, req.SnapshotType, req.PageSize = "cn-hangzhou", d.ID, "auto", requests.NewInteger(100)
		resp, err := c.DescribeSnapshots(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Snapshots.Snapshot
	}
	if n := len(autos()); n != 0 {
		t.Fatalf("%d auto snapshots before the first slot", n)
	}
	// 08:00 UTC+8 now; 02:00 UTC+8 tomorrow is 18 h away.
	jump(t, c, `{"advance":"17h"}`)
	if n := len(autos()); n != 0 {
		t.Fatalf("%d auto snapshots an hour before the slot", n)
	}
	jump(t, c, `{"advance":"1h"}`)
	got := autos()
	if len(got) != 1 || got[0].SnapshotName != "auto_20261126_1" || got[0].SnapshotType != "auto" || got[0].Status != "progressing" || got[0].RetentionDays != 1 {
		t.Fatalf("after the slot: %+v", got)
	}
	jump(t, c, `{"advance":"1m"}`)
	if got = autos(); got[0].Status != "accomplished" {
		t.Fatalf("auto snapshot after a minute: %s", got[0].Status)
	}
	// A day later: the next one fired, the first expired (retention 1 day).
	jump(t, c, `{"advance":"24h"}`)
	got = autos()
	if len(got) != 1 || got[0].SnapshotName != "auto_20261127_1" {
		t.Fatalf("a day later: %+v", got)
	}

	// Modify: a retention of -1 keeps them; the disk shows the policy.
	mp := ecs.CreateModifyAutoSnapshotPolicyExRequest()
	mp.RegionId, mp.AutoSnapshotPolicyId, mp.RetentionDays = "cn-hangzhou", pol.AutoSnapshotPolicyId, requests.NewInteger(-1)
	if _, err := c.ModifyAutoSnapshotPolicyEx(mp); err != nil {
		t.Fatal(err)
	}
	jump(t, c, `{"advance":"72h"}`)
	if got = autos(); len(got) != 3 {
		t.Fatalf("three more days, one expiring: %d snapshots", len(got))
	}

	// Delete: the disk is released.
	dp := ecs.CreateDeleteAutoSnapshotPolicyRequest()
	dp.RegionId, dp.AutoSnapshotPolicyId = "cn-hangzhou", pol.AutoSnapshotPolicyId
	if _, err := c.DeleteAutoSnapshotPolicy(dp); err != nil {
		t.Fatal(err)
	}
	dd := ecs.CreateDescribeDisksRequest()
	dd.RegionId, dd.DiskIds = "cn-hangzhou", `["`+d.ID+`"]`
	disksResp, err := c.DescribeDisks(dd)
	if err != nil || disksResp.Disks.Disk[0].AutoSnapshotPolicyId != "" {
		t.Fatalf("disk after the policy was deleted: %+v %v", disksResp, err)
	}
}

func TestCopyCancelAndExportImage(t *testing.T) {
	c, s := newBackupClient(t)
	src, _ := pickInstance(t, s, func(in *instance, d []*disk) bool { return in.Status == "Running" })
	ci := ecs.CreateCreateImageRequest()
	ci.RegionId, ci.InstanceId, ci.ImageName = "cn-hangzhou", src.ID, "to-copy"
	img, err := c.CreateImage(ci)
	if err != nil {
		t.Fatal(err)
	}
	cp := ecs.CreateCopyImageRequest()
	cp.RegionId, cp.ImageId, cp.DestinationRegionId = "cn-hangzhou", img.ImageId, "cn-beijing"
	_, err = c.CopyImage(cp)
	ecsExpectError(t, err, "IncorrectImageStatus", 400)
	jump(t, c, `{"advance":"1m"}`)

	first, err := c.CopyImage(cp)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.CopyImage(cp)
	if err != nil {
		t.Fatal(err)
	}
	cancel := ecs.CreateCancelCopyImageRequest()
	cancel.RegionId, cancel.ImageId = "cn-beijing", second.ImageId
	if _, err := c.CancelCopyImage(cancel); err != nil {
		t.Fatal(err)
	}
	notCopy := ecs.CreateCancelCopyImageRequest()
	notCopy.RegionId, notCopy.ImageId = "cn-hangzhou", img.ImageId
	_, err = c.CancelCopyImage(notCopy)
	ecsExpectError(t, err, "ImageCreatedNotFromCopy", 400)

	di := ecs.CreateDeleteImageRequest()
	di.RegionId, di.ImageId = "cn-hangzhou", img.ImageId
	_, err = c.DeleteImage(di)
	ecsExpectError(t, err, "OperationDenied.ImageCopying", 403)

	dr := ecs.CreateDescribeImagesRequest()
	dr.RegionId, dr.Status, dr.ImageId = "cn-beijing", "Creating,Available", first.ImageId+","+second.ImageId
	got, err := c.DescribeImages(dr)
	if err != nil || len(got.Images.Image) != 1 || got.Images.Image[0].Status != "Creating" || !got.Images.Image[0].IsCopied {
		t.Fatalf("copies while copying: %+v %v", got.Images, err)
	}
	jump(t, c, `{"advance":"1m"}`)
	got, _ = c.DescribeImages(dr)
	if g := got.Images.Image[0]; g.Status != "Available" || g.Progress != "100%" || g.DiskDeviceMappings.DiskDeviceMapping[0].SnapshotId == "" {
		t.Fatalf("copy done: %+v", g)
	}
	cancel.ImageId = first.ImageId
	_, err = c.CancelCopyImage(cancel)
	ecsExpectError(t, err, "IncorrectImageStatus", 400)

	ex := ecs.CreateExportImageRequest()
	ex.RegionId, ex.ImageId, ex.OSSBucket, ex.OSSPrefix, ex.ImageFormat = "cn-hangzhou", img.ImageId, "backups-bucket", "ecsdash", "qcow2"
	badFmt := ecs.CreateExportImageRequest()
	badFmt.RegionId, badFmt.ImageId, badFmt.OSSBucket, badFmt.ImageFormat = "cn-hangzhou", img.ImageId, "backups-bucket", "iso"
	_, err = c.ExportImage(badFmt)
	ecsExpectError(t, err, "InvalidImageFormat.NotSupported", 400)
	task, err := c.ExportImage(ex)
	if err != nil || task.TaskId == "" {
		t.Fatal(task, err)
	}
	_, err = c.ExportImage(ex)
	ecsExpectError(t, err, "ImageIsExporting", 403)
	jump(t, c, `{"advance":"7s"}`)
	ta := ecs.CreateDescribeTaskAttributeRequest()
	ta.RegionId, ta.TaskId = "cn-hangzhou", task.TaskId
	attr, err := c.DescribeTaskAttribute(ta)
	if err != nil || attr.TaskStatus != "Processing" || attr.TaskProcess == "0%" || attr.TaskAction != "ExportImage" {
		t.Fatalf("task half way: %+v %v", attr, err)
	}
	jump(t, c, `{"advance":"1m"}`)
	attr, _ = c.DescribeTaskAttribute(ta)
	items := attr.OperationProgressSet.OperationProgress[0].RelatedItemSet.RelatedItem
	if attr.TaskStatus != "Finished" || attr.TaskProcess != "100%" || len(items) != 3 || !strings.HasSuffix(items[1].Value, ".qcow2") {
		t.Fatalf("task done: %+v", attr)
	}
	dt := ecs.CreateDescribeTasksRequest()
	dt.RegionId, dt.TaskAction = "cn-hangzhou", "ExportImage"
	tasks, err := c.DescribeTasks(dt)
	if err != nil || len(tasks.TaskSet.Task) != 1 || tasks.TaskSet.Task[0].ResourceId != img.ImageId || tasks.TaskSet.Task[0].TaskStatus != "Finished" {
		t.Fatalf("DescribeTasks: %+v %v", tasks, err)
	}
	ta.TaskId = "t-nothere"
	_, err = c.DescribeTaskAttribute(ta)
	ecsExpectError(t, err, "InvalidTaskId.NotFound", 400)
}

func TestDeleteSnapshotThatCreatedDisksNeedsForce(t *testing.T) {
	c, s := newBackupClient(t)
	_, disks := pickInstance(t, s, func(in *instance, d []*disk) bool { return in.Status == "Running" && len(d) >= 2 })
	cs := ecs.CreateCreateSnapshotRequest()
	cs.DiskId, cs.SnapshotName = disks[1].ID, "data-backup"
	snap, err := c.CreateSnapshot(cs)
	if err != nil {
		t.Fatal(err)
	}
	jump(t, c, `{"advance":"1m"}`)
	// A disk made from the snapshot (as CreateDisk with SnapshotId records it).
	s.store.mu.Lock()
	nd := *disks[1]
	nd.ID, nd.InstanceID, nd.Status, nd.SourceSnapshotID = "d-bp1fromsnapshot0001", "", "Available", snap.SnapshotId
	s.store.disks[nd.ID] = &nd
	s.store.mu.Unlock()

	sr := ecs.CreateDescribeSnapshotsRequest()
	sr.RegionId, sr.SnapshotIds = "cn-hangzhou", `["`+snap.SnapshotId+`"]`
	got, err := c.DescribeSnapshots(sr)
	if err != nil || got.Snapshots.Snapshot[0].Usage != "disk" {
		t.Fatalf("usage: %+v %v", got, err)
	}
	del := ecs.CreateDeleteSnapshotRequest()
	del.SnapshotId = snap.SnapshotId
	_, err = c.DeleteSnapshot(del)
	ecsExpectError(t, err, "SnapshotCreatedDisk", 403)
	force := ecs.CreateDeleteSnapshotRequest()
	force.SnapshotId, force.Force = snap.SnapshotId, requests.NewBoolean(true)
	if _, err := c.DeleteSnapshot(force); err != nil {
		t.Fatal(err)
	}
	// An unknown id is ignored, as documented.
	gone := ecs.CreateDeleteSnapshotRequest()
	gone.SnapshotId = snap.SnapshotId
	if _, err := c.DeleteSnapshot(gone); err != nil {
		t.Fatalf("deleting an unknown snapshot: %v", err)
	}
}
