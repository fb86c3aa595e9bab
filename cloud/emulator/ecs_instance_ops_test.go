package emulator

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// opsDelay is the transition delay of the operation tests; opsStep moves
// the emulated clock past one transition.
const opsDelay = time.Second

func newOpsClient(t *testing.T) (*ecs.Client, *Server) {
	t.Helper()
	return newECSTestClient(t, Options{Seed: 1, Instances: 40, TransitionDelay: opsDelay})
}

func opsStep(t *testing.T, s *Server) {
	t.Helper()
	if err := s.clock.advance(opsDelay + time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// withStore runs fn under the store lock (after settling due transitions).
func withStore(s *Server, fn func(st *store)) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.settle(s.opts.Now())
	fn(s.store)
}

// pickInstances returns the ids (sorted) of cn-hangzhou instances that keep
// accepts; it fails the test when there are fewer than n.
func pickInstances(t *testing.T, s *Server, n int, keep func(*instance) bool) []string {
	t.Helper()
	var ids []string
	withStore(s, func(st *store) {
		for _, in := range st.instances {
			if in.RegionID == "cn-hangzhou" && !slices.Contains(in.LockReasons, "security") && keep(in) {
				ids = append(ids, in.ID)
			}
		}
	})
	slices.Sort(ids)
	if len(ids) < n {
		t.Fatalf("fleet has %d matching instances, want %d", len(ids), n)
	}
	return ids[:n]
}

func runningPostPaidLinux(in *instance) bool {
	return in.Status == "Running" && in.InstanceChargeType == "PostPaid" && in.OSType == "linux"
}

// describeInstance reads one instance through the SDK.
func describeInstance(t *testing.T, c *ecs.Client, id string) ecs.Instance {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.InstanceIds = `["` + id + `"]`
	resp, err := c.DescribeInstances(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Instances.Instance) != 1 {
		t.Fatalf("DescribeInstances %s: %d instances", id, len(resp.Instances.Instance))
	}
	return resp.Instances.Instance[0]
}

func wantStatus(t *testing.T, c *ecs.Client, id, want string) ecs.Instance {
	t.Helper()
	in := describeInstance(t, c, id)
	if in.Status != want {
		t.Fatalf("%s is %s, want %s", id, in.Status, want)
	}
	return in
}

func TestECSStopStartReboot(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]

	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = id
	stop.DryRun = requests.NewBoolean(true)
	_, err := c.StopInstance(stop)
	ecsExpectError(t, err, "DryRunOperation", 400)
	wantStatus(t, c, id, "Running")

	stop.DryRun = requests.NewBoolean(false)
	stop.ForceStop = requests.NewBoolean(true)
	if _, err := c.StopInstance(stop); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, "Stopping")
	_, err = c.StopInstance(stop)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403)
	opsStep(t, s)
	if in := wantStatus(t, c, id, "Stopped"); in.StoppedMode != "KeepCharging" {
		t.Errorf("StoppedMode %q, want KeepCharging (economical mode is off)", in.StoppedMode)
	}

	// A stopped instance reports no datapoints after it stopped.
	withStore(s, func(st *store) {
		in := st.instances[id]
		g := newMetricGen(st.seed, s.opts.Now())
		se := g.series(in, ecsMetricDefs["CPUUtilization"], "")
		now := s.opts.Now().Add(5 * time.Minute)
		_, last, n := se.window(now.Add(-time.Hour).UnixMilli(), now.UnixMilli(), now.UnixMilli(), 60)
		if n == 0 || last > in.StoppedAt.UnixMilli() {
			t.Errorf("stopped at %v: %d points, last %v", in.StoppedAt, n, time.UnixMilli(last))
		}
	})

	_, err = c.RebootInstance(&ecs.RebootInstanceRequest{RpcRequest: ecs.CreateRebootInstanceRequest().RpcRequest, InstanceId: id})
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403)

	start := ecs.CreateStartInstanceRequest()
	start.InstanceId = id
	if _, err := c.StartInstance(start); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, "Starting")
	opsStep(t, s)
	in := wantStatus(t, c, id, "Running")
	if in.StoppedMode != "Not-applicable" {
		t.Errorf("running StoppedMode %q", in.StoppedMode)
	}
	withStore(s, func(st *store) {
		in := st.instances[id]
		if in.AgentStatus == "stopped" || !in.StoppedAt.IsZero() {
			t.Errorf("after start: agent %s, StoppedAt %v", in.AgentStatus, in.StoppedAt)
		}
		g := newMetricGen(st.seed, s.opts.Now())
		if _, ok := g.value(in, "CPUUtilization", "", s.opts.Now()); !ok {
			t.Error("a started instance reports CPUUtilization")
		}
	})

	reboot := ecs.CreateRebootInstanceRequest()
	reboot.InstanceId = id
	if _, err := c.RebootInstance(reboot); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, "Stopping")
	opsStep(t, s)
	wantStatus(t, c, id, "Starting")
	opsStep(t, s)
	wantStatus(t, c, id, "Running")
}

