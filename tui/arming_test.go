package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// newGuardedShell is a shell on a live emulator whose transitions take
// delay, read-only as a production profile opens (noArm false) or as
// --read-only makes it (noArm true), auditing to a temp file. It returns a
// second, writable client to check the account with.
func newGuardedShell(t *testing.T, delay time.Duration, noArm bool) (*Model, *cloud.Client, string) {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 1, TransitionDelay: delay})
	url := serveEmulator(t, srv)
	audit := t.TempDir() + "/audit.jsonl"
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou", ReadOnly: true, NoArm: noArm, AuditLog: audit, Profile: "prod"})
	check := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou"})
	m := New(Options{Client: client, Region: "cn-hangzhou", Profile: "prod", Production: !noArm, ReadOnly: true,
		AuditLog: audit, Refresh: time.Hour, Theme: theme.New(true), Now: time.Now})
	return m, check, audit
}

// TestArmWindowClosingMidOperationDoesNotStrandIt: a type change (stop,
// change, start) confirmed under :arm 1s whose stop alone takes longer
// than the window runs to its end: the instance is Running on the new
// type, nothing was refused, and the audit lines of the steps after the
// window say they ran on as part of the confirmed operation.
func TestArmWindowClosingMidOperationDoesNotStrandIt(t *testing.T) {
	m, check, audit := newGuardedShell(t, 1500*time.Millisecond, false)
	web := instanceNamed(t, check, "web-01")
	types, err := check.ResizableTypes(context.Background(), "cn-hangzhou", web.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(types, func(rt cloud.ResizableType) bool { return rt.Available() })
	if i < 0 || web.Status != cloud.StateRunning {
		t.Fatalf("web-01 %s, types %+v", web.Status, types)
	}
	to := types[i].ID
	tm := start(t, m, 160, 40)
	tm.Type("/web-01")
	tm.Send(press("enter"))
	tm.Type(":arm 1s")
	tm.Send(press("enter"))
	tm.Type(":spec " + to)
	tm.Send(press("enter"))
	waitUntil(t, tm, "the typed confirmation", func(m *Model) bool { return m.confirm != nil && m.confirm.req.Typed == web.ID })
	tm.Type(web.ID)
	tm.Send(press("enter"))
	waitUntilFor(t, tm, 40*time.Second, "the type change's end", func(m *Model) bool {
		return strings.HasPrefix(m.notice, "✓ change type") || strings.HasPrefix(m.notice, "✗")
	})
	m = finish(t, tm)
	if !strings.HasPrefix(m.notice, "✓ change type") {
		t.Fatalf("the type change did not run to its end: %q", m.notice)
	}
	if m.opts.Client.CanWrite() {
		t.Fatal("the arm window did not close during the operation: the test proves nothing")
	}
	after := instanceNamed(t, check, "web-01")
	if after.Status != cloud.StateRunning || after.Type != to {
		t.Fatalf("web-01 is %s on %s, want Running on %s", after.Status, after.Type, to)
	}
	entries, err := cloud.ReadAudit(audit, 0)
	if err != nil {
		t.Fatal(err)
	}
	ranOn := 0
	for _, e := range entries {
		if e.Result != cloud.AuditOK {
			t.Errorf("audit line %s %s: %s %s", e.Action, e.Result, e.Code, e.Message)
		}
		if strings.Contains(e.Armed, "arming ended") {
			ranOn++
		}
	}
	if start := lastAction(entries, "StartInstances"); !strings.Contains(start.Armed, "confirmed while armed") || ranOn == 0 {
		t.Errorf("the start's audit line does not say it ran on after the arming ended: %+v", start)
	}
}

// lastAction is the newest audit entry of action.
func lastAction(entries []cloud.AuditEntry, action string) cloud.AuditEntry {
	for _, e := range entries {
		if e.Action == action {
			return e
		}
	}
	return cloud.AuditEntry{}
}

// TestArmCannotLiftReadOnlyFlag: under --read-only, :arm says it cannot
// lift it, the header stays READ-ONLY and a change is refused — and the
// refusal is in the audit log.
func TestArmCannotLiftReadOnlyFlag(t *testing.T) {
	m, _, audit := newGuardedShell(t, 200*time.Millisecond, true)
	tm := start(t, m, 120, 40)
	waitUntil(t, tm, "READ-ONLY badge", screenHas("READ-ONLY"))
	tm.Type(":arm 10m")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the refusal to arm", func(m *Model) bool {
		return m.noticeErr && strings.Contains(m.notice, "--read-only") && strings.Contains(m.notice, "cannot lift")
	})
	tm.Type("/web-01")
	tm.Send(press("enter"))
	tm.Type(":start")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the refused start", func(m *Model) bool { return strings.Contains(m.notice, "read-only") })
	m = finish(t, tm)
	if m.opts.Client.CanWrite() || strings.Contains(screen(m), "ARMED") {
		t.Fatal(":arm lifted --read-only")
	}
	entries, err := cloud.ReadAudit(audit, 0)
	if err != nil || len(entries) != 1 || entries[0].Result != cloud.AuditRefused || entries[0].Action != "StartInstances" {
		t.Fatalf("audit %v %+v: want the refused start", err, entries)
	}
}

