package emulator

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/oos"
)

// OOS through the real SDK's services/oos request and response structs.

const oosDelay = 10 * time.Second

var oosNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type oosEnv struct {
	region string // of the OOS calls (default cn-hangzhou)
	s      *Server
	oos    *oos.Client
	ecs    *ecs.Client
}

// newOOSEnv serves an emulator on a pinned clock (moved with step) and
// returns OOS and ECS SDK clients for cn-hangzhou.
func newOOSEnv(t *testing.T, seed uint64) *oosEnv {
	t.Helper()
	e, s := newECSTestClient(t, Options{Seed: seed, Instances: 60, TransitionDelay: oosDelay, Now: func() time.Time { return oosNow }})
	u, err := url.Parse("http://" + e.Domain)
	if err != nil {
		t.Fatal(err)
	}
	o, err := oos.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewStaticAKCredentialsProvider(DefaultAccessKeyID, DefaultAccessKeySecret))
	if err != nil {
		t.Fatal(err)
	}
	o.Domain = u.Host
	o.SetNoProxy(u.Hostname())
	return &oosEnv{region: "cn-hangzhou", s: s, oos: o, ecs: e}
}

// step moves the emulated clock forward by d.
func (e *oosEnv) step(t *testing.T, d time.Duration) {
	t.Helper()
	if err := e.s.clock.advance(d); err != nil {
		t.Fatal(err)
	}
}

func (e *oosEnv) states(t *testing.T, ids []string) []oos.InstancePatchState {
	t.Helper()
	var all []oos.InstancePatchState
	token := ""
	for {
		req := oos.CreateListInstancePatchStatesRequest()
		req.RegionId = e.region
		if ids != nil {
			b, _ := json.Marshal(ids)
			req.InstanceIds = string(b)
		}
		req.MaxResults = requests.NewInteger(10)
		req.NextToken = token
		resp, err := e.oos.ListInstancePatchStates(req)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, resp.InstancePatchStates...)
		if resp.NextToken == "" {
			return all
		}
		token = resp.NextToken
	}
}

func (e *oosEnv) state(t *testing.T, id string) oos.InstancePatchState {
	t.Helper()
	list := e.states(t, []string{id})
	if len(list) != 1 {
		t.Fatalf("ListInstancePatchStates %s: %d states", id, len(list))
	}
	return list[0]
}

