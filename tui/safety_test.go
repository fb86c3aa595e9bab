package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// newReadOnlyShell is a shell on a read-only (production) session with an
// audit log in a temp dir.
func newReadOnlyShell(t *testing.T) (*Model, *emulator.Server, string) {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock})
	url := serveEmulator(t, srv)
	audit := t.TempDir() + "/audit.jsonl"
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou", ReadOnly: true, AuditLog: audit, Profile: "prod"})
	m := New(Options{Client: client, Region: "cn-hangzhou", Profile: "prod", Production: true, ReadOnly: true,
		AuditLog: audit, Refresh: time.Hour, Theme: theme.New(true), Now: clock})
	return m, srv, audit
}

func TestReadOnlySessionRefusesUntilArmed(t *testing.T) {
	m, srv, audit := newReadOnlyShell(t)
	tm := start(t, m, 120, 40)
	waitUntil(t, tm, "READ-ONLY badge", screenHas("READ-ONLY"))
	waitUntil(t, tm, "production name", screenHas("prod (production)"))
	tm.Type(":alarms")
	tm.Send(press("enter"))
	waitUntil(t, tm, "alarms", loaded("alarms"))
	tm.Send(press("E")) // disable: refused at once, nothing sent
	waitUntil(t, tm, "the refusal", func(m *Model) bool { return strings.Contains(m.notice, "read-only") })
	if n := srv.Stats().Calls["DisableMetricRules"]; n != 0 {
		t.Fatalf("a read-only session sent DisableMetricRules %d times", n)
	}
	tm.Type(":arm 10m")
	tm.Send(press("enter"))
	waitUntil(t, tm, "ARMED badge", screenHas("ARMED"))
	tm.Send(press("E"))
	waitUntil(t, tm, "the confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntil(t, tm, "disabled", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ disable") })
	if n := srv.Stats().Calls["DisableMetricRules"]; n != 1 {
		t.Fatalf("armed session sent DisableMetricRules %d times, want 1", n)
	}
	tm.Type(":audit")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the audit view", func(m *Model) bool { return loaded("audit")(m) && m.current().Status().Total >= 1 })
	m = finish(t, tm)
	out := screen(m)
	if !strings.Contains(out, "DisableMetricRules") || !strings.Contains(out, "ok") {
		t.Fatalf("audit view:\n%s", out)
	}
	entries, err := cloud.ReadAudit(audit, 10)
	if err != nil || len(entries) == 0 || entries[0].Profile != "prod" {
		t.Fatalf("audit log %v %+v", err, entries)
	}
}

func TestArmRefusesBadDurations(t *testing.T) {
	m, _, _ := newReadOnlyShell(t)
	for _, arg := range []string{"forever", "-5m", "24h"} {
		m.runCommand("arm " + arg)
		if !m.noticeErr || !strings.Contains(m.notice, "duration") {
			t.Errorf(":arm %s: notice %q", arg, m.notice)
		}
	}
	m.runCommand("arm 1m")
	if !m.opts.Client.CanWrite() {
		t.Fatal(":arm 1m did not allow writes")
	}
	m.runCommand("arm off")
	if m.opts.Client.CanWrite() {
		t.Fatal(":arm off left the session writable")
	}
}

// TestProfileSwitch: :profile NAME reconnects through Options.Connect; the
// views forget the old account's rows, a production profile opens
// read-only with its name in the warning colour, and a bad name says so.
func TestProfileSwitch(t *testing.T) {
	other := emulator.New(emulator.Options{Seed: 9, Now: clock})
	url, stop, err := other.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	m := newTestShell(t)
	m.opts.Connect = func(name string) (*cloud.Client, string, bool, error) {
		if name != "prod" {
			return nil, "", false, fmt.Errorf("unknown profile %q (known: default, prod)", name)
		}
		c, err := cloud.New(cloud.Config{Endpoint: url, Region: "cn-shanghai", ReadOnly: true, Profile: "prod",
			Credentials: cloud.Credentials{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret}})
		return c, "cn-shanghai", true, err
	}
	tm := start(t, m, 120, 40)
	tm.Type(":profile nope")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the refusal", func(m *Model) bool { return strings.Contains(m.notice, "unknown profile") })
	tm.Type(":profile prod")
	tm.Send(press("enter"))
	waitUntil(t, tm, "prod loaded", func(m *Model) bool {
		return m.opts.Profile == "prod" && m.opts.Region == "cn-shanghai" && loaded("instances")(m) && m.current().Status().Total > 0
	})
	waitUntil(t, tm, "the production badge", screenHas("prod (production)"))
	waitUntil(t, tm, "READ-ONLY", screenHas("READ-ONLY"))
	m = finish(t, tm)
	if !strings.Contains(screen(m), "i-uf6") {
		t.Fatalf("the new profile's region is not shown:\n%s", screen(m))
	}
}
