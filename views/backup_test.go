package views

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// Backups through the UI: the actions are driven through the List (palette
// commands and keys, forms typed into), every command run as the shell
// would (drive: Confirm -> Run -> Progress.Next ... -> Report), and the
// outcome checked through a second client.

// runningWithData picks a Running Linux instance of the test region with a
// data disk, through the checking client.
func runningWithData(t *testing.T, e opsEnv) (cloud.Instance, cloud.Disk) {
	t.Helper()
	ins, disks := e.fleet(t)
	for _, in := range ins {
		if in.Status != cloud.StateRunning || in.OSType == "windows" {
			continue
		}
		for _, d := range disks {
			if d.InstanceID == in.ID && d.Type == cloud.DiskData && d.Status == cloud.DiskInUse {
				return in, d
			}
		}
	}
	t.Fatal("no Running instance with a data disk")
	return cloud.Instance{}, cloud.Disk{}
}

// noErrors fails on a failed report.
func noErrors(t *testing.T, tr *trace) {
	t.Helper()
	if errs := tr.errs(); len(errs) > 0 || len(tr.reports) == 0 {
		t.Fatalf("reports %+v (errors %v); progress %q", tr.reports, errs, tr.progress)
	}
}

func progressHas(t *testing.T, tr *trace, want string) {
	t.Helper()
	for _, p := range tr.progress {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("no progress %q in %q", want, tr.progress)
}

func TestBackupKeysDoNotClash(t *testing.T) {
	ctx := newTestContext(t)
	global := []string{":", "/", "?", "r", "s", "S", "q", "esc", "enter", "space", "j", "k", "g", "G"}
	for _, name := range []string{"snapshots", "policies", "images"} {
		v := findView(t, ctx, name)
		seen := map[string]bool{}
		for _, b := range v.Keys() {
			for _, k := range b.Keys() {
				if slices.Contains(global, k) && k != "enter" {
					t.Errorf("%s: key %q is a shell key", name, k)
				}
				if seen[k] {
					t.Errorf("%s: key %q bound twice", name, k)
				}
				seen[k] = true
			}
		}
		cmds := map[string]bool{}
		for _, c := range v.Commands() {
			if cmds[c.Name] {
				t.Errorf("%s: command %q twice", name, c.Name)
			}
			cmds[c.Name] = true
		}
	}
}

func TestSnapshotOfDiskReaches100(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, data := runningWithData(t, e)
	v := findView(t, ctx, "snapshots")
	v.SetScope(data.ID)
	v = load(t, ctx, v)

	// Checked locally: nothing is sent.
	tr := command(t, ctx, v, "snapshot", "auto-nightly")
	if len(tr.confirms) != 0 || len(tr.errs()) != 1 || !strings.Contains(tr.errs()[0].Error(), `"auto"`) {
		t.Fatalf("snapshot named auto-…: %+v", tr)
	}

	// Inline name: straight to the confirmation, with its defaults.
	tr = command(t, ctx, v, "snapshot", "nightly")
	if len(tr.confirms) != 1 {
		t.Fatalf("confirms = %+v", tr.confirms)
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), data.ID, "nightly", "forever", "Instant access: no")
	noErrors(t, tr)
	progressHas(t, tr, "accomplished 100%")

	snaps, err := e.check.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{DiskID: data.ID})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(snaps, func(s cloud.Snapshot) bool { return s.Name == "nightly" })
	if i < 0 || snaps[i].Status != cloud.SnapshotAccomplished || snaps[i].Progress != 100 {
		t.Fatalf("snapshot nightly of %s: %+v", data.ID, snaps)
	}
	v = load(t, ctx, v)
	mustContain(t, screen(ctx, v, 160, 30), snaps[i].ID, "nightly", "100%", "accomplished")
}

func TestSnapshotFormKeyN(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, data := runningWithData(t, e)
	v := findView(t, ctx, "snapshots")
	v.SetScope(data.ID)
	v = load(t, ctx, v)
	_, cmd := v.Update(ctx, runeKey('N'))
	drive(t, ctx, v, cmd)
	if !v.Capturing() {
		t.Fatal("N did not open the form")
	}
	mustContain(t, screen(ctx, v, 120, 30), "New snapshot", data.ID, "Retention", "forever", "Instant access")
	v.Update(ctx, tabKey) // to the name
	typeText(t, ctx, v, "pre-upgrade")
	_, cmd = v.Update(ctx, submitKy)
	tr := drive(t, ctx, v, cmd)
	if v.Capturing() {
		t.Fatalf("the form is still open:\n%s", screen(ctx, v, 120, 30))
	}
	noErrors(t, tr)
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "pre-upgrade")
}

