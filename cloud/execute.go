package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
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
	noArm      bool // --read-only: Arm cannot lift readOnly
	armedUntil time.Time
}

// newSafety reads the guard's settings from cfg; New calls it.
func newSafety(cfg Config) *safety {
	s := &safety{profile: cfg.Profile, retry: defaultRetryPolicy, wait: defaultWaitPolicy, readOnly: cfg.ReadOnly || cfg.NoArm, noArm: cfg.NoArm}
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
// sudo, for production profiles). A time not in the future disarms. A
// session started with --read-only (Config.NoArm) cannot be armed: Arm
// returns ErrArmLocked and changes nothing.
func (c *Client) Arm(until time.Time) error {
	if c.safe == nil {
		return nil
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	if c.safe.noArm && time.Now().Before(until) {
		return ErrArmLocked
	}
	c.safe.armedUntil = until
	return nil
}

// Armable reports whether Arm can lift the read-only mode: read-only
// because of a production profile, not because of --read-only.
func (c *Client) Armable() bool {
	if c.safe == nil {
		return false
	}
	c.safe.mu.Lock()
	defer c.safe.mu.Unlock()
	return c.safe.readOnly && !c.safe.noArm
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
	allowed, armed := c.allowed(ctx)
	if !allowed {
		return Result{}, c.Refuse(ctx, p)
	}
	if !p.batch {
		return c.executeOne(ctx, p, armed)
	}
	var all Result
	for i, part := range p.parts {
		res, err := c.executeOne(ctx, part, armed)
		all.RequestID = res.RequestID
		all.IDs = append(all.IDs, res.IDs...)
		all.Items = append(all.Items, res.Items...)
		if err != nil {
			return all, fmt.Errorf("%s batch %d of %d: %w", p.Op.Action, i+1, len(p.parts), err)
		}
	}
	return all, nil
}

// executeOne sends one plan's call (guard already passed). A failure that
// leaves the outcome open (Ambiguous: the answer lost) is judged by
// reading the resource back (settle), before a retry and before the
// outcome is reported and audited.
func (c *Client) executeOne(ctx context.Context, p *Plan, armed string) (Result, error) {
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
	since := time.Now()
	var lost error          // the first failure that left the outcome open
	var early *confirmation // a read-back, made before a retry, that saw it applied
	attempts, err := c.retryingWatched(ctx, p.Op.Action, p.Op.Region, kind, func(api *sdkClients) (string, error) {
		r, err := p.call(api, false, token)
		got = r
		return r.RequestID, err
	}, func(aerr error) bool {
		if !Ambiguous(aerr) {
			return true
		}
		if lost == nil {
			lost = aerr
		}
		if kind == callOnce || p.confirm == nil {
			return true // no retry follows: settle reads back once
		}
		if cf := c.readBackOf(ctx, p, since); cf.allApplied() {
			early = &cf
			return false // applied: a retry would only be refused
		}
		return true
	})
	if lost == nil && Ambiguous(err) {
		lost = err // the call's own deadline passed while it was out
	}
	out := c.settle(ctx, p, got, err, lost, early, since)
	res, err := out.res, out.err

	result, code, msg, requestID := AuditOK, "", "", res.RequestID
	var apiErr *APIError
	var unknown *OutcomeUnknownError
	switch {
	case errors.As(err, &unknown):
		result, code = AuditUnknown, "OutcomeUnknown"
		if errors.As(unknown.Lost, &apiErr) {
			code, requestID = apiErr.Code, apiErr.RequestID
		}
		msg = redact(err.Error(), p.Op)
	case err == nil:
		msg = out.note
	case errors.As(err, &apiErr):
		result = AuditError
		cp := *apiErr
		cp.Message = redact(cp.Message, p.Op)
		code, msg, requestID = cp.Code, cp.Message, cp.RequestID
		if err == error(apiErr) {
			err = &cp
		}
		if out.note != "" {
			msg += "; " + out.note
		}
	default:
		result, code = AuditError, "Canceled"
		msg = "no answer before the request was cancelled: the change may or may not have been made"
	}
	e := c.auditEntry(p, result, code, msg, attempts)
	e.RequestID, e.IDs, e.Armed = requestID, res.IDs, armed
	if werr := af.write(e); werr != nil {
		c.log.LogAttrs(ctx, slog.LevelWarn, "audit log", slog.String("error", werr.Error()))
		if err == nil {
			err = fmt.Errorf("%s succeeded (RequestId %s) but was not audited: %w", p.Op.Action, requestID, werr)
		}
	}
	c.logMutation(ctx, p, result, code, requestID, attempts)
	return res, err
}

// settled is one call's outcome once any read-back has judged it; note
// says what the read-back saw, for the audit line.
type settled struct {
	res  Result
	err  error
	note string
}

// settle decides the outcome of a call from its last answer (got, err),
// the first failure that left it open (lost) and, where there was one, a
// read-back: made before a retry (early), or now.
func (c *Client) settle(ctx context.Context, p *Plan, got Result, err, lost error, early *confirmation, since time.Time) settled {
	switch {
	case early != nil:
		return confirmedBy(p, *early, lost, requestIDOf(lost))
	case lost == nil:
		if err != nil {
			return settled{err: err} // got is not read: an abandoned attempt may still write it
		}
		return settled{res: got}
	case err == nil:
		return c.rejudgeItems(ctx, p, got, lost, since)
	}
	// The last attempt failed, after an answer was lost (the same attempt,
	// or one before whose retry was refused: a stop found Stopping).
	cf := c.readBackOf(ctx, p, since)
	switch {
	case cf.allApplied():
		return confirmedBy(p, cf, lost, requestIDOf(err))
	case cf.noneApplied():
		return settled{err: err, note: "read back: not applied (" + cf.describe() + ")"}
	case p.items && cf.anyApplied():
		return partlyApplied(p, cf, lost)
	}
	rbErr := cf.err
	if rbErr == nil && p.confirm != nil {
		rbErr = fmt.Errorf("the state cannot tell: %s", cf.describe())
	}
	return settled{err: &OutcomeUnknownError{Action: p.Op.Action, Resources: slices.Clone(p.Op.Resources), Lost: lost, ReadBack: rbErr}}
}

// confirmedBy is the success a read-back saw: for a per-resource call,
// every resource's item says so.
func confirmedBy(p *Plan, cf confirmation, lost error, requestID string) settled {
	note := fmt.Sprintf("answer lost (%s); confirmed by read-back: %s", codeOf(lost), cf.describe())
	res := Result{RequestID: requestID, ReadBack: note}
	if p.items {
		for _, id := range p.Op.Resources {
			s := cf.seen[id]
			res.Items = append(res.Items, ItemResult{ID: id, Code: "200", Message: "confirmed by read-back", Current: s.seen})
		}
	}
	return settled{res: res, note: note}
}

// partlyApplied is a per-resource call the read-back saw applied to some
// resources only: each item says what was seen.
func partlyApplied(p *Plan, cf confirmation, lost error) settled {
	note := fmt.Sprintf("answer lost (%s); read back: %s", codeOf(lost), cf.describe())
	res := Result{ReadBack: note}
	for _, id := range p.Op.Resources {
		s := cf.seen[id]
		it := ItemResult{ID: id, Code: "200", Message: "confirmed by read-back", Current: s.seen}
		switch {
		case s.unsure:
			it.Code, it.Message = "OutcomeUnknown", "could not confirm: the answer was lost and the instance is "+s.seen
		case !s.applied:
			it.Code, it.Message = codeOf(lost), "not applied: the answer was lost and the instance is "+s.seen
		}
		res.Items = append(res.Items, it)
	}
	return settled{res: res, note: note}
}

// rejudgeItems looks again at a per-resource call accepted on a retry
// after an answer was lost: an item the retry refused with
// IncorrectInstanceStatus may be one the lost attempt had already acted
// on (a stop finds the instance Stopping); the read-back decides.
func (c *Client) rejudgeItems(ctx context.Context, p *Plan, got Result, lost error, since time.Time) settled {
	refused := false
	for _, it := range got.Items {
		refused = refused || it.Code == "IncorrectInstanceStatus"
	}
	note := fmt.Sprintf("answer of a first attempt lost (%s); a retry was accepted", codeOf(lost))
	if !p.items || !refused || p.confirm == nil {
		return settled{res: got, note: note}
	}
	cf := c.readBackOf(ctx, p, since)
	res := got
	res.Items = slices.Clone(got.Items)
	unknown := 0
	for i, it := range res.Items {
		if it.Code != "IncorrectInstanceStatus" {
			continue
		}
		s, ok := cf.seen[it.ID]
		switch {
		case cf.err != nil || !ok || s.unsure:
			// The refusal may be the lost attempt's doing: not a failure.
			res.Items[i].Code, res.Items[i].Message = "OutcomeUnknown", "could not confirm: the answer was lost and a retry was refused ("+it.Message+")"
			unknown++
		case s.applied:
			res.Items[i] = ItemResult{ID: it.ID, Code: "200", Message: "confirmed by read-back (the retry found it " + s.seen + ")", Previous: it.Previous, Current: s.seen}
		}
	}
	if cf.err != nil {
		note += "; reading back the refused instances failed: " + cf.err.Error()
	} else {
		note += "; read back: " + cf.describe()
	}
	res.ReadBack = note
	if unknown == len(res.Items) {
		// Nothing is known of any instance: the call's outcome is open.
		rbErr := cf.err
		if rbErr == nil {
			rbErr = fmt.Errorf("the state cannot tell: %s", cf.describe())
		}
		return settled{res: res, err: &OutcomeUnknownError{Action: p.Op.Action, Resources: slices.Clone(p.Op.Resources), Lost: lost, ReadBack: rbErr}}
	}
	return settled{res: res, note: note}
}

// codeOf is err's API code, or what it is when it has none.
func codeOf(err error) string {
	var e *APIError
	switch {
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded"
	case err == nil:
		return ""
	}
	return "no answer"
}

// requestIDOf is err's RequestId ("" when no answer arrived).
func requestIDOf(err error) string {
	var e *APIError
	if errors.As(err, &e) {
		return e.RequestID
	}
	return ""
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
