package emulator

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// snapshotTarget picks a cn-hangzhou disk In_use on a Running instance with
// no snapshot in progress, straight from the store.
func snapshotTarget(t *testing.T, s *Server) (*disk, *instance) {
	t.Helper()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	busy := map[string]bool{}
	for _, sn := range s.store.snapshots {
		if sn.Status == "progressing" {
			busy[sn.SourceDiskID] = true
		}
	}
	var best *disk
	for _, d := range s.store.disks {
		in := s.store.instances[d.InstanceID]
		if d.RegionID == "cn-hangzhou" && d.Status == "In_use" && in != nil && in.Status == "Running" && !busy[d.ID] &&
			(best == nil || d.ID < best.ID) {
			best = d
		}
	}
	if best == nil {
		t.Fatal("no disk to snapshot")
	}
	return best, s.store.instances[best.InstanceID]
}

func TestECSCreateSnapshot(t *testing.T) {
	const delay = 100 * time.Millisecond
	c, s := newECSTestClient(t, Options{Seed: 1, Instances: 20, TransitionDelay: delay})
	d, in := snapshotTarget(t, s)

	req := ecs.CreateCreateSnapshotRequest()
	req.RegionId = "cn-hangzhou"
	req.DiskId = d.ID
	req.SnapshotName = "pre-upgrade.v2"
	req.Description = "before the upgrade"
	req.RetentionDays = requests.NewInteger(7)
	req.ClientToken = "tok-1"
	resp, err := c.CreateSnapshot(req)
	if err != nil {
		t.Fatalf("CreateSnapshot: %v", err)
	}
	id := resp.SnapshotId
	if !strings.HasPrefix(id, "s-") || resp.RequestId == "" || resp.GetHttpStatus() != 200 {
		t.Fatalf("response %+v", resp)
	}

	// The same token and parameters answer the same snapshot, HTTP 200.
	again := *req
	again.RpcRequest = ecs.CreateCreateSnapshotRequest().RpcRequest
	again.RegionId = "cn-hangzhou"
	replay, err := c.CreateSnapshot(&again)
	if err != nil || replay.SnapshotId != id || replay.GetHttpStatus() != 200 {
		t.Fatalf("replay: %+v, %v (want %s)", replay, err, id)
	}
	// The same token with other parameters is refused.
	other := ecs.CreateCreateSnapshotRequest()
	other.RegionId, other.DiskId, other.ClientToken, other.SnapshotName = "cn-hangzhou", d.ID, "tok-1", "different"
	_, err = c.CreateSnapshot(other)
	ecsExpectError(t, err, "IdempotentParameterMismatch", 400)

	// One snapshot of a disk at a time.
	second := ecs.CreateCreateSnapshotRequest()
	second.RegionId, second.DiskId = "cn-hangzhou", d.ID
	_, err = c.CreateSnapshot(second)
	ecsExpectError(t, err, "IncorrectDiskStatus.CreatingSnapshot", 403)

	desc := ecs.CreateDescribeSnapshotsRequest()
	desc.RegionId = "cn-hangzhou"
	desc.SnapshotIds = `["` + id + `"]`
	list, err := c.DescribeSnapshots(desc)
	if err != nil || len(list.Snapshots.Snapshot) != 1 {
		t.Fatalf("DescribeSnapshots: %+v, %v", list, err)
	}
	got := list.Snapshots.Snapshot[0]
	if got.Status != "progressing" || got.Progress != "0%" || got.SourceDiskId != d.ID || got.SnapshotType != "user" ||
		got.RetentionDays != 7 || got.SnapshotName != "pre-upgrade.v2" || got.Description != "before the upgrade" || got.Available {
		t.Errorf("new snapshot %+v", got)
	}

	// Progress rises to 100 % and the snapshot is accomplished.
	seen := map[string]bool{}
	deadline := time.Now().Add(40 * delay)
	for time.Now().Before(deadline) {
		list, err = c.DescribeSnapshots(desc)
		if err != nil {
			t.Fatal(err)
		}
		got = list.Snapshots.Snapshot[0]
		seen[got.Progress] = true
		if got.Status == "accomplished" {
			break
		}
		time.Sleep(delay / 4)
	}
	if got.Status != "accomplished" || got.Progress != "100%" || !got.Available || len(seen) < 3 {
		t.Errorf("after the transitions: %s %s (progress seen %v)", got.Status, got.Progress, seen)
	}
	// Now another one may start.
	if _, err := c.CreateSnapshot(second); err != nil {
		t.Errorf("second snapshot after the first finished: %v", err)
	}

	// The instance must be Running or Stopped.
	s.store.mu.Lock()
	in.Status = "Starting"
	s.store.mu.Unlock()
	third := ecs.CreateCreateSnapshotRequest()
	third.RegionId, third.DiskId = "cn-hangzhou", d.ID
	time.Sleep(3 * delay) // the second snapshot finishes
	_, err = c.CreateSnapshot(third)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 400)
}