func TestECSStopModesLocksAndUnknown(t *testing.T) {
	c, s := newOpsClient(t)
	post := pickInstances(t, s, 2, runningPostPaidLinux)
	pre := pickInstances(t, s, 1, func(in *instance) bool { return in.Status == "Running" && in.InstanceChargeType == "PrePaid" })[0]

	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = pre
	stop.StoppedMode = "StopCharging"
	_, err := c.StopInstance(stop)
	ecsExpectError(t, err, "InvalidInstanceId.NotSupport", 403)
	stop.StoppedMode = "Sometimes"
	_, err = c.StopInstance(stop)
	ecsExpectError(t, err, "InvalidParameter", 400)

	stop.InstanceId, stop.StoppedMode = post[0], "StopCharging"
	if _, err := c.StopInstance(stop); err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	if in := wantStatus(t, c, post[0], "Stopped"); in.StoppedMode != "StopCharging" {
		t.Errorf("StoppedMode %q", in.StoppedMode)
	}

	withStore(s, func(st *store) { st.instances[post[1]].LockReasons = []string{"security"} })
	stop.InstanceId, stop.StoppedMode = post[1], ""
	_, err = c.StopInstance(stop)
	ecsExpectError(t, err, "InstanceLockedForSecurity", 403)
	reboot := ecs.CreateRebootInstanceRequest()
	reboot.InstanceId = post[1]
	_, err = c.RebootInstance(reboot)
	ecsExpectError(t, err, "InstanceLockedForSecurity", 403)
	start := ecs.CreateStartInstanceRequest()
	start.InstanceId = post[1]
	_, err = c.StartInstance(start)
	ecsExpectError(t, err, "InstanceLockedForSecurity", 403)

	start.InstanceId = "i-bp1doesnotexist00000"
	_, err = c.StartInstance(start)
	ecsExpectError(t, err, "InvalidInstanceId.NotFound", 404)
	_, err = c.StartInstance(ecs.CreateStartInstanceRequest())
	ecsExpectError(t, err, "MissingParameter", 400)
}

