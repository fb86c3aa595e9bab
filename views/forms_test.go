package views

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// What the forms offer is what the API accepts (issue 11): the choices of
// the disk spec form, an empty port, sold-out types last, the key path,
// the key pane that stays, and creates in a view of every region.

// openForm is the form of the modal open over v.
func openForm(t *testing.T, v View) form.Model {
	t.Helper()
	var m Modal
	switch l := v.(type) {
	case *List[cloud.Disk]:
		m = l.modal
	case *List[cloud.Instance]:
		m = l.modal
	case *List[SecurityGroupItem]:
		m = l.modal
	case *List[KeyPairItem]:
		m = l.modal
	case *List[cloud.AutoSnapshotPolicy]:
		m = l.modal
	case *List[cloud.Snapshot]:
		m = l.modal
	case *List[cloud.Image]:
		m = l.modal
	default:
		t.Fatalf("openForm: %T", v)
	}
	switch f := m.(type) {
	case *opForm:
		return f.form
	case *dependentForm:
		return f.form
	case *backupForm:
		return f.form
	}
	t.Fatalf("no form open: %T", m)
	return form.Model{}
}

// choices cycles the focused Choice through all its options (→), as the
// user would see them.
func choices(t *testing.T, ctx Context, v View, key string) []string {
	t.Helper()
	var seen []string
	for range 20 {
		got := openForm(t, v).Value(key)
		if slices.Contains(seen, got) {
			break
		}
		seen = append(seen, got)
		v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyRight})
	}
	return seen
}

func TestESSDDiskSpecFormOffersNoCloudSSD(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, disks := e.fleet(t)
	var d cloud.Disk
	for _, x := range disks {
		if x.Category == "cloud_essd" && x.PerformanceLevel == "PL1" && x.SizeGiB < 461 && x.Status == cloud.DiskInUse {
			d = x
			break
		}
	}
	if d.ID == "" {
		t.Fatal("no ESSD PL1 disk under 461 GiB in the seeded fleet")
	}
	v := load(t, ctx, findView(t, ctx, "disks"))
	selectRow(t, v, d.ID)
	keyFlow(t, ctx, v, runeKey('C'))
	if !v.Capturing() {
		t.Fatal("C did not open the disk spec form")
	}
	got := choices(t, ctx, v, "spec")
	want := []string{"cloud_essd PL0", "cloud_auto"}
	if !slices.Equal(got, want) {
		t.Errorf("an ESSD PL1 of %d GiB is offered %v, want exactly %v", d.SizeGiB, got, want)
	}
	s := screen(ctx, v, 80, 24)
	mustContain(t, s, "cloud_efficiency, cloud_ssd: not from cloud_essd", "PL2")
	mustNotContain(t, s, "…")
	// The choices offered go through: the emulator takes cloud_auto.
	for openForm(t, v).Value("spec") != "cloud_auto" {
		v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyRight})
	}
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("cloud_auto: %d confirmations, %v", len(tr.confirms), tr.errs())
	}
	if now := e.diskNow(t, d.ID); now.Category != "cloud_auto" {
		t.Errorf("after the change the disk is %s", now.Category)
	}
}

