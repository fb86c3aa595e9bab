package cloud_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func diskByID(t testing.TB, c *cloud.Client, id string) cloud.Disk {
	t.Helper()
	list, err := c.Disks(context.Background(), testRegion, cloud.DiskFilter{DiskIDs: []string{id}})
	if err != nil || len(list) != 1 {
		t.Fatalf("disk %s: %v (%d found)", id, err, len(list))
	}
	return list[0]
}

// fsDisk is a disk whose filesystem a guest reported.
type fsDisk struct {
	disk cloud.Disk
	fs   string
}

// guestFilesystems asks running Linux instances for `df -T` and maps each
// partition back to its disk.
func guestFilesystems(t testing.TB, c *cloud.Client, ins []cloud.Instance) []fsDisk {
	t.Helper()
	results := runAndWait(t, c, ids(ins), "df -T")
	disks, err := c.Disks(context.Background(), testRegion, cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []fsDisk
	for _, r := range results {
		for _, line := range strings.Split(r.Output, "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || !strings.HasPrefix(f[0], "/dev/vd") {
				continue
			}
			for _, d := range disks {
				if d.InstanceID == r.InstanceID && cloud.GuestDevice(d)+"1" == f[0] {
					out = append(out, fsDisk{d, f[1]})
				}
			}
		}
	}
	return out
}

// TestResizeAndGrowFilesystem: an online resize, then the growpart +
// resize2fs (or xfs_growfs) script through Cloud Assistant: the output is
// the tools', and the guest's filesystem has the new size.
func TestResizeAndGrowFilesystem(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	found := guestFilesystems(t, c, instancesWhere(t, c, 4, runningPostPaid))
	done := map[string]bool{}
	for _, fd := range found {
		if done[fd.fs] || (fd.fs != "ext4" && fd.fs != "xfs") {
			continue
		}
		done[fd.fs] = true
		d := fd.disk
		newSize := d.SizeGiB + 20
		if err := cloud.ValidateResize(d, newSize); err != nil {
			t.Fatal(err)
		}
		p := mustPlan(t)(c.PlanResizeDisk(testRegion, d.ID, newSize, true))
		if !p.Op.Create || p.Op.Params["Type"] != "online" || p.ClientToken == "" {
			t.Errorf("resize op %+v", p.Op)
		}
		mustExecute(t, c, p)
		if got := diskByID(t, c, d.ID); got.SizeGiB != newSize {
			t.Fatalf("size %d, want %d", got.SizeGiB, newSize)
		}
		// Resizing to the same size again: the API's refusal.
		_, err := c.Execute(ctx, mustPlan(t)(c.PlanResizeDisk(testRegion, d.ID, newSize, true)))
		wantAPICode(t, err, "InvalidDiskSize", "InvalidDiskSize.TooSmall")

		script := cloud.GrowFilesystemScript(d, fd.fs)
		results := runAndWait(t, c, []string{d.InstanceID}, script)
		r := results[0]
		if !r.OK() {
			t.Fatalf("%s on %s: %+v\nscript:\n%s", fd.fs, d.ID, r, script)
		}
		if !strings.Contains(r.Output, "CHANGED: partition=1") {
			t.Errorf("growpart output:\n%s", r.Output)
		}
		switch fd.fs {
		case "ext4":
			if !strings.Contains(r.Output, "resize2fs ") || !strings.Contains(r.Output, "on-line resizing required") || !strings.Contains(r.Output, "is now") {
				t.Errorf("resize2fs output:\n%s", r.Output)
			}
		case "xfs":
			if !strings.Contains(r.Output, "data blocks changed from") {
				t.Errorf("xfs_growfs output:\n%s", r.Output)
			}
		}
		// The guest now sees the whole disk.
		df := runAndWait(t, c, []string{d.InstanceID}, "df -h "+cloud.GuestDevice(d)+"1")[0].Output
		if !strings.Contains(df, fmt.Sprintf("%dG", newSize)) {
			t.Errorf("df after growing to %d GiB:\n%s", newSize, df)
		}
		// Growing again is harmless: growpart says NOCHANGE, the script succeeds.
		if r := runAndWait(t, c, []string{d.InstanceID}, script)[0]; !r.OK() || !strings.Contains(r.Output, "NOCHANGE") {
			t.Errorf("second run: %+v", r)
		}
	}
	if !done["ext4"] {
		t.Errorf("no ext4 filesystem found among %d disks", len(found))
	}
}

