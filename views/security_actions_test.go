package views

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
)

// The security hardening UI (issue 8) driven against the emulator: the
// password reset, key pairs, rules, the risky-port audit and patching.
// Every screen and message after a secret is entered is kept in a
// capture, and the secret must be in none of them.

// capture collects what the user could see: screens, confirmations,
// activity text, reports and panes.
type capture struct{ text []string }

func (c *capture) screen(ctx Context, v View) {
	c.text = append(c.text, ansi.Strip(v.View(ctx, 160, 60)))
}

func (c *capture) trace(ctx Context, tr *trace) {
	for _, cf := range tr.confirms {
		c.text = append(c.text, cf.Title, strings.Join(cf.Lines, "\n"), strings.Join(cf.CLI, "\n"), cf.Typed, cf.Undoable)
	}
	for _, vd := range tr.verdicts {
		c.text = append(c.text, vd.Text)
	}
	c.text = append(c.text, tr.progress...)
	for _, r := range tr.reports {
		c.text = append(c.text, r.Action, r.RequestID, fmt.Sprintf("%v %+v", r.Err, r))
	}
	for _, m := range tr.modals {
		c.text = append(c.text, ansi.Strip(m.View(ctx, 160, 60)))
	}
}

// none fails when any captured text contains secret.
func (c *capture) none(t *testing.T, what, secret string) {
	t.Helper()
	for i, s := range c.text {
		if strings.Contains(s, secret) {
			t.Errorf("the %s appears in capture %d:\n%s", what, i, s)
		}
	}
}

var escKey = tea.KeyPressMsg{Code: tea.KeyEscape}

func backspaces(t *testing.T, ctx Context, v View, n int) {
	t.Helper()
	for range n {
		v.Update(ctx, bsKey)
	}
}

const distinctivePassword = "Zq7!Wombat#Lantern42"

func TestResetPasswordBadThenGoodNeverShowsIt(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	target := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.OSType != "windows" })
	if len(target) == 0 {
		t.Fatal("no running Linux instance in the seeded fleet")
	}
	in := target[0]
	cap := &capture{}
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, in.ID)
	if tr := keyFlow(t, ctx, v, runeKey('P')); len(tr.confirms) != 0 || !v.Capturing() {
		t.Fatal("P did not open the password form")
	}

	// A bad password: refused naming the rule, nothing sent.
	bad := "short"
	typeText(t, ctx, v, bad)
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, bad)
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 0 || !v.Capturing() {
		t.Fatalf("a bad password reached the confirmation (%d)", len(tr.confirms))
	}
	s := screen(ctx, v, 160, 40)
	mustContain(t, s, "needs 8-30 characters", "at least three of")
	mustNotContain(t, s, bad)
	if n := e.calls("ModifyInstanceAttribute"); n != 0 {
		t.Fatalf("ModifyInstanceAttribute called %d times for a refused password", n)
	}

	// Two different good passwords: refused, the form stays.
	v.Update(ctx, escKey) // close and start over
	if v.Capturing() {
		t.Fatal("esc did not close the form")
	}
	keyFlow(t, ctx, v, runeKey('P'))
	typeText(t, ctx, v, distinctivePassword)
	cap.screen(ctx, v)
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, distinctivePassword+"x")
	cap.screen(ctx, v)
	if tr := keyFlow(t, ctx, v, submitKy); len(tr.confirms) != 0 {
		t.Fatal("two different passwords reached the confirmation")
	}
	mustContain(t, screen(ctx, v, 160, 40), "the two passwords differ")
	cap.screen(ctx, v)

	// Fix the second: the flow sets it and reboots the instance.
	v.Update(ctx, bsKey)
	cap.screen(ctx, v)
	before := e.calls("RebootInstances")
	tr = keyFlow(t, ctx, v, submitKy)
	cap.trace(ctx, tr)
	cap.screen(ctx, v)
	if len(tr.confirms) != 1 {
		t.Fatalf("confirmations = %d, want 1", len(tr.confirms))
	}
	mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), in.ID, "reboot "+in.ID)
	if errs := tr.errs(); len(errs) > 0 {
		t.Fatalf("the flow failed: %v", errs)
	}
	// The reboot is called twice: its DryRun precheck, then the reboot.
	if e.calls("ModifyInstanceAttribute") != 1 || e.calls("RebootInstances") != before+2 {
		t.Errorf("ModifyInstanceAttribute %d, RebootInstances %d: want one, and a precheck and one", e.calls("ModifyInstanceAttribute"), e.calls("RebootInstances")-before)
	}
	if got := e.instanceNow(t, in.ID); got.Status != cloud.StateRunning {
		t.Errorf("%s is %s after the reboot", in.ID, got.Status)
	}
	cap.none(t, "password", distinctivePassword)
}

