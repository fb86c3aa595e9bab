package views

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// pick returns the first instances satisfying ok.
func pick(list []cloud.Instance, n int, ok func(cloud.Instance) bool) []cloud.Instance {
	var out []cloud.Instance
	for _, in := range list {
		if len(out) < n && ok(in) {
			out = append(out, in)
		}
	}
	return out
}

func running(in cloud.Instance) bool { return in.Status == cloud.StateRunning }

func TestStopAndStartMarkedInstancesWithResultPerInstance(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	run := pick(ins, 2, func(in cloud.Instance) bool { return running(in) && in.ChargeType == "PostPaid" })
	stopped := pick(ins, 1, func(in cloud.Instance) bool { return in.Status == cloud.StateStopped })
	if len(run) < 2 || len(stopped) < 1 {
		t.Fatal("the seeded fleet lacks running and stopped instances")
	}
	v := load(t, ctx, findView(t, ctx, "instances"))
	markRows(t, ctx, v, run[0].ID, run[1].ID, stopped[0].ID)

	// D goes straight to the confirmation with the defaults (a normal
	// stop, keep charging), which the dialog lets the user change.
	tr := keyFlow(t, ctx, v, runeKey('D'))
	if len(tr.confirms) != 1 {
		t.Fatalf("D: confirmations = %d; want the confirmation at once, no form before it", len(tr.confirms))
	}
	c := tr.confirms[0]
	lines := strings.Join(c.Lines, "\n")
	for _, in := range append(run, stopped...) {
		mustContain(t, lines, in.ID)
	}
	if len(c.Options) != 2 || c.Options[0].Value() != "normal" || c.Options[1].Value() != cloud.StoppedModeKeepCharging || c.Change == nil {
		t.Fatalf("options = %+v, want mode normal and KeepCharging, changeable", c.Options)
	}
	mustContain(t, strings.Join(c.CLI, "\n"), "--StoppedMode KeepCharging")
	if strings.Contains(strings.Join(c.CLI, "\n"), "ForceStop") {
		t.Fatalf("a normal stop sends ForceStop: %v", c.CLI)
	}
	opts := slices.Clone(c.Options)
	opts[0].Selected = 1 // → force, as ←/→ in the dialog does
	forced, err := c.Change(opts)
	if err != nil || !strings.Contains(strings.Join(forced.CLI, "\n"), "--ForceStop true") || forced.Typed != c.Typed {
		t.Fatalf("force: %v %v (typed %q)", forced.CLI, err, forced.Typed)
	}
	if c.Typed != "3 instances" || !c.Danger {
		t.Errorf("Typed = %q, Danger = %v: a stop of 3 wants \"3 instances\" typed", c.Typed, c.Danger)
	}
	// A partial failure is the action's error, naming the instance and why.
	if len(tr.reports) != 1 || tr.reports[0].Err == nil || !strings.Contains(tr.reports[0].Err.Error(), "1 of 3 failed: "+stopped[0].ID) {
		t.Fatalf("reports = %+v", tr.reports)
	}
	table := tr.lastModal(ctx)
	mustContain(t, table, "2 succeeded, 1 failed", run[0].ID, run[1].ID, stopped[0].ID, "FAILED")
	if line := lineWith(table, stopped[0].ID); !strings.Contains(line, "IncorrectInstanceStatus") {
		t.Errorf("the stopped instance's line gives no reason: %q", line)
	}
	if !v.Capturing() {
		t.Error("the result pane is not open over the list")
	}
	for _, in := range run {
		if got := e.instanceNow(t, in.ID); got.Status != cloud.StateStopped {
			t.Errorf("%s is %s after the stop", in.ID, got.Status)
		}
	}
	v.Update(ctx, runeKey('q')) // close the pane
	if v.Capturing() {
		t.Fatal("q did not close the result pane")
	}

	// :start on the two marked again: straight to the confirmation (no
	// values needed), all succeed.
	v = load(t, ctx, v)
	markRows(t, ctx, v, run[0].ID, run[1].ID)
	tr = command(t, ctx, v, "start")
	if len(tr.confirms) != 1 || tr.confirms[0].Danger {
		t.Fatalf("start: confirmations = %+v", tr.confirms)
	}
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("start: %v", errs)
	}
	mustContain(t, tr.lastModal(ctx), "2 succeeded, 0 failed")
	for _, in := range run {
		if got := e.instanceNow(t, in.ID); got.Status != cloud.StateRunning {
			t.Errorf("%s is %s after the start", in.ID, got.Status)
		}
	}
	mustContain(t, strings.Join(tr.progress, "\n"), "2/2 Running")
}