// TestRefusedAttemptsAreAudited: an action refused at once in a read-only
// (production) session, before any confirmation, is one "refused" line.
func TestRefusedAttemptsAreAudited(t *testing.T) {
	m, srv, audit := newReadOnlyShell(t)
	tm := start(t, m, 120, 40)
	tm.Type(":alarms")
	tm.Send(press("enter"))
	waitUntil(t, tm, "alarms", loaded("alarms"))
	tm.Send(press("E"))
	waitUntil(t, tm, "the refusal", func(m *Model) bool { return strings.Contains(m.notice, "read-only") })
	finish(t, tm)
	if n := srv.Stats().Calls["DisableMetricRules"] + srv.Stats().Calls["EnableMetricRules"]; n != 0 {
		t.Fatalf("a read-only session sent %d changes", n)
	}
	entries, err := cloud.ReadAudit(audit, 0)
	if err != nil || len(entries) != 1 || entries[0].Result != cloud.AuditRefused || entries[0].Profile != "prod" ||
		!strings.HasSuffix(entries[0].Action, "MetricRules") || len(entries[0].Resources) == 0 {
		t.Fatalf("audit %v %+v: want one refused line", err, entries)
	}
}

// TestLostStopAnswerIsReportedDone: the emulator applies a stop and drops
// its answer; the screen says the stop is done and the audit line agrees
// (ok, confirmed by read-back).
func TestLostStopAnswerIsReportedDone(t *testing.T) {
	srv := emulator.New(emulator.Options{Seed: 1, TransitionDelay: 200 * time.Millisecond})
	url := serveEmulator(t, srv)
	audit := t.TempDir() + "/audit.jsonl"
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou", AuditLog: audit})
	m := New(Options{Client: client, Region: "cn-hangzhou", Demo: true, AuditLog: audit, Refresh: time.Hour, Theme: theme.New(true), Now: time.Now})
	web := instanceNamed(t, client, "web-01")
	tm := start(t, m, 120, 40)
	tm.Type("/web-01")
	tm.Send(press("enter"))
	tm.Type(":stop normal keep")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the typed confirmation, prechecked", func(m *Model) bool {
		return m.confirm != nil && m.confirm.req.Typed == web.ID && m.confirm.verdict != nil
	})
	prechecks := srv.Stats().Calls["StopInstances"]
	srv.DropAnswerNext("StopInstances", 1)
	tm.Type(web.ID)
	tm.Send(press("enter"))
	waitUntilFor(t, tm, 20*time.Second, "the stop's end", func(m *Model) bool {
		return strings.HasPrefix(m.notice, "✓ stop") || strings.HasPrefix(m.notice, "✗") || strings.HasPrefix(m.notice, "?")
	})
	m = finish(t, tm)
	if !strings.HasPrefix(m.notice, "✓ stop") {
		t.Fatalf("a stop whose answer was lost is reported as %q", m.notice)
	}
	if got := instanceNamed(t, client, "web-01").Status; got != cloud.StateStopped {
		t.Fatalf("web-01 is %s", got)
	}
	e := lastAction(mustAudit(t, audit), "StopInstances")
	if e.Result != cloud.AuditOK || !strings.Contains(e.Message, "confirmed by read-back") {
		t.Errorf("the audit line disagrees with the screen: %+v", e)
	}
	if n := srv.Stats().Calls["StopInstances"] - prechecks; n != 1 {
		t.Errorf("StopInstances sent %d times, want once", n)
	}
}

func mustAudit(t *testing.T, path string) []cloud.AuditEntry {
	t.Helper()
	entries, err := cloud.ReadAudit(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}
