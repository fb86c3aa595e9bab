package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestNarrowAnOpenPortThroughTheUI: the audit-ports view lists the seeded
// open Redis; :narrow CIDR adds the narrow rule and revokes the wide one,
// and the finding is gone.
func TestNarrowAnOpenPortThroughTheUI(t *testing.T) {
	m, check := newLiveShell(t)
	tm := start(t, m, 120, 40)
	tm.Type(":audit-ports")
	tm.Send(press("enter"))
	waitUntil(t, tm, "findings", func(m *Model) bool { return loaded("audit-ports")(m) && m.current().Status().Total >= 2 })
	waitUntil(t, tm, "the open Redis", screenHas("6379"))
	tm.Type("/6379")
	tm.Send(press("enter"))
	tm.Type(":narrow 203.0.113.7/32")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntilFor(t, tm, 20*time.Second, "narrowed", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓") })
	finish(t, tm)
	findings, err := check.AuditPorts(context.Background(), "cn-hangzhou", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		for _, p := range f.Ports {
			if p == 6379 {
				t.Fatalf("6379 is still open to the world: %+v", f)
			}
		}
	}
}

// TestResetPasswordThroughTheUI: a weak password is refused naming the
// rules, with nothing sent; a good one is set and the instance restarted;
// the password is on no screen after entry.
func TestResetPasswordThroughTheUI(t *testing.T) {
	const good = "Zq7!unseen-Passw0rd"
	m, check := newLiveShell(t)
	tm := start(t, m, 120, 40)
	tm.Type("/web-01")
	tm.Send(press("enter"))
	tm.Send(press("P"))
	waitUntil(t, tm, "the password form", func(m *Model) bool { return m.current().Capturing() })
	tm.Type("short")
	tm.Send(press("tab"))
	tm.Type("short")
	tm.Send(press("ctrl+s"))
	waitUntil(t, tm, "the refusal", screenHas("8-30 characters"))
	for range 5 {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	tm.Type(good)
	tm.Send(press("tab")) // to "again"
	for range 5 {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	tm.Type(good)
	tm.Send(press("ctrl+s"))
	waitUntil(t, tm, "no password on screen", func(m *Model) bool { return !strings.Contains(screen(m), good) })
	waitUntilFor(t, tm, 20*time.Second, "the confirmation or the result", func(m *Model) bool {
		return m.confirm != nil || strings.HasPrefix(m.notice, "✓")
	})
	waitUntil(t, tm, "the confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntilFor(t, tm, 20*time.Second, "the password set", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓") })
	tm.Type(":activity")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the activity list", func(m *Model) bool { return m.mode == modeActivity })
	m = finish(t, tm)
	for name, text := range map[string]string{"screen": screen(m), "notice": m.notice} {
		if strings.Contains(text, good) {
			t.Fatalf("the password is in the %s", name)
		}
	}
	if got := instanceNamed(t, check, "web-01").Status; got != cloud.StateRunning {
		t.Fatalf("web-01 is %s after the restart", got)
	}
}
