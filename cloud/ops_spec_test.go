package cloud_test

import (
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestSpecChangePostPaid: the types a pay-as-you-go instance can move to
// come with vCPU and memory; changing the type of the running instance is
// refused (InvalidInstanceStatus.NotStopped, in the precheck too); the
// whole flow stop -> change -> start works; an unknown type is the API's
// refusal.
func TestSpecChangePostPaid(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]

	types, err := c.ResizableTypes(ctx, testRegion, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(types) == 0 {
		t.Fatal("no types to move to")
	}
	var target cloud.ResizableType
	for _, rt := range types {
		if rt.ID == in.Type || rt.CPU <= 0 || rt.MemoryGiB <= 0 || rt.Downgrade || (rt.Status != "Available" && rt.Status != "SoldOut") {
			t.Errorf("type %+v", rt)
		}
		if target.ID == "" && rt.Available() {
			target = rt
		}
	}
	if target.ID == "" {
		t.Fatal("no available type")
	}
	if !cloud.SpecChangeNeedsStop(in, target.ID) {
		t.Error("a pay-as-you-go type change needs the instance stopped")
	}

	p := mustPlan(t)(c.PlanModifyInstanceSpec(testRegion, in.ID, target.ID))
	if !p.Op.Create || !p.Op.DryRun || p.ClientToken == "" || p.Op.Destructive {
		t.Errorf("flags: %+v token %q", p.Op, p.ClientToken)
	}
	if got, want := p.CLI(), "aliyun ecs ModifyInstanceSpec --RegionId cn-hangzhou --InstanceId "+in.ID+" --InstanceType "+target.ID; got != want {
		t.Errorf("CLI %q, want %q", got, want)
	}
	if v := c.Precheck(ctx, p); v.OK || v.Code != "InvalidInstanceStatus.NotStopped" {
		t.Errorf("precheck running: %+v", v)
	}
	_, err = c.Execute(ctx, p)
	wantAPICode(t, err, "InvalidInstanceStatus.NotStopped", "IncorrectInstanceStatus")

	mustExecute(t, c, mustPlan(t)(c.PlanStopInstances(testRegion, []string{in.ID}, false, "")))
	if err := c.WaitInstances(ctx, testRegion, []string{in.ID}, cloud.StateStopped, nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.Execute(ctx, mustPlan(t)(c.PlanModifyInstanceSpec(testRegion, in.ID, "ecs.nosuch.large")))
	wantAPICode(t, err, "InvalidInstanceType.ValueNotSupported")

	p = mustPlan(t)(c.PlanModifyInstanceSpec(testRegion, in.ID, target.ID))
	if v := c.Precheck(ctx, p); !v.OK {
		t.Errorf("precheck stopped: %+v", v)
	}
	mustExecute(t, c, p)
	if got := instanceByID(t, c, in.ID); got.Type != target.ID || got.CPU != target.CPU {
		t.Errorf("after change: %s %d vCPU, want %s %d", got.Type, got.CPU, target.ID, target.CPU)
	}
	mustExecute(t, c, mustPlan(t)(c.PlanStartInstances(testRegion, []string{in.ID})))
	if err := c.WaitInstances(ctx, testRegion, []string{in.ID}, cloud.StateRunning, nil); err != nil {
		t.Fatal(err)
	}
}

// TestSpecChangePrePaid: a subscription lists upgrades and downgrades; an
// upgrade works while running (the order completes, the type changes); a
// downgrade of a running one is refused.
func TestSpecChangePrePaid(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	in := instancesWhere(t, c, 1, func(in cloud.Instance) bool {
		return in.ChargeType == "PrePaid" && in.Status == cloud.StateRunning && !strings.Contains(in.Type, "t6")
	})[0]
	types, err := c.ResizableTypes(ctx, testRegion, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var up, down cloud.ResizableType
	for _, rt := range types {
		switch {
		case rt.Downgrade && down.ID == "" && rt.Available():
			down = rt
		case !rt.Downgrade && up.ID == "" && rt.Available():
			up = rt
		}
	}
	if up.ID == "" || down.ID == "" {
		t.Fatalf("want an upgrade and a downgrade for %s, got %+v", in.Type, types)
	}

	_, err = c.Execute(ctx, mustPlan(t)(c.PlanModifyPrepayInstanceSpec(testRegion, in.ID, down.ID, true)))
	wantAPICode(t, err, "InvalidStatus.NotStopped")

	p := mustPlan(t)(c.PlanModifyPrepayInstanceSpec(testRegion, in.ID, up.ID, false))
	if p.Op.DryRun || !p.Op.Create || p.Op.Params["OperatorType"] != "upgrade" {
		t.Errorf("flags: %+v", p.Op)
	}
	res := mustExecute(t, c, p)
	if len(res.IDs) != 1 {
		t.Errorf("order id: %+v", res)
	}
	var prog progressLog
	if err := c.WaitInstanceType(ctx, testRegion, in.ID, up.ID, prog.add); err != nil {
		t.Fatal(err)
	}
	if prog.last() != up.ID {
		t.Errorf("progress %q", prog.seen)
	}
}

// TestSpecChangeNeedsStop covers the rule without the API.
func TestSpecChangeNeedsStop(t *testing.T) {
	post := cloud.Instance{Type: "ecs.g7.xlarge", ChargeType: "PostPaid"}
	pre := cloud.Instance{Type: "ecs.g7.xlarge", ChargeType: "PrePaid"}
	cases := []struct {
		in   cloud.Instance
		to   string
		want bool
	}{
		{post, "ecs.g7.2xlarge", true},
		{post, "ecs.g7.large", true},
		{post, "ecs.g7.xlarge", false},
		{pre, "ecs.g7.2xlarge", false},
		{pre, "ecs.g7.large", true},
		{pre, "ecs.g7.small", true},
		{pre, "ecs.g7.8xlarge", false},
		{pre, "ecs.r7.2xlarge", true}, // another family: the safe side
		{pre, "", false},
	}
	for _, tc := range cases {
		if got := cloud.SpecChangeNeedsStop(tc.in, tc.to); got != tc.want {
			t.Errorf("%s %s -> %q: %v, want %v", tc.in.ChargeType, tc.in.Type, tc.to, got, tc.want)
		}
	}
}

// TestModifyBandwidth: a valid change lands; the range is the API's,
// checked locally (generic) and by the API (exact for the instance).
func TestModifyBandwidth(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	in := instancesWhere(t, c, 1, func(in cloud.Instance) bool {
		return runningPostPaid(in) && in.InternetChargeType == cloud.PayByTraffic
	})[0]
	p := mustPlan(t)(c.PlanModifyBandwidth(testRegion, in.ID, "", 30))
	if !p.Op.Create || p.Op.DryRun || p.ClientToken == "" {
		t.Errorf("flags: %+v", p.Op)
	}
	if got, want := p.CLI(), "aliyun ecs ModifyInstanceNetworkSpec --RegionId cn-hangzhou --InstanceId "+in.ID+" --InternetMaxBandwidthOut 30"; got != want {
		t.Errorf("CLI %q, want %q", got, want)
	}
	mustExecute(t, c, p)
	if got := instanceByID(t, c, in.ID); got.BandwidthOutMbps != 30 {
		t.Errorf("bandwidth %d, want 30", got.BandwidthOutMbps)
	}
	mustExecute(t, c, mustPlan(t)(c.PlanModifyBandwidth(testRegion, in.ID, cloud.PayByTraffic, 0)))
	if got := instanceByID(t, c, in.ID); got.BandwidthOutMbps != 0 {
		t.Errorf("bandwidth %d, want 0", got.BandwidthOutMbps)
	}

	// PayByBandwidth: 0-200 for a subscription, 0-100 for pay-as-you-go.
	if err := cloud.ValidateInstanceBandwidth(in, cloud.PayByBandwidth, 150); err == nil || !strings.Contains(err.Error(), "150 Mbit/s is outside 0-100 Mbit/s for PayByBandwidth (pay-as-you-go)") {
		t.Errorf("ValidateInstanceBandwidth: %v", err)
	}
	_, err := c.Execute(ctx, mustPlan(t)(c.PlanModifyBandwidth(testRegion, in.ID, cloud.PayByBandwidth, 150)))
	wantAPICode(t, err, "InvalidInternetMaxBandwidthOut.ValueNotSupported")

	pre := instancesWhere(t, c, 1, func(in cloud.Instance) bool {
		return in.ChargeType == "PrePaid" && in.InternetChargeType == cloud.PayByBandwidth && in.Status == cloud.StateRunning
	})[0]
	if err := cloud.ValidateInstanceBandwidth(pre, "", 150); err != nil {
		t.Errorf("subscription 150: %v", err)
	}
	res := mustExecute(t, c, mustPlan(t)(c.PlanModifyBandwidth(testRegion, pre.ID, cloud.PayByBandwidth, 150)))
	if len(res.IDs) != 1 {
		t.Errorf("order id: %+v", res)
	}
	if got := instanceByID(t, c, pre.ID); got.BandwidthOutMbps != 150 || got.PublicIP == "" {
		t.Errorf("subscription: %d Mbit/s, ip %q", got.BandwidthOutMbps, got.PublicIP)
	}
}