func TestStopAllFailedReportsEachReason(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	stopped := pick(ins, 1, func(in cloud.Instance) bool { return in.Status == cloud.StateStopped })[0]
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, stopped.ID)
	tr := command(t, ctx, v, "stop", "force")
	if len(tr.confirms) != 1 {
		t.Fatalf("`:stop force` should go straight to the confirmation")
	}
	if o := tr.confirms[0].Options; len(o) == 0 || o[0].Value() != "force" {
		t.Fatalf("`:stop force`: options %+v", o)
	}
	errs := tr.errs()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), stopped.ID) || !strings.Contains(errs[0].Error(), "IncorrectInstanceStatus") {
		t.Fatalf("errors = %v, want the stopped instance's reason", errs)
	}
}

func TestChangeTypeOfRunningPostPaidStopsChangesStarts(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	in := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.ChargeType == "PostPaid" })[0]
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, in.ID)

	// T opens the picker; the types load into it.
	keyFlow(t, ctx, v, runeKey('T'))
	if !v.Capturing() {
		t.Fatal("T did not open the type picker")
	}
	s := screen(ctx, v, 140, 30)
	mustContain(t, s, "vCPU", "GiB", "Available")
	f := v.(*List[cloud.Instance]).modal.(*opForm)
	want := f.form.Value("type")
	if want == "" || want == in.Type {
		t.Fatalf("picker value %q", want)
	}

	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 {
		t.Fatalf("confirmations = %d", len(tr.confirms))
	}
	c := tr.confirms[0]
	mustContain(t, c.Title+"\n"+strings.Join(c.Lines, "\n"), "is running", "1. stop", "2. change the type to "+want, "3. start")
	if c.Typed != in.ID {
		t.Errorf("Typed = %q, want the instance id", c.Typed)
	}
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("flow failed: %v (progress %q)", errs, tr.progress)
	}
	p := strings.Join(tr.progress, "\n")
	mustContain(t, p, "stop "+in.ID+": 1/1 Stopped", "change type to "+want+": "+want, "start "+in.ID+": 1/1 Running")
	got := e.instanceNow(t, in.ID)
	if got.Status != cloud.StateRunning || got.Type != want {
		t.Errorf("after the flow: %s %s, want Running %s", got.Status, got.Type, want)
	}
}

func TestRunCommandShowsOutputPerInstance(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	two := pick(ins, 2, func(in cloud.Instance) bool { return running(in) && in.OSType == "linux" })
	v := load(t, ctx, findView(t, ctx, "instances"))
	markRows(t, ctx, v, two[0].ID, two[1].ID)
	tr := command(t, ctx, v, "run", "uname", "-r")
	if len(tr.confirms) != 1 {
		t.Fatalf("`:run uname -r` should go straight to the confirmation")
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "type: RunShellScript", "uname -r")
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatal(errs)
	}
	out := tr.lastModal(ctx)
	mustContain(t, out, "2 of 2 succeeded", two[0].ID+"  Success  exit 0", two[1].ID+"  Success  exit 0")
	if !strings.Contains(out, ".x86_64") && !strings.Contains(out, "generic") && !strings.Contains(out, "amd64") {
		t.Errorf("no kernel release in the output:\n%s", out)
	}
	// The pane scrolls.
	pane := tr.modals[0].(*textPane)
	pane.View(ctx, 80, 5)
	pane.Update(ctx, runeKey('G'))
	if pane.off == 0 && len(pane.lines) > 3 {
		t.Error("G did not scroll to the bottom")
	}
}

func TestBadInstanceInputIsRefusedWithoutACall(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	in := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.ChargeType == "PostPaid" })[0]
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, in.ID)
	mutations := []string{"ModifyInstanceNetworkSpec", "ModifyInstanceSpec", "ModifyPrepayInstanceSpec", "StopInstances"}
	before := e.srv.Stats().TotalCalls

	for _, tc := range []struct {
		name string
		args []string
		rule string
	}{
		{"bandwidth", []string{"1000"}, "1000 Mbit/s is outside 0-100"},
		{"bandwidth", []string{"-1"}, "outside"},
		{"bandwidth", []string{"fast"}, "not a whole number"},
		{"spec", []string{"ecs.nope"}, "is not an instance type"},
		{"spec", []string{in.Type}, "already is"},
		{"run", nil, ""}, // opens a form: checked below
	} {
		if tc.name == "run" {
			continue
		}
		tr := command(t, ctx, v, tc.name, tc.args...)
		errs := tr.errs()
		var ve *cloud.ValidationError
		if len(tr.confirms) != 0 || len(errs) != 1 || !errors.As(errs[0], &ve) || !strings.Contains(errs[0].Error(), tc.rule) {
			t.Errorf(":%s %v: confirms %d, errors %v; want a refusal naming %q", tc.name, tc.args, len(tr.confirms), errs, tc.rule)
		}
	}
	if got := e.srv.Stats().TotalCalls; got != before {
		t.Errorf("the refusals made %d calls", got-before)
	}

	// A type well formed but not among those the instance can move to:
	// the list is read, nothing is changed.
	tr := command(t, ctx, v, "spec", "ecs.zz9.huge")
	if errs := tr.errs(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "is not among") {
		t.Errorf("unknown type: %v", errs)
	}

	// In the form: 1000 shows under the field and the form stays open.
	keyFlow(t, ctx, v, runeKey('W'))
	if !v.Capturing() {
		t.Fatal("W did not open the bandwidth form")
	}
	v.Update(ctx, tabKey)
	for range 4 {
		v.Update(ctx, bsKey)
	}
	typeText(t, ctx, v, "1000")
	if tr := keyFlow(t, ctx, v, submitKy); len(tr.confirms) != 0 {
		t.Fatal("the form asked to confirm 1000 Mbit/s")
	}
	if !v.Capturing() {
		t.Fatal("the form closed on a refused value")
	}
	mustContain(t, screen(ctx, v, 120, 30), "1000 Mbit/s is outside 0-100")
	if n := e.calls(mutations...); n != 0 {
		t.Errorf("%d mutation calls were made", n)
	}
}

