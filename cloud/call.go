package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// sdkCall performs one SDK request on a leased client pair and returns the
// RequestId of the answer (for the debug log) and the SDK's error.
type sdkCall func(api *sdkClients) (requestID string, err error)

// outcome is what an sdkCall produced. sent is false when the call never
// started (ctx was done before a client pair was free). pending is set when
// the call was abandoned (ctx done first) while its goroutine still runs: it
// is closed when that goroutine has finished.
type outcome struct {
	requestID string
	err       error
	sent      bool
	pending   <-chan struct{}
	endpoint  string // scheme://host that answered, "" when none did
}

// do is the path every read takes: attempt, repeated on a Retryable
// failure under the retry policy (retry.go). Mutations take Execute
// (execute.go), which retries only when that is safe.
func (c *Client) do(ctx context.Context, action, region string, call sdkCall) error {
	_, err := c.retrying(ctx, action, region, callRead, call)
	return err
}

// attempt sends one request. It bounds the call by timeout and ctx, logs
// one debug record and turns every failure into an *APIError (except the
// caller's own cancellation, which is returned wrapping ctx.Err()). It
// paces the metric query APIs under their rate limit (pacer) and counts
// every request that reached the API (Usage): answered, or written whole
// before it was abandoned; not one refused a connection or cancelled
// before it went out. pending is non-nil when the call was abandoned
// on its timeout while the SDK still holds it (see outcome).
func (c *Client) attempt(ctx context.Context, action, region string, timeout time.Duration, call sdkCall) (pending <-chan struct{}, err error) {
	release, err := c.pace.acquire(ctx, action)
	if err != nil {
		return nil, fmt.Errorf("%s in %s: waiting for the rate limit: %w", action, region, err)
	}
	// An abandoned call (ctx done first) gives its token back early; the
	// service may still count it. Rare, and bounded by maxInFlight.
	defer release()
	start := time.Now()
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	out := c.run(callCtx, call, func(requests int) {
		for range requests {
			c.usage.record(action, start)
		}
	})
	err = c.classify(ctx, out, action, region, timeout)

	code, requestID := "OK", out.requestID
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		code, requestID = apiErr.Code, apiErr.RequestID
	} else if err != nil {
		code = "Canceled"
	}
	// Only these attributes: never a message (a server message may echo a
	// string to sign), never credentials.
	c.log.LogAttrs(ctx, slog.LevelDebug, "api call",
		slog.String("action", action),
		slog.String("region", region),
		slog.Duration("duration", time.Since(start)),
		slog.String("code", code),
		slog.String("request_id", requestID),
	)
	return out.pending, err
}

// run leases an SDK client pair and performs call on it, and tells
// reached how many of the call's HTTP requests reached the API (once, when
// the call has ended, an abandoned one too).
//
// The v1 SDK takes no context, so the call runs in its own goroutine and
// run returns as soon as ctx is done. The abandoned goroutine keeps its
// lease until the SDK gives up (its read timeout equals Config.Timeout), so
// at most maxInFlight such goroutines can exist: no unbounded leak.
func (c *Client) run(ctx context.Context, call sdkCall, reached func(requests int)) outcome {
	var api *sdkClients
	select {
	case api = <-c.pool:
	case <-ctx.Done():
		return outcome{err: ctx.Err()}
	}
	if err := ctx.Err(); err != nil {
		// Both were ready and select picked the lease: do not send a call
		// nobody waits for.
		c.pool <- api
		return outcome{err: err}
	}
	done := make(chan outcome, 1) // buffered: the goroutine never blocks on an abandoned call
	finished := make(chan struct{})
	api.rt.bind(ctx) // cancelling ctx aborts the HTTP request itself
	go func() {
		defer close(finished)
		defer func() { api.rt.bind(nil); c.pool <- api }()
		defer func() {
			// A malformed answer can make the SDK panic (API notes §2.2); a
			// panic in this goroutine would kill the program.
			if r := recover(); r != nil {
				reached(api.rt.reachedAPI())
				done <- outcome{err: &APIError{Code: CodeSDKPanic, Message: fmt.Sprint(r)}}
			}
		}()
		id, err := call(api)
		reached(api.rt.reachedAPI())
		done <- outcome{requestID: id, err: err, sent: true, endpoint: api.rt.answeredBy()}
	}()
	select {
	case out := <-done:
		out.sent = true
		return out
	case <-ctx.Done():
		return outcome{err: ctx.Err(), sent: true, pending: finished}
	}
}