func TestECSBatchPowerOps(t *testing.T) {
	c, s := newOpsClient(t)
	running := pickInstances(t, s, 3, runningPostPaidLinux)
	stopped := pickInstances(t, s, 1, func(in *instance) bool { return in.Status == "Stopped" })[0]

	// AllTogether (the default): one instance in the wrong state fails the
	// whole call and nothing changes.
	req := ecs.CreateStopInstancesRequest()
	req.InstanceId = &[]string{running[0], stopped}
	_, err := c.StopInstances(req)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403)
	wantStatus(t, c, running[0], "Running")

	req.InstanceId = &[]string{running[0], running[1]}
	req.DryRun = requests.NewBoolean(true)
	_, err = c.StopInstances(req)
	ecsExpectError(t, err, "DryRunOperation", 400)
	wantStatus(t, c, running[0], "Running")

	// SuccessFirst: per-instance results.
	req.DryRun = requests.NewBoolean(false)
	req.BatchOptimization = "SuccessFirst"
	req.InstanceId = &[]string{running[0], stopped, "i-bp1doesnotexist00000", running[1]}
	resp, err := c.StopInstances(req)
	if err != nil {
		t.Fatal(err)
	}
	got := resp.InstanceResponses.InstanceResponse
	if len(got) != 4 {
		t.Fatalf("%d responses: %+v", len(got), got)
	}
	want := []ecs.InstanceResponse{
		{InstanceId: running[0], Code: "200", Message: "success", PreviousStatus: "Running", CurrentStatus: "Stopping"},
		{InstanceId: stopped, Code: "IncorrectInstanceStatus", PreviousStatus: "Stopped", CurrentStatus: "Stopped"},
		{InstanceId: "i-bp1doesnotexist00000", Code: "InvalidInstanceId.NotFound"},
		{InstanceId: running[1], Code: "200", Message: "success", PreviousStatus: "Running", CurrentStatus: "Stopping"},
	}
	for i, w := range want {
		g := got[i]
		if g.InstanceId != w.InstanceId || g.Code != w.Code || g.PreviousStatus != w.PreviousStatus || g.CurrentStatus != w.CurrentStatus ||
			(w.Message != "" && g.Message != w.Message) || g.Message == "" {
			t.Errorf("response %d = %+v, want %+v", i, g, w)
		}
	}
	opsStep(t, s)
	wantStatus(t, c, running[1], "Stopped")

	// StartInstances and RebootInstances.
	start := ecs.CreateStartInstancesRequest()
	start.InstanceId = &[]string{running[0], running[1], stopped}
	sresp, err := c.StartInstances(start)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sresp.InstanceResponses.InstanceResponse); n != 3 {
		t.Fatalf("%d start responses", n)
	}
	opsStep(t, s)
	reboot := ecs.CreateRebootInstancesRequest()
	reboot.InstanceId = &[]string{running[0], running[2]}
	reboot.ForceReboot = requests.NewBoolean(true)
	if _, err := c.RebootInstances(reboot); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, running[2], "Stopping")

	// Limits and bad values.
	many := make([]string, 101)
	for i := range many {
		many[i] = "i-bp1x" + strings.Repeat("0", 14) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	start.InstanceId = &many
	_, err = c.StartInstances(start)
	ecsExpectError(t, err, "InvalidParameter", 400)
	start.InstanceId = &[]string{running[0]}
	start.BatchOptimization = "Whatever"
	_, err = c.StartInstances(start)
	ecsExpectError(t, err, "InvalidParameter", 400)
	_, err = c.StartInstances(ecs.CreateStartInstancesRequest())
	ecsExpectError(t, err, "MissingParameter", 400)
}