func TestRollbackWithSafetySnapshot(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	in, data := runningWithData(t, e)
	good := knownGoodSnapshot(t, e, data.ID)

	v := findView(t, ctx, "snapshots")
	v.SetScope(data.ID)
	v = load(t, ctx, v)
	tr := command(t, ctx, v, "rollback", good.ID)
	if len(tr.confirms) != 1 {
		t.Fatalf("confirms = %+v, reports %+v", tr.confirms, tr.reports)
	}
	c := tr.confirms[0]
	if c.Typed != data.ID || !c.Danger || !strings.Contains(c.Undoable, "since "+Stamp(ctx.Location(), good.CreatedAt)) || !strings.Contains(c.Undoable, "safety snapshot") {
		t.Errorf("confirmation typed %q danger %v undoable %q", c.Typed, c.Danger, c.Undoable)
	}
	mustContain(t, strings.Join(c.Lines, "\n"), "before-rollback-", "is Running: it is stopped", "safety snapshot (waited for) → stop "+in.ID+" → roll back → start "+in.ID)
	mustContain(t, strings.Join(c.CLI, "\n"), "CreateSnapshot", "StopInstances", "ResetDisk", "StartInstances")
	noErrors(t, tr)
	progressHas(t, tr, "roll back "+data.ID+" to "+good.ID+": done")

	if got := e.instanceNow(t, in.ID).Status; got != cloud.StateRunning {
		t.Errorf("instance %s is %s after the roll back, want Running", in.ID, got)
	}
	if e.calls("ResetDisk") == 0 {
		t.Error("the emulator never answered ResetDisk")
	}
	snaps, err := e.check.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{DiskID: data.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(snaps, func(s cloud.Snapshot) bool {
		return strings.HasPrefix(s.Name, "before-rollback-") && s.Status == cloud.SnapshotAccomplished && s.CreatedAt.After(good.CreatedAt)
	}) {
		t.Errorf("no accomplished safety snapshot of %s: %+v", data.ID, snaps)
	}
	if info, err := e.check.PrepareRollback(bg(t), "cn-hangzhou", data.ID, good.ID); err != nil || info.InstanceStatus != cloud.StateRunning {
		t.Errorf("after: %+v, %v", info, err)
	}
}

func TestImageFromInstanceThenLaunchTwo(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	src, _ := runningWithData(t, e)
	v := load(t, ctx, findView(t, ctx, "images"))

	tr := command(t, ctx, v, "image", "web-golden", src.ID)
	if len(tr.confirms) != 1 {
		t.Fatalf("confirms %+v reports %+v", tr.confirms, tr.reports)
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "instance "+src.ID, "web-golden")
	noErrors(t, tr)
	progressHas(t, tr, "Available 100%")
	self, err := e.check.Images(bg(t), "cn-hangzhou", cloud.OwnerSelf)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(self, func(im cloud.Image) bool { return im.Name == "web-golden" })
	if i < 0 || self[i].Status != cloud.ImageAvailable {
		t.Fatalf("image web-golden: %+v", self)
	}
	image := self[i]

	// The name is unique: a second one is refused locally.
	tr = command(t, ctx, v, "image", "web-golden", src.ID)
	if len(tr.confirms) != 0 || len(tr.errs()) != 1 || !strings.Contains(tr.errs()[0].Error(), "unique") {
		t.Errorf("duplicate name: %+v", tr.reports)
	}

	v = load(t, ctx, v)
	selectRow(t, v, image.ID)
	mustContain(t, screen(ctx, v, 200, 10), "web-golden", "Available", "100%")

	// The password typed in the form never shows.
	const secret = "Zq9!secretPW"
	_, cmd := v.Update(ctx, runeKey('L'))
	drive(t, ctx, v, cmd) // the defaults load, the form opens
	if !v.Capturing() {
		t.Fatal("L did not open the launch form")
	}
	mustContain(t, screen(ctx, v, 160, 40), "Launch instances", src.Type, src.VSwitchID, "Password")
	for range 7 { // count, names, type, zone, vSwitch, groups, key pair
		v.Update(ctx, tabKey)
	}
	for _, r := range secret {
		v.Update(ctx, runeKey(r))
		if s := screen(ctx, v, 160, 40); strings.Contains(s, secret[:3]) {
			t.Fatalf("the password shows:\n%s", s)
		}
	}
	_, cmd = v.Update(ctx, submitKy)
	if cmd == nil {
		t.Fatalf("submit gave nothing:\n%s", screen(ctx, v, 160, 40))
	}
	var confirm Confirm
	for _, m := range batchMsgs(cmd) {
		if r, ok := m.(backupFormReady); ok {
			if r.err != nil {
				t.Fatalf("launch form refused: %v", r.err)
			}
			_, next := v.Update(ctx, r)
			confirm, _ = next().(Confirm)
		}
	}
	all := strings.Join(append(append(confirm.Lines, confirm.CLI...), confirm.Title, confirm.Undoable, screen(ctx, v, 160, 40)), "\n")
	mustContain(t, all, "password (set, not shown)", "<redacted>")
	mustNotContain(t, all, secret)

	// :launch 2: straight to the confirmation with the source's settings;
	// DryRun first; exactly two instances, Running.
	tr = command(t, ctx, v, "launch", "2")
	if len(tr.confirms) != 1 || len(tr.verdicts) != 1 || !tr.verdicts[0].OK {
		t.Fatalf("confirms %+v verdicts %+v reports %+v", tr.confirms, tr.verdicts, tr.reports)
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "Made from:       "+src.ID, src.Type, src.VSwitchID, "Count:           2")
	noErrors(t, tr)
	progressHas(t, tr, "2/2 running")
	ins, _ := e.fleet(t)
	n := 0
	for _, x := range ins {
		if x.ImageID == image.ID {
			n++
			if x.Status != cloud.StateRunning {
				t.Errorf("%s is %s", x.ID, x.Status)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d instances run %s, want exactly 2", n, image.ID)
	}
	v = load(t, ctx, v)
	selectRow(t, v, image.ID)
	if s := screen(ctx, v, 200, 10); !strings.Contains(s, " 2 ") {
		t.Errorf("launched count not shown:\n%s", s)
	}
}

// batchMsgs runs cmd and the commands of a batch it returns.
func batchMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch m := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, batchMsgs(c)...)
		}
		return out
	case nil:
		return nil
	default:
		return []tea.Msg{m}
	}
}

