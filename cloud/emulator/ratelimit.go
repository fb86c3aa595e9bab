package emulator

import (
	"sync"
	"time"
)

// DefaultCMSRateLimit is CloudMonitor's documented limit for its metric query
// APIs: 50 calls per second per API per account (RAM users included).
const DefaultCMSRateLimit = 50

// rateLimiter is a sliding one-second window per action, on the real clock
// (a pinned Options.Now must not freeze or disable it). No goroutines: old
// calls are dropped when the next one arrives.
type rateLimiter struct {
	limit int // calls per second; <= 0 disables
	now   func() time.Time

	mu    sync.Mutex
	calls map[string][]time.Time // action -> times of the calls let through in the last second
}

func newRateLimiter(limit int) *rateLimiter {
	return &rateLimiter{limit: limit, now: time.Now, calls: map[string][]time.Time{}}
}

// allow records a call of action and reports whether it is within the limit.
func (l *rateLimiter) allow(action string) bool {
	if l == nil || l.limit <= 0 {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.calls[action]
	cut := 0
	for cut < len(q) && now.Sub(q[cut]) >= time.Second {
		cut++
	}
	q = q[cut:]
	if len(q) >= l.limit {
		l.calls[action] = q
		return false
	}
	l.calls[action] = append(q, now)
	return true
}

// cmsRateLimit resolves Options.CMSRateLimit: 0 means the default, a
// negative value disables the limit.
func (s *Server) cmsRateLimit() int {
	switch n := s.opts.CMSRateLimit; {
	case n == 0:
		return DefaultCMSRateLimit
	case n < 0:
		return 0
	default:
		return n
	}
}

// limited wraps a handler with the per-action limit: above it the call is
// answered Throttling.User (HTTP 400) and counted as a fault.
func (s *Server) limited(l *rateLimiter, action string, h handler) handler {
	return func(r *request) (any, error) {
		if !l.allow(action) {
			err := errThrottled()
			s.stats.fault(err.Code)
			return nil, err
		}
		return h(r)
	}
}
