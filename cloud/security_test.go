package cloud_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func wantValidation(t testing.TB, err error, field string, parts ...string) {
	t.Helper()
	var ve *cloud.ValidationError
	if !errors.As(err, &ve) || ve.Field != field {
		t.Fatalf("error %v, want a ValidationError on %q", err, field)
	}
	for _, p := range parts {
		if !strings.Contains(ve.Rule, p) {
			t.Errorf("%q does not name %q", ve.Rule, p)
		}
	}
}

// sshWire builds an OpenSSH public key line from wire-format fields.
func sshLine(typ string, fields ...[]byte) string {
	var blob []byte
	for _, f := range append([][]byte{[]byte(typ)}, fields...) {
		blob = binary.BigEndian.AppendUint32(blob, uint32(len(f)))
		blob = append(blob, f...)
	}
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " test@host"
}

func ed25519Line(t testing.TB) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return sshLine("ssh-ed25519", pub)
}

func TestResetPassword(t *testing.T) {
	_, c := opsEnv(t)
	targets := instancesWhere(t, c, 2, runningPostPaid)[:2]
	win := cloud.Instance{ID: "i-windows", OSType: "windows", Status: cloud.StateRunning}

	// Every broken rule named, the password never.
	_, err := c.PlanResetPassword(testRegion, targets, "ab c")
	wantValidation(t, err, "password", "8-30 characters", "three of upper case", "only letters, digits")
	if strings.Contains(err.Error(), "ab c") {
		t.Errorf("the refusal repeats the password: %v", err)
	}
	_, err = c.PlanResetPassword(testRegion, append(slices.Clone(targets), win), "/Good-Pass1")
	wantValidation(t, err, "password", `begin with "/" on Windows`)
	starting := targets[0]
	starting.Status = cloud.StateStarting
	_, err = c.PlanResetPassword(testRegion, []cloud.Instance{starting}, "Good-Pass1")
	wantValidation(t, err, "instances", "Starting")

	// A good one, then the restart that applies it, as one plan.
	reset := mustPlan(t)(c.PlanResetPassword(testRegion, targets, "/Good-Pass1"))
	restart := mustPlan(t)(c.PlanApplyLogin(testRegion, targets))
	plan := cloud.ChainPlans(reset, restart)
	if plan.Parts() != 3 || plan.Op.Action != "ModifyInstanceAttribute+RebootInstances" || plan.Op.DryRun {
		t.Fatalf("chained plan: %d parts, %+v", plan.Parts(), plan.Op)
	}
	if v := c.Precheck(opsCtx(t), plan); v.Supported {
		t.Errorf("precheck of a plan with a part without DryRun: %+v", v)
	}
	res := mustExecute(t, c, plan)
	if len(res.Items) != 2 || !res.Items[0].OK() || res.Items[0].Current != "Stopping" {
		t.Fatalf("reboot items %+v", res.Items)
	}
	if err := c.WaitInstances(opsCtx(t), testRegion, ids(targets), cloud.StateRunning, nil); err != nil {
		t.Fatal(err)
	}

	// The API's own refusal: the instance started Starting after the plan
	// was made.
	late := mustPlan(t)(c.PlanResetPassword(testRegion, targets[:1], "Later-Pass2"))
	mustExecute(t, c, mustPlan(t)(c.PlanRebootInstances(testRegion, ids(targets[:1]), false)))
	if err := c.WaitInstances(opsCtx(t), testRegion, ids(targets[:1]), cloud.StateStarting, nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.Execute(opsCtx(t), late)
	wantAPICode(t, err, "IncorrectInstanceStatus")
	if strings.Contains(err.Error(), "Later-Pass2") {
		t.Errorf("the error repeats the password: %v", err)
	}

	// A stopped instance is started.
	stopped := instancesWhere(t, c, 1, func(in cloud.Instance) bool { return in.Status == cloud.StateStopped })[:1]
	p := mustPlan(t)(c.PlanApplyLogin(testRegion, stopped))
	if p.Op.Action != "StartInstances" {
		t.Errorf("restart of a stopped instance: %s", p.Op.Action)
	}
}

func TestKeyPairOps(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)

	_, _, err := c.PlanCreateKeyPair(testRegion, "9-bad")
	wantValidation(t, err, "key pair name", "letter")
	plan, key, err := c.PlanCreateKeyPair(testRegion, "release-2026")
	if err != nil {
		t.Fatal(err)
	}
	if !key.Empty() {
		t.Fatal("a key before the plan ran")
	}
	res := mustExecute(t, c, plan)
	if len(res.IDs) != 2 || res.IDs[0] != "release-2026" || len(strings.Split(res.IDs[1], ":")) != 20 {
		t.Fatalf("result %+v", res)
	}
	block, _ := pem.Decode(key.PEM())
	if block == nil {
		t.Fatal("no PEM private key")
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
		t.Fatal(err)
	}
	for _, shown := range []string{fmt.Sprint(key), fmt.Sprintf("%v %+v %#v %s %q", key, key, key, key, key), mustJSON(t, struct{ K *cloud.PrivateKey }{key})} {
		if strings.Contains(shown, "PRIVATE") || strings.Contains(shown, "MII") {
			t.Errorf("the key shows: %s", shown)
		}
	}
	file := filepath.Join(t.TempDir(), "release-2026.pem")
	if err := key.WriteFile(file); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, st.Mode())
	}
	if err := key.WriteFile(file); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("overwrite: %v", err)
	}
	if b, _ := os.ReadFile(file); !bytes.Equal(b, key.PEM()) {
		t.Error("the file is not the key")
	}
	key.Wipe()
	if !key.Empty() || key.PEM() != nil {
		t.Error("wiped key still there")
	}
	_, _, err = c.CreateKeyPair(ctx, testRegion, "release-2026")
	wantAPICode(t, err, "KeyPair.AlreadyExist")
	kp, key2, err := c.CreateKeyPair(ctx, testRegion, "release-2027")
	if err != nil || key2.Empty() || kp.Fingerprint == "" {
		t.Fatalf("CreateKeyPair: %v %+v", err, kp)
	}

	// Import: refused locally when malformed; accepted when well formed.
	_, err = c.PlanImportKeyPair(testRegion, "laptop", "ssh-ed25519 AAAA")
	wantValidation(t, err, "public key")
	_, err = c.PlanImportKeyPair(testRegion, "laptop", string(key2.PEM()))
	wantValidation(t, err, "public key", "private key")
	res = mustExecute(t, c, mustPlan(t)(c.PlanImportKeyPair(testRegion, "laptop", ed25519Line(t)+"\n")))
	if len(res.IDs) != 2 || len(strings.Split(res.IDs[1], ":")) != 16 {
		t.Fatalf("import result %+v", res)
	}

	// Bind: Windows refused locally; two Linux instances, one result each.
	win := cloud.Instance{ID: "i-win", OSType: "windows", Status: cloud.StateRunning}
	linux := instancesWhere(t, c, 2, runningPostPaid)[:2]
	_, err = c.PlanAttachKeyPair(testRegion, "laptop", append(slices.Clone(linux), win))
	wantValidation(t, err, "instances", "Windows", "i-win")
	res = mustExecute(t, c, mustPlan(t)(c.PlanAttachKeyPair(testRegion, "laptop", linux)))
	if len(res.Items) != 2 || !res.Items[0].OK() || !res.Items[1].OK() || res.Items[1].ID != linux[1].ID {
		t.Fatalf("attach items %+v", res.Items)
	}
	if got := instanceByID(t, c, linux[0].ID).KeyPairName; got != "laptop" {
		t.Errorf("bound key pair %q", got)
	}
	_, err = c.Execute(ctx, mustPlan(t)(c.PlanAttachKeyPair(testRegion, "nothere", linux)))
	wantAPICode(t, err, "InvalidKeyPairName.NotFound")
	mustExecute(t, c, mustPlan(t)(c.PlanDetachKeyPair(testRegion, "laptop", linux[1:])))
	if got := instanceByID(t, c, linux[1].ID).KeyPairName; got != "" {
		t.Errorf("detached, still %q", got)
	}

	// Delete (destructive), several in one call.
	del := mustPlan(t)(c.PlanDeleteKeyPairs(testRegion, []string{"laptop", "release-2026", "release-2027"}))
	if !del.Op.Destructive {
		t.Error("DeleteKeyPairs not destructive")
	}
	mustExecute(t, c, del)
	left, err := c.KeyPairs(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range left {
		if k.Name == "laptop" || strings.HasPrefix(k.Name, "release-") {
			t.Errorf("%s not deleted", k.Name)
		}
	}
	_, err = c.PlanDeleteKeyPairs(testRegion, []string{"a1", "a1"})
	wantValidation(t, err, "key pairs", "twice")
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSecurityGroupOps(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]

	res := mustExecute(t, c, mustPlan(t)(c.PlanCreateSecurityGroup(testRegion, in.VpcID, "app-tier", "Application servers", "")))
	if len(res.IDs) != 1 || !strings.HasPrefix(res.IDs[0], "sg-") {
		t.Fatalf("create result %+v", res)
	}
	sg := res.IDs[0]
	_, err := c.PlanCreateSecurityGroup(testRegion, in.VpcID, "http://x", "", "")
	wantValidation(t, err, "security group name")
	_, err = c.Execute(ctx, mustPlan(t)(c.PlanCreateSecurityGroup(testRegion, "vpc-nothere", "", "", "")))
	wantAPICode(t, err, "InvalidVpcId.NotFound")

	// Rules: refused locally with the rule named, then added.
	for _, tc := range []struct {
		spec  cloud.RuleSpec
		field string
	}{
		{cloud.RuleSpec{Direction: "in", Protocol: "TCP", PortRange: "22/22", CIDR: "10.0.0.0/8"}, "direction"},
		{cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "SCTP", PortRange: "22/22", CIDR: "10.0.0.0/8"}, "protocol"},
		{cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "TCP", PortRange: "-1/-1", CIDR: "10.0.0.0/8"}, "port range"},
		{cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "ICMP", PortRange: "1/65535", CIDR: "10.0.0.0/8"}, "port range"},
		{cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "TCP", PortRange: "22/22", CIDR: "10.0.0.300/8"}, "source CIDR"},
		{cloud.RuleSpec{Direction: cloud.Egress, Protocol: "TCP", PortRange: "22/22"}, "destination"},
		{cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "TCP", PortRange: "22/22", CIDR: "10.0.0.0/8", Priority: 101}, "priority"},
		{cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "TCP", PortRange: "22/22", CIDR: "10.0.0.0/8", Policy: "reject"}, "policy"},
	} {
		_, err := c.PlanAddRule(testRegion, sg, tc.spec)
		wantValidation(t, err, tc.field)
	}
	add := func(spec cloud.RuleSpec) {
		t.Helper()
		mustExecute(t, c, mustPlan(t)(c.PlanAddRule(testRegion, sg, spec)))
	}
	add(cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "tcp", PortRange: "8080/8090", CIDR: "10.0.0.0/8", Priority: 20, Description: "app"})
	add(cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "TCP", PortRange: "22/22", CIDR: "2001:db8::/32", Policy: "drop", Priority: 20})
	add(cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "ICMP", CIDR: "192.0.2.1"})
	add(cloud.RuleSpec{Direction: cloud.Egress, Protocol: "ALL", CIDR: "0.0.0.0/0"})
	rules, err := c.SecurityGroupRules(ctx, testRegion, sg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 4 {
		t.Fatalf("rules %+v", rules)
	}
	var app, out cloud.SecurityGroupRule
	for _, r := range rules {
		switch {
		case r.PortRange == "8080/8090":
			app = r
		case r.Direction == cloud.Egress:
			out = r
		}
	}
	if app.GroupID != sg || app.Priority != 20 || app.Protocol != "TCP" {
		t.Fatalf("app rule %+v", app)
	}

	// Edit description and priority; an egress rule through its own API.
	mustExecute(t, c, mustPlan(t)(c.PlanModifyRule(testRegion, app, "app servers", 30)))
	_, err = c.PlanModifyRule(testRegion, app, "x", 0)
	wantValidation(t, err, "priority")
	egress := mustPlan(t)(c.PlanModifyRule(testRegion, out, "all out", 50))
	if egress.Op.Action != "ModifySecurityGroupEgressRule" {
		t.Errorf("egress edit through %s", egress.Op.Action)
	}
	mustExecute(t, c, egress)
	rules, _ = c.SecurityGroupRules(ctx, testRegion, sg)
	for _, r := range rules {
		if r.ID == app.ID && (r.Priority != 30 || r.Description != "app servers") || r.ID == out.ID && (r.Priority != 50 || r.Description != "all out") {
			t.Errorf("edited rule %+v", r)
		}
	}

	// Membership: join, the effective rules, leave; an instance keeps one.
	mustExecute(t, c, mustPlan(t)(c.PlanJoinGroup(testRegion, in, sg)))
	in = instanceByID(t, c, in.ID)
	if !slices.Contains(in.SecurityGroupIDs, sg) {
		t.Fatalf("not joined: %v", in.SecurityGroupIDs)
	}
	_, err = c.PlanJoinGroup(testRegion, in, sg)
	wantValidation(t, err, "security group", "already")
	eff, err := c.EffectiveIngress(ctx, testRegion, in)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(eff); i++ {
		if eff[i-1].Priority > eff[i].Priority {
			t.Fatalf("not highest priority first: %+v", eff)
		}
	}
	fromNew, fromOld := 0, 0
	for _, r := range eff {
		if r.Direction != cloud.Ingress {
			t.Errorf("egress rule in the effective ingress: %+v", r)
		}
		if r.GroupID == sg {
			fromNew++
		} else {
			fromOld++
		}
	}
	if fromNew != 3 || fromOld == 0 || eff[len(eff)-1].Priority < 30 {
		t.Errorf("effective ingress: %d from the new group, %d from the others: %+v", fromNew, fromOld, eff)
	}
	drop := slices.IndexFunc(eff, func(r cloud.SecurityGroupRule) bool { return r.Policy == cloud.Drop && r.Priority == 20 })
	if drop < 0 || drop > slices.IndexFunc(eff, func(r cloud.SecurityGroupRule) bool { return r.Priority == 30 }) {
		t.Errorf("drop at 20 not before accept at 30: %+v", eff)
	}
	for _, g := range in.SecurityGroupIDs[:len(in.SecurityGroupIDs)-1] {
		mustExecute(t, c, mustPlan(t)(c.PlanLeaveGroup(testRegion, in, g)))
	}
	in = instanceByID(t, c, in.ID)
	_, err = c.PlanLeaveGroup(testRegion, in, sg)
	wantValidation(t, err, "security group", "at least one")
	if got := cloud.InstancesInGroup([]cloud.Instance{in}, sg); len(got) != 1 {
		t.Errorf("InstancesInGroup %v", got)
	}

	// Revoke (destructive): the ingress ones and the egress one, by id.
	rules, _ = c.SecurityGroupRules(ctx, testRegion, sg)
	rv := mustPlan(t)(c.PlanRevokeRules(testRegion, rules))
	if !rv.Op.Destructive || rv.Parts() != 2 || !strings.Contains(rv.CLI(), "RevokeSecurityGroupEgress") {
		t.Fatalf("revoke plan: %d parts\n%s", rv.Parts(), rv.CLI())
	}
	mustExecute(t, c, rv)
	if left, _ := c.SecurityGroupRules(ctx, testRegion, sg); len(left) != 0 {
		t.Errorf("left %+v", left)
	}
	_, err = c.Execute(ctx, mustPlan(t)(c.PlanRevokeRules(testRegion, rules[:1])))
	wantAPICode(t, err, "InvalidSecurityGroupRuleId.NotFound")

	// The group is in use: it cannot be deleted until the instance moves.
	_, err = c.Execute(ctx, mustPlan(t)(c.PlanDeleteSecurityGroup(testRegion, sg)))
	wantAPICode(t, err, "DependencyViolation")
}

