package views

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// TestThenRunsUnderTheConfirmedArming: the rest of an operation (a flow's
// Then) runs under the arming the user confirmed it with, even when the
// window closed while the first part ran; a fresh change would be refused.
func TestThenRunsUnderTheConfirmedArming(t *testing.T) {
	e := newOpsEnv(t)
	ins, _ := e.fleet(t)
	in := pick(ins, 1, running)[0]
	guarded, err := cloud.New(cloud.Config{Endpoint: e.url, Region: "cn-hangzhou", ReadOnly: true,
		Credentials: cloud.Credentials{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret}})
	if err != nil {
		t.Fatal(err)
	}
	if err := guarded.Arm(time.Now().Add(300 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	ctx := e.ctx
	ctx.Client = guarded
	stop, err := guarded.PlanStopInstances("cn-hangzhou", []string{in.ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	start, err := guarded.PlanStartInstances("cn-hangzhou", []string{in.ID})
	if err != nil {
		t.Fatal(err)
	}
	f := Flow{
		Action: "stop then start " + in.ID,
		Steps:  []Step{{Label: "stop", Plan: stop, Poll: pollInstances("cn-hangzhou", cloud.StateStopped)}},
		Then: func([]cloud.Result) (Flow, tea.Msg) {
			return Flow{Action: "start " + in.ID, Steps: []Step{{Label: "start", Plan: start, Poll: pollInstances("cn-hangzhou", cloud.StateRunning)}}}, nil
		},
	}
	tr := drive(t, ctx, findView(t, ctx, "instances"), f.runner(ctx, "t"))
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("the confirmed operation was cut short: %v", errs)
	}
	if len(tr.reports) != 2 {
		t.Fatalf("reports %+v, want the stop's and the start's", tr.reports)
	}
	if guarded.CanWrite() {
		t.Fatal("the arming did not end: the test proves nothing")
	}
	if got := e.instanceNow(t, in.ID); got.Status != cloud.StateRunning {
		t.Fatalf("%s is %s: the start after the window closed was refused", in.ID, got.Status)
	}
}