func TestCreateKeyPairPrivateKeyOnlyInTheChosenFile(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	home := t.TempDir()
	t.Setenv("HOME", home)
	v := load(t, ctx, findView(t, ctx, "keypairs"))
	cap := &capture{}

	tr := command(t, ctx, v, "create", "leak-check")
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("create: %d confirmations, errors %v", len(tr.confirms), tr.errs())
	}
	tr.modals = nil // the pane is the one display of the key
	cap.trace(ctx, tr)
	shown := screen(ctx, v, 160, 60)
	mustContain(t, shown, "Private key of leak-check", "PRIVATE KEY", "Shown this once")

	path := filepath.Join(home, "leak-check.pem")
	typeText(t, ctx, v, path)
	tr = keyFlow(t, ctx, v, enterKey)
	cap.trace(ctx, tr)
	if v.Capturing() {
		t.Fatalf("the key pane is still open after saving: %s", screen(ctx, v, 160, 60))
	}
	cap.screen(ctx, v)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	pem, _ := os.ReadFile(path)
	body := secretLine(t, string(pem))
	if !strings.Contains(shown, body) {
		t.Error("the pane did not show the key that was saved")
	}

	// The key is in that file only: no other file under HOME, nothing on
	// screen since.
	_ = filepath.Walk(home, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && p != path {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), body) {
				t.Errorf("the private key is also in %s", p)
			}
		}
		return nil
	})
	v = load(t, ctx, v)
	cap.screen(ctx, v)
	v = openDetail(t, ctx, v, "leak-check")
	cap.screen(ctx, v)
	v.Back()
	cap.none(t, "private key", body)

	// A second key pair: saving over the existing file is refused, the
	// file is untouched, the pane stays until esc (not saved).
	v.SetFilter("")
	tr = command(t, ctx, v, "create", "second-key")
	if len(tr.errs()) > 0 {
		t.Fatal(tr.errs())
	}
	second := secretLine(t, screen(ctx, v, 160, 60))
	typeText(t, ctx, v, path)
	keyFlow(t, ctx, v, enterKey)
	if !v.Capturing() {
		t.Fatal("the pane closed although the file exists")
	}
	mustContain(t, screen(ctx, v, 160, 60), "already exists")
	if again, _ := os.ReadFile(path); string(again) != string(pem) {
		t.Error("the existing file was overwritten")
	}
	keyFlow(t, ctx, v, escKey)
	if !v.Capturing() {
		t.Fatal("one esc closed the unsaved key pane: it must ask again")
	}
	mustContain(t, screen(ctx, v, 160, 60), "esc again closes it", second)
	tr = keyFlow(t, ctx, v, escKey)
	if v.Capturing() {
		t.Fatal("a second esc did not close the key pane")
	}
	mustContain(t, tr.reports[0].Action, "not saved")
	after := &capture{}
	after.screen(ctx, v)
	after.trace(ctx, tr)
	after.none(t, "second private key", second)
}

// secretLine is a line of base64 from inside a PEM block (found in s).
func secretLine(t *testing.T, s string) string {
	t.Helper()
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if len(l) >= 40 && !strings.Contains(l, " ") && !strings.Contains(l, "-----") {
			return l
		}
	}
	t.Fatalf("no PEM body in:\n%s", s)
	return ""
}