// lossyAction wraps the emulator: every every-th call of action is carried
// out but its answer is lost (a 503 from a "gateway").
func lossyAction(t testing.TB, srv *emulator.Server, action string, every int64) (url string, lost *atomic.Int64) {
	var n atomic.Int64
	lost = new(atomic.Int64)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("Action") == action && n.Add(1)%every == 0 {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			if rec.Code == http.StatusOK {
				lost.Add(1)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"RequestId":"LOST-ANSWER","HostId":"ecs.aliyuncs.com","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, lost
}

// TestCreateDisksTokens: Count 3 under 30 % throttling, with answers lost
// after the disk was made, makes exactly 3 disks: each call keeps its
// ClientToken across retries, and executing the same plan again creates
// nothing more.
func TestCreateDisksTokens(t *testing.T) {
	srv := emulator.New(emulator.Options{Seed: 1, ThrottleRate: 0.3, TransitionDelay: 200 * time.Millisecond})
	url, lost := lossyAction(t, srv, "CreateDisk", 2)
	c := newClient(t, url, nil)
	cloud.SetRetryPolicyForTest(c, time.Millisecond, 20*time.Millisecond, 20*time.Second)
	cloud.SetWaitPolicyForTest(c, 50*time.Millisecond, 200*time.Millisecond)
	ctx := opsCtx(t)

	spec := cloud.NewDiskSpec{ZoneID: "cn-hangzhou-h", Category: "cloud_essd", PerformanceLevel: "PL0", SizeGiB: 40, Name: "tokens", Count: 3}
	p := mustPlan(t)(c.PlanCreateDisks(testRegion, spec))
	if p.Parts() != 3 || !p.Op.Create {
		t.Fatalf("plan: %d parts, %+v", p.Parts(), p.Op)
	}
	lines := strings.Split(p.CLI(), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "--DiskName tokens-3") || !strings.Contains(lines[0], "--PerformanceLevel PL0 --RegionId") && !strings.Contains(lines[0], "--DiskCategory cloud_essd") {
		t.Errorf("CLI:\n%s", p.CLI())
	}
	res, err := c.Execute(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Execute(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.IDs) != 3 || !slices.Equal(res.IDs, again.IDs) {
		t.Fatalf("ids %v, again %v", res.IDs, again.IDs)
	}
	if lost.Load() == 0 {
		t.Error("no answer was lost: the test proves nothing")
	}
	all, err := c.Disks(ctx, testRegion, cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var made []string
	for _, d := range all {
		if strings.HasPrefix(d.Name, "tokens-") {
			made = append(made, d.ID)
		}
	}
	slices.Sort(made)
	want := slices.Clone(res.IDs)
	slices.Sort(want)
	if !slices.Equal(made, want) {
		t.Fatalf("disks named tokens-*: %v, want exactly %v (CreateDisk calls: %d, lost answers: %d)", made, want, srv.Stats().Calls["CreateDisk"], lost.Load())
	}
	for _, id := range res.IDs {
		if d, err := c.WaitDisk(ctx, testRegion, id, cloud.DiskAvailable, nil); err != nil || d.SizeGiB != 40 || d.PerformanceLevel != "PL0" {
			t.Errorf("disk %s: %+v, %v", id, d, err)
		}
	}
}

// TestDiskLifecycle: create, attach, change performance level, refuse a
// re-initialisation while running, re-initialise once stopped, detach,
// and replace the system disk.
func TestDiskLifecycle(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]

	res := mustExecute(t, c, mustPlan(t)(c.PlanCreateDisks(testRegion, cloud.NewDiskSpec{ZoneID: in.ZoneID, Category: "cloud_essd", SizeGiB: 40, Name: "scratch"})))
	if len(res.IDs) != 1 {
		t.Fatalf("create: %+v", res)
	}
	id := res.IDs[0]
	var prog progressLog
	if _, err := c.WaitDisk(ctx, testRegion, id, cloud.DiskAvailable, prog.add); err != nil {
		t.Fatal(err)
	}
	if prog.last() != "Available" {
		t.Errorf("progress %q", prog.seen)
	}

	attach := mustPlan(t)(c.PlanAttachDisk(testRegion, id, in.ID, true))
	if attach.Op.Destructive || attach.Op.Create || attach.Op.Idempotent {
		t.Errorf("attach flags %+v", attach.Op)
	}
	mustExecute(t, c, attach)
	d, err := c.WaitDisk(ctx, testRegion, id, cloud.DiskInUse, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.InstanceID != in.ID || d.Device == "" || !d.DeleteWithInstance || cloud.GuestDevice(d) == "" {
		t.Errorf("attached: %+v", d)
	}

	if err := cloud.ValidateDiskSpec(d, "cloud_essd", "PL2"); err == nil || !strings.Contains(err.Error(), "a 40 GiB disk cannot be cloud_essd PL2, which needs 461-65536 GiB") {
		t.Errorf("ValidateDiskSpec PL2: %v", err)
	}
	if err := cloud.ValidateDiskSpec(d, "", "PL0"); err != nil {
		t.Errorf("ValidateDiskSpec PL0: %v", err)
	}
	spec := mustPlan(t)(c.PlanModifyDiskSpec(testRegion, id, "", "PL0"))
	if v := c.Precheck(ctx, spec); !v.OK {
		t.Errorf("ModifyDiskSpec precheck: %+v", v)
	}
	mustExecute(t, c, spec)
	if got := diskByID(t, c, id); got.PerformanceLevel != "PL0" || got.Category != "cloud_essd" {
		t.Errorf("after ModifyDiskSpec: %s %s", got.Category, got.PerformanceLevel)
	}

	reinit := mustPlan(t)(c.PlanReInitDisk(testRegion, id))
	if !reinit.Op.Destructive || reinit.Op.Idempotent || reinit.Op.Create {
		t.Errorf("reinit flags %+v", reinit.Op)
	}
	if err := cloud.ValidateReInitDisk(d, in); err == nil || !strings.Contains(err.Error(), "needs the instance Stopped") {
		t.Errorf("ValidateReInitDisk running: %v", err)
	}
	_, err = c.Execute(ctx, reinit)
	wantAPICode(t, err, "IncorrectInstanceStatus")

	mustExecute(t, c, mustPlan(t)(c.PlanStopInstances(testRegion, []string{in.ID}, false, "")))
	if err := c.WaitInstances(ctx, testRegion, []string{in.ID}, cloud.StateStopped, nil); err != nil {
		t.Fatal(err)
	}
	in = instanceByID(t, c, in.ID)
	if err := cloud.ValidateReInitDisk(d, in); err != nil {
		t.Errorf("ValidateReInitDisk stopped: %v", err)
	}
	mustExecute(t, c, mustPlan(t)(c.PlanReInitDisk(testRegion, id)))
	if _, err := c.WaitDisk(ctx, testRegion, id, cloud.DiskInUse, nil); err != nil {
		t.Fatal(err)
	}

	detach := mustPlan(t)(c.PlanDetachDisk(testRegion, id, in.ID))
	if !detach.Op.Destructive {
		t.Errorf("detach flags %+v", detach.Op)
	}
	mustExecute(t, c, detach)
	if d, err := c.WaitDisk(ctx, testRegion, id, cloud.DiskAvailable, nil); err != nil || d.InstanceID != "" {
		t.Fatalf("detached: %+v, %v", d, err)
	}

	// Replace the system disk of the (stopped) instance.
	sys, err := c.Disks(ctx, testRegion, cloud.DiskFilter{InstanceID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(sys, func(d cloud.Disk) bool { return d.Type == cloud.DiskSystem })
	if i < 0 {
		t.Fatal("no system disk")
	}
	images, err := c.Images(ctx, testRegion, cloud.OwnerSystem)
	if err != nil {
		t.Fatal(err)
	}
	j := slices.IndexFunc(images, func(img cloud.Image) bool {
		return img.OSType == "linux" && img.Status == "Available" && (img.Architecture == "" || img.Architecture == "x86_64") && img.ID != in.ImageID
	})
	if j < 0 {
		t.Fatal("no image")
	}
	img := images[j]
	if err := cloud.ValidateReplaceSystemDisk(in, sys[i], img, img.SizeGiB-1); img.SizeGiB > 1 && (err == nil || !strings.Contains(err.Error(), "smaller than the")) {
		t.Errorf("ValidateReplaceSystemDisk small: %v", err)
	}
	size := max(img.SizeGiB, sys[i].SizeGiB)
	if err := cloud.ValidateReplaceSystemDisk(in, sys[i], img, size); err != nil {
		t.Fatal(err)
	}
	replace := mustPlan(t)(c.PlanReplaceSystemDisk(testRegion, in.ID, img.ID, size))
	if !replace.Op.Destructive || !replace.Op.Create || replace.ClientToken == "" {
		t.Errorf("replace flags %+v", replace.Op)
	}
	res = mustExecute(t, c, replace)
	if len(res.IDs) != 1 || res.IDs[0] == sys[i].ID {
		t.Fatalf("replace: %+v (old %s)", res, sys[i].ID)
	}
	nd, err := c.WaitDisk(ctx, testRegion, res.IDs[0], cloud.DiskInUse, nil)
	if err != nil {
		t.Fatal(err)
	}
	if nd.SizeGiB != size || nd.Type != cloud.DiskSystem || nd.ImageID != img.ID {
		t.Errorf("new system disk %+v", nd)
	}
	if got := instanceByID(t, c, in.ID); got.ImageID != img.ID {
		t.Errorf("instance image %s, want %s", got.ImageID, img.ID)
	}
}
