package views

import (
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// The precheck covers every step it can before anything is changed.

func TestTypeChangePrecheckCoversEveryStep(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, want, v := specTarget(t, e)
	cmd, _ := v.RunCommand(e.ctx, "spec", []string{want})
	c, ok := cmd().(Confirm)
	if !ok || c.Precheck == nil {
		t.Fatalf("`:spec %s` gave %+v, want a confirmation with a precheck", want, c)
	}
	vd := c.Precheck().(Verdict)
	if !vd.OK || vd.Refused {
		t.Fatalf("verdict %+v", vd)
	}
	mustContain(t, vd.Text, "1. stop "+in.ID+" ✓", "checked after the stop (they need it Stopped): 2. change type to "+want+", 3. start "+in.ID)
	if e.calls("StopInstances", "ModifyInstanceSpec", "StartInstances") != 3 {
		t.Errorf("the precheck asked %d DryRuns, want one per step", e.calls("StopInstances", "ModifyInstanceSpec", "StartInstances"))
	}
	if got := e.instanceNow(t, in.ID); got.Status != cloud.StateRunning || got.Type != in.Type {
		t.Errorf("the precheck changed %s: %s %s", in.ID, got.Status, got.Type)
	}
}

func TestTypeChangePrecheckKnowsTheFiveMinuteLimit(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, want, v := specTarget(t, e)
	if tr := command(t, e.ctx, v, "spec", want); len(tr.errs()) > 0 {
		t.Fatalf("the first change failed: %v", tr.errs())
	}
	types, err := e.check.ResizableTypes(bg(t), "cn-hangzhou", in.ID)
	if err != nil {
		t.Fatal(err)
	}
	back := ""
	for _, rt := range types {
		if rt.Available() && rt.ID != want {
			back = rt.ID
			break
		}
	}
	v = load(t, e.ctx, v)
	selectRow(t, v, in.ID)
	cmd, _ := v.RunCommand(e.ctx, "spec", []string{back})
	c, ok := cmd().(Confirm)
	if !ok || c.Precheck == nil {
		t.Fatalf("`:spec %s` gave %+v", back, c)
	}
	vd := c.Precheck().(Verdict)
	if !vd.Refused || !strings.Contains(vd.Text, "2. change type to "+back+" ✗ Throttling") || !strings.Contains(vd.Advice, "5 minutes") {
		t.Fatalf("a second change within 5 minutes: verdict %+v", vd)
	}
	if got := e.instanceNow(t, in.ID).Status; got != cloud.StateRunning {
		t.Errorf("the precheck left %s %s", in.ID, got)
	}
}

func TestPrecheckNamesTheStepsWithoutDryRun(t *testing.T) {
	t.Parallel()
	e := newOpsEnv(t)
	in, data := runningWithData(t, e)
	good := knownGoodSnapshot(t, e, data.ID)
	info, err := e.check.PrepareRollback(bg(t), "cn-hangzhou", data.ID, good.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := rollbackFlow(e.check, info, true, testNow, e.ctx.Location())
	if err != nil {
		t.Fatal(err)
	}
	vd := f.Confirm(e.ctx).Precheck().(Verdict)
	mustContain(t, vd.Text, "2. stop "+in.ID+" ✓", "checked after the stop", "3. roll back "+data.ID, "not prechecked (no DryRun): 1. safety snapshot of "+data.ID)
}

func TestPrecheckOfStepsWithoutAnyDryRunSaysSo(t *testing.T) {
	e := newOpsEnv(t)
	ins, _ := e.fleet(t)
	in := pick(ins, 1, running)[0]
	p1, err := e.check.PlanResetPassword("cn-hangzhou", []cloud.Instance{in}, "Aa1!aaaaaaaa")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := e.check.PlanResetPassword("cn-hangzhou", []cloud.Instance{in}, "Bb2!bbbbbbbb")
	if err != nil {
		t.Fatal(err)
	}
	f := Flow{Action: "twice", Title: "twice?", Steps: []Step{{Label: "first", Plan: p1}, {Label: "second", Plan: p2}}}
	c := f.Confirm(e.ctx)
	if c.Precheck == nil {
		t.Fatal("no verdict for a flow whose calls have no DryRun")
	}
	vd := c.Precheck().(Verdict)
	if vd.OK || vd.Refused || !strings.Contains(vd.Text, "not prechecked: none of these calls has a DryRun (1. first, 2. second)") {
		t.Errorf("verdict %+v", vd)
	}
	if n := e.calls("ModifyInstanceAttribute"); n != 0 {
		t.Errorf("the precheck sent %d calls", n)
	}
}