func TestECSResourcesModificationAndSpec(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, func(in *instance) bool {
		return runningPostPaidLinux(in) && !sharedFamily(in.InstanceTypeFamily)
	})[0]
	cur := describeInstance(t, c, id)

	drm := ecs.CreateDescribeResourcesModificationRequest()
	drm.ResourceId = id
	drm.DestinationResource = "InstanceType"
	resp, err := c.DescribeResourcesModification(drm)
	if err != nil {
		t.Fatal(err)
	}
	zones := resp.AvailableZones.AvailableZone
	if len(zones) != 1 || zones[0].ZoneId != cur.ZoneId || zones[0].Status != "Available" || zones[0].StatusCategory != "WithStock" {
		t.Fatalf("zones %+v", zones)
	}
	res := zones[0].AvailableResources.AvailableResource
	if len(res) != 1 || res[0].Type != "InstanceType" {
		t.Fatalf("resources %+v", res)
	}
	var target string
	for _, sr := range res[0].SupportedResources.SupportedResource {
		if sr.Value == cur.InstanceType || strings.HasPrefix(sr.Value, "ecs.t6") || strings.HasPrefix(sr.Value, "ecs.e-") {
			t.Errorf("offered %s to a %s", sr.Value, cur.InstanceType)
		}
		if sr.Status == "Available" && sr.StatusCategory == "WithStock" && target == "" {
			target = sr.Value
		}
		if sr.Value == soldOutType && (sr.Status != "SoldOut" || sr.StatusCategory != "WithoutStock") {
			t.Errorf("sold-out type %+v", sr)
		}
	}
	drm = ecs.CreateDescribeResourcesModificationRequest()
	drm.ResourceId = id
	_, err = c.DescribeResourcesModification(drm)
	ecsExpectError(t, err, "Invalid.Param", 400)
	drm = ecs.CreateDescribeResourcesModificationRequest()
	drm.DestinationResource, drm.ResourceId = "InstanceType", "i-bp1doesnotexist00000"
	_, err = c.DescribeResourcesModification(drm)
	ecsExpectError(t, err, "InvalidResourceId.NotFound", 404)

	mod := ecs.CreateModifyInstanceSpecRequest()
	mod.InstanceId = id
	mod.InstanceType = target
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "InvalidInstanceStatus.NotStopped", 400)
	mod.InstanceType = "ecs.nosuch.large"
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "InvalidInstanceType.ValueNotSupported", 400)
	mod.InstanceType, mod.InternetMaxBandwidthOut = target, requests.NewInteger(10)
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "InvalidParameter.Mismatch", 400)
	mod = ecs.CreateModifyInstanceSpecRequest()
	mod.InstanceId = id
	mod.InternetMaxBandwidthOut = requests.NewInteger(101)
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "InvalidParameter", 400)
	mod.InternetMaxBandwidthOut = requests.NewInteger(20)
	if _, err := c.ModifyInstanceSpec(mod); err != nil {
		t.Fatalf("bandwidth change while running: %v", err)
	}
	if got := describeInstance(t, c, id).InternetMaxBandwidthOut; got != 20 {
		t.Errorf("bandwidth %d", got)
	}

	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = id
	if _, err := c.StopInstance(stop); err != nil {
		t.Fatal(err)
	}
	mod = ecs.CreateModifyInstanceSpecRequest()
	mod.InstanceId, mod.InstanceType = id, target
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403) // Stopping
	opsStep(t, s)
	mod.DryRun = requests.NewBoolean(true)
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "DryRunOperation", 400)
	mod.DryRun = requests.NewBoolean(false)
	mod.ClientToken = "spec-1"
	if _, err := c.ModifyInstanceSpec(mod); err != nil {
		t.Fatal(err)
	}
	after := describeInstance(t, c, id)
	var want *instanceType
	withStore(s, func(st *store) { want = st.instanceType(target) })
	if after.InstanceType != target || after.Cpu != want.CPU || after.Memory != int(want.MemoryGiB*1024) {
		t.Errorf("after change: %s cpu %d mem %d, want %+v", after.InstanceType, after.Cpu, after.Memory, want)
	}
	if _, err := c.ModifyInstanceSpec(mod); err != nil {
		t.Errorf("same ClientToken, same parameters: %v", err)
	}
	mod.InstanceType = cur.InstanceType
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "IdempotenceParamNotMatch", 400)
	mod = ecs.CreateModifyInstanceSpecRequest()
	mod.InstanceId, mod.InstanceType = id, cur.InstanceType
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "Throttling", 400)
	if err := s.clock.advance(specThrottle); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyInstanceSpec(mod); err != nil {
		t.Errorf("after 5 minutes: %v", err)
	}
	mod.InstanceType = soldOutType
	_, err = c.ModifyInstanceSpec(mod)
	if err == nil {
		t.Error("change to a sold-out type accepted")
	}

	pre := pickInstances(t, s, 1, func(in *instance) bool { return in.InstanceChargeType == "PrePaid" })[0]
	mod.InstanceId, mod.InstanceType = pre, target
	_, err = c.ModifyInstanceSpec(mod)
	ecsExpectError(t, err, "ChargeTypeViolation", 403)
}

func TestECSModifyPrepayInstanceSpec(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, func(in *instance) bool {
		return in.Status == "Running" && in.InstanceChargeType == "PrePaid" && !sharedFamily(in.InstanceTypeFamily)
	})[0]
	var up, down string
	withStore(s, func(st *store) {
		in := st.instances[id]
		if c := st.specCandidates(in, "Upgrade"); len(c) > 0 {
			up = c[0].ID
		}
		if c := st.specCandidates(in, "Downgrade"); len(c) > 0 {
			down = c[0].ID
		}
	})
	if up == "" || down == "" {
		t.Skipf("no upgrade (%q) or downgrade (%q) for the instance", up, down)
	}
	req := ecs.CreateModifyPrepayInstanceSpecRequest()
	req.RegionId = "cn-hangzhou"
	req.InstanceId, req.InstanceType = id, down
	_, err := c.ModifyPrepayInstanceSpec(req)
	ecsExpectError(t, err, "InvalidInstanceType.NotSupported", 400) // smaller, but OperatorType upgrade
	req.OperatorType = "downgrade"
	_, err = c.ModifyPrepayInstanceSpec(req)
	ecsExpectError(t, err, "InvalidStatus.NotStopped", 400)

	req.OperatorType, req.InstanceType = "upgrade", up
	resp, err := c.ModifyPrepayInstanceSpec(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.OrderId == "" {
		t.Error("no OrderId")
	}
	opsStep(t, s)
	if got := describeInstance(t, c, id).InstanceType; got != up {
		t.Errorf("type %s after the order, want %s", got, up)
	}

	post := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	req.InstanceId = post
	_, err = c.ModifyPrepayInstanceSpec(req)
	ecsExpectError(t, err, "InvalidBillingMethod.ValueNotSupported", 400)
}

