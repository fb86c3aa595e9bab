package cloud_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// opsEnv is an emulator with short transitions and a client that polls
// fast, for the operation tests.
func opsEnv(t testing.TB) (*emulator.Server, *cloud.Client) {
	t.Helper()
	srv, c := env(t, emulator.Options{TransitionDelay: 200 * time.Millisecond})
	cloud.SetWaitPolicyForTest(c, 50*time.Millisecond, 200*time.Millisecond)
	return srv, c
}

func opsCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// instancesWhere lists the test region's instances that keep says, at
// least n of them.
func instancesWhere(t testing.TB, c *cloud.Client, n int, keep func(cloud.Instance) bool) []cloud.Instance {
	t.Helper()
	all, err := c.Instances(context.Background(), testRegion)
	if err != nil {
		t.Fatal(err)
	}
	var out []cloud.Instance
	for _, in := range all {
		if len(in.LockReasons) == 0 && keep(in) {
			out = append(out, in)
		}
	}
	if len(out) < n {
		t.Fatalf("only %d suitable instances in %s, want %d", len(out), testRegion, n)
	}
	return out
}

func runningPostPaid(in cloud.Instance) bool {
	return in.Status == cloud.StateRunning && in.ChargeType == "PostPaid" && in.OSType == "linux"
}

func ids(list []cloud.Instance) []string {
	out := make([]string, len(list))
	for i, in := range list {
		out[i] = in.ID
	}
	return out
}

// mustPlan takes a Plan* method's (plan, error): mustPlan(t)(c.PlanX(...)).
func mustPlan(t testing.TB) func(*cloud.Plan, error) *cloud.Plan {
	return func(p *cloud.Plan, err error) *cloud.Plan {
		t.Helper()
		if err != nil {
			t.Fatalf("plan: %v", err)
		}
		return p
	}
}

func mustExecute(t testing.TB, c *cloud.Client, p *cloud.Plan) cloud.Result {
	t.Helper()
	res, err := c.Execute(opsCtx(t), p)
	if err != nil {
		t.Fatalf("%s: %v", p.Op.Action, err)
	}
	return res
}

func wantAPICode(t testing.TB, err error, codes ...string) {
	t.Helper()
	var apiErr *cloud.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T), want an *APIError with code %v", err, err, codes)
	}
	if !slices.Contains(codes, apiErr.Code) {
		t.Fatalf("code %s (%v), want one of %v", apiErr.Code, err, codes)
	}
}

func instanceByID(t testing.TB, c *cloud.Client, id string) cloud.Instance {
	t.Helper()
	all, err := c.Instances(context.Background(), testRegion)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range all {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("instance %s not found", id)
	return cloud.Instance{}
}

// progressLog collects progress reports.
type progressLog struct {
	mu   sync.Mutex
	seen []string
}

func (p *progressLog) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, s)
}

func (p *progressLog) last() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.seen) == 0 {
		return ""
	}
	return p.seen[len(p.seen)-1]
}

