package cloud_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// execute runs a plan through the one mutation path.
func execute(ctx context.Context, c *cloud.Client, p *cloud.Plan) error {
	_, err := c.Execute(ctx, p)
	return err
}

// putAlarmRule plans and executes a rule's put.
func putAlarmRule(ctx context.Context, c *cloud.Client, spec cloud.AlarmRuleSpec) error {
	p, err := c.PlanPutAlarmRule(spec)
	if err != nil {
		return err
	}
	return execute(ctx, c, p)
}

// installAgent plans and executes an agent install.
func installAgent(ctx context.Context, c *cloud.Client, region string, ids []string) error {
	p, err := c.PlanInstallAgent(region, ids)
	if err != nil {
		return err
	}
	return execute(ctx, c, p)
}

// TestAlarmAndAgentPlans: the CloudMonitor changes are plans like every
// other mutation: batched within the API's limits, shown as aliyun CLI
// lines, flagged for the confirmation (a delete is Destructive) and the
// retry policy (enable, disable and install are idempotent), and audited
// when executed.
func TestAlarmAndAgentPlans(t *testing.T) {
	_, url := start(t, emulator.Options{Instances: 20})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog = audit })
	ctx := context.Background()

	ids := make([]string, 250)
	for i := range ids {
		ids[i] = "r-" + strings.Repeat("x", i%3) + string(rune('a'+i%26))
	}
	del := c.PlanDeleteAlarmRules(ids)
	if del.Parts() != 3 || !del.Op.Destructive || del.Op.Idempotent || len(del.Op.Resources) != 250 {
		t.Errorf("delete of 250: %d parts, destructive %v, idempotent %v, %d resources; want 3, true, false, 250",
			del.Parts(), del.Op.Destructive, del.Op.Idempotent, len(del.Op.Resources))
	}
	lines := strings.Split(del.CLI(), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "aliyun cms DeleteMetricRules --RegionId "+testRegion+" --Id.1 ") ||
		!strings.Contains(lines[0], "--Id.100 ") || strings.Contains(lines[0], "--Id.101 ") {
		t.Errorf("delete CLI:\n%s", del.CLI())
	}
	for _, p := range []*cloud.Plan{c.PlanEnableAlarmRules(ids[:1]), c.PlanDisableAlarmRules(ids[:1])} {
		if !p.Op.Idempotent || p.Op.Destructive || p.Parts() != 1 {
			t.Errorf("%s: idempotent %v, destructive %v, %d parts", p.Op.Action, p.Op.Idempotent, p.Op.Destructive, p.Parts())
		}
	}
	if got := c.PlanEnableAlarmRules(nil).Parts(); got != 0 {
		t.Errorf("enable of no rule: %d parts, want 0", got)
	}
	install, err := c.PlanInstallAgent(testRegion, []string{"i-a", "i-b", "i-a"})
	if err != nil {
		t.Fatal(err)
	}
	if !install.Op.Idempotent || install.CLI() != "aliyun cms InstallMonitoringAgent --RegionId "+testRegion+" --InstanceIds.1 i-a --InstanceIds.2 i-b" {
		t.Errorf("install: idempotent %v, CLI %q", install.Op.Idempotent, install.CLI())
	}
	if _, err := c.PlanInstallAgent(cloud.AllRegions, []string{"i-a"}); err == nil {
		t.Error("an install planned for every region")
	}

	// Executed: one audit line per call, with the rules it touched.
	rules, err := c.AlarmRules(ctx, cloud.AlarmRuleFilter{})
	if err != nil || len(rules) == 0 {
		t.Fatalf("seeded rules: %d %v", len(rules), err)
	}
	if err := execute(ctx, c, c.PlanDisableAlarmRules([]string{rules[0].ID})); err != nil {
		t.Fatal(err)
	}
	entries, err := cloud.ReadAudit(audit, 10)
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit: %+v %v", entries, err)
	}
	if e := entries[0]; e.Action != "DisableMetricRules" || e.Result != cloud.AuditOK || len(e.Resources) != 1 || e.Resources[0] != rules[0].ID {
		t.Errorf("audit entry %+v", e)
	}
}
