package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views"
)

// What is on screen is current (issue 11): an open detail pane follows its
// list, and an action's progress updates the rows it touched from what its
// poll read instead of re-reading every list.

// newCountedShell is a live shell (transient states last delay) with the
// emulator itself, whose counters say what the UI asked, and a second
// client to act behind the UI's back. refresh is the timer's period.
func newCountedShell(t *testing.T, delay, refresh time.Duration) (*Model, *cloud.Client, *emulator.Server) {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 1, TransitionDelay: delay})
	url := serveEmulator(t, srv)
	mk := func() *cloud.Client {
		c := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou", AuditLog: t.TempDir() + "/audit.jsonl"})
		return c
	}
	m := New(Options{Client: mk(), Region: "cn-hangzhou", Demo: true, Refresh: refresh, Theme: theme.New(true), Now: time.Now})
	return m, mk(), srv
}

// confirmOpen answers the open confirmation: the typed word when it asks
// for one, else y.
func confirmOpen(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	typed := ""
	waitUntil(t, tm, "the confirmation", func(m *Model) bool {
		if m.confirm == nil {
			return false
		}
		typed = m.confirm.req.Typed
		return true
	})
	if typed == "" {
		tm.Send(press("y"))
		return
	}
	tm.Type(typed)
	tm.Send(press("enter"))
}

// detailStatus matches the Status field of an instance's detail pane.
func detailStatus(states string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^ Status\s+(` + states + `)\s*$`)
}

// openInstanceDetail filters the instances to name and opens its detail.
func openInstanceDetail(t *testing.T, tm *teatest.TestModel, name string) {
	t.Helper()
	tm.Type("/" + name)
	tm.Send(press("enter"))
	tm.Send(press("enter"))
	waitUntil(t, tm, "the detail of "+name, func(m *Model) bool {
		return detailLoaded(m) && detailStatus("Running").MatchString(screen(m))
	})
}

// TestDetailFollowsARebootWithoutAKey: the detail pane of an instance being
// rebooted shows it going down and says Running once the reboot finished,
// with no key pressed after the confirmation.
func TestDetailFollowsARebootWithoutAKey(t *testing.T) {
	m, _, _ := newCountedShell(t, 2*time.Second, time.Hour)
	tm := start(t, m, 120, 40)
	openInstanceDetail(t, tm, "web-01")
	tm.Type(":reboot")
	tm.Send(press("enter"))
	confirmOpen(t, tm)
	waitUntilFor(t, tm, 20*time.Second, "the detail saying the instance is going down", func(m *Model) bool {
		return m.current().InDetail() && detailStatus("Stopping|Starting").MatchString(screen(m))
	})
	waitUntilFor(t, tm, 30*time.Second, "the reboot's report", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ reboot") })
	waitUntil(t, tm, "the detail saying Running", func(m *Model) bool {
		return m.current().InDetail() && detailStatus("Running").MatchString(screen(m))
	})
	finish(t, tm)
}

// TestDetailFollowsTheTimer: an instance stopped behind the UI's back
// shows as Stopped in its open detail pane at the next timer refresh.
func TestDetailFollowsTheTimer(t *testing.T) {
	m, check, _ := newCountedShell(t, 200*time.Millisecond, 500*time.Millisecond)
	tm := start(t, m, 120, 40)
	openInstanceDetail(t, tm, "web-01")
	web := instanceNamed(t, check, "web-01")
	stop, err := check.PlanStopInstances("cn-hangzhou", []string{web.ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := check.Execute(context.Background(), stop); err != nil {
		t.Fatal(err)
	}
	waitUntilFor(t, tm, 20*time.Second, "the detail saying Stopped", func(m *Model) bool {
		return m.current().InDetail() && detailStatus("Stopped").MatchString(screen(m))
	})
	finish(t, tm)
}

// TestStopProgressDoesNotReloadTheLists: while a stop runs, its polls
// update the instance's row from what they read; the lists (instances,
// and the patch states, disks and snapshots behind their columns) are read
// once, by the reload after the action, instead of at every step.
func TestStopProgressDoesNotReloadTheLists(t *testing.T) {
	m, check, srv := newCountedShell(t, 2*time.Second, time.Hour)
	tm := start(t, m, 120, 40)
	web := instanceNamed(t, check, "web-01")
	tm.Type("/web-01")
	tm.Send(press("enter"))
	before := srv.Stats().Calls
	tm.Type(":stop normal keep")
	tm.Send(press("enter"))
	confirmOpen(t, tm)
	waitUntilFor(t, tm, 20*time.Second, "the row saying Stopping before the action ends", func(m *Model) bool {
		return strings.Contains(screen(m), web.ID) && regexp.MustCompile(web.ID+`\s+web-01\s+Stopping`).MatchString(screen(m))
	})
	stoppedAtReport := false
	waitUntilFor(t, tm, 30*time.Second, "the stop's report", func(m *Model) bool {
		if !strings.HasPrefix(m.notice, "✓ stop") {
			return false
		}
		stoppedAtReport = regexp.MustCompile(web.ID + `\s+web-01\s+Stopped`).MatchString(screen(m))
		return true
	})
	waitUntil(t, tm, "the reload after the stop", func(m *Model) bool { return !m.current().Status().Busy })
	finish(t, tm)
	if !stoppedAtReport {
		t.Error("the row did not say Stopped when the stop was reported")
	}
	after := srv.Stats().Calls
	polls := 0
	for action, n := range after {
		d := n - before[action]
		switch action {
		case "StopInstances":
			if d != 2 { // the DryRun precheck and the stop
				t.Errorf("StopInstances called %d times, want 2", d)
			}
		case "DescribeInstances":
			polls = d - 1 // every poll, and the one reload
		default:
			if d > 1 {
				t.Errorf("%s called %d times during the stop, want at most 1 (the reload after it)", action, d)
			}
		}
	}
	if polls < 2 {
		t.Errorf("%d DescribeInstances besides the reload: the test did not see the stop's polls", polls)
	}
}

// TestCreatedSnapshotTakesTheCursor: after :snapshot in a disk's snapshots
// view, the reload shows the new snapshot with the cursor on it, wherever
// the cursor was.
func TestCreatedSnapshotTakesTheCursor(t *testing.T) {
	m, check, _ := newCountedShell(t, 200*time.Millisecond, time.Hour)
	web := instanceNamed(t, check, "web-01")
	disks, err := check.Disks(context.Background(), "cn-hangzhou", cloud.DiskFilter{InstanceID: web.ID})
	if err != nil || len(disks) == 0 {
		t.Fatal(err)
	}
	tm := start(t, m, 120, 40)
	tm.Type(":snapshots " + disks[0].ID)
	tm.Send(press("enter"))
	waitUntil(t, tm, "the disk's snapshots", func(m *Model) bool { return loaded("snapshots")(m) && m.current().Status().Total > 1 })
	tm.Send(press("G")) // the cursor on the oldest
	tm.Type(":snapshot cursor-here")
	tm.Send(press("enter"))
	confirmOpen(t, tm)
	waitUntilFor(t, tm, 30*time.Second, "the snapshot done", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓") })
	waitUntil(t, tm, "the cursor on the new snapshot", func(m *Model) bool {
		l, ok := m.current().(*views.List[cloud.Snapshot])
		if !ok || l.Status().Busy {
			return false
		}
		s, ok := l.Selected()
		return ok && s.Name == "cursor-here"
	})
	finish(t, tm)
}