func TestNewDiskOffersTheZonesCategoriesAndSnapshotsOfItsRegion(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	v := load(t, ctx, findView(t, ctx, "disks"))
	keyFlow(t, ctx, v, runeKey('N'))
	f := openForm(t, v)
	zones, err := e.check.Zones(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	var zc []string
	for _, z := range zones {
		if z.ID == f.Value("zone") {
			zc = z.DiskCategories
		}
	}
	if zc == nil {
		t.Fatalf("zone %q is not a zone of cn-hangzhou", f.Value("zone"))
	}
	for _, c := range choices(t, ctx, v, "category") {
		if !slices.Contains(zc, c) {
			t.Errorf("category %s offered, but zone %s creates only %v", c, f.Value("zone"), zc)
		}
	}
	if got := f.Value("snapshot"); got != "" {
		t.Errorf("the optional snapshot picker starts with %q picked, want none", got)
	}
	if got := f.Value("count"); got != "1" {
		t.Errorf("count %q, want the suggestion 1", got)
	}
	// Every zone of the region is offered (they loaded into the form).
	for openForm(t, v).Focused() != "zone" {
		v.Update(ctx, tabKey)
	}
	var ids []string
	for _, z := range zones {
		ids = append(ids, z.ID)
	}
	got := choices(t, ctx, v, "zone")
	slices.Sort(got)
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		t.Errorf("zones offered %v, want the region's %v", got, ids)
	}
	// The snapshot picker lists the region's data-disk snapshots.
	snaps, err := e.check.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var data cloud.Snapshot
	for _, s := range snaps {
		if s.DiskType != cloud.DiskSystem && s.Status == cloud.SnapshotAccomplished {
			data = s
		}
	}
	if data.ID == "" {
		t.Fatal("no accomplished data-disk snapshot in cn-hangzhou")
	}
	for openForm(t, v).Focused() != "snapshot" {
		v.Update(ctx, tabKey)
	}
	typeText(t, ctx, v, data.ID)
	if got := openForm(t, v).Value("snapshot"); got != data.ID {
		t.Errorf("typing %s picked %q", data.ID, got)
	}
}

func TestRuleFormPortStartsEmpty(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	v := load(t, ctx, findView(t, ctx, "sg"))
	keyFlow(t, ctx, v, runeKey('A'))
	if !v.Capturing() {
		t.Fatal("A did not open the rule form")
	}
	f := openForm(t, v)
	if got := f.Value("ports"); got != "" {
		t.Errorf("the port range starts as %q: a rule form must not pre-fill an opening", got)
	}
	if got := f.Value("peer"); got != "" {
		t.Errorf("the source starts as %q", got)
	}
	// Priority: a suggestion that typing replaces (not "110").
	for openForm(t, v).Focused() != "priority" {
		v.Update(ctx, tabKey)
	}
	typeText(t, ctx, v, "10")
	if got := openForm(t, v).Value("priority"); got != "10" {
		t.Errorf("typing 10 over the suggested priority gave %q", got)
	}
	// Submitting without a port is refused for TCP, naming the field.
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 0 {
		t.Fatal("a rule without ports or source reached the confirmation")
	}
}

func TestSoldOutTypesAreMarkedAndLast(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	var in cloud.Instance
	for _, x := range ins {
		if x.Status == cloud.StateStopped && x.ChargeType == "PostPaid" && x.Type != "ecs.r7.4xlarge" {
			in = x
			break
		}
	}
	if in.ID == "" {
		t.Fatal("no stopped pay-as-you-go instance")
	}
	types, err := e.check.ResizableTypes(bg(t), in.RegionID, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var soldOut []string
	for _, ty := range types {
		if !ty.Available() {
			soldOut = append(soldOut, ty.ID)
		}
	}
	if len(soldOut) == 0 || len(soldOut) == len(types) {
		t.Fatalf("want some sold-out types among %d, got %v", len(types), soldOut)
	}
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, in.ID)
	keyFlow(t, ctx, v, runeKey('T'))
	f := openForm(t, v)
	if first := f.Value("type"); slices.Contains(soldOut, first) {
		t.Errorf("the picker starts on sold-out %s", first)
	}
	// ← from the first wraps to the last: the sold-out types end the list.
	for i := range soldOut {
		v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyLeft})
		got := openForm(t, v).Value("type")
		if !slices.Contains(soldOut, got) {
			t.Fatalf("%d from the end: %s is in stock, want the sold-out types last", i+1, got)
		}
		mustContain(t, screen(ctx, v, 120, 30), got+soldOutMark)
	}
	v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyLeft})
	if got := openForm(t, v).Value("type"); slices.Contains(soldOut, got) {
		t.Errorf("before the sold-out types: %s, want one in stock", got)
	}
}