func TestAuditPorts(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	findings, err := c.AuditPorts(ctx, cloud.AllRegions, nil)
	if err != nil {
		t.Fatal(err)
	}
	byPort := map[int]cloud.Finding{}
	for i, f := range findings {
		if f.SourceCidrIp != "0.0.0.0/0" && f.SourceCidrIp != "::/0" {
			t.Errorf("finding not open to the world: %+v", f)
		}
		if i > 0 && len(findings[i-1].Instances) < len(f.Instances) {
			t.Errorf("not sorted by exposure at %d", i)
		}
		for _, p := range f.Ports {
			if _, ok := byPort[p]; !ok {
				byPort[p] = f
			}
		}
		if slices.Contains(f.Ports, 23) || slices.Contains(f.Ports, 80) {
			t.Errorf("telnet is dropped and 80 is not risky: %+v", f)
		}
	}
	ssh, rdp, redisSeed := byPort[22], byPort[3389], byPort[6379]
	if ssh.SecurityGroupRuleID == "" || rdp.SecurityGroupRuleID == "" || redisSeed.SecurityGroupRuleID == "" || rdp.RegionID != "cn-shanghai" || len(ssh.Instances) == 0 {
		t.Fatalf("seeded 22, 3389 and 6379 not all found: %+v", findings)
	}

	// Open Redis on a cache's group (a no-op if it is the seeded open one)
	// and a wide UDP range: the audit sees both, in the JSON shape of
	// `ecsdash audit`.
	db := instancesWhere(t, c, 1, func(in cloud.Instance) bool {
		return in.Status == cloud.StateRunning && strings.HasPrefix(in.Name, "cache")
	})[0]
	mustExecute(t, c, mustPlan(t)(c.PlanAddRule(testRegion, db.SecurityGroupIDs[0], cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "TCP", PortRange: "6379/6379", CIDR: "0.0.0.0/0"})))
	mustExecute(t, c, mustPlan(t)(c.PlanAddRule(testRegion, db.SecurityGroupIDs[0], cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "UDP", PortRange: "10000/20000", CIDR: "::/0"})))
	findings, err = c.AuditPorts(ctx, testRegion, nil)
	if err != nil {
		t.Fatal(err)
	}
	var redis, wide *cloud.Finding
	for i := range findings {
		switch f := &findings[i]; {
		case slices.Equal(f.Ports, []int{6379}) && f.SecurityGroupID == db.SecurityGroupIDs[0]:
			redis = f
		case f.PortRange == "10000/20000":
			wide = f
		}
	}
	if redis == nil || !slices.Contains(redis.Instances, db.ID) || wide == nil || !wide.WholeRange() || len(wide.Ports) != 1 || wide.Ports[0] != 11211 {
		t.Fatalf("redis %+v wide %+v", redis, wide)
	}
	var report struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(mustJSON(t, map[string]any{"findings": findings})), &report); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"RegionId", "SecurityGroupId", "SecurityGroupRuleId", "IpProtocol", "PortRange", "SourceCidrIp", "Ports", "Instances"} {
		if _, ok := report.Findings[0][k]; !ok || len(report.Findings[0]) != 8 {
			t.Errorf("JSON finding %v lacks %s (or has more)", report.Findings[0], k)
		}
	}

	// Narrow the SSH finding: add the narrow rule, then revoke the wide one.
	_, err = c.PlanNarrowRule(testRegion, ssh, "0.0.0.0/0")
	wantValidation(t, err, "CIDR", "whole internet")
	_, err = c.PlanNarrowRule(testRegion, ssh, "198.51.100.0/33")
	wantValidation(t, err, "CIDR")
	narrow := mustPlan(t)(c.PlanNarrowRule(testRegion, ssh, "198.51.100.7"))
	cli := strings.Split(narrow.CLI(), "\n")
	if narrow.Parts() != 2 || len(cli) != 2 || !strings.Contains(cli[0], "AuthorizeSecurityGroup") || !strings.Contains(cli[1], "RevokeSecurityGroup") {
		t.Fatalf("narrow plan:\n%s", narrow.CLI())
	}
	mustExecute(t, c, narrow)
	after, err := c.AuditPorts(ctx, testRegion, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range after {
		if f.SecurityGroupRuleID == ssh.SecurityGroupRuleID {
			t.Errorf("the narrowed finding is still there: %+v", f)
		}
	}
	rules, err := c.SecurityGroupRules(ctx, testRegion, ssh.SecurityGroupID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rules, func(r cloud.SecurityGroupRule) bool {
		return r.PortRange == "22/22" && r.SourceCIDR == "198.51.100.7" && r.Policy == cloud.Accept
	}) {
		t.Errorf("the narrow rule is missing: %+v", rules)
	}
}