func (e *oosEnv) patches(t *testing.T, id, statuses string) []oos.Patch {
	t.Helper()
	req := oos.CreateListInstancePatchesRequest()
	req.RegionId = e.region
	req.InstanceId = id
	req.PatchStatuses = statuses
	req.MaxResults = requests.NewInteger(100)
	resp, err := e.oos.ListInstancePatches(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Patches
}

func (e *oosEnv) start(t *testing.T, params map[string]any, safety string) oos.ExecutionInStartExecution {
	t.Helper()
	req := oos.CreateStartExecutionRequest()
	req.RegionId = "cn-hangzhou"
	req.TemplateName = patchTemplateName
	b, _ := json.Marshal(params)
	req.Parameters = string(b)
	req.SafetyCheck = safety
	resp, err := e.oos.StartExecution(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Execution
}

func (e *oosEnv) execution(t *testing.T, id string) oos.Execution {
	t.Helper()
	req := oos.CreateListExecutionsRequest()
	req.RegionId = "cn-hangzhou"
	req.ExecutionId = id
	resp, err := e.oos.ListExecutions(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Executions) != 1 {
		t.Fatalf("ListExecutions %s: %d executions", id, len(resp.Executions))
	}
	return resp.Executions[0]
}

func (e *oosEnv) children(t *testing.T, id string) []oos.TaskExecution {
	t.Helper()
	req := oos.CreateListTaskExecutionsRequest()
	req.RegionId = "cn-hangzhou"
	req.ExecutionId = id
	req.IncludeChildTaskExecution = requests.NewBoolean(true)
	req.SortOrder = "Ascending"
	resp, err := e.oos.ListTaskExecutions(req)
	if err != nil {
		t.Fatal(err)
	}
	var out []oos.TaskExecution
	for _, te := range resp.TaskExecutions {
		if te.LoopItem != "" {
			out = append(out, te)
		}
	}
	return out
}

func (e *oosEnv) status(t *testing.T, id string) string {
	t.Helper()
	return describeInstance(t, e.ecs, id).Status
}

func targets(ids ...string) map[string]any {
	return map[string]any{"Type": "ResourceIds", "ResourceIds": ids, "RegionId": "cn-hangzhou"}
}

func n(s string) int { v, _ := strconv.Atoi(s); return v }

// pick returns count Running cn-hangzhou instances (sorted ids) whose
// patch state and patches keep accepts, read through the API.
func (e *oosEnv) pick(t *testing.T, count int, keep func(in ecs.Instance, st oos.InstancePatchState, patches []oos.Patch) bool) []string {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = "cn-hangzhou"
	req.PageSize = requests.NewInteger(100)
	resp, err := e.ecs.DescribeInstances(req)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]oos.InstancePatchState{}
	for _, s := range e.states(t, nil) {
		states[s.InstanceId] = s
	}
	var ids []string
	for _, in := range resp.Instances.Instance {
		st, ok := states[in.InstanceId]
		if in.Status != "Running" || !ok || slices.ContainsFunc(in.OperationLocks.LockReason, func(l ecs.LockReason) bool { return l.LockMsg != "" || l.LockReason != "" }) {
			continue
		}
		if keep(in, st, e.patches(t, in.InstanceId, "")) {
			ids = append(ids, in.InstanceId)
		}
	}
	slices.Sort(ids)
	if len(ids) < count {
		t.Fatalf("fleet has %d matching instances, want %d", len(ids), count)
	}
	return ids[:count]
}

// spec finds a patch's catalogue entry.
func spec(kb string) patchSpec {
	for _, list := range patchCatalogue {
		for _, p := range list {
			if p.KBId == kb {
				return p
			}
		}
	}
	return patchSpec{}
}

func hasPatch(patches []oos.Patch, keep func(p oos.Patch, sp patchSpec) bool) bool {
	return slices.ContainsFunc(patches, func(p oos.Patch) bool { return keep(p, spec(p.KBId)) })
}

func countStatus(patches []oos.Patch, status string) int {
	k := 0
	for _, p := range patches {
		if p.Status == status {
			k++
		}
	}
	return k
}

// The same seed gives the same inventories, whatever was asked first; the
// fleet has instances up to date, behind (Critical ones missing), failed,
// waiting for a reboot and never scanned; Windows ids are KBs, Linux ones
// package-version strings.
func TestOOSInventoriesDeterministic(t *testing.T) {
	a, b := newOOSEnv(t, 3), newOOSEnv(t, 3)
	b.patches(t, "i-unknown", "") // a different first call
	var current, behind, critical, failed, pending, windows, linux, states int
	for _, region := range []string{"cn-hangzhou", "cn-shanghai"} {
		a.region, b.region = region, region
		sa, sb := a.states(t, nil), b.states(t, nil)
		if !reflect.DeepEqual(sa, sb) {
			t.Fatal("two emulators with one seed disagree on the patch states")
		}
		states += len(sa)
		for _, s := range sa {
			if s.OperationType != "Scan" || s.OperationEndTime == "" || s.BaselineId == "" {
				t.Fatalf("state %+v: want a scan with its time and baseline", s)
			}
			end, err := time.Parse(time.RFC3339, s.OperationEndTime)
			if err != nil || !end.Before(oosNow) {
				t.Fatalf("last scan %q: want a time before the emulator started", s.OperationEndTime)
			}
			ps := a.patches(t, s.InstanceId, "")
			if !reflect.DeepEqual(ps, b.patches(t, s.InstanceId, "")) {
				t.Fatalf("%s: patches differ between two emulators with one seed", s.InstanceId)
			}
			total := n(s.InstalledCount) + n(s.MissingCount) + n(s.FailedCount) + n(s.InstalledPendingRebootCount)
			if total != len(ps) || countStatus(ps, patchMissing) != n(s.MissingCount) || countStatus(ps, patchFailed) != n(s.FailedCount) {
				t.Fatalf("%s: counts %+v do not match its %d patches", s.InstanceId, s, len(ps))
			}
			switch {
			case n(s.MissingCount) == 0 && n(s.FailedCount) == 0:
				current++
			default:
				behind++
			}
			if hasPatch(ps, func(p oos.Patch, _ patchSpec) bool { return p.Status == patchMissing && p.Severity == "Critical" }) {
				critical++
			}
			if n(s.FailedCount) > 0 {
				failed++
			}
			if n(s.InstalledPendingRebootCount) > 0 {
				pending++
			}
			for _, p := range ps {
				if strings.HasPrefix(p.KBId, "KB") {
					windows++
					if !strings.Contains(p.Title, p.KBId) {
						t.Fatalf("Windows patch %+v: the title names its KB", p)
					}
				} else {
					linux++
					if !strings.Contains(p.KBId, "-") || !strings.Contains(p.Title, " ") {
						t.Fatalf("Linux patch %+v: want a package-version id", p)
					}
				}
				if (p.Status == patchInstalled) != (p.InstalledTime != "") && p.Status != patchPendingReboot {
					t.Fatalf("patch %+v: InstalledTime only for installed ones", p)
				}
			}
		}
	}
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = "cn-hangzhou"
	req.PageSize = requests.NewInteger(100)
	resp, err := a.ecs.DescribeInstances(req)
	if err != nil {
		t.Fatal(err)
	}
	a.region = "cn-hangzhou"
	never := len(resp.Instances.Instance) - len(a.states(t, nil))
	t.Logf("%d states: %d current, %d behind (%d with a Critical missing), %d failed, %d pending reboot, %d never scanned; %d Windows and %d Linux patches",
		states, current, behind, critical, failed, pending, never, windows, linux)
	if current == 0 || behind == 0 || critical == 0 || failed == 0 || windows == 0 || linux == 0 || never < 0 {
		t.Fatal("the seeded fleet lacks a kind of patch state")
	}
	// Filters: one status, a JSON list of them.
	id := a.pick(t, 1, func(_ ecs.Instance, s oos.InstancePatchState, _ []oos.Patch) bool { return n(s.MissingCount) > 0 })[0]
	for _, st := range []string{"Missing", `["Missing"]`} {
		ps := a.patches(t, id, st)
		if len(ps) == 0 || countStatus(ps, patchMissing) != len(ps) {
			t.Fatalf("PatchStatuses %s: got %+v", st, ps)
		}
	}
	if ps := a.patches(t, "i-nonexistent", ""); len(ps) != 0 {
		t.Fatalf("an unknown instance has patches %+v, want none", ps)
	}
	if got := a.states(t, []string{"i-nonexistent"}); len(got) != 0 {
		t.Fatalf("an unknown instance has a state %+v, want none", got)
	}
}

// A scan refreshes the last scan time and says so in its task's output.
func TestOOSScanUpdatesLastScan(t *testing.T) {
	e := newOOSEnv(t, 1)
	id := e.pick(t, 1, func(ecs.Instance, oos.InstancePatchState, []oos.Patch) bool { return true })[0]
	before := e.state(t, id)
	ex := e.start(t, map[string]any{"action": "scan", "targets": targets(id)}, "")
	if ex.Status != execStarted || !strings.HasPrefix(ex.ExecutionId, "exec-") || ex.TemplateName != patchTemplateName {
		t.Fatalf("StartExecution: %+v", ex)
	}
	var params map[string]any
	if err := json.Unmarshal([]byte(ex.Parameters), &params); err != nil || params["action"] != "scan" || params["rebootIfNeed"] != false {
		t.Fatalf("StartExecution Parameters %q: want the effective parameters as a JSON string", ex.Parameters)
	}
	e.step(t, oosDelay/2)
	if got := e.execution(t, ex.ExecutionId); got.Status != execRunning || got.Parameters["action"] != "scan" {
		t.Fatalf("after selecting targets: %+v", got)
	}
	e.step(t, oosDelay)
	got := e.execution(t, ex.ExecutionId)
	if got.Status != execSuccess || got.EndDate == "" {
		t.Fatalf("after the scan: %s %s", got.Status, got.StatusMessage)
	}
	after := e.state(t, id)
	want := oosNow.Add(oosDelay/2 + oosDelay).Format(timeSecond)
	if after.OperationEndTime != want || after.OperationType != "Scan" || after.OperationEndTime == before.OperationEndTime {
		t.Fatalf("last scan %s (%s), want %s (was %s)", after.OperationEndTime, after.OperationType, want, before.OperationEndTime)
	}
	if after.MissingCount != before.MissingCount {
		t.Fatalf("a scan changed Missing %s -> %s", before.MissingCount, after.MissingCount)
	}
	kids := e.children(t, ex.ExecutionId)
	if len(kids) != 1 || kids[0].LoopItem != id || kids[0].Status != execSuccess || !strings.Contains(kids[0].Outputs, "scan finished") {
		t.Fatalf("per-instance tasks: %+v", kids)
	}
}

// An install with rebootIfNeed installs every missing patch and restarts
// the instance: Running -> Stopping -> Starting -> Running, each phase one
// transition delay, seen through DescribeInstances.
func TestOOSInstallWithReboot(t *testing.T) {
	e := newOOSEnv(t, 1)
	id := e.pick(t, 1, func(_ ecs.Instance, s oos.InstancePatchState, ps []oos.Patch) bool {
		return n(s.FailedCount) == 0 && hasPatch(ps, func(p oos.Patch, sp patchSpec) bool { return p.Status == patchMissing && sp.Reboot })
	})[0]
	before := describeInstance(t, e.ecs, id)
	ex := e.start(t, map[string]any{"action": "install", "rebootIfNeed": true, "targets": targets(id),
		"rateControl": map[string]any{"Mode": "Concurrency", "MaxErrors": 0, "Concurrency": 5}}, "Skip")
	steps := []struct {
		d      time.Duration
		status string
	}{{oosDelay / 2, "Running"}, {oosDelay, "Stopping"}, {oosDelay, "Starting"}, {oosDelay, "Running"}}
	for i, s := range steps {
		e.step(t, s.d)
		if got := e.status(t, id); got != s.status {
			t.Fatalf("step %d: the instance is %s, want %s", i, got, s.status)
		}
		if i == 1 {
			if got := e.execution(t, ex.ExecutionId); got.Status != execRunning {
				t.Fatalf("during the reboot the execution is %s", got.Status)
			}
		}
	}
	got := e.execution(t, ex.ExecutionId)
	if got.Status != execSuccess {
		t.Fatalf("execution %s: %s", got.Status, got.StatusMessage)
	}
	st := e.state(t, id)
	if st.MissingCount != "0" || st.InstalledPendingRebootCount != "0" || st.OperationType != "Install" {
		t.Fatalf("after the install: %+v", st)
	}
	if after := describeInstance(t, e.ecs, id); after.StartTime == before.StartTime {
		t.Fatalf("StartTime %s: the restart did not boot the instance", after.StartTime)
	}
	kids := e.children(t, ex.ExecutionId)
	if len(kids) != 1 || kids[0].Status != execSuccess || !strings.Contains(kids[0].Outputs, "restarted") {
		t.Fatalf("per-instance task: %+v", kids)
	}
}

// Without rebootIfNeed the instance keeps running and the patches that
// need a restart wait for one; a later restart and scan installs them.
func TestOOSInstallWithoutRebootLeavesPending(t *testing.T) {
	e := newOOSEnv(t, 1)
	id := e.pick(t, 1, func(_ ecs.Instance, s oos.InstancePatchState, ps []oos.Patch) bool {
		return n(s.FailedCount) == 0 && hasPatch(ps, func(p oos.Patch, sp patchSpec) bool { return p.Status == patchMissing && sp.Reboot })
	})[0]
	ex := e.start(t, map[string]any{"action": "install", "targets": targets(id)}, "Skip")
	for range 4 {
		e.step(t, oosDelay)
		if got := e.status(t, id); got != "Running" {
			t.Fatalf("an install without rebootIfNeed restarted the instance (%s)", got)
		}
	}
	if got := e.execution(t, ex.ExecutionId); got.Status != execSuccess {
		t.Fatalf("execution %s: %s", got.Status, got.StatusMessage)
	}
	st := e.state(t, id)
	if st.MissingCount != "0" || n(st.InstalledPendingRebootCount) == 0 {
		t.Fatalf("after the install: %+v", st)
	}
	req := ecs.CreateRebootInstanceRequest()
	req.InstanceId = id
	if _, err := e.ecs.RebootInstance(req); err != nil {
		t.Fatal(err)
	}
	e.step(t, 2*oosDelay+time.Second)
	e.start(t, map[string]any{"action": "scan", "targets": targets(id)}, "")
	e.step(t, 2*oosDelay)
	if st := e.state(t, id); st.InstalledPendingRebootCount != "0" {
		t.Fatalf("after a restart and a scan: %+v", st)
	}
}

// Patches that failed are retried by an install: the broken ones fail
// again (and fail the run), the others install.
func TestOOSFailedPatchesStayFailed(t *testing.T) {
	e := newOOSEnv(t, 1)
	id := e.pick(t, 1, func(_ ecs.Instance, _ oos.InstancePatchState, ps []oos.Patch) bool {
		return hasPatch(ps, func(p oos.Patch, sp patchSpec) bool { return p.Status == patchFailed && sp.Broken != "" })
	})[0]
	var broken []string
	for _, p := range e.patches(t, id, "Failed") {
		if spec(p.KBId).Broken != "" {
			broken = append(broken, p.KBId)
		}
	}
	ex := e.start(t, map[string]any{"action": "install", "rebootIfNeed": true, "targets": targets(id)}, "Skip")
	e.step(t, oosDelay/2+3*oosDelay)
	got := e.execution(t, ex.ExecutionId)
	if got.Status != execFailed || !strings.Contains(got.StatusMessage, broken[0]) {
		t.Fatalf("execution %s %q: want Failed naming %s", got.Status, got.StatusMessage, broken[0])
	}
	var still []string
	for _, p := range e.patches(t, id, "Failed") {
		still = append(still, p.KBId)
	}
	if !reflect.DeepEqual(still, broken) {
		t.Fatalf("failed after the install: %v, want the broken ones %v", still, broken)
	}
	if st := e.state(t, id); st.MissingCount != "0" || n(st.FailedCount) != len(broken) {
		t.Fatalf("after the install: %+v", st)
	}
	kids := e.children(t, ex.ExecutionId)
	if len(kids) != 1 || kids[0].Status != execFailed || !strings.HasPrefix(kids[0].StatusMessage, "PatchInstallFailed") {
		t.Fatalf("per-instance task: %+v", kids)
	}
}

// Concurrency 1 runs the instances one after another, in batches; an
// instance that is not Running fails its run and so the execution.
func TestOOSConcurrencyAndNotRunning(t *testing.T) {
	e := newOOSEnv(t, 1)
	ids := e.pick(t, 2, func(ecs.Instance, oos.InstancePatchState, []oos.Patch) bool { return true })
	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = ids[1]
	if _, err := e.ecs.StopInstance(stop); err != nil {
		t.Fatal(err)
	}
	e.step(t, oosDelay+time.Second)
	ex := e.start(t, map[string]any{"action": "scan", "targets": targets(ids...),
		"rateControl": map[string]any{"Mode": "Concurrency", "MaxErrors": 0, "Concurrency": 1}}, "")
	e.step(t, oosDelay/2+oosDelay/2)
	kids := e.children(t, ex.ExecutionId)
	if len(kids) != 1 || kids[0].LoopItem != ids[0] || kids[0].Status != execRunning || kids[0].LoopBatchNumber != 1 {
		t.Fatalf("first batch: %+v", kids)
	}
	if c := e.execution(t, ex.ExecutionId).Counters; c["Waiting"] != float64(1) || c["Running"] != float64(1) {
		t.Fatalf("counters %v", c)
	}
	e.step(t, oosDelay)
	kids = e.children(t, ex.ExecutionId)
	e.step(t, oosDelay/2) // the second batch's planned end
	if len(kids) != 2 || kids[1].LoopItem != ids[1] || kids[1].Status != execFailed || kids[1].LoopBatchNumber != 2 ||
		!strings.HasPrefix(kids[1].StatusMessage, "InstanceNotRunning") {
		t.Fatalf("second batch: %+v", kids)
	}
	got := e.execution(t, ex.ExecutionId)
	if got.Status != execFailed || got.Counters["Success"] != float64(1) || got.Counters["Failed"] != float64(1) {
		t.Fatalf("execution %s %v", got.Status, got.Counters)
	}
}

// With the API's default SafetyCheck an install waits for approval;
// NotifyExecution Approve runs it; CancelExecution stops one.
func TestOOSWaitingApprovalAndCancel(t *testing.T) {
	e := newOOSEnv(t, 1)
	id := e.pick(t, 1, func(_ ecs.Instance, s oos.InstancePatchState, _ []oos.Patch) bool { return n(s.MissingCount) > 0 })[0]
	ex := e.start(t, map[string]any{"action": "install", "targets": targets(id)}, "")
	e.step(t, 5*oosDelay)
	got := e.execution(t, ex.ExecutionId)
	if got.Status != execWaiting || got.WaitingStatus == "" || e.state(t, id).MissingCount == "0" {
		t.Fatalf("want Waiting with nothing installed: %+v", got)
	}
	req := oos.CreateNotifyExecutionRequest()
	req.RegionId = "cn-hangzhou"
	req.ExecutionId = ex.ExecutionId
	req.NotifyType = "Approve"
	if _, err := e.oos.NotifyExecution(req); err != nil {
		t.Fatal(err)
	}
	e.step(t, 4*oosDelay)
	if got := e.execution(t, ex.ExecutionId); got.Status != execSuccess && got.Status != execFailed {
		t.Fatalf("after approval: %s", got.Status)
	}
	if st := e.state(t, id); st.MissingCount != "0" {
		t.Fatalf("after approval: %+v", st)
	}

	ex = e.start(t, map[string]any{"action": "scan", "targets": targets(id)}, "")
	cancel := oos.CreateCancelExecutionRequest()
	cancel.RegionId = "cn-hangzhou"
	cancel.ExecutionId = ex.ExecutionId
	if _, err := e.oos.CancelExecution(cancel); err != nil {
		t.Fatal(err)
	}
	e.step(t, 3*oosDelay)
	if got := e.execution(t, ex.ExecutionId); got.Status != execCancelled {
		t.Fatalf("after CancelExecution: %s", got.Status)
	}
	cancel.ExecutionId = "exec-00000000000000000000"
	_, err := e.oos.CancelExecution(cancel)
	ecsExpectError(t, err, "EntityNotExists.Execution", 404)
}

// Refusals: the template, its parameters, the ClientToken.
func TestOOSStartExecutionRefusals(t *testing.T) {
	e := newOOSEnv(t, 1)
	id := e.pick(t, 1, func(ecs.Instance, oos.InstancePatchState, []oos.Patch) bool { return true })[0]
	call := func(name, params string) error {
		req := oos.CreateStartExecutionRequest()
		req.RegionId = "cn-hangzhou"
		req.TemplateName = name
		req.Parameters = params
		_, err := e.oos.StartExecution(req)
		return err
	}
	good, _ := json.Marshal(map[string]any{"action": "scan", "targets": targets(id)})
	ecsExpectError(t, call("ACS-ECS-NoSuchTemplate", string(good)), "EntityNotExists.Template", 404)
	ecsExpectError(t, call("", string(good)), "MissingParameter", 400)
	for _, bad := range []string{
		`not json`,
		`{"action":"scan"}`,
		`{"action":"upgrade","targets":{"Type":"ResourceIds","ResourceIds":["` + id + `"]}}`,
		`{"action":"scan","concurrency":5,"targets":{"Type":"ResourceIds","ResourceIds":["` + id + `"]}}`,
		`{"action":"scan","targets":{"Type":"ResourceIds","ResourceIds":[]}}`,
		`{"action":"scan","rateControl":{"Mode":"Concurrency","Concurrency":0},"targets":{"Type":"ResourceIds","ResourceIds":["` + id + `"]}}`,
		`{"action":"scan","targets":{"Type":"ResourceIds","ResourceIds":["` + id + `"],"RegionId":"cn-beijing"}}`,
	} {
		ecsExpectError(t, call(patchTemplateName, bad), "InvalidParameter", 400)
	}

	// The same ClientToken and parameters answer the first execution.
	req := oos.CreateStartExecutionRequest()
	req.RegionId = "cn-hangzhou"
	req.TemplateName = patchTemplateName
	req.Parameters = string(good)
	req.ClientToken = "token-1"
	r1, err := e.oos.StartExecution(req)
	if err != nil {
		t.Fatal(err)
	}
	req2 := oos.CreateStartExecutionRequest()
	req2.RegionId, req2.TemplateName, req2.Parameters, req2.ClientToken = "cn-hangzhou", patchTemplateName, string(good), "token-1"
	r2, err := e.oos.StartExecution(req2)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Execution.ExecutionId != r2.Execution.ExecutionId {
		t.Fatalf("one ClientToken made two executions: %s, %s", r1.Execution.ExecutionId, r2.Execution.ExecutionId)
	}
}

// OOS calls are authenticated as ECS ones, and errors name the product.
func TestOOSSignatureChecked(t *testing.T) {
	e := newOOSEnv(t, 1)
	bad, err := oos.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewStaticAKCredentialsProvider(DefaultAccessKeyID, "wrong-secret"))
	if err != nil {
		t.Fatal(err)
	}
	bad.Domain = e.oos.Domain
	req := oos.CreateListExecutionsRequest()
	req.RegionId = "cn-hangzhou"
	_, err = bad.ListExecutions(req)
	ecsExpectError(t, err, "SignatureDoesNotMatch", 400)
	start := oos.CreateStartExecutionRequest()
	start.RegionId = "cn-hangzhou"
	start.TemplateName = "ACS-ECS-NoSuchTemplate"
	_, err = e.oos.StartExecution(start)
	var se *sdkerrors.ServerError
	if errors.As(err, &se); se == nil || !strings.Contains(se.Recommend(), "product=oos") {
		t.Fatalf("Recommend %q: want the oos product", se.Recommend())
	}
}
