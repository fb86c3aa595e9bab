package cloud_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// backupDelay is the emulator's transition delay in these tests: a
// snapshot takes 2x, an image copy 4x.
const backupDelay = 150 * time.Millisecond

// backupEnv is an emulator with short transitions, its URL, and a client
// that audits to a temporary file and polls quickly.
func backupEnv(t *testing.T) (string, *cloud.Client, string) {
	t.Helper()
	_, url := start(t, emulator.Options{Instances: 40, TransitionDelay: backupDelay})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog = audit })
	cloud.SetWaitPolicyForTest(c, 20*time.Millisecond, 100*time.Millisecond)
	return url, c, audit
}

// exec executes p and fails the test on error.
func exec(t *testing.T, c *cloud.Client, p *cloud.Plan, err error) cloud.Result {
	t.Helper()
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	res, err := c.Execute(context.Background(), p)
	if err != nil {
		t.Fatalf("Execute %s: %v", p.Op.Action, err)
	}
	return res
}

// oneID is the single id a create returned.
func oneID(t *testing.T, res cloud.Result, prefix string) string {
	t.Helper()
	if len(res.IDs) != 1 || !strings.HasPrefix(res.IDs[0], prefix) {
		t.Fatalf("Result.IDs = %v, want one %s... id", res.IDs, prefix)
	}
	return res.IDs[0]
}

// runningWithDisks picks a Running instance of the test region, its system
// disk and a data disk (preferring an ESSD data disk, and an instance with
// one).
func runningWithDisks(t *testing.T, c *cloud.Client) (cloud.Instance, cloud.Disk, cloud.Disk) {
	t.Helper()
	ctx := context.Background()
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	disks, err := c.Disks(ctx, testRegion, cloud.DiskFilter{})
	if err != nil {
		t.Fatalf("Disks: %v", err)
	}
	var fallback *struct {
		in        cloud.Instance
		sys, data cloud.Disk
	}
	for _, in := range ins {
		if in.Status != cloud.StateRunning || in.OSType == "windows" {
			continue
		}
		var sys, data cloud.Disk
		for _, d := range disks {
			if d.InstanceID != in.ID || d.Status != cloud.DiskInUse {
				continue
			}
			switch {
			case d.Type == cloud.DiskSystem:
				sys = d
			case data.ID == "" || d.Category == "cloud_essd" && data.Category != "cloud_essd":
				data = d
			}
		}
		if sys.ID == "" || data.ID == "" {
			continue
		}
		if sys.Category == "cloud_essd" && data.Category == "cloud_essd" {
			return in, sys, data
		}
		if fallback == nil {
			fallback = &struct {
				in        cloud.Instance
				sys, data cloud.Disk
			}{in, sys, data}
		}
	}
	if fallback == nil {
		t.Fatal("no Running instance with a system and a data disk")
	}
	return fallback.in, fallback.sys, fallback.data
}

// otherRegion is a region other than the test region.
func otherRegion(t *testing.T, c *cloud.Client) string {
	t.Helper()
	regions, err := c.Regions(context.Background())
	if err != nil {
		t.Fatalf("Regions: %v", err)
	}
	for _, r := range regions {
		if r.ID != testRegion {
			return r.ID
		}
	}
	t.Fatal("only one region")
	return ""
}

// snapshotNow takes and waits for a snapshot of disk.
func snapshotNow(t *testing.T, c *cloud.Client, diskID, name string) cloud.Snapshot {
	t.Helper()
	p, err := c.PlanCreateSnapshotWith(testRegion, diskID, cloud.SnapshotOptions{Name: name})
	id := oneID(t, exec(t, c, p, err), "s-")
	s, err := c.WaitSnapshot(context.Background(), testRegion, id, nil)
	if err != nil {
		t.Fatalf("WaitSnapshot %s: %v", id, err)
	}
	return s
}