func TestECSModifyInstanceNetworkSpec(t *testing.T) {
	c, s := newOpsClient(t)
	post := pickInstances(t, s, 1, func(in *instance) bool { return runningPostPaidLinux(in) && in.InternetChargeType == "PayByTraffic" })[0]
	pre := pickInstances(t, s, 1, func(in *instance) bool {
		return in.Status == "Running" && in.InstanceChargeType == "PrePaid" && in.InternetChargeType == "PayByBandwidth"
	})[0]

	req := ecs.CreateModifyInstanceNetworkSpecRequest()
	req.InstanceId = post
	for _, bad := range []int{101, 1000, -1} {
		req.InternetMaxBandwidthOut = requests.NewInteger(bad)
		_, err := c.ModifyInstanceNetworkSpec(req)
		ecsExpectError(t, err, "InvalidInternetMaxBandwidthOut.ValueNotSupported", 400)
	}
	req.InternetMaxBandwidthOut = requests.NewInteger(5)
	req.InternetMaxBandwidthIn = requests.NewInteger(20)
	_, err := c.ModifyInstanceNetworkSpec(req)
	ecsExpectError(t, err, "InvalidInternetMaxBandwidthIn.ValueNotSupported", 400)
	req = ecs.CreateModifyInstanceNetworkSpecRequest()
	req.InstanceId = post
	req.InternetMaxBandwidthOut = requests.NewInteger(5)
	req.NetworkChargeType = "PayByMood"
	_, err = c.ModifyInstanceNetworkSpec(req)
	ecsExpectError(t, err, "InvalidInternetChargeType.ValueNotSupported", 400)

	req.NetworkChargeType = "PayByBandwidth"
	req.InternetMaxBandwidthOut = requests.NewInteger(100)
	req.ClientToken = "bw-1"
	if _, err := c.ModifyInstanceNetworkSpec(req); err != nil {
		t.Fatal(err)
	}
	got := describeInstance(t, c, post)
	if got.InternetMaxBandwidthOut != 100 || got.InternetChargeType != "PayByBandwidth" {
		t.Errorf("after: %d %s", got.InternetMaxBandwidthOut, got.InternetChargeType)
	}
	if _, err := c.ModifyInstanceNetworkSpec(req); err != nil {
		t.Errorf("replay: %v", err)
	}
	req.InternetMaxBandwidthOut = requests.NewInteger(50)
	_, err = c.ModifyInstanceNetworkSpec(req)
	ecsExpectError(t, err, "IdempotentParameterMismatch", 400)

	// A subscription paying by bandwidth goes to 200; from 0 it gets a
	// public IP address.
	withStore(s, func(st *store) {
		in := st.instances[pre]
		in.PublicIP, in.InternetMaxBandwidthOut = "", 0
	})
	req = ecs.CreateModifyInstanceNetworkSpecRequest()
	req.InstanceId = pre
	req.InternetMaxBandwidthOut = requests.NewInteger(201)
	_, err = c.ModifyInstanceNetworkSpec(req)
	ecsExpectError(t, err, "InvalidInternetMaxBandwidthOut.ValueNotSupported", 400)
	req.InternetMaxBandwidthOut = requests.NewInteger(200)
	resp, err := c.ModifyInstanceNetworkSpec(req)
	if err != nil {
		t.Fatal(err)
	}
	got = describeInstance(t, c, pre)
	if resp.OrderId == "" || got.InternetMaxBandwidthOut != 200 || len(got.PublicIpAddress.IpAddress) != 1 {
		t.Errorf("order %q, bandwidth %d, public %v", resp.OrderId, got.InternetMaxBandwidthOut, got.PublicIpAddress.IpAddress)
	}
}
