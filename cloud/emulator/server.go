// Package emulator is a local Alibaba Cloud: an HTTP server that speaks the
// RPC protocol of ECS (2014-05-26) and CloudMonitor (2019-01-01) closely enough
// that the real SDKs and the aliyun CLI cannot tell it from the service for the
// calls ecsdash makes. It never imports package cloud: the two meet only on the
// wire, as the real service and the SDK do.
package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// Versions of the two products the emulator serves.
const (
	VersionECS = "2014-05-26"
	VersionCMS = "2019-01-01"
)

// Default credentials accepted by `ecsdash emulator` when none are given.
const (
	DefaultAccessKeyID     = "emulator-access-key-id"
	DefaultAccessKeySecret = "emulator-access-key-secret"
)

// Options configure an emulator.
type Options struct {
	Seed      uint64 // fleet and metric generator seed
	Instances int    // instances across all regions (0 = default)

	AccessKeyID     string // accepted credential (default DefaultAccessKeyID)
	AccessKeySecret string

	Latency      time.Duration // added to every answer
	ThrottleRate float64       // share of calls answered with Throttling.User
	ErrorRate    float64       // share answered with InternalError / ServiceUnavailable

	// CMSRateLimit is the calls per second allowed for each CloudMonitor
	// metric query API (DescribeMetricLast, DescribeMetricList, ...) before
	// Throttling.User: 0 = the documented 50, negative = no limit.
	CMSRateLimit int

	// TransitionDelay is how long a transient state (Starting, Stopping,
	// Attaching, ...) lasts before it settles (default 3s).
	TransitionDelay time.Duration

	// Now is the clock (default time.Now). Tests pin it for golden output.
	Now func() time.Time

	// TimeScale makes emulated time run faster than Now (default 1; 60 =
	// a minute of emulator time per real second): transitions and the
	// automatic snapshot policies run on the scaled clock, which
	// POST /_emulator/clock can also jump forward.
	TimeScale float64

	Logger *slog.Logger // request log (default: discard)
}

// handler answers one action. It returns the response body (marshalled to
// JSON, RequestId added) or an *APIError.
type handler func(r *request) (any, error)

// Server is the emulator. It implements http.Handler.
type Server struct {
	opts   Options
	routes map[string]map[string]handler // version -> action -> handler
	store  *store
	stats  *stats
	auth   *authenticator
	clock  *emuClock // emulated time: opts.Now reads it

	faultMu sync.Mutex
	faults  *rand.Rand // fault injection draws; guarded by faultMu

	targeted  targetedFaults   // faults aimed at named actions (faults_targeted.go)
	malformed malformedAnswers // answers to spoil (answers_malformed.go)
}

// New builds an emulator with its seeded fleet.
func New(opts Options) *Server {
	if opts.AccessKeyID == "" {
		opts.AccessKeyID = DefaultAccessKeyID
	}
	if opts.AccessKeySecret == "" {
		opts.AccessKeySecret = DefaultAccessKeySecret
	}
	if opts.Instances <= 0 {
		opts.Instances = DefaultFleetSize
	}
	if opts.TransitionDelay <= 0 {
		opts.TransitionDelay = 3 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	baseNow := opts.Now
	clock := newEmuClock(baseNow, opts.TimeScale)
	opts.TimeScale = clock.scale
	opts.Now = clock.now
	s := &Server{
		opts:   opts,
		stats:  newStats(),
		auth:   newAuthenticator(opts.AccessKeyID, opts.AccessKeySecret, baseNow),
		clock:  clock,
		faults: rand.New(rand.NewPCG(opts.Seed, 0x5eed)),
	}
	s.store = newStore(opts)
	s.store.policyCheckedAt = opts.Now()
	s.routes = map[string]map[string]handler{
		VersionECS: s.ecsRoutes(),
		VersionCMS: s.cmsRoutes(),
		VersionOOS: s.oosRoutes(),
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	if hr.URL.Path == "/_emulator/stats" {
		s.serveStats(w)
		return
	}
	if hr.URL.Path == "/_emulator/clock" {
		s.serveClock(w, hr)
		return
	}
	if hr.URL.Path == "/_emulator/malform" {
		s.serveMalform(w, hr)
		return
	}
	if hr.URL.Path == "/_emulator/faults" {
		s.serveFaults(w, hr)
		return
	}
	s.stats.enter()
	defer s.stats.leave()
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-hr.Context().Done():
			return // the client gave up (cancelled): nothing to answer
		}
	}
	start := s.opts.Now()
	r, err := s.parse(hr)
	var body any
	if err == nil {
		body, err = s.dispatch(r)
	}
	if errors.Is(err, errAnswerDropped) {
		dropAnswer(w)
		return
	}
	product := productECS
	if r != nil {
		product = r.product
	}
	status := http.StatusOK
	requestID := newRequestID()
	if err != nil {
		apiErr := asAPIError(err)
		status = apiErr.Status
		body = apiErr.body(requestID, product)
	} else {
		body = withRequestID(body, requestID, product)
	}
	action := ""
	if r != nil {
		action = r.action
	}
	s.opts.Logger.Debug("emulator call", "action", action, "status", status, "duration", s.opts.Now().Sub(start))
	if kind, ok := s.malformed.take(r); ok {
		writeMalformed(w, kind, body, requestID)
		return
	}
	writeJSON(w, status, body)
}

