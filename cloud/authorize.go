package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Arming and authorization. A production profile opens read-only; :arm
// lifts that for a while (Client.Arm). The check that matters is made when
// the user confirms an operation: Authorize, then every step of that
// operation carries the Authorization in its context, so an operation
// confirmed while armed runs to its end even if the arming ends meanwhile
// (a type change must not be stranded between its stop and its start).
// The audit line of such a step says so (AuditEntry.Armed).

// ErrArmLocked is Arm's answer in a session started with --read-only.
var ErrArmLocked = errors.New("this session was started with --read-only: :arm cannot lift it (restart without --read-only to change things)")

// Authorization is the permission to write, taken once when the user
// confirms an operation. The zero value permits nothing beyond what the
// session allows at the time of each call.
type Authorization struct {
	safe       *safety   // the guard it was taken from: it is worth nothing with another client
	armedUntil time.Time // the arming it was taken under; zero: the session was writable
	ok         bool
}

// OK reports whether the authorization permits writes.
func (a Authorization) OK() bool { return a.ok }

// Authorize takes the permission to write now (not read-only, or armed).
// Pass it to every Execute of the operation with WithAuthorization. When
// the session may not write it is the zero Authorization: each Execute
// then refuses (and audits the refusal) as it would without one.
func (c *Client) Authorize() Authorization {
	if c.safe == nil {
		return Authorization{ok: true}
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	now := time.Now()
	switch {
	case !c.safe.readOnly:
		return Authorization{safe: c.safe, ok: true}
	case now.Before(c.safe.armedUntil):
		return Authorization{safe: c.safe, armedUntil: c.safe.armedUntil, ok: true}
	}
	return Authorization{}
}

// authorizationKey carries an Authorization in a context.
type authorizationKey struct{}

// WithAuthorization returns ctx carrying a: an Execute under it writes if
// a permits it, even once the arming a was taken under has ended.
func WithAuthorization(ctx context.Context, a Authorization) context.Context {
	return context.WithValue(ctx, authorizationKey{}, a)
}

// allowed decides whether Execute may write now, and what the audit line
// says of the arming ("" when the session is simply writable).
func (c *Client) allowed(ctx context.Context) (ok bool, armed string) {
	if c.safe == nil {
		return true, ""
	}
	a, _ := ctx.Value(authorizationKey{}).(Authorization)
	c.safe.mu.Lock()
	readOnly, until := c.safe.readOnly, c.safe.armedUntil
	c.safe.mu.Unlock()
	now := time.Now()
	switch {
	case !readOnly:
		return true, ""
	case now.Before(until):
		return true, "armed until " + until.UTC().Format(time.RFC3339)
	case a.ok && a.safe == c.safe && !a.armedUntil.IsZero():
		return true, fmt.Sprintf("confirmed while armed (until %s); the arming ended before this call, which ran as part of the confirmed operation",
			a.armedUntil.UTC().Format(time.RFC3339))
	}
	return false, ""
}

// Refuse records that p was refused because the session is read-only, as
// Execute does when it refuses: one "refused" audit line (and debug
// record), nothing sent. It returns the error to show, which wraps
// ErrReadOnly. A view that refuses an action before asking for
// confirmation calls it, so every refused attempt is in the audit log.
func (c *Client) Refuse(ctx context.Context, p *Plan) error {
	if p == nil {
		return ErrReadOnly
	}
	msg := ErrReadOnly.Error()
	if c.safe != nil && c.safe.noArm {
		msg = "read-only (--read-only): this session cannot change anything"
	}
	af, err := c.audit().open()
	if err == nil {
		err = af.write(c.auditEntry(p, AuditRefused, "ReadOnly", msg, 0))
	}
	if err != nil {
		c.log.LogAttrs(ctx, slog.LevelWarn, "audit log", slog.String("error", err.Error()))
	}
	c.logMutation(ctx, p, AuditRefused, "ReadOnly", "", 0)
	return fmt.Errorf("%s: %w", p.Op.Action, ErrReadOnly)
}