// createdKey creates key pair name through the view and returns the view
// with its key pane open.
func createdKey(t *testing.T, ctx Context, name string) View {
	t.Helper()
	v := load(t, ctx, findView(t, ctx, "keypairs"))
	tr := command(t, ctx, v, "create", name)
	if len(tr.errs()) > 0 || !v.Capturing() {
		t.Fatalf("create %s: %v, pane open %v", name, tr.errs(), v.Capturing())
	}
	mustContain(t, screen(ctx, v, 160, 60), "Private key of "+name)
	return v
}

func TestNewKeyPathIsTheValueAndItsFoldersAre0700(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	home := t.TempDir()
	t.Setenv("HOME", home)
	v := createdKey(t, ctx, "k-default")
	want := filepath.Join(home, ".ssh", "k-default.pem")
	if got := v.(*List[KeyPairItem]).modal.(*keyReveal).path.Value("path"); got != want {
		t.Fatalf("the path field's value is %q, want %q", got, want)
	}
	keyFlow(t, ctx, v, enterKey) // saves at the suggested path: ~/.ssh is made
	if v.Capturing() {
		t.Fatalf("the pane stayed after saving: %s", screen(ctx, v, 160, 60))
	}
	assertMode(t, filepath.Join(home, ".ssh"), 0o700)
	assertMode(t, want, 0o600)

	// A typed path replaces the suggestion; its missing folders are made 0700.
	v = createdKey(t, ctx, "k-typed")
	typed := filepath.Join(home, "keys", "ecs", "k-typed.pem")
	typeText(t, ctx, v, typed)
	keyFlow(t, ctx, v, enterKey)
	if v.Capturing() {
		t.Fatalf("the pane stayed after saving: %s", screen(ctx, v, 160, 60))
	}
	assertMode(t, filepath.Join(home, "keys"), 0o700)
	assertMode(t, filepath.Join(home, "keys", "ecs"), 0o700)
	assertMode(t, typed, 0o600)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != want {
		t.Errorf("%s: mode %v, want %v", path, st.Mode().Perm(), want)
	}
}

func TestKeyPaneStaysUntilSavedOrDismissedTwice(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	t.Setenv("HOME", t.TempDir())
	v := createdKey(t, ctx, "k-stays")
	body := secretLine(t, screen(ctx, v, 160, 60))
	// At 80x24 the key is taller than the pane: it scrolls, the title and
	// the key line stay, and every line of the key can be brought on screen.
	pem := strings.Split(strings.TrimSpace(string(v.(*List[KeyPairItem]).modal.(*keyReveal).key.PEM())), "\n")
	seen := map[string]bool{}
	for range len(pem) {
		s := screen(ctx, v, 80, 24)
		if n := len(strings.Split(s, "\n")); n > 24 {
			t.Fatalf("the key pane is %d lines at 80x24", n)
		}
		mustContain(t, s, "Private key of k-stays", "esc twice", "↑/↓ key lines")
		for _, l := range strings.Split(s, "\n") {
			seen[strings.TrimSpace(l)] = true
		}
		v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	for _, l := range pem {
		if !seen[l] {
			t.Fatalf("key line %q never shown at 80x24", l)
		}
	}
	keyFlow(t, ctx, v, escKey)
	if !v.Capturing() {
		t.Fatal("one esc closed the key pane")
	}
	mustContain(t, screen(ctx, v, 160, 60), body, "esc again closes it")
	// Anything else between the two takes the first back.
	v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyLeft})
	keyFlow(t, ctx, v, escKey)
	if !v.Capturing() {
		t.Fatal("esc, ←, esc closed the key pane: the two esc must follow each other")
	}
	mustContain(t, screen(ctx, v, 160, 60), body)
	tr := keyFlow(t, ctx, v, escKey)
	if v.Capturing() {
		t.Fatal("a second esc in a row did not close the pane")
	}
	mustContain(t, tr.reports[0].Action, "not saved")
	mustNotContain(t, screen(ctx, v, 160, 60), body)
}