func TestPolicyApplyClearsCoverageMark(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	disks := NewList(ctx, WithDiskCoverage(DisksKind(ctx), 0))
	instances := NewList(ctx, WithInstanceCoverage(InstancesKind(ctx), 0))
	dv := load(t, ctx, View(disks))
	gaps, err := CoverageGaps(context.Background(), e.check, "cn-hangzhou", "", 0, ctx.now())
	if err != nil {
		t.Fatal(err)
	}
	var gap cloud.CoverageGap
	for _, g := range gaps {
		if g.InstanceID != "" && (gap.DiskID == "" || g.DiskID < gap.DiskID) {
			gap = g
		}
	}
	if gap.DiskID == "" {
		t.Fatalf("no attached disk without a recent backup in the seeded fleet (%d gaps)", len(gaps))
	}
	selectRow(t, dv, gap.DiskID)
	mustContain(t, screen(ctx, dv, 200, 5), "BACKUP", "! ")
	iv := load(t, ctx, View(instances))
	selectRow(t, iv, gap.InstanceID)
	mustContain(t, screen(ctx, iv, 220, 5), "BACKUP", "! ")

	pv := load(t, ctx, findView(t, ctx, "policies"))
	pols, err := e.check.AutoSnapshotPolicies(bg(t), "cn-hangzhou")
	if err != nil || len(pols) == 0 {
		t.Fatal(pols, err)
	}
	selectRow(t, pv, pols[0].ID)
	tr := command(t, ctx, pv, "apply", gap.InstanceID)
	noErrors(t, tr)
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), gap.DiskID, localSchedule(pols[0].RepeatWeekdays, pols[0].TimePoints, ctx.Location(), testNow).String())

	dv = load(t, ctx, dv)
	selectRow(t, dv, gap.DiskID)
	s := screen(ctx, dv, 200, 5)
	mustContain(t, s, pols[0].ID, " ok")
	mustNotContain(t, s, "! ")
	iv = load(t, ctx, iv)
	selectRow(t, iv, gap.InstanceID)
	mustNotContain(t, screen(ctx, iv, 220, 5), "! ")
	after, err := CoverageGaps(context.Background(), e.check, "cn-hangzhou", "", 0, ctx.now())
	if err != nil || len(after) >= len(gaps) {
		t.Errorf("gaps %d -> %d (%v)", len(gaps), len(after), err)
	}

	// Delete lists the disks it leaves unprotected.
	_, cmd := pv.Update(ctx, runeKey('X'))
	msgs := batchMsgs(cmd)
	if len(msgs) != 1 {
		t.Fatalf("X: %+v", msgs)
	}
	c, ok := msgs[0].(Confirm)
	if !ok || c.Typed != pols[0].ID {
		t.Fatalf("X: %+v", msgs[0])
	}
	mustContain(t, strings.Join(c.Lines, "\n"), "left with no automatic snapshots", gap.DiskID)
}