// classify turns an SDK-level error into the error do returns.
func (c *Client) classify(ctx context.Context, out outcome, action, region string, timeout time.Duration) error {
	err := out.err
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		// The caller cancelled (or its own deadline passed): not an API
		// failure, and errors.Is(err, context.Canceled) must hold.
		return fmt.Errorf("%s in %s: %w", action, region, ctx.Err())
	}
	var (
		e   *APIError
		bad *badAnswer
	)
	switch {
	case errors.As(err, &bad):
		e = bad.apiError(action)
	case isClientCode(err, sdkerrors.JsonUnmarshalErrorCode):
		// JSON of another shape than the SDK's struct: say who answered
		// what, not the SDK's advice to read the response ourselves.
		e = &APIError{Code: CodeMalformedAnswer, HTTPStatus: http.StatusOK, err: err,
			Message: fmt.Sprintf("%s at %s answered JSON of another shape than documented: %s", action, out.endpoint, decodeFailure(err))}
	default:
		e = toAPIError(err, timeout)
	}
	e.Action, e.Region = action, region
	return e
}

// isClientCode reports whether err is (or wraps) an SDK client error with code.
func isClientCode(err error, code string) bool {
	var clientErr *sdkerrors.ClientError
	return errors.As(err, &clientErr) && clientErr.ErrorCode() == code
}

// decodeFailure is the JSON decoder's complaint, without the echo of the
// answer it appends (long, and the answer's own text).
func decodeFailure(err error) string {
	var clientErr *sdkerrors.ClientError
	if errors.As(err, &clientErr) && clientErr.OriginError() != nil {
		err = clientErr.OriginError()
	}
	msg := err.Error()
	if i := strings.Index(msg, ", error found in"); i >= 0 {
		msg = msg[:i]
	}
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	return oneLine(msg)
}

// toAPIError maps the SDK's error kinds onto *APIError.
func toAPIError(err error, timeout time.Duration) *APIError {
	var (
		apiErr    *APIError
		serverErr *sdkerrors.ServerError
		clientErr *sdkerrors.ClientError
		netErr    net.Error
	)
	switch {
	case errors.As(err, &apiErr):
		cp := *apiErr
		return &cp
	case errors.As(err, &serverErr):
		return &APIError{
			Code:       serverErr.ErrorCode(),
			Message:    oneLine(serverErr.Message()),
			RequestID:  serverErr.RequestId(),
			Recommend:  serverErr.Recommend(),
			HTTPStatus: serverErr.HttpStatus(),
		}
	case errors.Is(err, context.DeadlineExceeded):
		return &APIError{Code: CodeTimeout, Message: fmt.Sprintf("no answer within %s", timeout), err: err}
	case errors.As(err, &clientErr):
		cause := clientErr.OriginError()
		if cause == nil {
			cause = clientErr
		}
		return &APIError{Code: clientErr.ErrorCode(), Message: oneLine(clientErr.Message()), err: stripURL(cause)}
	case errors.As(err, &netErr) && netErr.Timeout():
		return &APIError{Code: CodeTimeout, Message: describeTransport(err), err: stripURL(err)}
	default:
		return &APIError{Code: CodeServerUnreachable, Message: describeTransport(err), err: stripURL(err)}
	}
}

// describeTransport renders a transport error without its URL: the SDK puts
// every parameter, the Signature and any SecurityToken in the query string.
func describeTransport(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		host := urlErr.URL
		if u, perr := url.Parse(urlErr.URL); perr == nil {
			host = u.Scheme + "://" + u.Host
		}
		return fmt.Sprintf("%s %s: %v", urlErr.Op, host, urlErr.Err)
	}
	return oneLine(err.Error())
}

// stripURL drops a *url.Error wrapper (whose URL carries the signed query)
// so the cause kept in APIError cannot leak it either.
func stripURL(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}
