package cloud_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// Patching through OOS, against the emulator through the real SDK.

const patchDelay = 10 * time.Second

// patchEnv serves an emulator on a pinned clock (moved with advanceClock)
// with a client; the audit log goes to a temporary file.
func patchEnv(t *testing.T) (string, *cloud.Client, string) {
	t.Helper()
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	_, url := start(t, emulator.Options{Instances: 60, TransitionDelay: patchDelay, Now: func() time.Time { return base }})
	audit := filepath.Join(t.TempDir(), "audit.log")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog = audit })
	cloud.SetWaitPolicyForTest(c, 10*time.Millisecond, 20*time.Millisecond)
	return url, c, audit
}

// pickPatch finds Running instances whose patch state and patches keep
// accepts (sorted ids).
func pickPatch(t *testing.T, c *cloud.Client, n int, keep func(cloud.PatchState, []cloud.Patch) bool) []string {
	t.Helper()
	ctx := context.Background()
	list, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	states, err := c.PatchStates(ctx, testRegion, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range list {
		st, ok := states[in.ID]
		if !ok || in.Status != cloud.StateRunning || len(in.LockReasons) > 0 {
			continue
		}
		ps, err := c.Patches(ctx, testRegion, in.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if keep(st, ps) {
			ids = append(ids, in.ID)
		}
	}
	slices.Sort(ids)
	if len(ids) < n {
		t.Fatalf("%d matching instances, want %d", len(ids), n)
	}
	return ids[:n]
}

func TestPatchStatesAndPatches(t *testing.T) {
	_, c, _ := patchEnv(t)
	ctx := context.Background()
	all, err := c.PatchStates(ctx, testRegion, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no patch states in the region")
	}
	// More than one call's worth of ids (100): unknown ones are left out.
	var ids []string
	for id := range all {
		ids = append(ids, id)
	}
	for i := len(ids); i < 150; i++ {
		ids = append(ids, "i-nonexistent"+strings.Repeat("x", i%7)+string(rune('a'+i%26)))
	}
	some, err := c.PatchStates(ctx, testRegion, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(some) != len(all) {
		t.Fatalf("PatchStates with %d ids: %d states, want %d", len(ids), len(some), len(all))
	}
	var behind, failed int
	for id, st := range all {
		if st.InstanceID != id || st.LastScan.IsZero() || st.Baseline == "" || some[id] != st {
			t.Fatalf("state %+v", st)
		}
		ps, err := c.Patches(ctx, testRegion, id, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != st.Installed+st.Missing+st.Failed+st.PendingReboot {
			t.Fatalf("%s: %d patches, counts %+v", id, len(ps), st)
		}
		missing, err := c.Patches(ctx, testRegion, id, cloud.PatchMissing)
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) != st.Missing {
			t.Fatalf("%s: %d Missing patches, state says %d", id, len(missing), st.Missing)
		}
		for _, p := range ps {
			if p.ID == "" || p.Title == "" || p.Severity == "" || (p.KB != "" && p.KB != p.ID) {
				t.Fatalf("patch %+v", p)
			}
			if p.Status == cloud.PatchInstalled && p.InstalledAt.IsZero() {
				t.Fatalf("installed patch %+v without its time", p)
			}
		}
		if st.Missing > 0 {
			behind++
		}
		if st.Failed > 0 {
			failed++
		}
	}
	if behind == 0 || failed == 0 {
		t.Fatalf("%d behind, %d failed: the seeded fleet should have both", behind, failed)
	}
	if _, err := c.Patches(ctx, testRegion, "i-x", "Broken"); err == nil {
		t.Fatal("an unknown status was accepted")
	}
	if _, err := c.Patches(ctx, testRegion, "", ""); err == nil {
		t.Fatal("an empty instance id was accepted")
	}
}

func TestPatchRunValidate(t *testing.T) {
	for _, tc := range []struct {
		run  cloud.PatchRun
		want string // field named, "" for valid
	}{
		{cloud.PatchRun{Action: "scan", InstanceIDs: []string{"i-1"}}, ""},
		{cloud.PatchRun{Action: "install", InstanceIDs: []string{"i-1", "i-2"}, Reboot: true, Concurrency: 5}, ""},
		{cloud.PatchRun{Action: "upgrade", InstanceIDs: []string{"i-1"}}, "action"},
		{cloud.PatchRun{Action: "scan"}, "instances"},
		{cloud.PatchRun{Action: "scan", InstanceIDs: []string{"i-1", "i-1"}}, "instances"},
		{cloud.PatchRun{Action: "scan", InstanceIDs: []string{"i-1"}, Reboot: true}, "reboot"},
		{cloud.PatchRun{Action: "install", InstanceIDs: []string{"i-1"}, Concurrency: -1}, "concurrency"},
		{cloud.PatchRun{Action: "install", InstanceIDs: []string{"i-1"}, Concurrency: cloud.MaxPatchConcurrency + 1}, "concurrency"},
	} {
		err := tc.run.Validate()
		var ve *cloud.ValidationError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.run, err)
		case tc.want != "" && (!errors.As(err, &ve) || ve.Field != tc.want):
			t.Errorf("%+v: err %v, want one naming %s", tc.run, err, tc.want)
		}
	}
}

// An install of everything missing with reboot: Missing goes to 0, the
// instance really restarts (Stopping, Starting, Running), the execution
// and the instance's run succeed; it went through Execute (audited, with a
// ClientToken).
func TestPlanPatchInstallWithReboot(t *testing.T) {
	url, c, audit := patchEnv(t)
	ctx := context.Background()
	id := pickPatch(t, c, 1, func(st cloud.PatchState, ps []cloud.Patch) bool {
		return st.Failed == 0 && st.Missing > 0 && slices.ContainsFunc(ps, func(p cloud.Patch) bool {
			return p.Status == cloud.PatchMissing && (strings.HasPrefix(p.ID, "kernel") || strings.HasPrefix(p.ID, "linux-image") || strings.Contains(p.Title, "Cumulative Update for Microsoft"))
		})
	})[0]
	plan, err := c.PlanPatch(testRegion, cloud.PatchRun{Action: cloud.PatchInstall, InstanceIDs: []string{id}, Reboot: true, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Op.Product != "oos" || plan.Op.Action != "StartExecution" || plan.ClientToken == "" ||
		!strings.Contains(plan.CLI(), "aliyun oos StartExecution --RegionId cn-hangzhou") || !strings.Contains(plan.CLI(), `"rebootIfNeed":true`) {
		t.Fatalf("plan %+v\n%s", plan.Op, plan.CLI())
	}
	res := exec(t, c, plan, nil)
	if len(res.IDs) != 1 || !strings.HasPrefix(res.IDs[0], "exec-") {
		t.Fatalf("Result.IDs %v", res.IDs)
	}
	execID := res.IDs[0]
	var seen []cloud.InstanceState
	for range 12 {
		in, err := c.Instances(ctx, testRegion)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range in {
			if x.ID == id && (len(seen) == 0 || seen[len(seen)-1] != x.Status) {
				seen = append(seen, x.Status)
			}
		}
		ex, err := c.Execution(ctx, testRegion, execID)
		if err != nil {
			t.Fatal(err)
		}
		if ex.Done() {
			break
		}
		advanceClock(t, url, (patchDelay / 2).String())
	}
	want := []cloud.InstanceState{cloud.StateRunning, cloud.StateStopping, cloud.StateStarting, cloud.StateRunning}
	if !slices.Equal(seen, want) {
		t.Fatalf("the instance went %v, want %v", seen, want)
	}
	ex, err := c.WaitExecution(ctx, testRegion, execID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ex.OK() || ex.Ended.IsZero() || len(ex.Instances) != 1 || ex.Instances[0].InstanceID != id || ex.Instances[0].Status != cloud.ExecutionSuccess || ex.Instances[0].Message == "" {
		t.Fatalf("execution %+v", ex)
	}
	states, err := c.PatchStates(ctx, testRegion, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	if st := states[id]; st.Missing != 0 || st.PendingReboot != 0 || st.Failed != 0 {
		t.Fatalf("after the install: %+v", st)
	}
	b, err := os.ReadFile(audit)
	if err != nil || !strings.Contains(string(b), "StartExecution") || !strings.Contains(string(b), plan.ClientToken) {
		t.Fatalf("audit log: %s (%v)", b, err)
	}
}

// A scan with WaitExecution on a running clock: progress is reported, the
// last scan time moves, failed patches stay failed through an install.
func TestPatchScanWaitAndFailed(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 60, TransitionDelay: 50 * time.Millisecond})
	cloud.SetWaitPolicyForTest(c, 10*time.Millisecond, 20*time.Millisecond)
	ctx := context.Background()
	ids := pickPatch(t, c, 1, func(st cloud.PatchState, _ []cloud.Patch) bool { return st.Failed > 0 })
	before, err := c.PatchStates(ctx, testRegion, ids)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := c.PlanPatch(testRegion, cloud.PatchRun{Action: cloud.PatchScan, InstanceIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	id := exec(t, c, plan, nil).IDs[0]
	var mu sync.Mutex
	var progress []string
	ex, err := c.WaitExecution(ctx, testRegion, id, func(s string) { mu.Lock(); progress = append(progress, s); mu.Unlock() })
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	last := progress[len(progress)-1]
	mu.Unlock()
	if !ex.OK() || last != "Success: 1/1 instances done" {
		t.Fatalf("scan: %+v, progress %v", ex, progress)
	}
	after, err := c.PatchStates(ctx, testRegion, ids)
	if err != nil {
		t.Fatal(err)
	}
	if !after[ids[0]].LastScan.After(before[ids[0]].LastScan) {
		t.Fatalf("last scan %v, was %v", after[ids[0]].LastScan, before[ids[0]].LastScan)
	}

	plan, err = c.PlanPatch(testRegion, cloud.PatchRun{Action: cloud.PatchInstall, InstanceIDs: ids, Reboot: true})
	if err != nil {
		t.Fatal(err)
	}
	ex, err = c.WaitExecution(ctx, testRegion, exec(t, c, plan, nil).IDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if ex.OK() || ex.Status != cloud.ExecutionFailed || ex.Instances[0].Status != cloud.ExecutionFailed || !strings.Contains(ex.Instances[0].Message, "PatchInstallFailed") {
		t.Fatalf("install over a broken patch: %+v", ex)
	}
	failed, err := c.Patches(ctx, testRegion, ids[0], cloud.PatchFailed)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.PatchStates(ctx, testRegion, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) == 0 || st[ids[0]].Failed != len(failed) || st[ids[0]].Missing != 0 {
		t.Fatalf("after the install: %+v, failed %v", st[ids[0]], failed)
	}
}

// Refusals: read-only mode stops StartExecution before the wire; an
// unknown execution is EntityNotExists.Execution; several instances with
// concurrency 1 are reported Queued until their turn.
func TestPatchRefusalsAndQueued(t *testing.T) {
	url, c, _ := patchEnv(t)
	ctx := context.Background()
	ids := pickPatch(t, c, 2, func(cloud.PatchState, []cloud.Patch) bool { return true })
	plan, err := c.PlanPatch(testRegion, cloud.PatchRun{Action: cloud.PatchScan, InstanceIDs: ids, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadOnly(true)
	if _, err := c.Execute(ctx, plan); !errors.Is(err, cloud.ErrReadOnly) {
		t.Fatalf("read-only Execute: %v", err)
	}
	c.SetReadOnly(false)
	if _, err := c.PlanPatch(testRegion, cloud.PatchRun{Action: "scan"}); err == nil {
		t.Fatal("a run without instances was planned")
	}
	if _, err := c.PlanPatch(cloud.AllRegions, cloud.PatchRun{Action: "scan", InstanceIDs: ids}); err == nil {
		t.Fatal("a run for every region was planned")
	}
	_, err = c.Execution(ctx, testRegion, "exec-00000000000000000000")
	if !cloud.IsCode(err, "EntityNotExists.Execution") {
		t.Fatalf("unknown execution: %v", err)
	}

	id := exec(t, c, plan, nil).IDs[0]
	advanceClock(t, url, (patchDelay/2 + time.Second).String())
	ex, err := c.Execution(ctx, testRegion, id)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != cloud.ExecutionRunning || len(ex.Instances) != 2 || ex.Instances[0].Status != cloud.ExecutionRunning || ex.Instances[1].Status != cloud.ExecutionQueued {
		t.Fatalf("first batch: %+v", ex)
	}
	advanceClock(t, url, (2 * patchDelay).String())
	ex, err = c.WaitExecution(ctx, testRegion, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ex.OK() || ex.Instances[0].Status != cloud.ExecutionSuccess || ex.Instances[1].Status != cloud.ExecutionSuccess {
		t.Fatalf("done: %+v", ex)
	}
	if got := ex.Progress(); got != "Success: 2/2 instances done" {
		t.Fatalf("Progress %q", got)
	}
}
