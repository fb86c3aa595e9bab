package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/views"
)

// newRestoreShell is newLiveShell with the emulator itself, so a test can
// make one step of an operation fail.
func newRestoreShell(t *testing.T) (*Model, *cloud.Client, *emulator.Server) {
	t.Helper()
	return newCountedShell(t, 200*time.Millisecond, time.Hour)
}

// TestTypeChangeThatCannotRestoreMarksTheInstance: the modify fails and so
// does the start after it: the notice, the activity entry and the row say,
// in the warning colour, that the operation left the instance Stopped.
func TestTypeChangeThatCannotRestoreMarksTheInstance(t *testing.T) {
	m, check, srv := newRestoreShell(t)
	web := instanceNamed(t, check, "web-01")
	types, err := check.ResizableTypes(context.Background(), "cn-hangzhou", web.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(types, func(rt cloud.ResizableType) bool { return rt.Available() })
	if i < 0 || web.Status != cloud.StateRunning {
		t.Fatalf("web-01 %s, types %+v", web.Status, types)
	}
	tm := start(t, m, 160, 40)
	tm.Type("/web-01")
	tm.Send(press("enter"))
	tm.Type(":spec " + types[i].ID)
	tm.Send(press("enter"))
	waitUntil(t, tm, "the typed confirmation", func(m *Model) bool { return m.confirm != nil && m.confirm.req.Typed == web.ID })
	srv.FailNext("ModifyInstanceSpec", "OperationDenied.NoStock", 403, 1)
	srv.FailNext("StartInstances", "OperationDenied.NoStock", 403, 1)
	tm.Type(web.ID)
	tm.Send(press("enter"))
	waitUntilFor(t, tm, 30*time.Second, "the failure's notice", func(m *Model) bool { return strings.HasPrefix(m.notice, "✗ change type") })
	waitUntilFor(t, tm, 10*time.Second, "the row marked", func(m *Model) bool {
		return strings.Contains(m.render(), m.opts.Theme.Warn.Render("Stopped!"))
	})
	var notice, list, entry string
	waitUntil(t, tm, "the activity entry", func(m *Model) bool {
		notice = m.notice
		m.openActivity()
		list = m.renderActivity(160, 20)
		m.actOpen = true
		entry = m.renderActivity(160, 30)
		m.mode, m.actOpen = modeNormal, false
		return true
	})
	finish(t, tm)
	if !strings.Contains(notice, web.ID+" was left Stopped by this operation") || !strings.Contains(notice, "RequestId") {
		t.Errorf("notice %q", notice)
	}
	if !strings.Contains(list, m.opts.Theme.Warn.Render("left Stopped: "+web.ID)) {
		t.Errorf("the activity entry does not say it left %s Stopped:\n%s", web.ID, list)
	}
	warnOn, _, _ := strings.Cut(m.opts.Theme.Warn.Render("x"), "x")
	left := ""
	for _, l := range strings.Split(entry, "\n") {
		if strings.Contains(ansi.Strip(l), "Left") {
			left = l
		}
	}
	if !strings.Contains(ansi.Strip(left), web.ID+" was left Stopped by this operation") || !strings.Contains(left, warnOn) {
		t.Errorf("the entry's Left line %q does not say it in the warning colour:\n%s", left, ansi.Strip(entry))
	}
	mustHave := []string{"Done", "stop " + web.ID, "Failed at", "change type to " + types[i].ID, "OperationDenied.NoStock", "ModifyInstanceSpec"}
	for _, w := range mustHave {
		if !strings.Contains(ansi.Strip(entry), w) {
			t.Errorf("the entry lacks %q:\n%s", w, ansi.Strip(entry))
		}
	}
	if got := instanceNamed(t, check, "web-01").Status; got != cloud.StateStopped {
		t.Errorf("web-01 is %s", got)
	}
}

// TestUnconfirmedIsNotReportedAsFailed: an operation whose last read did
// not arrive says "?" (could not confirm), not "✗".
func TestUnconfirmedIsNotReportedAsFailed(t *testing.T) {
	m := newTestShell(t)
	m.record(views.Report{Action: "start i-x", Unconfirmed: true,
		Err: errors.New("start i-x: could not confirm: the last read did not arrive (Throttling.User)")})
	if !strings.HasPrefix(m.notice, "? start i-x: could not confirm") {
		t.Errorf("notice %q", m.notice)
	}
	m.openActivity()
	if list := ansi.Strip(m.renderActivity(120, 10)); !strings.Contains(list, "? start i-x: start i-x: could not confirm") {
		t.Errorf("activity:\n%s", list)
	}
	m.actOpen = true
	if entry := ansi.Strip(m.renderActivity(120, 20)); !strings.Contains(entry, "could not confirm: the last read did not arrive") || strings.Contains(entry, "failed") {
		t.Errorf("entry:\n%s", entry)
	}
}
