package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strings"
	"time"
)

// The retry policy (API notes §2.4-2.5). The SDK's own AutoRetry is off: it
// retries at once, without back-off, and never on Throttling.
const (
	retryBase   = 200 * time.Millisecond // first back-off ceiling
	retryCap    = 5 * time.Second        // largest back-off
	retryBudget = 30 * time.Second       // a call and all its retries
)

// retryPolicy is exponential back-off with full jitter: before retry n
// (n = 1, 2, ...) wait a uniformly random time in [0, min(cap, base*2^(n-1))).
// No retry starts once budget has passed since the first attempt, or when
// its wait would end past ctx's deadline, or when less than a fifth of the
// budget (or the call timeout, if less) would be left for it; a retry's
// own timeout is cut to what is left of the budget, so a call and its
// retries end within max(budget, call timeout). budget <= 0 disables
// retries.
type retryPolicy struct {
	base, cap, budget time.Duration
}

var defaultRetryPolicy = retryPolicy{base: retryBase, cap: retryCap, budget: retryBudget}

// backoff is the wait before retry n (1-based).
func (p retryPolicy) backoff(n int) time.Duration {
	ceiling := p.cap
	if n-1 < 30 {
		ceiling = min(p.cap, p.base<<(n-1))
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling)
}

// Retryable reports whether err is a failure worth repeating the same
// request for: throttling (Throttling, Throttling.*, Rejected.Throttling),
// ServiceUnavailable(.*), InternalError, UnknownError, HTTP 5xx, a token
// still being processed (LastTokenProcessing, IdempotentProcessing: only
// ever answered to a call with a ClientToken), and transport failures (no
// answer: connection refused or reset, timeout). A refusal of the request
// itself (a 4xx such as InvalidParameter or IncorrectInstanceStatus), a
// malformed answer and the caller's own cancellation are not.
//
// Whether a write may be repeated at all is a separate question (Execute:
// only with a ClientToken or when naturally idempotent).
func Retryable(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	switch {
	case rateLimitedForMinutes(e):
		return false // a per-resource limit (ModifyInstanceSpec's 5 minutes): a retry in seconds fails again
	case HasCodePrefix(err, "Throttling"), e.Code == "Rejected.Throttling",
		HasCodePrefix(err, "ServiceUnavailable"),
		e.Code == "InternalError", e.Code == "UnknownError",
		e.Code == "LastTokenProcessing", e.Code == "IdempotentProcessing",
		e.Code == CodeServerUnreachable, e.Code == CodeTimeout:
		return true
	case e.HTTPStatus >= 500:
		return true
	case e.HTTPStatus == 200 && len(e.Code) == 3 && strings.HasPrefix(e.Code, "5"):
		// A CloudMonitor body "Code":"500" under HTTP 200 (cmsFailure).
		return true
	}
	var netErr net.Error
	return e.HTTPStatus == 0 && errors.As(e.err, &netErr)
}

// callKind says how a call may be retried.
type callKind int

const (
	callRead      callKind = iota // retried; changes nothing
	callSafeWrite                 // retried: a create with its ClientToken, or idempotent
	callOnce                      // a write that is not safe to repeat: sent once
)

// retrying runs call through attempt, and unless kind is callOnce repeats
// it on a Retryable failure under the client's retry policy. It returns
// the number of attempts made. ctx's cancellation stops it at once (the
// error then wraps ctx.Err()).
func (c *Client) retrying(ctx context.Context, action, region string, kind callKind, call sdkCall) (attempts int, err error) {
	return c.retryingWatched(ctx, action, region, kind, call, nil)
}

// retryingWatched is retrying with watch, when not nil, told of every
// failed attempt (not the caller's own cancellation) before anything else
// is decided: it returns false to stop there with that failure. Execute
// uses it to read back a write whose answer was lost before retrying it.
func (c *Client) retryingWatched(ctx context.Context, action, region string, kind callKind, call sdkCall, watch func(error) bool) (attempts int, err error) {
	retry := kind != callOnce
	pol := c.retryPolicy()
	start := time.Now()
	var prev error
	for n := 1; ; n++ {
		timeout := c.timeout
		if n > 1 {
			timeout = max(min(timeout, pol.budget-time.Since(start)), time.Millisecond)
		}
		pending, err := c.attempt(ctx, action, region, timeout, call)
		if kind == callRead && n > 1 && timeout < c.timeout && IsCode(err, CodeTimeout) {
			// Cut short by the budget, not by the service: the failure
			// that made it retry says more. (Not for a write: there "no
			// answer" is the truth, the change may have been made.)
			return n, prev
		}
		if err != nil && ctx.Err() == nil && watch != nil && !watch(err) {
			return n, err
		}
		if err == nil || !retry || pol.budget <= 0 || ctx.Err() != nil || !Retryable(err) {
			return n, err
		}
		if HasCodePrefix(err, "Throttling") && noThrottleRetry(ctx) {
			return n, err
		}
		prev = err
		wait := pol.backoff(n)
		if pol.budget-(time.Since(start)+wait) < min(c.timeout, pol.budget/5) {
			return n, err // too little of the budget would be left for the retry
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			return n, err
		}
		code := ""
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			code = apiErr.Code
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "api retry",
			slog.String("action", action),
			slog.String("region", region),
			slog.Int("attempt", n+1),
			slog.String("code", code),
			slog.Duration("wait", wait),
		)
		if err := sleepCtx(ctx, wait); err != nil {
			return n, fmt.Errorf("%s in %s: %w (retrying after %s)", action, region, err, code)
		}
		if pending != nil {
			// The last attempt was abandoned on its timeout while the SDK
			// still held it: let it finish first, so two attempts never
			// write the caller's response at once.
			select {
			case <-pending:
			case <-ctx.Done():
				return n, fmt.Errorf("%s in %s: %w (retrying after %s)", action, region, ctx.Err(), code)
			}
		}
		c.usage.retry()
	}
}

// sleepCtx waits d, or returns ctx.Err() as soon as ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// noThrottleRetryKey marks a context whose caller handles throttling itself.
type noThrottleRetryKey struct{}

// WithoutThrottleRetry returns a context under which a throttled read is
// returned at once instead of retried. The live-metrics sampler uses it:
// CloudMonitor's quota is per second and shared with the console, so it
// backs off for whole periods and shows its values as stale rather than
// hammering on.
func WithoutThrottleRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, noThrottleRetryKey{}, true)
}

func noThrottleRetry(ctx context.Context) bool {
	v, _ := ctx.Value(noThrottleRetryKey{}).(bool)
	return v
}

// rateLimitedForMinutes is a Throttling answer that names a wait in minutes
// ("please try again after 5 minutes"): not the API's flow control but a
// limit on the resource, which retrying within the retry budget cannot pass.
func rateLimitedForMinutes(e *APIError) bool {
	return strings.HasPrefix(e.Code, "Throttling") && strings.Contains(strings.ToLower(e.Message), "minutes")
}
