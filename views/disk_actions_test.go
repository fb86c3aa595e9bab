package views

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// attachedData finds a data disk attached to a running Linux instance.
func attachedData(t *testing.T, e opsEnv) (cloud.Disk, cloud.Instance) {
	t.Helper()
	ins, disks := e.fleet(t)
	byID := map[string]cloud.Instance{}
	for _, in := range ins {
		byID[in.ID] = in
	}
	for _, d := range disks {
		in, ok := byID[d.InstanceID]
		if d.Type == cloud.DiskData && d.Status == cloud.DiskInUse && ok && in.Status == cloud.StateRunning && in.OSType == "linux" && d.SizeGiB < 1000 {
			return d, in
		}
	}
	t.Fatal("no data disk on a running Linux instance in the seeded fleet")
	return cloud.Disk{}, cloud.Instance{}
}

func TestResizeOnlineThenGrowFilesystem(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	d, in := attachedData(t, e)
	newSize := d.SizeGiB + 20
	v := load(t, ctx, findView(t, ctx, "disks"))
	selectRow(t, v, d.ID)

	tr := command(t, ctx, v, "resize", fmt.Sprint(newSize))
	if len(tr.confirms) != 2 {
		t.Fatalf("confirmations = %d, want the resize then the offer to grow", len(tr.confirms))
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "online resize (default)", "an offer to grow")
	mustContain(t, tr.confirms[1].Title+strings.Join(tr.confirms[1].Lines, "\n"), "Grow the partition and filesystem", in.ID, "growpart /dev/vd")
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("errors: %v (progress %q)", errs, tr.progress)
	}
	out := tr.lastModal(ctx)
	mustContain(t, out, "Success  exit 0", "CHANGED: partition=1", fmt.Sprintf("%dG", newSize))
	if !strings.Contains(out, "resize2fs") && !strings.Contains(out, "xfs_growfs") {
		t.Errorf("no filesystem growth in the output:\n%s", out)
	}
	if got := e.diskNow(t, d.ID); got.SizeGiB != newSize {
		t.Errorf("disk is %d GiB, want %d", got.SizeGiB, newSize)
	}
}

func TestCreateAndAttachDiskFromForm(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, in := attachedData(t, e)
	before, err := e.check.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{InstanceID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	v := findView(t, ctx, "disks")
	v.SetScope(in.ID)
	v = load(t, ctx, v)

	keyFlow(t, ctx, v, runeKey('N')) // the form; the zones load into it
	if !v.Capturing() {
		t.Fatal("N did not open the new disk form")
	}
	mustContain(t, screen(ctx, v, 140, 40), in.ZoneID, in.ID)
	v.Update(ctx, tabKey)
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "40")
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 {
		t.Fatalf("confirmations = %d (form error: %s)", len(tr.confirms), screen(ctx, v, 140, 40))
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "1 disk essd PL1, 40 GiB, in "+in.ZoneID, "then attach each to "+in.ID)
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("errors: %v (progress %q)", errs, tr.progress)
	}
	after, err := e.check.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{InstanceID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Fatalf("%s has %d disks, want %d", in.ID, len(after), len(before)+1)
	}
	known := map[string]bool{}
	for _, d := range before {
		known[d.ID] = true
	}
	for _, d := range after {
		if !known[d.ID] && (d.Status != cloud.DiskInUse || d.SizeGiB != 40 || d.Category != "cloud_essd") {
			t.Errorf("new disk %s: %s %d GiB %s", d.ID, d.Status, d.SizeGiB, d.Category)
		}
	}
	if len(tr.reports) != 2 {
		t.Errorf("reports = %d, want create then attach", len(tr.reports))
	}
}

func TestDetachThenAttachByID(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	d, in := attachedData(t, e)
	v := load(t, ctx, findView(t, ctx, "disks"))
	selectRow(t, v, d.ID)
	tr := keyFlow(t, ctx, v, runeKey('D'))
	if len(tr.confirms) != 1 || tr.confirms[0].Typed != d.ID || !tr.confirms[0].Danger {
		t.Fatalf("detach: want a typed confirmation of %s, got %+v", d.ID, tr.confirms)
	}
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := e.diskNow(t, d.ID); got.Status != cloud.DiskAvailable {
		t.Fatalf("after detach: %s", got.Status)
	}
	v = load(t, ctx, v)
	selectRow(t, v, d.ID)
	tr = command(t, ctx, v, "attach", in.ID)
	if errs := tr.errs(); len(errs) > 0 || len(tr.confirms) != 1 {
		t.Fatalf("attach: %v, %d confirmations", errs, len(tr.confirms))
	}
	if got := e.diskNow(t, d.ID); got.Status != cloud.DiskInUse || got.InstanceID != in.ID {
		t.Fatalf("after attach: %s on %q", got.Status, got.InstanceID)
	}
}