func TestImportAttachDetachDeleteKeyPair(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	home := t.TempDir()
	t.Setenv("HOME", home)
	pub := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop"
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519.pub"), []byte(pub+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v := load(t, ctx, findView(t, ctx, "keypairs"))
	tr := command(t, ctx, v, "import", "imported-key")
	if len(tr.confirms) != 0 || !v.Capturing() {
		t.Fatal(":import did not open its form")
	}
	mustContain(t, screen(ctx, v, 160, 40), "id_ed25519.pub")
	tr = keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("import: %d confirmations, %v", len(tr.confirms), tr.errs())
	}
	kps, err := e.check.KeyPairs(bg(t), "cn-hangzhou")
	if err != nil || !slices.ContainsFunc(kps, func(k cloud.KeyPair) bool { return k.Name == "imported-key" }) {
		t.Fatalf("laptop not imported: %v", err)
	}

	// A malformed pasted key is refused locally.
	command(t, ctx, v, "import", "broken")
	v.Update(ctx, tabKey)
	v.Update(ctx, runeKey(' ')) // "paste below"
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "ssh-ed25519 AAAAnotbase64!!")
	if tr := keyFlow(t, ctx, v, submitKy); len(tr.confirms) != 0 {
		t.Fatal("a malformed key reached the confirmation")
	}
	mustContain(t, screen(ctx, v, 160, 40), "public key")
	v.Update(ctx, escKey)

	// Attach to a Linux instance (palette, no restart), then detach.
	ins, _ := e.fleet(t)
	linux := pick(ins, 1, func(in cloud.Instance) bool { return running(in) && in.OSType != "windows" })[0]
	win := pick(ins, 1, func(in cloud.Instance) bool { return in.OSType == "windows" })
	v = load(t, ctx, v)
	selectRow(t, v, "imported-key")
	tr = command(t, ctx, v, "attach", linux.ID, "later")
	if len(tr.errs()) > 0 || len(tr.confirms) != 1 {
		t.Fatalf("attach: %v", tr.errs())
	}
	if got := e.instanceNow(t, linux.ID); got.KeyPairName != "imported-key" {
		t.Fatalf("%s has key %q after attach", linux.ID, got.KeyPairName)
	}
	if len(win) > 0 && win[0].RegionID == "cn-hangzhou" {
		tr = command(t, ctx, v, "attach", win[0].ID)
		if len(tr.confirms) != 0 || len(tr.errs()) == 0 || !strings.Contains(tr.errs()[0].Error(), "Windows") {
			t.Errorf("attach to Windows: want a refusal naming Windows, got %v", tr.errs())
		}
	}
	v = load(t, ctx, v)
	selectRow(t, v, "imported-key")
	tr = command(t, ctx, v, "detach", linux.ID, "later")
	if len(tr.errs()) > 0 {
		t.Fatalf("detach: %v", tr.errs())
	}
	if got := e.instanceNow(t, linux.ID); got.KeyPairName == "imported-key" {
		t.Fatal("still bound after detach")
	}

	// Delete: typed, listing the instances still bound.
	v = load(t, ctx, v)
	selectRow(t, v, "ops-2024")
	tr = keyFlow(t, ctx, v, runeKey('X'))
	if len(tr.confirms) != 1 || tr.confirms[0].Typed != "ops-2024" || !tr.confirms[0].Danger {
		t.Fatalf("delete: %+v", tr.confirms)
	}
	kpItem, _ := v.(*List[KeyPairItem]).Selected()
	for _, in := range kpItem.Instances {
		mustContain(t, strings.Join(tr.confirms[0].Lines, "\n"), "still bound: "+in.ID)
	}
	kps, _ = e.check.KeyPairs(bg(t), "cn-hangzhou")
	if slices.ContainsFunc(kps, func(k cloud.KeyPair) bool { return k.Name == "ops-2024" }) {
		t.Fatal("ops-2024 not deleted")
	}
}