func TestPolicyParsing(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600) // the API's own zone: no conversion
	spec, err := policySpecOf("nightly", "Mon-Fri", "02,14:00", "7", cst, testNow)
	if err != nil || !slices.Equal(spec.Weekdays, []int{1, 2, 3, 4, 5}) || !slices.Equal(spec.Hours, []int{2, 14}) || spec.RetentionDays != 7 {
		t.Errorf("spec = %+v, %v", spec, err)
	}
	if spec, err := policySpecOf("", "daily", "0-2", "forever", cst, testNow); err != nil || len(spec.Weekdays) != 7 || len(spec.Hours) != 3 || spec.RetentionDays != -1 {
		t.Errorf("spec = %+v, %v", spec, err)
	}
	for _, bad := range [][4]string{{"x", "Mon", "24", "7"}, {"x", "Funday", "1", "7"}, {"x", "Mon", "1", "0"}} {
		if _, err := policySpecOf(bad[0], bad[1], bad[2], bad[3], cst, testNow); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if n, err := bkRetention("forever"); err != nil || n != 0 {
		t.Errorf("forever = %d, %v", n, err)
	}
	if _, err := bkRetention("70000"); err == nil {
		t.Error("retention 70000 accepted")
	}
}

func TestSnapshotGroupDiskFromSnapshotAndDelete(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, data := runningWithData(t, e)
	// Consistency groups need ESSD disks: take a running instance whose
	// disks all are.
	essd := runningAllESSD(t, e)
	v := findView(t, ctx, "snapshots")
	v.SetScope(essd.ID)
	v = load(t, ctx, v)
	tr := command(t, ctx, v, "snapshot-group", "consistent")
	if len(tr.confirms) != 1 {
		t.Fatalf("snapshot-group: %+v", tr.reports)
	}
	noErrors(t, tr)
	progressHas(t, tr, "accomplished")
	groups, err := e.check.SnapshotGroups(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(groups, func(g cloud.SnapshotGroup) bool {
		return g.Name == "consistent" && g.InstanceID == essd.ID && len(g.SnapshotIDs) > 0
	}) {
		t.Fatalf("no group \"consistent\" of %s with snapshots: %+v", essd.ID, groups)
	}

	// A disk from a snapshot, then deleting that snapshot needs force.
	v.SetScope(data.ID)
	v = load(t, ctx, v)
	tr = command(t, ctx, v, "snapshot", "base")
	noErrors(t, tr)
	v = load(t, ctx, v)
	snaps, _ := e.check.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{DiskID: data.ID})
	i := slices.IndexFunc(snaps, func(s cloud.Snapshot) bool { return s.Name == "base" })
	if i < 0 {
		t.Fatal("no snapshot base")
	}
	selectRow(t, v, snaps[i].ID)
	tr = command(t, ctx, v, "new-disk", "")
	noErrors(t, tr)
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), data.ZoneID, "left Available")
	_, ds, err := e.check.SnapshotLinks(bg(t), "cn-hangzhou", snaps[i].ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("disks from %s: %v %v", snaps[i].ID, ds, err)
	}
	_, cmd := v.Update(ctx, runeKey('X'))
	msgs := batchMsgs(cmd)
	c, ok := msgs[0].(Confirm)
	if !ok || c.Typed != snaps[i].ID {
		t.Fatalf("X: %+v", msgs)
	}
	mustContain(t, strings.Join(c.Lines, "\n"), "needs force", ds[0])
	mustContain(t, strings.Join(c.CLI, "\n"), "--Force true")
}

// runningAllESSD is a Running instance of cn-hangzhou whose disks are all ESSD.
func runningAllESSD(t *testing.T, e opsEnv) cloud.Instance {
	t.Helper()
	list, err := e.check.Instances(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range list {
		if in.Status != cloud.StateRunning {
			continue
		}
		disks, err := e.check.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{InstanceID: in.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(disks) > 0 && !slices.ContainsFunc(disks, func(d cloud.Disk) bool { return d.Category != "cloud_essd" }) {
			return in
		}
	}
	t.Fatal("no running all-ESSD instance in the seeded fleet")
	return cloud.Instance{}
}

// knownGoodSnapshot takes a snapshot of the disk through the checking
// client and waits until it is done: what a roll back goes back to.
func knownGoodSnapshot(t *testing.T, e opsEnv, diskID string) cloud.Snapshot {
	t.Helper()
	p, err := e.check.PlanCreateSnapshotWith("cn-hangzhou", diskID, cloud.SnapshotOptions{Name: "known-good"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.check.Execute(bg(t), p)
	if err != nil {
		t.Fatal(err)
	}
	good, err := e.check.WaitSnapshot(bg(t), "cn-hangzhou", res.IDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	return good
}