// TestSecuritySecretsNeverLeak: a distinctive password and a created
// private key appear in no audit line, CLI line, debug log record or
// error.
func TestSecuritySecretsNeverLeak(t *testing.T) {
	const secret = "Zq8-Leak-Canary-77"
	_, url := start(t, emulator.Options{TransitionDelay: 200 * time.Millisecond})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	var logs logBuffer
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog, cfg.Logger = audit, debugLogger(&logs) })
	ctx := opsCtx(t)
	targets := instancesWhere(t, c, 1, runningPostPaid)[:1]

	var texts []string
	reset := mustPlan(t)(c.PlanResetPassword(testRegion, targets, secret))
	texts = append(texts, reset.CLI(), fmt.Sprint(reset.Op.SafeParams()))
	mustExecute(t, c, reset)
	ghost := targets[0]
	ghost.ID = "i-nothere"
	bad := mustPlan(t)(c.PlanResetPassword(testRegion, []cloud.Instance{ghost}, secret))
	_, err := c.Execute(ctx, bad)
	wantAPICode(t, err, "InvalidInstanceId.NotFound")
	texts = append(texts, err.Error(), bad.CLI())
	_, err = c.PlanResetPassword(testRegion, targets, secret+" ")
	texts = append(texts, err.Error())
	c.SetReadOnly(true)
	_, err = c.Execute(ctx, reset)
	texts = append(texts, err.Error())
	c.SetReadOnly(false)

	plan, key, err := c.PlanCreateKeyPair(testRegion, "leak-test")
	if err != nil {
		t.Fatal(err)
	}
	res := mustExecute(t, c, plan)
	texts = append(texts, plan.CLI(), fmt.Sprintf("%+v %v", res, key))
	private := key.PEM()
	body := strings.Join(strings.Split(string(private), "\n")[1:3], "")
	if len(body) < 64 {
		t.Fatalf("private key body %d bytes", len(body))
	}
	raw, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, string(raw), logs.String())
	for _, s := range texts {
		if strings.Contains(s, secret) {
			t.Errorf("the password leaked: %s", s)
		}
		if strings.Contains(s, body[:40]) || strings.Contains(s, "PRIVATE KEY") {
			t.Errorf("the private key leaked: %s", s)
		}
	}
	entries := readAudit(t, audit)
	if len(entries) != 4 || entries[3].Params["Password"] != "<redacted>" || entries[1].Result != cloud.AuditRefused || entries[0].Action != "CreateKeyPair" { // newest first
		t.Errorf("audit log:\n%s", raw)
	}
}

func TestPrintedPlanHidesThePassword(t *testing.T) {
	op := cloud.Operation{Action: "ModifyInstanceAttribute", Params: map[string]string{"Password": "Xy9!distinct-pw", "InstanceId": "i-1"}, Secret: []string{"Password"}}
	p := &cloud.Plan{Op: op}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, p); strings.Contains(out, "distinct-pw") {
			t.Errorf("%s printed the password: %s", verb, out)
		}
		if out := fmt.Sprintf(verb, *p); strings.Contains(out, "distinct-pw") {
			t.Errorf("%s of the value printed the password: %s", verb, out)
		}
	}
}
