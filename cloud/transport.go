package cloud

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// connectTimeout bounds dialing; the SDK's own default.
const connectTimeout = 5 * time.Second

// transport is the one connection pool every leased SDK client shares.
//
// It deliberately is not an *http.Transport: on every call the v1 SDK
// rewrites the DialContext, TLS config and Proxy of an *http.Transport it
// finds (sdk/client.go DoActionWithSigner), which races when clients share
// it and lets HTTP_PROXY capture traffic. Hidden behind this wrapper the
// SDK leaves it alone, and the proxy decision is ours.
type transport struct{ base *http.Transport }

// RoundTrip implements http.RoundTripper.
func (t transport) RoundTrip(r *http.Request) (*http.Response, error) { return t.base.RoundTrip(r) }

// leaseTransport is one leased SDK client pair's view of the shared pool:
// it carries the context of the call the pair is serving, so cancelling
// the call (the user left the view) aborts its HTTP request instead of
// letting it run on. The v1 SDK builds requests without a context; a pair
// serves one call at a time, so one context per pair is exact.
type leaseTransport struct {
	base http.RoundTripper

	mu       sync.Mutex
	ctx      context.Context // the current call's, or nil between calls
	endpoint string          // scheme://host of the current call's last answer
	reached  int             // the current call's requests that reached the API
}

// bind sets the context of the call the pair now serves (nil: none).
func (t *leaseTransport) bind(ctx context.Context) {
	t.mu.Lock()
	t.ctx, t.endpoint, t.reached = ctx, "", 0
	t.mu.Unlock()
}

// reachedAPI is how many requests of the current call reached the API (the
// cost Usage counts): answered, or written whole and then abandoned or cut
// off. A refused connection, or a request cancelled before it went out,
// did not; nor does net/http's resend of a request on a fresh connection
// count twice.
func (t *leaseTransport) reachedAPI() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reached
}

// writeSettle bounds how long a request that got no answer waits to learn
// whether it was written whole (its write may still be under way).
const writeSettle = 250 * time.Millisecond

// wroteWhole reports whether a request that got no answer was written
// whole: its last write, waiting briefly for one under way. A request
// that never got a connection (refused, cancelled while dialing) was not.
func wroteWhole(connected *atomic.Bool, wrote <-chan bool) bool {
	if !connected.Load() {
		return false
	}
	last, seen := false, false
	for {
		select {
		case ok := <-wrote:
			last, seen = ok, true
			continue
		default:
		}
		if seen {
			return last
		}
		select {
		case ok := <-wrote:
			last, seen = ok, true
		case <-time.After(writeSettle):
			return false
		}
	}
}

// answeredBy is the scheme://host that answered the current call ("" when
// nothing did), for an error that names the endpoint.
func (t *leaseTransport) answeredBy() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.endpoint
}

// RoundTrip implements http.RoundTripper.
func (t *leaseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	ctx := t.ctx
	t.mu.Unlock()
	if ctx == nil {
		ctx = r.Context()
	}
	var connected atomic.Bool
	wrote := make(chan bool, 4) // each write of it net/http made: whole or not
	r = r.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			select {
			case wrote <- info.Err == nil:
			default:
			}
		},
	}))
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		if wroteWhole(&connected, wrote) {
			t.mu.Lock()
			t.reached++ // sent, then abandoned or cut off: the API may have it
			t.mu.Unlock()
		}
		return nil, err
	}
	t.mu.Lock()
	t.reached++
	t.endpoint = r.URL.Scheme + "://" + r.URL.Host
	t.mu.Unlock()
	// A 2xx answer the SDK would misread (empty, an error body, not JSON)
	// is an error here, before the SDK sees it (answer_check.go).
	return checkAnswer(r, resp)
}

// newTransport builds the shared transport. With an explicit endpoint (the
// emulator, a local cloud) it never uses a proxy, so HTTP_PROXY cannot
// capture loopback traffic; for the real cloud it honours HTTP(S)_PROXY and
// NO_PROXY the standard way.
func newTransport(ep *endpoint, maxConns int) http.RoundTripper {
	proxy := http.ProxyFromEnvironment
	if ep != nil {
		proxy = nil
	}
	return transport{base: &http.Transport{
		Proxy:                 proxy,
		DialContext:           (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   maxConns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}