func TestAddAndRevokeRule(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	v := load(t, ctx, findView(t, ctx, "sg"))
	v.SetFilter("web-public")
	g, ok := v.(*List[SecurityGroupItem]).Selected()
	if !ok {
		t.Fatal("no web-public group")
	}
	selectRow(t, v, g.ID)
	keyFlow(t, ctx, v, runeKey('A'))
	if !v.Capturing() {
		t.Fatal("A did not open the rule form")
	}
	// direction ingress, protocol TCP: to the port range.
	v.Update(ctx, tabKey)
	v.Update(ctx, tabKey)
	backspaces(t, ctx, v, 10)
	typeText(t, ctx, v, "8080/8080")
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "10.0.0.300/8")
	if tr := keyFlow(t, ctx, v, submitKy); len(tr.confirms) != 0 {
		t.Fatal("a bad CIDR reached the confirmation")
	}
	mustContain(t, screen(ctx, v, 160, 40), "CIDR")
	if n := e.calls("AuthorizeSecurityGroup"); n != 0 {
		t.Fatalf("AuthorizeSecurityGroup called %d times", n)
	}
	backspaces(t, ctx, v, 12)
	typeText(t, ctx, v, "192.0.2.0/24")
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("add: %d confirmations, %v", len(tr.confirms), tr.errs())
	}
	rules, err := e.check.SecurityGroupRules(bg(t), "cn-hangzhou", g.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rules, func(r cloud.SecurityGroupRule) bool {
		return r.PortRange == "8080/8080" && r.SourceCIDR == "192.0.2.0/24"
	})
	if i < 0 {
		t.Fatalf("the rule was not added: %+v", rules)
	}
	id := rules[i].ID

	v = load(t, ctx, v)
	selectRow(t, v, g.ID)
	tr = command(t, ctx, v, "revoke", id)
	if len(tr.confirms) != 1 || tr.confirms[0].Typed != "tcp 8080/8080" || !tr.confirms[0].Danger || len(tr.errs()) > 0 {
		t.Fatalf("revoke: %+v %v", tr.confirms, tr.errs())
	}
	rules, _ = e.check.SecurityGroupRules(bg(t), "cn-hangzhou", g.ID)
	if slices.ContainsFunc(rules, func(r cloud.SecurityGroupRule) bool { return r.ID == id }) {
		t.Fatal("the rule is still there")
	}
}

func TestAuditPortsFindsOpenPortsAndNarrowingRemovesOne(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ctx.Region = cloud.AllRegions
	t.Setenv("SSH_CONNECTION", "")
	t.Setenv("SSH_CLIENT", "198.51.100.7 50022 22")
	v := load(t, ctx, findView(t, ctx, "audit-ports"))
	s := screen(ctx, v, 200, 60)
	for _, p := range []string{"22", "3389", "6379"} {
		if !strings.Contains(s, " "+p+" ") {
			t.Errorf("no finding for port %s:\n%s", p, s)
		}
	}
	l := v.(*List[cloud.Finding])
	var redis cloud.Finding
	for _, id := range l.order {
		if f := l.items[id]; f.PortRange == "6379/6379" {
			redis = f
		}
	}
	if redis.SecurityGroupRuleID == "" {
		t.Fatal("no Redis finding")
	}
	selectRow(t, v, redis.SecurityGroupRuleID)
	keyFlow(t, ctx, v, runeKey('N'))
	mustContain(t, screen(ctx, v, 160, 40), "198.51.100.7/32")
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("narrow: %d confirmations, %v", len(tr.confirms), tr.errs())
	}
	if tr.confirms[0].Typed != "" {
		t.Error("narrowing asks for a typed confirmation: it closes nothing the operator needs")
	}
	v.SetFilter("")
	v = load(t, ctx, v)
	for _, id := range l.order {
		if l.items[id].SecurityGroupRuleID == redis.SecurityGroupRuleID {
			t.Fatal("the narrowed finding is still listed")
		}
	}
	rules, _ := e.check.SecurityGroupRules(bg(t), redis.RegionID, redis.SecurityGroupID)
	if !slices.ContainsFunc(rules, func(r cloud.SecurityGroupRule) bool {
		return r.PortRange == "6379/6379" && r.SourceCIDR == "198.51.100.7/32"
	}) {
		t.Errorf("no narrow rule from 198.51.100.7/32: %+v", rules)
	}

	// X revokes another finding outright, typed.
	n := l.table.Len()
	f, _ := l.Selected()
	tr = keyFlow(t, ctx, v, runeKey('X'))
	if want := strings.ToLower(f.IpProtocol) + " " + findingPorts(f); len(tr.confirms) != 1 || tr.confirms[0].Typed != want || len(tr.errs()) > 0 {
		t.Fatalf("revoke: %+v %v", tr.confirms, tr.errs())
	}
	v = load(t, ctx, v)
	if l.table.Len() != n-1 {
		t.Errorf("%d findings after revoking one of %d", l.table.Len(), n)
	}
}

