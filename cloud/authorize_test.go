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

// An Authorization taken while armed lets the operation's calls through
// after the arming ended, and their audit lines say so; without it the
// same call is refused (and audited as refused).
func TestAuthorizationOutlivesTheArming(t *testing.T) {
	_, url := start(t, emulator.Options{TransitionDelay: 200 * time.Millisecond})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.ReadOnly, cfg.AuditLog, cfg.Profile = true, audit, "prod" })
	ins := instancesWhere(t, c, 2, runningPostPaid)
	ctx := context.Background()

	if a := c.Authorize(); a.OK() {
		t.Fatal("a read-only session not armed was authorized")
	}
	if err := c.Arm(time.Now().Add(300 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	auth := c.Authorize()
	if !auth.OK() {
		t.Fatal("an armed session was not authorized")
	}
	time.Sleep(400 * time.Millisecond) // the arming ends
	if c.CanWrite() {
		t.Fatal("still armed")
	}

	p, err := c.PlanStopInstances(testRegion, []string{ins[0].ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(cloud.WithAuthorization(ctx, auth), p); err != nil {
		t.Fatalf("a call of an operation confirmed while armed was refused: %v", err)
	}
	e := lastAudit(t, audit, "StopInstances")
	if e.Result != cloud.AuditOK || !strings.Contains(e.Armed, "confirmed while armed") || !strings.Contains(e.Armed, "arming ended") {
		t.Errorf("audit %+v: want ok, saying the arming ended", e)
	}

	// Without the authorization (another operation) it is refused.
	p2, err := c.PlanStopInstances(testRegion, []string{ins[1].ID}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Execute(ctx, p2); !errors.Is(err, cloud.ErrReadOnly) {
		t.Fatalf("without the authorization: %v", err)
	}
	// Nor does another client's authorization open this one.
	other := newClient(t, url, nil)
	if _, err := c.Execute(cloud.WithAuthorization(ctx, other.Authorize()), p2); !errors.Is(err, cloud.ErrReadOnly) {
		t.Fatalf("with another client's authorization: %v", err)
	}
	if e := readAudit(t, audit)[0]; e.Result != cloud.AuditRefused || e.Action != "StopInstances" {
		t.Errorf("newest audit line %+v, want the refusal", e)
	}
}

// --read-only (NoArm) cannot be armed; Refuse audits a refusal made
// before any Execute.
func TestReadOnlyFlagCannotBeArmed(t *testing.T) {
	srv, url := start(t, emulator.Options{})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.NoArm, cfg.AuditLog = true, audit })
	if !c.ReadOnly() || c.Armable() {
		t.Fatalf("NoArm: ReadOnly %v Armable %v", c.ReadOnly(), c.Armable())
	}
	if err := c.Arm(time.Now().Add(time.Hour)); !errors.Is(err, cloud.ErrArmLocked) {
		t.Fatalf("Arm under --read-only: %v", err)
	}
	if c.CanWrite() || c.Authorize().OK() {
		t.Fatal("--read-only was lifted")
	}
	p := c.PlanEnableAlarmRules([]string{"r-1"})
	before := srv.Stats().TotalCalls
	if err := c.Refuse(context.Background(), p); !errors.Is(err, cloud.ErrReadOnly) {
		t.Fatalf("Refuse: %v", err)
	}
	if srv.Stats().TotalCalls != before {
		t.Error("Refuse sent a call")
	}
	if e := readAudit(t, audit); len(e) != 1 || e[0].Result != cloud.AuditRefused || e[0].Action != "EnableMetricRules" || !strings.Contains(e[0].Message, "--read-only") {
		t.Errorf("audit %+v", e)
	}

	// A production profile (ReadOnly without NoArm) can be armed.
	prod := newClient(t, url, func(cfg *cloud.Config) { cfg.ReadOnly = true })
	if !prod.Armable() || prod.Arm(time.Now().Add(time.Minute)) != nil || !prod.CanWrite() {
		t.Error("a production session could not be armed")
	}
}
