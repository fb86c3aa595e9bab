package cloud_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// lostEnv is an emulator with short transitions and a client that audits
// to a file and retries fast: the read-back tests.
func lostEnv(t *testing.T) (*emulator.Server, *cloud.Client, string) {
	t.Helper()
	srv, url := start(t, emulator.Options{TransitionDelay: 200 * time.Millisecond})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog = audit })
	cloud.SetRetryPolicyForTest(c, time.Millisecond, 5*time.Millisecond, 2*time.Second)
	cloud.SetWaitPolicyForTest(c, 50*time.Millisecond, 200*time.Millisecond)
	return srv, c, audit
}

// lastAudit is the newest audit line for action.
func lastAudit(t *testing.T, path, action string) cloud.AuditEntry {
	t.Helper()
	for _, e := range readAudit(t, path) {
		if e.Action == action {
			return e
		}
	}
	t.Fatalf("no audit line for %s", action)
	return cloud.AuditEntry{}
}

// A stop whose answer is lost (the emulator applies it and closes the
// connection) is reported as done: every item succeeded, confirmed by
// reading the instance back, not retried, and the audit line says ok.
func TestLostStopAnswerIsConfirmedByReadBack(t *testing.T) {
	srv, c, audit := lostEnv(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]
	p, err := c.PlanStopInstances(testRegion, []string{in.ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	srv.DropAnswerNext("StopInstances", 1)
	res, err := c.Execute(opsCtx(t), p)
	if err != nil {
		t.Fatalf("a stop whose answer was lost is reported as failed: %v", err)
	}
	if len(res.Items) != 1 || !res.Items[0].OK() || res.Failed() != nil {
		t.Fatalf("items %+v, want the stop confirmed", res.Items)
	}
	if !strings.Contains(res.ReadBack, "confirmed by read-back") || !strings.Contains(res.ReadBack, in.ID) {
		t.Errorf("Result.ReadBack %q", res.ReadBack)
	}
	if n := srv.Stats().Calls["StopInstances"]; n != 1 {
		t.Errorf("StopInstances sent %d times, want once (the read-back saw it applied)", n)
	}
	e := lastAudit(t, audit, "StopInstances")
	if e.Result != cloud.AuditOK || !strings.Contains(e.Message, "confirmed by read-back") || !strings.Contains(e.Message, "SDK.") {
		t.Errorf("audit %+v, want ok confirmed by read-back naming the lost answer", e)
	}
	if err := c.WaitInstances(opsCtx(t), testRegion, []string{in.ID}, cloud.StateStopped, nil); err != nil {
		t.Fatal(err)
	}
}

// A start likewise.
func TestLostStartAnswerIsConfirmedByReadBack(t *testing.T) {
	srv, c, audit := lostEnv(t)
	in := instancesWhere(t, c, 1, func(in cloud.Instance) bool {
		return in.Status == cloud.StateStopped && in.ChargeType == "PostPaid"
	})[0]
	p, err := c.PlanStartInstances(testRegion, []string{in.ID})
	if err != nil {
		t.Fatal(err)
	}
	srv.DropAnswerNext("StartInstances", 1)
	res, err := c.Execute(opsCtx(t), p)
	if err != nil || len(res.Items) != 1 || !res.Items[0].OK() {
		t.Fatalf("lost start: %+v, %v; want it confirmed", res.Items, err)
	}
	if e := lastAudit(t, audit, "StartInstances"); e.Result != cloud.AuditOK || !strings.Contains(e.Message, "confirmed by read-back") {
		t.Errorf("audit %+v", e)
	}
}

// A reboot is sent once: its lost answer is judged by one read-back after
// the call (the instance is Stopping: applied).
func TestLostRebootAnswerIsConfirmedByReadBack(t *testing.T) {
	srv, c, audit := lostEnv(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]
	p, err := c.PlanRebootInstances(testRegion, []string{in.ID}, false)
	if err != nil {
		t.Fatal(err)
	}
	srv.DropAnswerNext("RebootInstances", 1)
	res, err := c.Execute(opsCtx(t), p)
	if err != nil || len(res.Items) != 1 || !res.Items[0].OK() {
		t.Fatalf("lost reboot: %+v, %v; want it confirmed", res.Items, err)
	}
	if n := srv.Stats().Calls["RebootInstances"]; n != 1 {
		t.Errorf("RebootInstances sent %d times, want once", n)
	}
	if e := lastAudit(t, audit, "RebootInstances"); e.Result != cloud.AuditOK {
		t.Errorf("audit %+v", e)
	}
}

// A lost answer whose read-back fails too is "outcome unknown" — a
// distinct error, never a failure — and the audit line says unknown.
func TestLostAnswerAndFailedReadBackIsOutcomeUnknown(t *testing.T) {
	for _, action := range []string{"StopInstances", "RebootInstances"} {
		t.Run(action, func(t *testing.T) {
			srv, c, audit := lostEnv(t)
			in := instancesWhere(t, c, 1, runningPostPaid)[0]
			var p *cloud.Plan
			var err error
			if action == "StopInstances" {
				p, err = c.PlanStopInstances(testRegion, []string{in.ID}, false, "")
			} else {
				p, err = c.PlanRebootInstances(testRegion, []string{in.ID}, false)
			}
			if err != nil {
				t.Fatal(err)
			}
			srv.DropAnswerNext(action, 1)
			srv.FailNext("DescribeInstanceStatus", "ServiceUnavailable", 503, 1000)
			_, err = c.Execute(opsCtx(t), p)
			var unknown *cloud.OutcomeUnknownError
			if !errors.Is(err, cloud.ErrOutcomeUnknown) || !errors.As(err, &unknown) {
				t.Fatalf("err = %v, want outcome unknown", err)
			}
			if !strings.Contains(err.Error(), "could not confirm") || strings.Contains(err.Error(), "failed:") {
				t.Errorf("message %q", err)
			}
			e := lastAudit(t, audit, action)
			if e.Result != cloud.AuditUnknown || !strings.Contains(e.Message, "could not confirm") {
				t.Errorf("audit %+v, want unknown", e)
			}
		})
	}
}

// A write refused with a 5xx every time is read back: not applied, it is
// reported as the failure it is (and the audit line says what was read).
func TestFailedWriteReadBackNotApplied(t *testing.T) {
	srv, c, audit := lostEnv(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]
	p, err := c.PlanStopInstances(testRegion, []string{in.ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext("StopInstances", "InternalError", 500, 1000)
	_, err = c.Execute(opsCtx(t), p)
	if !cloud.IsCode(err, "InternalError") || errors.Is(err, cloud.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want the InternalError (read back: not applied)", err)
	}
	if e := lastAudit(t, audit, "StopInstances"); e.Result != cloud.AuditError || !strings.Contains(e.Message, "not applied") || !strings.Contains(e.Message, "Running") {
		t.Errorf("audit %+v", e)
	}
}

// A type change whose answer is lost is confirmed by the instance's type.
func TestLostModifyInstanceSpecAnswerIsConfirmed(t *testing.T) {
	srv, c, audit := lostEnv(t)
	ctx := opsCtx(t)
	in := instancesWhere(t, c, 1, func(in cloud.Instance) bool {
		return in.Status == cloud.StateStopped && in.ChargeType == "PostPaid"
	})[0]
	types, err := c.ResizableTypes(ctx, testRegion, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var to string
	for _, ty := range types {
		if ty.Available() {
			to = ty.ID
			break
		}
	}
	if to == "" {
		t.Fatal("no type to change to")
	}
	p, err := c.PlanModifyInstanceSpec(testRegion, in.ID, to)
	if err != nil {
		t.Fatal(err)
	}
	srv.DropAnswerNext("ModifyInstanceSpec", 1)
	if _, err := c.Execute(ctx, p); err != nil {
		t.Fatalf("lost type change: %v", err)
	}
	if n := srv.Stats().Calls["ModifyInstanceSpec"]; n != 1 {
		t.Errorf("ModifyInstanceSpec sent %d times, want once", n)
	}
	if e := lastAudit(t, audit, "ModifyInstanceSpec"); e.Result != cloud.AuditOK || !strings.Contains(e.Message, "type "+to) {
		t.Errorf("audit %+v", e)
	}
}

// A batch stop whose first answer was lost while the read-back failed, and
// whose retry was answered IncorrectInstanceStatus for the instance the
// lost attempt had stopped, goes through the read-back again: once the
// read works, the item is confirmed, not failed.
func TestRetryRefusedAfterLostAnswerIsReadBack(t *testing.T) {
	srv, c, _ := lostEnv(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]
	p, err := c.PlanStopInstances(testRegion, []string{in.ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	srv.DropAnswerNext("StopInstances", 1)
	// The read-back before the retry fails (a refusal: not retried).
	srv.FailNext("DescribeInstanceStatus", "Forbidden.RAM", 403, 1)
	res, err := c.Execute(context.Background(), p)
	if err != nil || len(res.Items) != 1 || !res.Items[0].OK() {
		t.Fatalf("items %+v, err %v: want the refused retry confirmed by read-back", res.Items, err)
	}
	if !strings.Contains(res.Items[0].Message, "the retry found it Stopping") {
		t.Errorf("item %+v, want it confirmed after the refused retry", res.Items[0])
	}
	if n := srv.Stats().Calls["StopInstances"]; n != 2 {
		t.Errorf("StopInstances sent %d times, want 2 (the retry)", n)
	}
}