func TestOperatorCIDR(t *testing.T) {
	t.Setenv("SSH_CLIENT", "")
	t.Setenv("SSH_CONNECTION", "")
	if got := operatorCIDR(); got != "" {
		t.Errorf("outside SSH: %q", got)
	}
	t.Setenv("SSH_CONNECTION", "2001:db8::5 50000 2001:db8::1 22")
	if got := operatorCIDR(); got != "2001:db8::5/128" {
		t.Errorf("SSH_CONNECTION v6: %q", got)
	}
	t.Setenv("SSH_CLIENT", "203.0.113.9 40000 22")
	if got := operatorCIDR(); got != "203.0.113.9/32" {
		t.Errorf("SSH_CLIENT: %q", got)
	}
}

func TestPatchInstallMovesMissingToZero(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	states, err := e.check.PatchStates(bg(t), "cn-hangzhou", nil)
	if err != nil {
		t.Fatal(err)
	}
	ins, _ := e.fleet(t)
	targets := pick(ins, 2, func(in cloud.Instance) bool { return running(in) && states[in.ID].Missing > 0 })
	if len(targets) < 2 {
		t.Fatal("the seeded fleet lacks running instances with missing patches")
	}
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, targets[0].ID)
	mustContain(t, screen(ctx, v, 300, 10), fmt.Sprintf("%d missing", states[targets[0].ID].Missing))
	v.SetFilter("")
	v = openDetail(t, ctx, v, targets[0].ID)
	mustContain(t, screen(ctx, v, 200, 200), "Missing patches", "Effective ingress rules")
	v.Back()
	v.SetFilter("")
	markRows(t, ctx, v, targets[0].ID, targets[1].ID)

	tr := command(t, ctx, v, "patch", "install")
	if !v.Capturing() || len(tr.confirms) != 0 {
		t.Fatal(":patch install did not open its form")
	}
	mustContain(t, screen(ctx, v, 160, 40), "Reboot if needed", "Concurrency", "Snapshot first")
	tr = keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("install: %d confirmations, %v; progress %q", len(tr.confirms), tr.errs(), tr.progress)
	}
	lines := strings.Join(tr.confirms[0].Lines, "\n")
	mustContain(t, lines, "snapshot", "No reboot")
	if e.calls("CreateSnapshot") != 2 {
		t.Errorf("CreateSnapshot called %d times, want one per system disk (2)", e.calls("CreateSnapshot"))
	}
	// The snapshots came before the execution.
	first := slices.IndexFunc(tr.progress, func(s string) bool { return strings.HasPrefix(s, "install ") })
	snap := slices.IndexFunc(tr.progress, func(s string) bool { return strings.HasPrefix(s, "snapshot ") })
	if snap < 0 || first < snap {
		t.Errorf("progress order: %q", tr.progress)
	}
	pane := tr.lastModal(ctx)
	mustContain(t, pane, targets[0].ID, targets[1].ID, "Success")
	after, err := e.check.PatchStates(bg(t), "cn-hangzhou", instanceIDs(targets))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range targets {
		if after[in.ID].Missing != 0 {
			t.Errorf("%s: %d missing after install", in.ID, after[in.ID].Missing)
		}
	}
	v.Update(ctx, escKey)
	v = load(t, ctx, v)
	selectRow(t, v, targets[0].ID)
	mustNotContain(t, screen(ctx, v, 300, 10), "missing")
}

