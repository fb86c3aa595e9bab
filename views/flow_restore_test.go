package views

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// Multi-step operations own their outcome: a failure after a stop starts
// the instance again and says so; what cannot be started is named.

// specTarget is a running pay-as-you-go instance and a type it can change
// to, with the instances view's cursor on it.
func specTarget(t *testing.T, e opsEnv) (cloud.Instance, string, View) {
	t.Helper()
	ins, _ := e.fleet(t)
	in := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.ChargeType == "PostPaid" })[0]
	types, err := e.check.ResizableTypes(bg(t), "cn-hangzhou", in.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(types, func(rt cloud.ResizableType) bool { return rt.Available() })
	if i < 0 {
		t.Fatalf("%s has no type to change to", in.ID)
	}
	v := load(t, e.ctx, findView(t, e.ctx, "instances"))
	selectRow(t, v, in.ID)
	return in, types[i].ID, v
}

func onlyReport(t *testing.T, tr *trace) Report {
	t.Helper()
	if len(tr.reports) != 1 {
		t.Fatalf("reports = %+v (progress %q)", tr.reports, tr.progress)
	}
	return tr.reports[0]
}

func TestTypeChangeThrottledModifyLeavesItRunningOnItsOldType(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, want, v := specTarget(t, e)
	e.srv.FailNext("ModifyInstanceSpec", "Throttling", 400, 1000) // outlasts the call's retries
	tr := command(t, e.ctx, v, "spec", want)
	r := onlyReport(t, tr)
	if r.Err == nil {
		t.Fatal("the flow reported success with its modify throttled")
	}
	msg := r.Err.Error()
	mustContain(t, msg, in.ID+" is Running again on its old type "+in.Type, "done: stop "+in.ID,
		"failed: change type to "+want, "Throttling", "RequestId")
	if !cloud.IsCode(r.Err, "Throttling") {
		t.Errorf("the report's error does not carry the API's error: %v", r.Err)
	}
	if len(r.LeftStopped) > 0 {
		t.Errorf("LeftStopped = %v, but the instance was started again", r.LeftStopped)
	}
	progressHas(t, tr, "after the failure: start "+in.ID+": submitted")
	if n := len(r.CLI); n != 3 || !strings.Contains(r.CLI[n-1], "StartInstances") {
		t.Errorf("the report's calls %q do not end with the restore's start", r.CLI)
	}
	got := e.instanceNow(t, in.ID)
	if got.Status != cloud.StateRunning || got.Type != in.Type {
		t.Errorf("after the flow: %s %s, want Running %s", got.Status, got.Type, in.Type)
	}
}

func TestRollbackWhoseResetFailsStartsTheInstanceAgain(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, data := runningWithData(t, e)
	good := knownGoodSnapshot(t, e, data.ID)
	v := findView(t, e.ctx, "snapshots")
	v.SetScope(data.ID)
	v = load(t, e.ctx, v)
	e.srv.FailNext("ResetDisk", "IncorrectDiskStatus", 403, 1)
	tr := command(t, e.ctx, v, "rollback", good.ID)
	r := onlyReport(t, tr)
	if r.Err == nil {
		t.Fatal("the roll back reported success with its reset refused")
	}
	mustContain(t, r.Err.Error(), in.ID+" is Running again", "done: safety snapshot of "+data.ID+", stop "+in.ID, "failed: roll back "+data.ID, "IncorrectDiskStatus")
	if got := e.instanceNow(t, in.ID).Status; got != cloud.StateRunning {
		t.Errorf("%s is %s after the failed roll back, want Running", in.ID, got)
	}
}