// TestCreateInAllRegionsAsksTheRegion: in a view of every region the
// create forms ask the region, default the selected row's, and the
// resource is made there (seen by a second client).
func TestCreateInAllRegionsAsksTheRegion(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ctx.Region = cloud.AllRegions
	t.Setenv("HOME", t.TempDir())

	// A key pair: the selected row is in cn-shanghai.
	v := load(t, ctx, findView(t, ctx, "keypairs"))
	kl := v.(*List[KeyPairItem])
	v.SetFilter("ops-2024") // one in each region: move down to cn-shanghai's
	for range v.Status().Shown {
		if sel, ok := kl.Selected(); ok && sel.RegionID == "cn-shanghai" {
			break
		}
		v.Update(ctx, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	if sel, ok := kl.Selected(); !ok || sel.RegionID != "cn-shanghai" {
		t.Fatalf("could not select cn-shanghai's ops-2024: %+v", sel)
	}
	keyFlow(t, ctx, v, runeKey('N'))
	if got := openForm(t, v).Value(regionKey); got != "cn-shanghai" {
		t.Fatalf("the Region field starts at %q, want the selected row's cn-shanghai", got)
	}
	mustContain(t, screen(ctx, v, 80, 24), "Region", "cn-shanghai")
	// Choose another region by typing, then the name.
	typeText(t, ctx, v, "beijing")
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "all-regions-key")
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("create: %d confirmations, %v (form: %s)", len(tr.confirms), tr.errs(), screen(ctx, v, 120, 30))
	}
	mustContain(t, tr.confirms[0].Title, "in cn-beijing")
	keys, err := e.check.KeyPairs(bg(t), "cn-beijing")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(keys, func(k cloud.KeyPair) bool { return k.Name == "all-regions-key" }) {
		t.Error("the key pair is not in cn-beijing")
	}
	keyFlow(t, ctx, v, escKey)
	keyFlow(t, ctx, v, escKey)

	// A disk: the zones offered are the chosen region's.
	dv := load(t, ctx, findView(t, ctx, "disks"))
	var d cloud.Disk
	for _, id := range dv.(*List[cloud.Disk]).order {
		if x := dv.(*List[cloud.Disk]).items[id]; x.RegionID == "cn-shanghai" && x.Status == cloud.DiskInUse {
			d = x
		}
	}
	if d.ID == "" {
		t.Fatal("no attached disk in cn-shanghai")
	}
	before, err := e.check.Disks(bg(t), "cn-shanghai", cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	selectRow(t, dv, d.ID)
	keyFlow(t, ctx, dv, runeKey('N'))
	f := openForm(t, dv)
	if f.Value(regionKey) != "cn-shanghai" || !strings.HasPrefix(f.Value("zone"), "cn-shanghai-") {
		t.Fatalf("region %q zone %q, want cn-shanghai and one of its zones", f.Value(regionKey), f.Value("zone"))
	}
	for openForm(t, dv).Focused() != "size" {
		dv.Update(ctx, tabKey)
	}
	typeText(t, ctx, dv, "40")
	tr = keyFlow(t, ctx, dv, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("new disk: %d confirmations, %v (form: %s)", len(tr.confirms), tr.errs(), screen(ctx, dv, 120, 30))
	}
	after, err := e.check.Disks(bg(t), "cn-shanghai", cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Errorf("cn-shanghai has %d disks, want %d", len(after), len(before)+1)
	}
	for _, r := range append(tr.reports, Report{}) {
		if r.Err != nil && strings.Contains(r.Err.Error(), `not "all"`) {
			t.Errorf("internal wording reached the user: %v", r.Err)
		}
	}

	// A security group: the VPCs offered follow the region chosen.
	sv := load(t, ctx, findView(t, ctx, "sg"))
	keyFlow(t, ctx, sv, runeKey('N'))
	typeText(t, ctx, sv, "shanghai")
	sv.Update(ctx, tabKey)
	groups, err := e.check.SecurityGroups(bg(t), "cn-shanghai")
	if err != nil || len(groups) == 0 {
		t.Fatalf("groups of cn-shanghai: %d, %v", len(groups), err)
	}
	typeText(t, ctx, sv, "forms-all-sg")
	sv.Update(ctx, tabKey)
	if openForm(t, sv).Focused() != "vpc" {
		t.Fatalf("focused %q, want vpc", openForm(t, sv).Focused())
	}
	vpcs := choices(t, ctx, sv, "vpc")
	if len(vpcs) == 0 || vpcs[0] == "" {
		t.Fatal("no VPC offered for cn-shanghai")
	}
	for _, vpc := range vpcs {
		if !slices.ContainsFunc(groups, func(g cloud.SecurityGroup) bool { return g.VpcID == vpc }) {
			t.Errorf("VPC %s offered for cn-shanghai, where no group is in it", vpc)
		}
	}
	tr = keyFlow(t, ctx, sv, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("new group: %d confirmations, %v (form %s)", len(tr.confirms), tr.errs(), screen(ctx, sv, 120, 30))
	}
	after2, err := e.check.SecurityGroups(bg(t), "cn-shanghai")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(after2, func(g cloud.SecurityGroup) bool { return g.Name == "forms-all-sg" }) {
		t.Error("the group is not in cn-shanghai")
	}
}

// TestPolicyFormsAskRegionAndPickTargets: in a view of every region a new
// policy asks where (and is made there); applying a policy picks its
// disks by name or id, several at once.
func TestPolicyFormsAskRegionAndPickTargets(t *testing.T) {
	e := newOpsEnv(t)
	all := e.ctx
	all.Region = cloud.AllRegions
	v := load(t, all, findView(t, all, "policies"))
	keyFlow(t, all, v, runeKey('N'))
	if openForm(t, v).Focused() != regionKey {
		t.Fatalf("the new policy form starts at %q, want the Region field", openForm(t, v).Focused())
	}
	typeText(t, all, v, "shenzhen")
	v.Update(all, tabKey)
	typeText(t, all, v, "forms-policy")
	tr := keyFlow(t, all, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("new policy: %d confirmations, %v (form %s)", len(tr.confirms), tr.errs(), screen(all, v, 120, 30))
	}
	ps, err := e.check.AutoSnapshotPolicies(bg(t), "cn-shenzhen")
	if err != nil {
		t.Fatal(err)
	}
	var made cloud.AutoSnapshotPolicy
	for _, p := range ps {
		if p.Name == "forms-policy" {
			made = p
		}
	}
	if made.ID == "" {
		t.Fatal("the policy is not in cn-shenzhen")
	}

	// Apply it: the targets picker lists cn-shenzhen's disks.
	ctx := e.ctx
	ctx.Region = "cn-shenzhen"
	pv := load(t, ctx, findView(t, ctx, "policies"))
	selectRow(t, pv, made.ID)
	keyFlow(t, ctx, pv, runeKey('A'))
	disks, err := e.check.Disks(bg(t), "cn-shenzhen", cloud.DiskFilter{})
	if err != nil || len(disks) < 2 {
		t.Fatalf("%d disks in cn-shenzhen, %v", len(disks), err)
	}
	for _, d := range disks[:2] {
		typeText(t, ctx, pv, d.ID)
		pv.Update(ctx, enterKey)
	}
	want := disks[0].ID + "," + disks[1].ID
	if got := openForm(t, pv).Value("targets"); got != want {
		t.Fatalf("targets %q, want %q", got, want)
	}
	tr = keyFlow(t, ctx, pv, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("apply: %d confirmations, %v", len(tr.confirms), tr.errs())
	}
	after, err := e.check.Disks(bg(t), "cn-shenzhen", cloud.DiskFilter{DiskIDs: []string{disks[0].ID, disks[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range after {
		if d.AutoSnapshotPolicyID != made.ID {
			t.Errorf("%s follows %q, want %s", d.ID, d.AutoSnapshotPolicyID, made.ID)
		}
	}
}

// TestSnapshotFormsPickByName: the new snapshot's disk and the roll back's
// snapshot are found by typing part of a name.
func TestSnapshotFormsPickByName(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, disks := e.fleet(t)
	var named cloud.Disk
	for _, d := range disks {
		if d.Name != "" && d.RegionID == "cn-hangzhou" {
			named = d
			break
		}
	}
	if named.ID == "" {
		t.Fatal("no named disk in cn-hangzhou")
	}
	v := load(t, ctx, findView(t, ctx, "snapshots"))
	keyFlow(t, ctx, v, runeKey('N'))
	if openForm(t, v).Focused() != "disk" {
		t.Fatalf("the new snapshot form starts at %q", openForm(t, v).Focused())
	}
	typeText(t, ctx, v, named.Name+" "+named.ID[len(named.ID)-4:])
	if got := openForm(t, v).Value("disk"); got != named.ID {
		t.Errorf("typing the disk's name picked %q, want %s", got, named.ID)
	}
	mustContain(t, screen(ctx, v, 120, 30), named.Name+" ("+named.ID+")")
	for range 2 {
		v.Update(ctx, escKey)
	}

	snaps, err := e.check.Snapshots(bg(t), "cn-hangzhou", cloud.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var s cloud.Snapshot
	for _, x := range snaps {
		if x.Name != "" && x.DiskID != "" && x.Status == cloud.SnapshotAccomplished {
			s = x
		}
	}
	if s.ID == "" {
		t.Fatal("no named accomplished snapshot")
	}
	selectRow(t, v, s.ID)
	keyFlow(t, ctx, v, runeKey('R'))
	if !v.Capturing() {
		t.Fatal("R did not open the roll back form")
	}
	if got := openForm(t, v).Value("snapshot"); got != s.ID {
		t.Errorf("the roll back form starts at %q, want the selected %s", got, s.ID)
	}
	mustContain(t, screen(ctx, v, 120, 30), s.Name+" ("+s.ID+")", " of ")
	for range 2 {
		v.Update(ctx, escKey)
	}

	// A disk from the snapshot: only categories the zones create (the
	// emulator's zones no longer make the basic "cloud").
	keyFlow(t, ctx, v, runeKey('K'))
	for openForm(t, v).Focused() != "category" {
		v.Update(ctx, tabKey)
	}
	if got := choices(t, ctx, v, "category"); slices.Contains(got, "cloud") || len(got) == 0 {
		t.Errorf("categories offered %v: want the zones' only, without cloud", got)
	}
}

// TestNewImageInAllRegionsIsMadeInItsSourcesRegion: the images view of
// every region offers the instances of all regions, and the image is made
// in the chosen instance's region instead of failing after submit.
func TestNewImageInAllRegionsIsMadeInItsSourcesRegion(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ctx.Region = cloud.AllRegions
	ins, err := e.check.Instances(bg(t), "cn-shanghai")
	if err != nil || len(ins) == 0 {
		t.Fatalf("instances of cn-shanghai: %d, %v", len(ins), err)
	}
	src := ins[0]
	v := load(t, ctx, findView(t, ctx, "images"))
	keyFlow(t, ctx, v, runeKey('N'))
	typeText(t, ctx, v, src.ID)
	if got := openForm(t, v).Value("source"); got != src.ID {
		t.Fatalf("typing %s picked %q", src.ID, got)
	}
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "forms-all-regions")
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("new image: %d confirmations, %v (form %s)", len(tr.confirms), tr.errs(), screen(ctx, v, 120, 30))
	}
	names, err := e.check.ImageNames(bg(t), "cn-shanghai")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, "forms-all-regions") {
		t.Errorf("the image is not in cn-shanghai: %v", names)
	}
}

// TestDetachedDiskResizesOfflineOnly: ResizeDisk refuses an online resize
// of a disk no instance runs, so the form offers offline only.
func TestDetachedDiskResizesOfflineOnly(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	_, disks := e.fleet(t)
	var d cloud.Disk
	for _, x := range disks {
		if x.Status == cloud.DiskAvailable && x.InstanceID == "" && x.RegionID == "cn-hangzhou" {
			d = x
			break
		}
	}
	if d.ID == "" {
		t.Fatal("no Available disk in cn-hangzhou")
	}
	v := load(t, ctx, findView(t, ctx, "disks"))
	selectRow(t, v, d.ID)
	keyFlow(t, ctx, v, runeKey('Z'))
	v.Update(ctx, tabKey)
	if got := choices(t, ctx, v, "mode"); !slices.Equal(got, []string{"offline"}) {
		t.Errorf("a detached disk is offered %v, want offline only", got)
	}
	mustContain(t, screen(ctx, v, 80, 24), "no online resize: the disk is not attached")
}

// TestLaunchDefaultsAreSuggestions: typing a count over the default one
// replaces it (3, not 13), and the key pair and groups are pickers.
func TestLaunchDefaultsAreSuggestions(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	v := load(t, ctx, findView(t, ctx, "images"))
	keyFlow(t, ctx, v, runeKey('L'))
	if !v.Capturing() {
		t.Fatal("L did not open the launch form")
	}
	if got := openForm(t, v).Value("count"); got != "1" {
		t.Fatalf("count starts at %q, want the suggestion 1", got)
	}
	typeText(t, ctx, v, "3")
	if got := openForm(t, v).Value("count"); got != "3" {
		t.Errorf("typing 3 over the suggested count gave %q", got)
	}
	for openForm(t, v).Focused() != "keypair" {
		v.Update(ctx, tabKey)
	}
	kps, err := e.check.KeyPairs(bg(t), "cn-hangzhou")
	if err != nil || len(kps) == 0 {
		t.Fatalf("key pairs: %d, %v", len(kps), err)
	}
	typeText(t, ctx, v, kps[0].Name)
	if got := openForm(t, v).Value("keypair"); got != kps[0].Name {
		t.Errorf("typing a key pair's name picked %q", got)
	}
}

// TestNewSnapshotInAllRegionsIsTakenInItsDisksRegion: the disk picker of
// a view of every region lists every region's disks, and the snapshot is
// taken in the chosen disk's region.
func TestNewSnapshotInAllRegionsIsTakenInItsDisksRegion(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ctx.Region = cloud.AllRegions
	disks, err := e.check.Disks(bg(t), "cn-beijing", cloud.DiskFilter{})
	if err != nil || len(disks) == 0 {
		t.Fatalf("disks of cn-beijing: %d, %v", len(disks), err)
	}
	d := disks[0]
	v := load(t, ctx, findView(t, ctx, "snapshots"))
	keyFlow(t, ctx, v, runeKey('N'))
	typeText(t, ctx, v, d.ID)
	if got := openForm(t, v).Value("disk"); got != d.ID {
		t.Fatalf("typing %s picked %q", d.ID, got)
	}
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "forms-all-snap")
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("snapshot: %d confirmations, %v (form %s)", len(tr.confirms), tr.errs(), screen(ctx, v, 120, 30))
	}
	snaps, err := e.check.Snapshots(bg(t), "cn-beijing", cloud.SnapshotFilter{DiskID: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(snaps, func(s cloud.Snapshot) bool { return s.Name == "forms-all-snap" }) {
		t.Error("the snapshot is not in cn-beijing")
	}
}

// TestLaunchOffersTheZonesSystemDiskCategories: the launch form's system
// disk categories are those DescribeZones lists for the default zone.
func TestLaunchOffersTheZonesSystemDiskCategories(t *testing.T) {
	e := newOpsEnv(t)
	zones, err := e.check.Zones(bg(t), "cn-hangzhou")
	if err != nil || len(zones) == 0 {
		t.Fatalf("zones: %d, %v", len(zones), err)
	}
	z := zones[0]
	if len(z.SystemDiskCategories) == 0 {
		t.Fatal("DescribeZones lists no system disk categories")
	}
	got := launchSystemCategories(bg(t), e.check, "cn-hangzhou", cloud.LaunchSpec{ZoneID: z.ID, SystemDiskCategory: "cloud_auto"})
	if len(got) == 0 || got[0] != "cloud_auto" {
		t.Fatalf("categories %v: want the default's first", got)
	}
	for _, c := range got {
		if !slices.Contains(z.SystemDiskCategories, c) {
			t.Errorf("%s offered, but %s gives a system disk only %v", c, z.ID, z.SystemDiskCategories)
		}
	}
	if got := launchSystemCategories(bg(t), e.check, "cn-hangzhou", cloud.LaunchSpec{}); got != nil {
		t.Errorf("no zone known: %v, want nil (every category)", got)
	}
}