func TestPatchScanFromY(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	target := pick(ins, 1, running)[0]
	v := load(t, ctx, findView(t, ctx, "instances"))
	selectRow(t, v, target.ID)
	// Y goes straight to the confirmation with the defaults: a scan, which
	// the dialog can switch to an install (with reboot and snapshots).
	tr := keyFlow(t, ctx, v, runeKey('Y'))
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("Y: confirmations %d, errors %v", len(tr.confirms), tr.errs())
	}
	c := tr.confirms[0]
	if len(c.Options) != 1 || c.Options[0].Value() != cloud.PatchScan || !strings.HasPrefix(c.Title, "Scan patches") {
		t.Fatalf("Y: %q options %+v, want a scan", c.Title, c.Options)
	}
	opts := slices.Clone(c.Options)
	opts[0].Selected = 1 // → install, as →/l in the dialog does
	install, err := c.Change(opts)
	if err != nil || len(install.Options) != 3 || install.Options[1].Value() != "no" || install.Options[2].Value() != "yes" ||
		!strings.Contains(strings.Join(install.Lines, "\n"), "snapshot d-") {
		t.Fatalf("switched to install: %+v %v", install.Options, err)
	}
	if e.calls("CreateSnapshot") != 0 {
		t.Error("a scan took snapshots by default")
	}
	if st, _ := e.check.PatchStates(bg(t), "cn-hangzhou", []string{target.ID}); st[target.ID].LastScan.IsZero() {
		t.Error("no scan recorded")
	}
}

func TestEditRuleAndGroupMembers(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	v := load(t, ctx, findView(t, ctx, "sg"))
	v.SetFilter("db-internal")
	g, ok := v.(*List[SecurityGroupItem]).Selected()
	if !ok || len(g.Rules) == 0 {
		t.Fatal("no db-internal group with rules")
	}
	selectRow(t, v, g.ID)
	keyFlow(t, ctx, v, runeKey('E'))
	first := g.Rules[0]
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "101")
	if tr := keyFlow(t, ctx, v, submitKy); len(tr.confirms) != 0 {
		t.Fatal("priority 101 reached the confirmation")
	}
	mustContain(t, screen(ctx, v, 160, 40), "priority", "1 (highest) to 100")
	v.Update(ctx, bsKey)
	v.Update(ctx, bsKey)
	v.Update(ctx, tabKey)
	typeText(t, ctx, v, "edited here")
	tr := keyFlow(t, ctx, v, submitKy)
	if len(tr.confirms) != 1 || len(tr.errs()) > 0 {
		t.Fatalf("edit: %v", tr.errs())
	}
	rules, _ := e.check.SecurityGroupRules(bg(t), "cn-hangzhou", g.ID)
	i := slices.IndexFunc(rules, func(r cloud.SecurityGroupRule) bool { return r.ID == first.ID })
	if i < 0 || rules[i].Priority != 1 || rules[i].Description != "edited here" {
		t.Fatalf("rule after edit: %+v", rules[i])
	}

	// An instance in one group cannot leave it; joining another works.
	ins, _ := e.fleet(t)
	var lone cloud.Instance
	for _, in := range ins {
		if len(in.SecurityGroupIDs) == 1 && (in.Status == cloud.StateRunning || in.Status == cloud.StateStopped) {
			lone = in
			break
		}
	}
	if lone.ID == "" {
		t.Skip("no instance with a single group")
	}
	v = load(t, ctx, v)
	selectRow(t, v, lone.SecurityGroupIDs[0])
	tr = command(t, ctx, v, "members", "leave", lone.ID)
	if len(tr.confirms) != 0 || len(tr.errs()) == 0 || !strings.Contains(tr.errs()[0].Error(), "at least one") {
		t.Fatalf("leaving the only group: %v", tr.errs())
	}
	var other SecurityGroupItem
	for _, id := range v.(*List[SecurityGroupItem]).order {
		if it := v.(*List[SecurityGroupItem]).items[id]; it.VpcID == lone.VpcID && it.ID != lone.SecurityGroupIDs[0] {
			other = it
		}
	}
	selectRow(t, v, other.ID)
	tr = command(t, ctx, v, "members", "join", lone.ID)
	if len(tr.errs()) > 0 || len(tr.confirms) != 1 {
		t.Fatalf("join: %v", tr.errs())
	}
	if got := e.instanceNow(t, lone.ID); !slices.Contains(got.SecurityGroupIDs, other.ID) {
		t.Errorf("%s groups %v after join", lone.ID, got.SecurityGroupIDs)
	}
}