func TestReinitOfRunningInstanceStopsFirst(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	d, in := attachedData(t, e)
	v := load(t, ctx, findView(t, ctx, "disks"))
	selectRow(t, v, d.ID)
	tr := keyFlow(t, ctx, v, runeKey('I'))
	if len(tr.confirms) != 1 {
		t.Fatalf("confirmations = %d, errors %v", len(tr.confirms), tr.errs())
	}
	c := tr.confirms[0]
	if c.Typed != d.ID || !strings.Contains(c.Undoable, "lost") {
		t.Errorf("Typed %q, Undoable %q", c.Typed, c.Undoable)
	}
	mustContain(t, strings.Join(c.Lines, "\n"), "1. stop it")
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("errors: %v (progress %q)", errs, tr.progress)
	}
	if got := e.instanceNow(t, in.ID); got.Status != cloud.StateStopped {
		t.Errorf("instance %s", got.Status)
	}
}

func TestChangeDiskSpecInline(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, disks := e.fleet(t)
	var d cloud.Disk
	for _, x := range disks {
		if x.Category == "cloud_essd" && x.PerformanceLevel == "PL1" && x.Type == cloud.DiskData && x.SizeGiB >= 461 {
			d = x
			break
		}
	}
	if d.ID == "" {
		t.Skip("no PL1 data disk of 461 GiB or more")
	}
	v := load(t, ctx, findView(t, ctx, "disks"))
	selectRow(t, v, d.ID)
	tr := command(t, ctx, v, "diskspec", "PL2")
	if errs := tr.errs(); len(errs) > 0 || len(tr.confirms) != 1 {
		t.Fatalf("%v, %d confirmations", errs, len(tr.confirms))
	}
	if got := e.diskNow(t, d.ID); got.PerformanceLevel != "PL2" {
		t.Errorf("PL = %s", got.PerformanceLevel)
	}
}

func TestBadDiskInputIsRefusedWithoutACall(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	d, _ := attachedData(t, e)
	v := load(t, ctx, findView(t, ctx, "disks"))
	selectRow(t, v, d.ID)
	before := e.srv.Stats().TotalCalls
	for _, tc := range []struct {
		name string
		args []string
		rule string
	}{
		{"resize", []string{fmt.Sprint(d.SizeGiB - 10)}, fmt.Sprintf("must be larger than the current %d GiB", d.SizeGiB)},
		{"resize", []string{fmt.Sprint(d.SizeGiB)}, "must be larger"},
		{"resize", []string{"70000"}, "outside"},
		{"resize", []string{"big"}, "not a size"},
		{"attach", []string{"i-x"}, "only an Available disk"},
		{"diskspec", []string{"cloud_ssd", "PL2"}, "only cloud_essd has performance levels"},
		{"replace-os", nil, "not an attached system disk"},
	} {
		tr := command(t, ctx, v, tc.name, tc.args...)
		errs := tr.errs()
		var ve *cloud.ValidationError
		if len(tr.confirms) != 0 || len(errs) != 1 || !errors.As(errs[0], &ve) || !strings.Contains(errs[0].Error(), tc.rule) {
			t.Errorf(":%s %v: confirms %d, errors %v; want a refusal naming %q", tc.name, tc.args, len(tr.confirms), errs, tc.rule)
		}
	}
	// In the resize form, a smaller size stays in the form.
	keyFlow(t, ctx, v, runeKey('Z'))
	typeText(t, ctx, v, "1")
	if tr := keyFlow(t, ctx, v, submitKy); len(tr.confirms) != 0 || !v.Capturing() {
		t.Fatal("the resize form accepted 1 GiB")
	}
	mustContain(t, screen(ctx, v, 120, 30), "must be larger than the current")
	if got := e.srv.Stats().TotalCalls; got != before {
		t.Errorf("the refusals made %d calls", got-before)
	}
}