func TestRestoreImpossibleNamesTheInstanceLeftStopped(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, want, v := specTarget(t, e)
	e.srv.FailNext("ModifyInstanceSpec", "OperationDenied.NoStock", 403, 1)
	e.srv.FailNext("StartInstances", "OperationDenied.NoStock", 403, 1)
	tr := command(t, e.ctx, v, "spec", want)
	r := onlyReport(t, tr)
	if r.Err == nil || !slices.Equal(r.LeftStopped, []string{in.ID}) {
		t.Fatalf("report %v, LeftStopped %v: want %s named", r.Err, r.LeftStopped, in.ID)
	}
	mustContain(t, r.Err.Error(), in.ID+" was left Stopped by this operation", "starting it again failed", "failed: change type to "+want)
	if got := e.instanceNow(t, in.ID).Status; got != cloud.StateStopped {
		t.Errorf("%s is %s", in.ID, got)
	}

	// The row says so until the instance runs again.
	ctx := e.ctx
	ctx.Stranded = NewStranded()
	ctx.Stranded.Mark(r)
	list := load(t, ctx, findView(t, ctx, "instances"))
	list.SetFilter(in.ID)
	mustContain(t, screen(ctx, list, 160, 10), in.ID, leftStoppedCell)
	list = openDetail(t, ctx, list, in.ID)
	mustContain(t, screen(ctx, list, 160, 40), "Stopped! a failed operation left it so", "Left by", r.Action)
	list.Back()
	if _, err := e.check.Execute(bg(t), mustPlan(t)(e.check.PlanStartInstances("cn-hangzhou", []string{in.ID}))); err != nil {
		t.Fatal(err)
	}
	if _, err := e.check.WaitRunning(bg(t), "cn-hangzhou", []string{in.ID}, nil); err != nil {
		t.Fatal(err)
	}
	list = load(t, ctx, list)
	if s := screen(ctx, list, 160, 10); strings.Contains(s, leftStoppedCell) {
		t.Errorf("the row is still marked after the start:\n%s", s)
	}
}