func stopInstance(t *testing.T, c *cloud.Client, id string) {
	t.Helper()
	p, err := c.PlanStopInstances(testRegion, []string{id}, false, "")
	exec(t, c, p, err)
	if err := c.WaitInstances(context.Background(), testRegion, []string{id}, cloud.StateStopped, nil); err != nil {
		t.Fatalf("WaitInstances Stopped: %v", err)
	}
}

func TestBackupSnapshotPlans(t *testing.T) {
	_, c, audit := backupEnv(t)
	ctx := context.Background()
	in, sys, data := runningWithDisks(t, c)

	// Refused locally, before any call.
	if _, err := c.PlanCreateSnapshotWith(testRegion, data.ID, cloud.SnapshotOptions{Name: "auto-nightly"}); err == nil || !strings.Contains(err.Error(), `"auto"`) {
		t.Errorf("snapshot named auto...: err = %v", err)
	}
	_, err := c.PlanCreateSnapshotWith(testRegion, data.ID, cloud.SnapshotOptions{Name: "ok-name", RetentionDays: 70000})
	refused(t, "snapshot retention", err, "1 to 65536")

	// Create with every option, and follow its progress.
	p, err := c.PlanCreateSnapshotWith(testRegion, data.ID, cloud.SnapshotOptions{
		Name: "before-upgrade", Description: "pre upgrade", RetentionDays: 7, InstantAccess: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if cli := p.CLI(); !strings.Contains(cli, "--InstantAccess true") || !strings.Contains(cli, "--RetentionDays 7") {
		t.Errorf("CLI = %q", cli)
	}
	snapID := oneID(t, exec(t, c, p, nil), "s-")
	var seen []int
	snap, err := c.WaitSnapshot(ctx, testRegion, snapID, func(pct int) { seen = append(seen, pct) })
	if err != nil || snap.Status != cloud.SnapshotAccomplished || snap.Progress != 100 || snap.RetentionDays != 7 || snap.Name != "before-upgrade" {
		t.Fatalf("WaitSnapshot = %+v, %v", snap, err)
	}
	if len(seen) == 0 || seen[len(seen)-1] != 100 {
		t.Errorf("progress reports %v", seen)
	}

	// Copy to another region; the same plan again returns the same copy.
	dest := otherRegion(t, c)
	_, err = c.PlanCopySnapshot(testRegion, snapID, testRegion, "copy", 0)
	refused(t, "copy to the same region", err, "another region")
	cp, err := c.PlanCopySnapshot(testRegion, snapID, dest, "before-upgrade-dr", 30)
	copyID := oneID(t, exec(t, c, cp, err), "s-")
	if again := exec(t, c, cp, nil); len(again.IDs) != 1 || again.IDs[0] != copyID {
		t.Errorf("re-executed CopySnapshot = %v, want %s (ClientToken)", again.IDs, copyID)
	}
	copies, err := c.Snapshots(ctx, dest, cloud.SnapshotFilter{IDs: []string{copyID}})
	if err != nil || len(copies) != 1 || copies[0].Name != "before-upgrade-dr" || copies[0].RegionID != dest {
		t.Fatalf("copy in %s = %+v, %v", dest, copies, err)
	}

	// Roll back with the instance running: the service's refusal, from the
	// DryRun precheck and from Execute alike.
	info, err := c.PrepareRollback(ctx, testRegion, data.ID, snapID)
	if err != nil || !info.MustStop || info.InstanceStatus != cloud.StateRunning || !info.LostSince.Equal(snap.CreatedAt) {
		t.Fatalf("PrepareRollback = %+v, %v", info, err)
	}
	if _, err := c.PrepareRollback(ctx, testRegion, sys.ID, snapID); err == nil {
		t.Error("PrepareRollback of the system disk to a data disk's snapshot was not refused")
	}
	reset, err := c.PlanResetDisk(testRegion, data.ID, snapID)
	if err != nil || !reset.Op.Destructive || !reset.Op.DryRun {
		t.Fatalf("PlanResetDisk = %+v, %v", reset, err)
	}
	if v := c.Precheck(ctx, reset); !v.Supported || v.OK || v.Code != "IncorrectInstanceStatus" {
		t.Errorf("Precheck(ResetDisk, running) = %+v", v)
	}
	if _, err := c.Execute(ctx, reset); !cloud.IsCode(err, "IncorrectInstanceStatus") {
		t.Errorf("ResetDisk on a running instance: err = %v, want IncorrectInstanceStatus", err)
	}
	stopInstance(t, c, in.ID)
	if v := c.Precheck(ctx, reset); !v.OK {
		t.Errorf("Precheck(ResetDisk, stopped) = %+v", v)
	}
	exec(t, c, reset, nil)
	if info, err := c.PrepareRollback(ctx, testRegion, data.ID, snapID); err != nil || info.MustStop {
		t.Errorf("PrepareRollback after stop = %+v, %v", info, err)
	}

	// A snapshot that backs an image cannot be deleted: refused locally
	// with the image named, and by the service.
	sysSnap := snapshotNow(t, c, sys.ID, "golden-base")
	ip, err := c.PlanCreateImageFromSnapshot(testRegion, sysSnap.ID, "golden-from-snap", "", "")
	imageID := oneID(t, exec(t, c, ip, err), "m-")
	if _, err := c.WaitImage(ctx, testRegion, imageID, nil); err != nil {
		t.Fatalf("WaitImage: %v", err)
	}
	images, disks, err := c.SnapshotLinks(ctx, testRegion, sysSnap.ID)
	if err != nil || !slices.Contains(images, imageID) || len(disks) != 0 {
		t.Errorf("SnapshotLinks = %v, %v, %v", images, disks, err)
	}
	err = c.CheckDeleteSnapshots(ctx, testRegion, []string{snapID, sysSnap.ID}, true)
	refused(t, "delete a snapshot behind an image", err, imageID)
	if err != nil && !strings.Contains(err.Error(), "golden-from-snap") {
		t.Errorf("refusal %q does not name the image", err)
	}
	del, err := c.PlanDeleteSnapshots(testRegion, []string{sysSnap.ID}, false)
	if err != nil || !del.Op.Destructive {
		t.Fatalf("PlanDeleteSnapshots = %+v, %v", del, err)
	}
	if _, err := c.Execute(ctx, del); !cloud.IsCode(err, "SnapshotCreatedImage") {
		t.Errorf("DeleteSnapshot behind an image: err = %v, want SnapshotCreatedImage", err)
	}
	// One that disks were made from needs force.
	nd := cloud.NewDiskSpec{ZoneID: data.ZoneID, Category: data.Category, SnapshotID: snapID, SizeGiB: snap.DiskSizeGiB - 1}
	refused(t, "disk smaller than its snapshot", cloud.ValidateDiskFromSnapshot(nd, snap), "smaller")
	nd.SizeGiB = 0
	if err := cloud.ValidateDiskFromSnapshot(nd, snap); err != nil {
		t.Errorf("ValidateDiskFromSnapshot: %v", err)
	}
	dp, err := c.PlanCreateDisks(testRegion, nd)
	newDisk := oneID(t, exec(t, c, dp, err), "d-")
	_, disks, err = c.SnapshotLinks(ctx, testRegion, snapID)
	if err != nil || !slices.Contains(disks, newDisk) {
		t.Errorf("SnapshotLinks(%s) disks = %v, %v, want %s", snapID, disks, err, newDisk)
	}
	refused(t, "delete a snapshot disks came from", c.CheckDeleteSnapshots(ctx, testRegion, []string{snapID}, false), newDisk)
	noForce, err := c.PlanDeleteSnapshots(testRegion, []string{snapID}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(ctx, noForce); !cloud.IsCode(err, "SnapshotCreatedDisk") {
		t.Errorf("DeleteSnapshot without force: err = %v, want SnapshotCreatedDisk", err)
	}

	di, err := c.PlanDeleteImage(testRegion, imageID, false)
	exec(t, c, di, err)
	if err := c.CheckDeleteSnapshots(ctx, testRegion, []string{snapID, sysSnap.ID}, true); err != nil {
		t.Errorf("CheckDeleteSnapshots after the image is gone: %v", err)
	}
	del, err = c.PlanDeleteSnapshots(testRegion, []string{snapID, sysSnap.ID}, true)
	if !strings.Contains(del.CLI(), "--Force true") {
		t.Errorf("CLI = %s", del.CLI())
	}
	if del.Parts() != 2 {
		t.Errorf("Parts = %d, want one DeleteSnapshot per id", del.Parts())
	}
	exec(t, c, del, err)
	left, err := c.Snapshots(ctx, testRegion, cloud.SnapshotFilter{IDs: []string{snapID, sysSnap.ID}})
	if err != nil || len(left) != 0 {
		t.Errorf("after delete: %+v, %v", left, err)
	}

	// Every mutation was audited.
	entries, err := cloud.ReadAudit(audit, 0)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Action]++
	}
	for _, a := range []string{"CreateSnapshot", "CopySnapshot", "ResetDisk", "CreateImage", "DeleteSnapshot", "DeleteImage", "StopInstances", "CreateDisk"} {
		if actions[a] == 0 {
			t.Errorf("no audit entry for %s (%v)", a, actions)
		}
	}
}

func TestBackupSnapshotGroup(t *testing.T) {
	_, c, _ := backupEnv(t)
	ctx := context.Background()
	in, sys, data := runningWithDisks(t, c)
	if sys.Category != "cloud_essd" || data.Category != "cloud_essd" {
		t.Skip("the fleet has no instance with ESSD system and data disks")
	}
	_, err := c.PlanCreateSnapshotGroup(testRegion, "", nil, "x-group")
	refused(t, "empty group", err, "instance or at least one disk")
	many := make([]string, 17)
	for i := range many {
		many[i] = "d-" + twoDigits(i)
	}
	_, err = c.PlanCreateSnapshotGroup(testRegion, in.ID, many, "x-group")
	refused(t, "17 disks", err, "at most 16")

	p, err := c.PlanCreateSnapshotGroup(testRegion, in.ID, []string{sys.ID, data.ID}, "consistent-1")
	groupID := oneID(t, exec(t, c, p, err), "ssg-")
	if again := exec(t, c, p, nil); len(again.IDs) != 1 || again.IDs[0] != groupID {
		t.Errorf("re-executed CreateSnapshotGroup = %v, want %s", again.IDs, groupID)
	}
	g, err := c.WaitSnapshotGroup(ctx, testRegion, groupID, nil)
	if err != nil || g.Status != cloud.SnapshotAccomplished || g.Progress != 100 || g.InstanceID != in.ID || g.Name != "consistent-1" || len(g.SnapshotIDs) != 2 {
		t.Fatalf("WaitSnapshotGroup = %+v, %v", g, err)
	}
	groups, err := c.SnapshotGroups(ctx, testRegion)
	if err != nil || !slices.ContainsFunc(groups, func(x cloud.SnapshotGroup) bool { return x.ID == groupID }) {
		t.Fatalf("SnapshotGroups = %+v, %v", groups, err)
	}
	members, err := c.Snapshots(ctx, testRegion, cloud.SnapshotFilter{IDs: g.SnapshotIDs})
	if err != nil || len(members) != 2 {
		t.Fatalf("member snapshots = %+v, %v", members, err)
	}
	for _, s := range members {
		if s.DiskID != sys.ID && s.DiskID != data.ID {
			t.Errorf("member %s is of disk %s", s.ID, s.DiskID)
		}
	}
	dp, err := c.PlanDeleteSnapshotGroup(testRegion, groupID)
	exec(t, c, dp, err)
	if left, _ := c.Snapshots(ctx, testRegion, cloud.SnapshotFilter{IDs: g.SnapshotIDs}); len(left) != 0 {
		t.Errorf("members left after DeleteSnapshotGroup: %v", left)
	}
}

// advanceClock jumps the emulator's clock forward.
func advanceClock(t *testing.T, url, by string) {
	t.Helper()
	resp, err := http.Post(strings.TrimSuffix(url, "/")+"/_emulator/clock", "application/json", strings.NewReader(`{"advance":"`+by+`"}`))
	if err != nil {
		t.Fatalf("clock: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("clock: HTTP %d", resp.StatusCode)
	}
}

func TestBackupPolicies(t *testing.T) {
	url, c, _ := backupEnv(t)
	ctx := context.Background()
	_, _, data := runningWithDisks(t, c)

	_, err := c.PlanCreatePolicy(testRegion, cloud.PolicySpec{Weekdays: []int{8}, Hours: []int{1}, RetentionDays: 1})
	refused(t, "bad weekday", err, "weekdays")

	every := cloud.PolicySpec{Name: "hourly", Weekdays: []int{1, 2, 3, 4, 5, 6, 7}, RetentionDays: 3}
	for h := range 24 {
		every.Hours = append(every.Hours, h)
	}
	p, err := c.PlanCreatePolicy(testRegion, every)
	if err != nil {
		t.Fatal(err)
	}
	if p.Op.Create || p.Op.Idempotent {
		t.Errorf("CreateAutoSnapshotPolicy takes no ClientToken: it must not be retried (%+v)", p.Op)
	}
	if cli := p.CLI(); !strings.Contains(cli, `--repeatWeekdays '["1","2","3","4","5","6","7"]'`) || !strings.Contains(cli, "--retentionDays 3") || !strings.Contains(cli, "--timePoints") {
		t.Errorf("CLI = %s", cli)
	}
	policyID := oneID(t, exec(t, c, p, nil), "")

	nightly := cloud.PolicySpec{Name: "nightly", Weekdays: []int{1, 2, 3, 4, 5, 6, 7}, Hours: every.Hours, RetentionDays: 5}
	mp, err := c.PlanModifyPolicy(testRegion, policyID, nightly)
	exec(t, c, mp, err)
	policies, err := c.AutoSnapshotPolicies(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(policies, func(x cloud.AutoSnapshotPolicy) bool { return x.ID == policyID })
	if i < 0 || policies[i].Name != "nightly" || policies[i].RetentionDays != 5 || len(policies[i].TimePoints) != 24 || len(policies[i].RepeatWeekdays) != 7 {
		t.Fatalf("policy after modify = %+v", policies)
	}

	// Coverage before and after the policy is applied.
	coverage := func() map[string]cloud.CoverageGap {
		disks, err := c.Disks(ctx, testRegion, cloud.DiskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		snaps, err := c.Snapshots(ctx, testRegion, cloud.SnapshotFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return cloud.Coverage(disks, snaps, time.Now().Add(365*24*time.Hour), 0)
	}
	cancel, err := c.PlanCancelPolicy(testRegion, []string{data.ID})
	exec(t, c, cancel, err) // whatever policy the seed gave it
	if _, ok := coverage()[data.ID]; !ok {
		t.Fatalf("disk %s without a policy and with no snapshot in a year is not a gap", data.ID)
	}
	ap, err := c.PlanApplyPolicy(testRegion, policyID, []string{data.ID})
	exec(t, c, ap, err)
	if _, ok := coverage()[data.ID]; ok {
		t.Errorf("disk %s with a policy is still a gap", data.ID)
	}
	disks, err := c.Disks(ctx, testRegion, cloud.DiskFilter{DiskIDs: []string{data.ID}})
	if err != nil || len(disks) != 1 || disks[0].AutoSnapshotPolicyID != policyID {
		t.Fatalf("disk after apply = %+v, %v", disks, err)
	}
	if got := cloud.DisksWithPolicy(disks, policyID); len(got) != 1 {
		t.Errorf("DisksWithPolicy = %v", got)
	}

	// The policy fires when time passes.
	autos := func() []cloud.Snapshot {
		snaps, err := c.Snapshots(ctx, testRegion, cloud.SnapshotFilter{DiskID: data.ID})
		if err != nil {
			t.Fatal(err)
		}
		var out []cloud.Snapshot
		for _, s := range snaps {
			if s.Type == "auto" && strings.HasPrefix(s.Name, "auto") {
				out = append(out, s)
			}
		}
		return out
	}
	before := len(autos())
	advanceClock(t, url, "3h")
	after := autos()
	if len(after) < before+2 {
		t.Fatalf("after 3 hours of an hourly policy: %d auto snapshots, had %d", len(after), before)
	}

	// Cancel, then delete.
	cp, err := c.PlanCancelPolicy(testRegion, []string{data.ID})
	exec(t, c, cp, err)
	disks, _ = c.Disks(ctx, testRegion, cloud.DiskFilter{DiskIDs: []string{data.ID}})
	if len(disks) != 1 || disks[0].AutoSnapshotPolicyID != "" {
		t.Errorf("disk after cancel = %+v", disks)
	}
	dp, err := c.PlanDeletePolicy(testRegion, policyID)
	if err != nil || !dp.Op.Destructive {
		t.Fatalf("PlanDeletePolicy = %+v, %v", dp, err)
	}
	exec(t, c, dp, nil)
	policies, _ = c.AutoSnapshotPolicies(ctx, testRegion)
	if slices.ContainsFunc(policies, func(x cloud.AutoSnapshotPolicy) bool { return x.ID == policyID }) {
		t.Error("policy still listed after delete")
	}
}

func TestBackupImagesAndLaunch(t *testing.T) {
	_, c, _ := backupEnv(t)
	ctx := context.Background()
	src, _, _ := runningWithDisks(t, c)

	names, err := c.ImageNames(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.PlanCreateImageFromInstance(testRegion, src.ID, "web-golden", "web", "template machine")
	imageID := oneID(t, exec(t, c, p, err), "m-")
	if again := exec(t, c, p, nil); len(again.IDs) != 1 || again.IDs[0] != imageID {
		t.Errorf("re-executed CreateImage = %v, want %s (ClientToken)", again.IDs, imageID)
	}
	var seen []int
	im, err := c.WaitImage(ctx, testRegion, imageID, func(pct int) { seen = append(seen, pct) })
	if err != nil || im.Status != cloud.ImageAvailable || im.Name != "web-golden" || im.Family != "web" {
		t.Fatalf("WaitImage = %+v, %v", im, err)
	}
	if len(seen) == 0 || seen[len(seen)-1] != 100 {
		t.Errorf("image progress %v", seen)
	}
	names = append(names, im.Name)
	refused(t, "duplicate image name", cloud.ValidateImageName("web-golden", names), "unique")
	dup, err := c.PlanCreateImageFromInstance(testRegion, src.ID, "web-golden", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(ctx, dup); !cloud.IsCode(err, "InvalidImageName.Duplicated") {
		t.Errorf("duplicate name: err = %v, want InvalidImageName.Duplicated", err)
	}

	// Share, list, unshare.
	a, b := "5123456789012345", "5223456789012345" // not the emulator's own account
	_, err = c.PlanShareImage(testRegion, imageID, []string{"42"}, nil)
	refused(t, "bad account", err, "16-digit")
	sp, err := c.PlanShareImage(testRegion, imageID, []string{a, b}, nil)
	exec(t, c, sp, err)
	shares, err := c.ImageShares(ctx, testRegion, imageID)
	if err != nil || !slices.Contains(shares, a) || !slices.Contains(shares, b) {
		t.Fatalf("ImageShares = %v, %v", shares, err)
	}
	if dp, err := c.PlanDeleteImage(testRegion, imageID, true); err == nil {
		if _, err := c.Execute(ctx, dp); !cloud.IsCode(err, "ImageUseShared") {
			t.Errorf("delete a shared image: err = %v, want ImageUseShared", err)
		}
	}
	up, err := c.PlanShareImage(testRegion, imageID, nil, []string{a, b})
	exec(t, c, up, err)
	if shares, _ := c.ImageShares(ctx, testRegion, imageID); len(shares) != 0 {
		t.Errorf("ImageShares after unshare = %v", shares)
	}

	// Export, followed through its task.
	_, err = c.PlanExportImage(testRegion, imageID, "backups", "web", "iso")
	refused(t, "export format", err, "qcow2")
	ep, err := c.PlanExportImage(testRegion, imageID, "backups", "web", "qcow2")
	taskID := oneID(t, exec(t, c, ep, err), "t-")
	ts, err := c.WaitTask(ctx, testRegion, taskID, nil)
	if err != nil || ts.Status != cloud.TaskFinished || ts.Progress != 100 || ts.Action != "ExportImage" {
		t.Fatalf("WaitTask = %+v, %v", ts, err)
	}

	// Deprecate and restore.
	status := func() string {
		ims, err := c.Images(ctx, testRegion, cloud.OwnerSelf)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ims {
			if x.ID == imageID {
				return x.Status
			}
		}
		return ""
	}
	dp, err := c.PlanDeprecateImage(testRegion, imageID)
	exec(t, c, dp, err)
	if s := status(); s != cloud.ImageDeprecated {
		t.Errorf("status after deprecate = %q", s)
	}
	rp, err := c.PlanRestoreImage(testRegion, imageID)
	exec(t, c, rp, err)
	if s := status(); s != cloud.ImageAvailable {
		t.Errorf("status after restore = %q", s)
	}

	// Copy to another region and wait; copy again and cancel.
	dest := otherRegion(t, c)
	cp, err := c.PlanCopyImage(testRegion, imageID, dest, "web-golden-dr")
	copyID := oneID(t, exec(t, c, cp, err), "m-")
	if cim, err := c.WaitImage(ctx, dest, copyID, nil); err != nil || cim.Name != "web-golden-dr" || cim.RegionID != dest {
		t.Errorf("copy = %+v, %v", cim, err)
	}
	cp2, err := c.PlanCopyImage(testRegion, imageID, dest, "web-golden-dr2")
	copy2 := oneID(t, exec(t, c, cp2, err), "m-")
	cc, err := c.PlanCancelCopyImage(dest, copy2)
	exec(t, c, cc, err)
	if _, err := c.WaitImage(ctx, dest, copy2, nil); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("cancelled copy: WaitImage err = %v, want not found", err)
	}

	// Launch from the image with the source instance's settings.
	spec, err := c.LaunchDefaults(ctx, testRegion, imageID)
	if err != nil {
		t.Fatalf("LaunchDefaults: %v", err)
	}
	if spec.FromInstanceID != src.ID || spec.InstanceType != src.Type || spec.VSwitchID != src.VSwitchID ||
		!slices.Equal(spec.SecurityGroupIDs, src.SecurityGroupIDs) || spec.ImageID != imageID || spec.Count != 1 || spec.Password != "" {
		t.Fatalf("LaunchDefaults = %+v, source %+v", spec, src)
	}
	spec.Count = 2
	spec.NamePattern = "clone-[1,2]"
	spec.Password = "Launch!Pass42"
	lp, err := c.PlanRunInstances(testRegion, spec)
	if err != nil {
		t.Fatal(err)
	}
	if v := c.Precheck(ctx, lp); !v.Supported || !v.OK {
		t.Fatalf("Precheck(RunInstances) = %+v", v)
	}
	first := exec(t, c, lp, nil)
	second := exec(t, c, lp, nil)
	if len(first.IDs) != 2 || !slices.Equal(first.IDs, second.IDs) {
		t.Fatalf("launch twice with one plan: %v then %v, want the same 2 ids", first.IDs, second.IDs)
	}
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range ins {
		if x.ImageID == imageID {
			n++
			if !slices.Contains(first.IDs, x.ID) {
				t.Errorf("unexpected instance %s from the image", x.ID)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d instances run the image, want exactly 2", n)
	}
	up2, err := c.WaitRunning(ctx, testRegion, first.IDs, nil)
	if err != nil || len(up2) != 2 {
		t.Fatalf("WaitRunning = %+v, %v", up2, err)
	}
	for _, x := range up2 {
		if !strings.HasPrefix(x.Name, "clone-") || x.Type != spec.InstanceType {
			t.Errorf("launched %+v", x)
		}
	}

	// Delete: refused while instances use it, unless forced.
	del, err := c.PlanDeleteImage(testRegion, imageID, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(ctx, del); !cloud.IsCode(err, "ImageUsingByInstance") {
		t.Errorf("delete an image in use: err = %v, want ImageUsingByInstance", err)
	}
	force, err := c.PlanDeleteImage(testRegion, imageID, true)
	exec(t, c, force, err)
	if s := status(); s != "" {
		t.Errorf("image still listed (%s) after forced delete", s)
	}
}

func TestRunInstancesPasswordNeverLeaks(t *testing.T) {
	const pw = "Zq9!UnmistakablePw7"
	_, url := start(t, emulator.Options{Instances: 20, TransitionDelay: backupDelay})
	dir := t.TempDir()
	audit := filepath.Join(dir, "audit.jsonl")
	var logs logBuffer
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog, cfg.Logger = audit, debugLogger(&logs) })
	ctx := context.Background()
	src, _, _ := runningWithDisks(t, c)
	spec := cloud.LaunchSpec{
		ImageID: src.ImageID, InstanceType: src.Type, ZoneID: src.ZoneID, VSwitchID: src.VSwitchID,
		SecurityGroupIDs: src.SecurityGroupIDs, Password: pw, Count: 1, NamePattern: "secret-test",
	}
	p, err := c.PlanRunInstances(testRegion, spec)
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	shown = append(shown, p.CLI(), p.Op.CLI())
	for _, v := range p.Op.SafeParams() {
		shown = append(shown, v)
	}
	v := c.Precheck(ctx, p)
	shown = append(shown, v.String(), v.Message)
	res, err := c.Execute(ctx, p)
	if err != nil || len(res.IDs) != 1 {
		t.Fatalf("Execute = %v, %v", res, err)
	}
	// A launch the service refuses: its error must not carry the password.
	bad := spec
	bad.ImageID = "m-doesnotexist"
	bp, err := c.PlanRunInstances(testRegion, bad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(ctx, bp); err == nil {
		t.Error("launch from a missing image succeeded")
	} else {
		shown = append(shown, err.Error())
	}
	// And a local refusal of a bad password never repeats it.
	weak := spec
	weak.Password = "weakpasswordonly"
	if _, err := c.PlanRunInstances(testRegion, weak); err == nil || strings.Contains(err.Error(), weak.Password) {
		t.Errorf("weak password refusal = %v", err)
	}
	for _, s := range shown {
		if strings.Contains(s, pw) {
			t.Errorf("the password appears in %q", s)
		}
	}
	if !strings.Contains(p.CLI(), "--Password '<redacted>'") {
		t.Errorf("CLI = %s, want the password redacted", p.CLI())
	}
	raw, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(pw)) {
		t.Errorf("the audit log contains the password:\n%s", raw)
	}
	if !bytes.Contains(raw, []byte(`"RunInstances"`)) {
		t.Errorf("the audit log has no RunInstances entry:\n%s", raw)
	}
	if strings.Contains(logs.String(), pw) {
		t.Error("the debug log contains the password")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(pw)) {
			t.Errorf("%s contains the password", f)
		}
	}
}