func TestReplaceSystemDiskFromInstances(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	in := pick(ins, 1, func(in cloud.Instance) bool { return in.Status == cloud.StateStopped && in.OSType == "linux" })[0]
	imgs, err := e.check.Images(bg(t), "cn-hangzhou", cloud.OwnerSystem)
	if err != nil {
		t.Fatal(err)
	}
	var img cloud.Image
	for _, i := range imgs {
		if i.Status == "Available" && i.OSType == "linux" && i.ID != in.ImageID {
			img = i
			break
		}
	}
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, in.ID)
	tr := command(t, ctx, v, "replace-os", img.ID)
	if len(tr.confirms) != 1 {
		t.Fatalf("confirmations = %d, errors %v", len(tr.confirms), tr.errs())
	}
	c := tr.confirms[0]
	if c.Typed != in.ID || !strings.Contains(c.Undoable, "ALL its data") {
		t.Errorf("Typed %q, Undoable %q", c.Typed, c.Undoable)
	}
	mustContain(t, strings.Join(c.Lines, "\n"), "default: ")
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("errors: %v (progress %q)", errs, tr.progress)
	}
	if got := e.instanceNow(t, in.ID); got.ImageID != img.ID {
		t.Errorf("image %s, want %s", got.ImageID, img.ID)
	}
}

func TestRebootRunningInstance(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	in := pick(ins, 1, running)[0]
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, in.ID)
	tr := keyFlow(t, ctx, v, runeKey('B'))
	if len(tr.confirms) != 1 || tr.confirms[0].Danger {
		t.Fatalf("reboot: %+v", tr.confirms)
	}
	if o := tr.confirms[0].Options; len(o) != 1 || o[0].Value() != "normal" {
		t.Fatalf("reboot: options %+v, want mode normal", o)
	}
	// The report says what was sent, for :activity's detail.
	if len(tr.reports) != 1 || !strings.Contains(strings.Join(tr.reports[0].CLI, "\n"), "RebootInstances --RegionId cn-hangzhou") {
		t.Fatalf("reports %+v: want the call's CLI line", tr.reports)
	}
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if n := e.calls("RebootInstances"); n != 2 { // the DryRun precheck, then the reboot, sent once
		t.Errorf("RebootInstances calls = %d, want 2", n)
	}
	if got := e.instanceNow(t, in.ID); got.Status != cloud.StateRunning {
		t.Errorf("after reboot: %s", got.Status)
	}
}

// TestUpgradeRunningPrePaidInPlace: a subscription instance is upgraded
// with ModifyPrepayInstanceSpec while it runs (no stop), from the palette
// with the type inline.
func TestUpgradeRunningPrePaidInPlace(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	cands := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.ChargeType == "PrePaid" })
	if len(cands) == 0 {
		t.Skip("no running subscription instance in the seeded fleet")
	}
	in := cands[0]
	types, err := ctx.Client.ResizableTypes(bg(t), "cn-hangzhou", in.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, rt := range types {
		if rt.Available() && !rt.Downgrade {
			want = rt.ID
			break
		}
	}
	if want == "" {
		t.Skip("no upgrade offered")
	}
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, in.ID)
	tr := command(t, ctx, v, "spec", want)
	if len(tr.confirms) != 1 {
		t.Fatalf("confirmations = %d", len(tr.confirms))
	}
	c := tr.confirms[0]
	if strings.Contains(strings.Join(c.Lines, "\n"), "1. stop") {
		t.Errorf("a subscription upgrade should not stop the instance: %q", c.Lines)
	}
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("flow failed: %v (progress %q)", errs, tr.progress)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if got := e.instanceNow(t, in.ID); got.Type == want {
			if got.Status != cloud.StateRunning {
				t.Fatalf("upgraded but %s", got.Status)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s is still %s, want %s", in.ID, e.instanceNow(t, in.ID).Type, want)
}