func TestECSCreateSnapshotRefusals(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 1, Instances: 20})
	d, _ := snapshotTarget(t, s)
	create := func(edit func(*ecs.CreateSnapshotRequest)) error {
		req := ecs.CreateCreateSnapshotRequest()
		req.RegionId, req.DiskId = "cn-hangzhou", d.ID
		edit(req)
		_, err := c.CreateSnapshot(req)
		return err
	}
	for _, name := range []string{"a", "auto-nightly", "Auto1", "http://x", "https://x", "1st", "has space", strings.Repeat("n", 129)} {
		ecsExpectError(t, create(func(r *ecs.CreateSnapshotRequest) { r.SnapshotName = name }), "InvalidSnapshotName.Malformed", 400)
	}
	ecsExpectError(t, create(func(r *ecs.CreateSnapshotRequest) { r.DiskId = "" }), "MissingParameter", 400)
	ecsExpectError(t, create(func(r *ecs.CreateSnapshotRequest) { r.DiskId = "d-missing" }), "InvalidDiskId.NotFound", 404)
	ecsExpectError(t, create(func(r *ecs.CreateSnapshotRequest) { r.RegionId = "cn-beijing" }), "InvalidDiskId.NotFound", 404)
	ecsExpectError(t, create(func(r *ecs.CreateSnapshotRequest) { r.RetentionDays = requests.NewInteger(0) }), "InvalidParameter", 400)
	ecsExpectError(t, create(func(r *ecs.CreateSnapshotRequest) { r.Category = "Archive" }), "InvalidParameter", 400)

	// A disk never attached to anything.
	s.store.mu.Lock()
	fresh := &disk{ID: "d-fresh", RegionID: "cn-hangzhou", Type: "data", Status: "Available", Category: "cloud_essd", SizeGiB: 20}
	s.store.disks[fresh.ID] = fresh
	// A disk at the manual snapshot quota.
	for i := range maxManualSnapshotsPerDisk {
		// (the fleet's own manual snapshots of d only add to the count)
		id := quotaID(i)
		s.store.snapshots[id] = &snapshot{ID: id, RegionID: d.RegionID, SourceDiskID: d.ID, Status: "accomplished", Progress: 100, Type: "user"}
	}
	s.store.mu.Unlock()
	ecsExpectError(t, create(func(r *ecs.CreateSnapshotRequest) { r.DiskId = fresh.ID }), "IncorrectDiskStatus.NeverAttached", 403)
	ecsExpectError(t, create(func(*ecs.CreateSnapshotRequest) {}), "QuotaExceed.Snapshot", 403)

	// No snapshot was made by any refusal.
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for _, sn := range s.store.snapshots {
		if sn.Status == "progressing" {
			t.Errorf("a refused call made snapshot %+v", sn)
		}
	}
}

func quotaID(i int) string { return fmt.Sprintf("s-quota%04d", i) }