// TestBatchStopStartReboot: a batch stop of three instances, one already
// stopped, acts on two and reports the third's refusal; start brings all
// three back; starting a running instance is refused with
// IncorrectInstanceStatus; a reboot goes round to Running.
func TestBatchStopStartReboot(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	three := ids(instancesWhere(t, c, 3, runningPostPaid)[:3])

	first := mustPlan(t)(c.PlanStopInstances(testRegion, three[:1], false, ""))
	if res := mustExecute(t, c, first); len(res.Items) != 1 || !res.Items[0].OK() {
		t.Fatalf("stop one: %+v", res)
	}
	if err := c.WaitInstances(ctx, testRegion, three[:1], cloud.StateStopped, nil); err != nil {
		t.Fatal(err)
	}

	stop := mustPlan(t)(c.PlanStopInstances(testRegion, three, true, cloud.StoppedModeKeepCharging))
	if !stop.Op.Destructive || !stop.Op.DryRun || !stop.Op.Idempotent || stop.Op.Create {
		t.Errorf("stop flags: %+v", stop.Op)
	}
	cli := stop.CLI()
	for _, want := range []string{"aliyun ecs StopInstances --RegionId cn-hangzhou", "--BatchOptimization SuccessFirst", "--ForceStop true", "--InstanceId.3 " + three[2], "--StoppedMode KeepCharging"} {
		if !strings.Contains(cli, want) {
			t.Errorf("CLI %q lacks %q", cli, want)
		}
	}
	// The precheck checks every instance (AllTogether): one cannot stop.
	if v := c.Precheck(ctx, stop); v.OK || v.Code != "IncorrectInstanceStatus" {
		t.Errorf("precheck: %+v, want IncorrectInstanceStatus", v)
	}
	res := mustExecute(t, c, stop)
	if len(res.Items) != 3 {
		t.Fatalf("items: %+v", res.Items)
	}
	if it := res.Items[0]; it.ID != three[0] || it.OK() || it.Code != "IncorrectInstanceStatus" || it.Message == "" || it.Previous != "Stopped" {
		t.Errorf("already stopped: %+v", it)
	}
	for _, it := range res.Items[1:] {
		if !it.OK() || it.Previous != "Running" || it.Current != "Stopping" {
			t.Errorf("stopped: %+v", it)
		}
	}
	if f := res.Failed(); len(f) != 1 || f[0].ID != three[0] {
		t.Errorf("Failed: %+v", f)
	}
	var prog progressLog
	if err := c.WaitInstances(ctx, testRegion, three, cloud.StateStopped, prog.add); err != nil {
		t.Fatal(err)
	}
	if prog.last() != "3/3 Stopped" {
		t.Errorf("progress %q", prog.seen)
	}
	if in := instanceByID(t, c, three[1]); in.StoppedMode != "KeepCharging" {
		t.Errorf("stopped mode %q", in.StoppedMode)
	}

	start := mustPlan(t)(c.PlanStartInstances(testRegion, three))
	if start.Op.Destructive || !start.Op.DryRun {
		t.Errorf("start flags: %+v", start.Op)
	}
	if v := c.Precheck(ctx, start); !v.OK || v.Code != "DryRunOperation" {
		t.Errorf("start precheck: %+v", v)
	}
	res = mustExecute(t, c, start)
	if len(res.Failed()) != 0 || len(res.Items) != 3 {
		t.Fatalf("start: %+v", res.Items)
	}
	if err := c.WaitInstances(ctx, testRegion, three, cloud.StateRunning, nil); err != nil {
		t.Fatal(err)
	}

	// Starting a running instance: refused, with the real code.
	again := mustPlan(t)(c.PlanStartInstances(testRegion, three[:1]))
	if v := c.Precheck(ctx, again); v.OK || v.Code != "IncorrectInstanceStatus" {
		t.Errorf("start running precheck: %+v", v)
	}
	res = mustExecute(t, c, again)
	if len(res.Items) != 1 || res.Items[0].Code != "IncorrectInstanceStatus" {
		t.Errorf("start running: %+v", res.Items)
	}

	reboot := mustPlan(t)(c.PlanRebootInstances(testRegion, three[1:2], false))
	if reboot.Op.Idempotent || reboot.Op.Destructive {
		t.Errorf("reboot flags: %+v", reboot.Op)
	}
	res = mustExecute(t, c, reboot)
	if len(res.Items) != 1 || !res.Items[0].OK() || res.Items[0].Current == "Running" {
		t.Fatalf("reboot: %+v", res.Items)
	}
	if err := c.WaitInstances(ctx, testRegion, three[1:2], cloud.StateRunning, nil); err != nil {
		t.Fatal(err)
	}
}

// TestBatchOver100: 150 ids make two calls of at most 100 (two CLI
// lines); every id gets an item, across both calls.
func TestBatchOver100(t *testing.T) {
	_, c := opsEnv(t)
	var many []string
	for i := range 150 {
		many = append(many, fmt.Sprintf("i-nosuch%04d", i))
	}
	p := mustPlan(t)(c.PlanRebootInstances(testRegion, many, false))
	if p.Parts() != 2 {
		t.Fatalf("parts %d", p.Parts())
	}
	lines := strings.Split(p.CLI(), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "--InstanceId.100 i-nosuch0099") || strings.Contains(lines[0], "InstanceId.101") ||
		!strings.Contains(lines[1], "--InstanceId.50 i-nosuch0149") {
		t.Fatalf("CLI:\n%s", p.CLI())
	}
	res := mustExecute(t, c, p)
	if len(res.Items) != 150 {
		t.Fatalf("%d items", len(res.Items))
	}
	for i, it := range res.Items {
		if it.ID != many[i] || it.Code != "InvalidInstanceId.NotFound" {
			t.Fatalf("item %d: %+v", i, it)
		}
	}
}

