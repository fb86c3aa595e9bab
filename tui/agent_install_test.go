package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// TestInstallAgentThroughTheUI: in the metrics view, A on an instance
// without the CloudMonitor agent asks, installs it as a tracked flow (the
// activity list and the audit log show it like any change) and the row's
// "no agent" clears when the install ends: seconds, well within the
// metrics period (60 s), not at the sampler's next scheduled agent read.
func TestInstallAgentThroughTheUI(t *testing.T) {
	srv := emulator.New(emulator.Options{Seed: 1, TransitionDelay: 200 * time.Millisecond})
	url := serveEmulator(t, srv)
	audit := t.TempDir() + "/audit.jsonl"
	client := emulatorClient(t, url, cloud.Config{Region: "cn-shanghai", AuditLog: audit})
	check := emulatorClient(t, url, cloud.Config{Region: "cn-shanghai"})
	m := New(Options{Client: client, Region: "cn-shanghai", Demo: true, Refresh: time.Hour, Theme: theme.New(true), Now: time.Now, AuditLog: audit})
	list, err := check.Instances(context.Background(), "cn-shanghai")
	if err != nil {
		t.Fatal(err)
	}
	agents, err := check.AgentStatuses(context.Background(), "cn-shanghai", idsOf(list))
	if err != nil {
		t.Fatal(err)
	}
	var bare cloud.Instance
	for _, in := range list {
		if in.Status == cloud.StateRunning && agents[in.ID].Status == "not_installed" {
			bare = in
			break
		}
	}
	if bare.ID == "" {
		t.Fatal("no running instance without the agent in cn-shanghai of the seeded fleet")
	}
	rowOf := func(m *Model) string {
		for _, l := range strings.Split(ansi.Strip(m.render()), "\n") {
			if strings.Contains(l, bare.Name) {
				return l
			}
		}
		return ""
	}

	tm := start(t, m, 120, 40)
	tm.Type(":metrics")
	tm.Send(press("enter"))
	waitUntil(t, tm, "metrics", func(m *Model) bool { return loaded("metrics")(m) && metricsArrived(m) })
	tm.Type("/" + bare.ID)
	tm.Send(press("enter"))
	waitUntil(t, tm, "no agent on the row", func(m *Model) bool { return strings.Contains(rowOf(m), "no agent") })
	tm.Send(press("A"))
	waitUntil(t, tm, "the confirmation", func(m *Model) bool {
		return m.confirm != nil && strings.Contains(m.confirm.req.Title, "Install the CloudMonitor agent")
	})
	tm.Send(press("y"))
	began := time.Now()
	waitUntilFor(t, tm, 20*time.Second, "installed", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ install monitoring agent") })
	waitUntil(t, tm, "no agent cleared", func(m *Model) bool {
		row := rowOf(m)
		return row != "" && !strings.Contains(row, "no agent")
	})
	if d := time.Since(began); d >= time.Minute {
		t.Errorf("no agent cleared after %v, more than a metrics period", d)
	}
	m = finish(t, tm)
	if len(m.activity) == 0 || !strings.Contains(m.activity[len(m.activity)-1].action, "install monitoring agent") {
		t.Errorf("the activity list does not show the install: %+v", m.activity)
	}
	entries, err := cloud.ReadAudit(audit, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || (e.Action == "InstallMonitoringAgent" && e.Result == cloud.AuditOK && strings.Contains(strings.Join(e.Resources, ","), bare.ID))
	}
	if !found {
		t.Errorf("no audited InstallMonitoringAgent for %s: %+v", bare.ID, entries)
	}
}

func idsOf(list []cloud.Instance) []string {
	ids := make([]string, len(list))
	for i, in := range list {
		ids[i] = in.ID
	}
	return ids
}
