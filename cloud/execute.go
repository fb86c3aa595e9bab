package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// safety is a Client's mutation guard: read-only mode and its arming, the
// audit log, and the retry and wait policies.
type safety struct {
	profile string
	audit   *auditLog
	retry   retryPolicy
	wait    waitPolicy

	mu         sync.Mutex
	readOnly   bool
	armedUntil time.Time
}

// newSafety reads the guard's settings from cfg; New calls it.
func newSafety(cfg Config) *safety {
	s := &safety{profile: cfg.Profile, retry: defaultRetryPolicy, wait: defaultWaitPolicy, readOnly: cfg.ReadOnly}
	if cfg.AuditLog != "" {
		s.audit = &auditLog{path: cfg.AuditLog}
	}
	return s
}

func (c *Client) retryPolicy() retryPolicy {
	if c.safe == nil {
		return defaultRetryPolicy
	}
	return c.safe.retry
}

func (c *Client) waitPolicy() waitPolicy {
	if c.safe == nil {
		return defaultWaitPolicy
	}
	return c.safe.wait
}

// ReadOnly reports whether the session is in read-only mode (--read-only,
// or a production profile). An armed client may still write: see
// CanWrite and ArmedUntil.
func (c *Client) ReadOnly() bool {
	if c.safe == nil {
		return false
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	return c.safe.readOnly
}

// SetReadOnly turns read-only mode on or off.
func (c *Client) SetReadOnly(on bool) {
	if c.safe == nil {
		return
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	c.safe.readOnly = on
}

// Arm allows writes until the given time even in read-only mode (like
// sudo, for production profiles). A time not in the future disarms.
func (c *Client) Arm(until time.Time) {
	if c.safe == nil {
		return
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	c.safe.armedUntil = until
}

// ArmedUntil is when the current arming ends; zero when the client is not
// armed (never, or no longer).
func (c *Client) ArmedUntil() time.Time {
	if c.safe == nil {
		return time.Time{}
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	if !time.Now().Before(c.safe.armedUntil) {
		return time.Time{}
	}
	return c.safe.armedUntil
}

// CanWrite reports whether Execute would send a mutation now: not
// read-only, or armed.
func (c *Client) CanWrite() bool {
	if c.safe == nil {
		return true
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	return !c.safe.readOnly || time.Now().Before(c.safe.armedUntil)
}

// Precheck asks the API whether the plan would succeed (DryRun=true),
// where the API supports it; it changes nothing, so it is allowed in
// read-only mode, and it is not audited. The DryRun is sent without the
// plan's ClientToken so it can never use the token up. Transient failures
// are retried as for a read.
func (c *Client) Precheck(ctx context.Context, p *Plan) Verdict {
	if p == nil || !p.Op.DryRun {
		return Verdict{}
	}
	if p.batch {
		var last Verdict
		for _, part := range p.parts {
			if last = c.Precheck(ctx, part); !last.OK {
				return last
			}
		}
		return last
	}
	if p.call == nil {
		return Verdict{Supported: true, Code: "InvalidPlan", Message: "the plan has no call"}
	}
	var res Result
	_, err := c.retrying(ctx, p.Op.Action, p.Op.Region, callRead, func(api *sdkClients) (string, error) {
		r, err := p.call(api, true, "")
		res = r
		return r.RequestID, err
	})
	v := Verdict{Supported: true}
	var apiErr *APIError
	switch {
	case err == nil:
		// The API did not treat it as a DryRun: nothing to verify, but the
		// call was accepted.
		v.OK, v.RequestID, v.Message = true, res.RequestID, "accepted without DryRunOperation"
	case IsCode(err, "DryRunOperation"):
		errors.As(err, &apiErr)
		v.OK, v.Code, v.Message, v.RequestID = true, apiErr.Code, apiErr.Message, apiErr.RequestID
	case errors.As(err, &apiErr):
		v.Code, v.Message, v.RequestID = apiErr.Code, redact(apiErr.Message, p.Op), apiErr.RequestID
	default:
		v.Code, v.Message = "Canceled", err.Error()
	}
	return v
}

// Execute is THE path every mutation takes. In order:
//   - the read-only guard: in read-only mode, unless armed, it refuses
//     with ErrReadOnly before any network call (and audits "refused");
//   - the audit log is opened (no log, no change);
//   - the call, with the plan's ClientToken for a Create operation;
//   - retries (back-off with jitter, bounded) only when safe: a Create
//     with its token, or an Idempotent operation; any other write is sent
//     once;
//   - one audit line (ok or error, Code, RequestId, ClientToken, attempts)
//     and one debug record, never with a secret.
//
// A batched plan (more ids than one call takes) runs its calls one after
// another, each audited; the first failure stops the rest.
func (c *Client) Execute(ctx context.Context, p *Plan) (Result, error) {
	switch {
	case p == nil || (p.call == nil && !p.batch):
		return Result{}, errors.New("cloud: Execute: not a plan made by a Plan method")
	case p.batch && len(p.parts) == 0:
		return Result{}, nil // nothing to do (no ids)
	}
	if !c.CanWrite() {
		af, err := c.audit().open()
		if err == nil {
			err = af.write(c.auditEntry(p, AuditRefused, "ReadOnly", ErrReadOnly.Error(), 0))
		}
		if err != nil {
			c.log.LogAttrs(ctx, slog.LevelWarn, "audit log", slog.String("error", err.Error()))
		}
		c.logMutation(ctx, p, AuditRefused, "ReadOnly", "", 0)
		return Result{}, fmt.Errorf("%s: %w", p.Op.Action, ErrReadOnly)
	}
	if !p.batch {
		return c.executeOne(ctx, p)
	}
	var all Result
	for i, part := range p.parts {
		res, err := c.executeOne(ctx, part)
		all.RequestID = res.RequestID
		all.IDs = append(all.IDs, res.IDs...)
		all.Items = append(all.Items, res.Items...)
		if err != nil {
			return all, fmt.Errorf("%s batch %d of %d: %w", p.Op.Action, i+1, len(p.parts), err)
		}
	}
	return all, nil
}

// executeOne sends one plan's call (guard already passed).
func (c *Client) executeOne(ctx context.Context, p *Plan) (Result, error) {
	af, err := c.audit().open()
	if err != nil {
		return Result{}, fmt.Errorf("%s: nothing was changed: %w", p.Op.Action, err)
	}
	if p.Op.Create && p.ClientToken == "" {
		p.ClientToken = newClientToken()
	}
	token := ""
	if p.Op.Create {
		token = p.ClientToken
	}
	kind := callOnce
	if p.Op.Create || p.Op.Idempotent {
		kind = callSafeWrite
	}
	var got Result
	attempts, err := c.retrying(ctx, p.Op.Action, p.Op.Region, kind, func(api *sdkClients) (string, error) {
		r, err := p.call(api, false, token)
		got = r
		return r.RequestID, err
	})
	var res Result
	result, code, msg, requestID := AuditOK, "", "", ""
	if err == nil {
		res, requestID = got, got.RequestID
	} else {
		// got is not read: an abandoned attempt may still write it.
		result = AuditError
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			cp := *apiErr
			cp.Message = redact(cp.Message, p.Op)
			code, msg, requestID = cp.Code, cp.Message, cp.RequestID
			if err == error(apiErr) {
				err = &cp
			}
		} else {
			code = "Canceled"
			msg = "no answer before the request was cancelled: the change may or may not have been made"
		}
	}
	e := c.auditEntry(p, result, code, msg, attempts)
	e.RequestID, e.IDs = requestID, res.IDs
	if werr := af.write(e); werr != nil {
		c.log.LogAttrs(ctx, slog.LevelWarn, "audit log", slog.String("error", werr.Error()))
		if err == nil {
			err = fmt.Errorf("%s succeeded (RequestId %s) but was not audited: %w", p.Op.Action, requestID, werr)
		}
	}
	c.logMutation(ctx, p, result, code, requestID, attempts)
	return res, err
}

func (c *Client) audit() *auditLog {
	if c.safe == nil {
		return nil
	}
	return c.safe.audit
}

// auditEntry is the line for p, secrets removed.
func (c *Client) auditEntry(p *Plan, result, code, msg string, attempts int) AuditEntry {
	profile := ""
	if c.safe != nil {
		profile = c.safe.profile
	}
	return AuditEntry{
		Time:        time.Now().UTC(),
		Profile:     profile,
		Region:      p.Op.Region,
		Action:      p.Op.Action,
		Resources:   append([]string(nil), p.Op.Resources...),
		Params:      p.Op.SafeParams(),
		Result:      result,
		Code:        code,
		Message:     msg,
		ClientToken: p.ClientToken,
		Attempts:    attempts,
	}
}

// logMutation writes the debug record of one Execute: ids and outcome,
// never parameters.
func (c *Client) logMutation(ctx context.Context, p *Plan, result, code, requestID string, attempts int) {
	c.log.LogAttrs(ctx, slog.LevelDebug, "mutation",
		slog.String("action", p.Op.Action),
		slog.String("region", p.Op.Region),
		slog.String("resources", strings.Join(p.Op.Resources, ",")),
		slog.String("result", result),
		slog.String("code", code),
		slog.String("request_id", requestID),
		slog.String("client_token", p.ClientToken),
		slog.Int("attempts", attempts),
	)
}

// redact replaces the values of op's secret parameters in s.
func redact(s string, op Operation) string {
	for _, name := range op.Secret {
		if v := op.Params[name]; v != "" {
			s = strings.ReplaceAll(s, v, redactedValue)
		}
	}
	return s
}