// dispatch authenticates a parsed request, injects faults and runs its handler.
func (s *Server) dispatch(r *request) (any, error) {
	actions, ok := s.routes[r.version]
	if !ok {
		return nil, &APIError{Status: 400, Code: "InvalidVersion", Message: "Specified parameter Version is not valid."}
	}
	if err := s.auth.verify(r); err != nil {
		return nil, err
	}
	h, ok := actions[r.action]
	if !ok {
		return nil, &APIError{Status: 404, Code: "InvalidAction.NotFound", Message: "Specified api is not found, please check your url and method."}
	}
	s.stats.call(r.action)
	fault, targeted := s.targeted.take(r)
	if targeted && !fault.DropAnswer {
		s.stats.fault(fault.Code)
		return nil, &APIError{Status: fault.Status, Code: fault.Code, Message: fault.Message}
	}
	if err := s.injectFault(); err != nil && !targeted {
		s.stats.fault(err.(*APIError).Code)
		return nil, err
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.tick(s.opts.Now())
	body, err := h(r)
	if targeted && fault.DropAnswer {
		s.stats.fault("AnswerDropped")
		return nil, errAnswerDropped
	}
	return body, err
}

// injectFault draws whether this call is throttled or fails server-side.
func (s *Server) injectFault() error {
	if s.opts.ThrottleRate <= 0 && s.opts.ErrorRate <= 0 {
		return nil
	}
	s.faultMu.Lock()
	p := s.faults.Float64()
	pick := s.faults.IntN(2)
	s.faultMu.Unlock()
	switch {
	case p < s.opts.ThrottleRate:
		return errThrottled()
	case p < s.opts.ThrottleRate+s.opts.ErrorRate:
		if pick == 0 {
			return &APIError{Status: 500, Code: "InternalError", Message: "The request processing has failed due to some unknown error, exception or failure."}
		}
		return &APIError{Status: 503, Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server."}
	}
	return nil
}

func errThrottled() *APIError {
	return &APIError{Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control."}
}

// withRequestID adds RequestId (and the CMS success envelope) to a body.
func withRequestID(body any, requestID, product string) any {
	m, ok := body.(map[string]any)
	if !ok {
		// Typed response structs: marshal through a map so RequestId can be added.
		raw, err := json.Marshal(body)
		if err != nil {
			return body
		}
		m = map[string]any{}
		if body != nil {
			if err := json.Unmarshal(raw, &m); err != nil {
				return body
			}
		}
	}
	m["RequestId"] = requestID
	if product == productCMS {
		if _, ok := m["Code"]; !ok {
			m["Code"] = "200"
		}
		if _, ok := m["Success"]; !ok {
			m["Success"] = true
		}
	}
	return m
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}

func newRequestID() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rand.Uint32())
	}
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Listen serves the emulator on addr (e.g. "127.0.0.1:0") in the background.
// It returns the base URL and a function that stops the server.
func (s *Server) Listen(addr string) (url string, stop func() error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), srv.Close, nil
}