func mustPlan(t *testing.T) func(*cloud.Plan, error) *cloud.Plan {
	return func(p *cloud.Plan, err error) *cloud.Plan {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func TestThrottledPollsAreNotTheStepsFailure(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	ins, _ := e.fleet(t)
	in := pick(ins, 1, running)[0]
	v := load(t, e.ctx, findView(t, e.ctx, "instances"))
	selectRow(t, v, in.ID)
	e.srv.FailNext("DescribeInstances", "Throttling.User", 400, 2)
	tr := command(t, e.ctx, v, "stop", "normal")
	noErrors(t, tr)
	progressHas(t, tr, "could not read (Throttling.User)")
	if got := e.instanceNow(t, in.ID).Status; got != cloud.StateStopped {
		t.Errorf("%s is %s after the stop", in.ID, got)
	}
}

func TestReinitialiseThatFailsStartsTheInstanceAgain(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, data := runningWithData(t, e)
	v := load(t, e.ctx, findView(t, e.ctx, "disks"))
	selectRow(t, v, data.ID)
	e.srv.FailNext("ReInitDisk", "IncorrectDiskStatus", 403, 1)
	tr := command(t, e.ctx, v, "reinit")
	r := onlyReport(t, tr)
	if r.Err == nil {
		t.Fatal("the re-initialise reported success with its call refused")
	}
	mustContain(t, r.Err.Error(), in.ID+" is Running again", "done: stop "+in.ID, "failed: re-initialise "+data.ID, "IncorrectDiskStatus")
	if got := e.instanceNow(t, in.ID).Status; got != cloud.StateRunning {
		t.Errorf("%s is %s after the failed re-initialise, want Running", in.ID, got)
	}
}

func TestReinitialiseThatWorksLeavesItStoppedAsItSaid(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, data := runningWithData(t, e)
	v := load(t, e.ctx, findView(t, e.ctx, "disks"))
	selectRow(t, v, data.ID)
	tr := command(t, e.ctx, v, "reinit")
	noErrors(t, tr)
	if e.calls("StartInstances") != 0 {
		t.Errorf("StartInstances called %d times after a re-initialise that worked", e.calls("StartInstances"))
	}
	if got := e.instanceNow(t, in.ID).Status; got != cloud.StateStopped {
		t.Errorf("%s is %s, want it Stopped as the confirmation said", in.ID, got)
	}
}

func TestReadsThatNeverArriveEndInCouldNotConfirm(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	ins, _ := e.fleet(t)
	in := pick(ins, 1, running)[0]
	stop, err := e.ctx.Client.PlanStopInstances("cn-hangzhou", []string{in.ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	f := Flow{Action: "stop " + in.ID, Title: "stop?", Reload: []string{"instances"}, Steps: []Step{
		{Label: "stop " + in.ID, Plan: stop, Poll: pollInstances("cn-hangzhou", cloud.StateStopped), Deadline: 3 * time.Second},
	}}
	e.srv.FailNext("DescribeInstances", "Throttling.User", 400, 1000)
	v := findView(t, e.ctx, "instances")
	tr := drive(t, e.ctx, v, func() tea.Msg { return f.Confirm(e.ctx) })
	e.srv.ClearFaults()
	r := onlyReport(t, tr)
	if r.Err == nil || !r.Unconfirmed {
		t.Fatalf("report %v (unconfirmed %v): want 'could not confirm'", r.Err, r.Unconfirmed)
	}
	mustContain(t, r.Err.Error(), "stop "+in.ID+": could not confirm: the last read did not arrive", "Throttling.User")
	progressHas(t, tr, "could not read (Throttling.User), asking again")
	if e.calls("StartInstances") != 0 {
		t.Error("a stop the user asked for was started again")
	}
}

func TestReplaceOSRefusedAfterTheStopStartsTheInstanceAgain(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	ins, _ := e.fleet(t)
	in := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.OSType == "linux" })[0]
	imgs, err := e.check.Images(bg(t), "cn-hangzhou", cloud.OwnerSystem)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(imgs, func(img cloud.Image) bool {
		return img.Status == "Available" && img.OSType == "linux" && img.ID != in.ImageID
	})
	if i < 0 {
		t.Fatal("no other linux image")
	}
	v := load(t, e.ctx, findView(t, e.ctx, "instances"))
	selectRow(t, v, in.ID)
	e.srv.FailNext("ReplaceSystemDisk", "InvalidParameter", 400, 1)
	tr := command(t, e.ctx, v, "replace-os", imgs[i].ID)
	r := onlyReport(t, tr)
	if r.Err == nil {
		t.Fatal("the replacement reported success with its call refused")
	}
	mustContain(t, r.Err.Error(), in.ID+" is Running again", "done: stop "+in.ID, "failed: replace the system disk", "InvalidParameter")
	if got := e.instanceNow(t, in.ID); got.Status != cloud.StateRunning || got.ImageID != in.ImageID {
		t.Errorf("%s is %s on %s after the refused replacement, want Running on %s", in.ID, got.Status, got.ImageID, in.ImageID)
	}
}

func TestPasswordRestartThatFailsSaysWhereTheInstanceIs(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	ins, _ := e.fleet(t)
	in := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.OSType == "linux" })[0]
	e.srv.FailNext("RebootInstances", "InternalError", 500, 1000)
	cmd, err := passwordFlow(e.ctx, []cloud.Instance{in}, "Restore1!pass", true)
	if err != nil {
		t.Fatal(err)
	}
	tr := drive(t, e.ctx, findView(t, e.ctx, "instances"), cmd)
	r := onlyReport(t, tr)
	if r.Err == nil {
		t.Fatal("the restart reported success with its reboot failing")
	}
	// The reboot never happened: the runner read it back rather than
	// leaving the operator to guess.
	mustContain(t, r.Err.Error(), in.ID+" is Running", "done: set password of "+in.ID, "failed: restart "+in.ID, "InternalError")
	progressHas(t, tr, "after the failure: reading "+in.ID)
}