// TestOpsBadInputNoCall: bad input is refused with the rule named, and the
// emulator sees no call at all.
func TestOpsBadInputNoCall(t *testing.T) {
	srv, c := opsEnv(t)
	d := cloud.Disk{ID: "d-x", Type: cloud.DiskData, Category: "cloud_essd", PerformanceLevel: "PL1", SizeGiB: 40}
	before := srv.Stats().TotalCalls
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"resize same", cloud.ValidateResize(d, 40), "new size: 40 GiB must be larger than the current 40 GiB"},
		{"resize smaller", cloud.ValidateResize(d, 20), "20 GiB must be larger than the current 40 GiB"},
		{"resize too large", cloud.ValidateResize(d, 70000), "70000 GiB is outside 20-65536 GiB for a cloud_essd PL1 data disk"},
		{"bandwidth 1000", second(c.PlanModifyBandwidth(testRegion, "i-x", cloud.PayByTraffic, 1000)), "bandwidth: 1000 Mbit/s is outside 0-100 Mbit/s for PayByTraffic"},
		{"bandwidth negative", cloud.ValidateBandwidth(cloud.PayByBandwidth, -1), "-1 Mbit/s is outside 0-200 Mbit/s for PayByBandwidth"},
		{"bandwidth billing", cloud.ValidateBandwidth("PayByMood", 10), "must be PayByTraffic or PayByBandwidth"},
		{"stopped mode", second(c.PlanStopInstances(testRegion, []string{"i-x"}, false, "Sometimes")), "must be KeepCharging or StopCharging"},
		{"no instances", second(c.PlanStartInstances(testRegion, nil)), "choose at least one instance"},
		{"twice", second(c.PlanRebootInstances(testRegion, []string{"i-x", "i-x"}, false)), "i-x is listed twice"},
		{"type", second(c.PlanModifyInstanceSpec(testRegion, "i-x", "large")), "is not an instance type"},
		{"empty script", second(c.PlanRunCommand(testRegion, []string{"i-x"}, cloud.CommandShell, " ", 0)), "command: empty"},
		{"command type", second(c.PlanRunCommand(testRegion, []string{"i-x"}, "RunPython", "print(1)", 0)), "must be RunShellScript (Linux) or RunPowerShellScript (Windows)"},
		{"timeout", second(c.PlanRunCommand(testRegion, []string{"i-x"}, cloud.CommandShell, "true", time.Second)), "timeout: 1s is outside 10s-24h"},
		{"new disk size", second(c.PlanCreateDisks(testRegion, cloud.NewDiskSpec{ZoneID: "cn-hangzhou-h", Category: "cloud_essd", PerformanceLevel: "PL2", SizeGiB: 100})), "100 GiB is outside 461-65536 GiB for cloud_essd PL2"},
		{"new disk zone", second(c.PlanCreateDisks(testRegion, cloud.NewDiskSpec{Category: "cloud_essd", SizeGiB: 100})), "zone: empty"},
		{"new disk count", second(c.PlanCreateDisks(testRegion, cloud.NewDiskSpec{ZoneID: "z", Category: "cloud_essd", SizeGiB: 100, Count: 51})), "count: 51, must be 1 to 50"},
		{"resize plan", second(c.PlanResizeDisk(testRegion, "d-x", 0, true)), "new size: 0 GiB is outside"},
		{"spec plan", second(c.PlanModifyDiskSpec(testRegion, "d-x", "", "")), "give a category or a performance level"},
		{"replace size", second(c.PlanReplaceSystemDisk(testRegion, "i-x", "m-x", 4096)), "4096 GiB is outside 1-2048 GiB"},
		{"all regions", second(c.PlanStartInstances(cloud.AllRegions, []string{"i-x"})), "region: choose one first (:region NAME)"},
	}
	for _, tc := range cases {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, tc.err, tc.want)
		}
		var ve *cloud.ValidationError
		if tc.name != "all regions" && !errors.As(tc.err, &ve) {
			t.Errorf("%s: %T is not a *ValidationError", tc.name, tc.err)
		}
	}
	if after := srv.Stats().TotalCalls; after != before {
		t.Fatalf("%d calls were made for bad input", after-before)
	}
}

func second(_ *cloud.Plan, err error) error { return err }
