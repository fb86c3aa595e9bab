package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The emulator clock. Emulated time runs TimeScale times faster than the
// base clock (Options.Now, time.Now by default), from the moment the server
// was built, and can be jumped forward (never back) with
// POST /_emulator/clock. Every timed transition (st.after) and the automatic
// snapshot policies run on this clock, so a TimeScale of 60 turns the 3 s of
// a transition into 50 ms, and a jump of two hours makes two hours of policy
// slots fire on the next request.
type emuClock struct {
	mu     sync.Mutex
	base   func() time.Time
	scale  float64
	origin time.Time     // base() when the clock was made
	offset time.Duration // sum of the jumps
}

func newEmuClock(base func() time.Time, scale float64) *emuClock {
	if scale <= 0 {
		scale = 1
	}
	return &emuClock{base: base, scale: scale, origin: base()}
}

// now is the emulated time.
func (c *emuClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *emuClock) nowLocked() time.Time {
	b := c.base()
	t := b
	if c.scale != 1 {
		t = c.origin.Add(time.Duration(float64(b.Sub(c.origin)) * c.scale))
	}
	return t.Add(c.offset)
}

// advance jumps the clock forward by d (d >= 0).
func (c *emuClock) advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("the clock only moves forward: advance %s is negative", d)
	}
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
	return nil
}

// set jumps the clock to t, which must not be before the current time.
func (c *emuClock) set(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.nowLocked()
	if t.Before(now) {
		return fmt.Errorf("the clock only moves forward: %s is before the emulator's now %s", t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	c.offset += t.Sub(now)
	return nil
}

// parseJump reads "90m", "2h", "1h30m" (Go durations) or "3d" (days).
func parseJump(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("advance %q: want a duration such as 90m, 2h or 3d", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("advance %q: want a duration such as 90m, 2h or 3d", s)
	}
	return d, nil
}

// tick brings the store up to now: due transitions, then the automatic
// snapshot policies' slots (which may schedule more transitions in the past),
// then those.
func (st *store) tick(now time.Time) {
	st.settle(now)
	st.runPolicies(now)
	st.settle(now)
}

// serveClock answers /_emulator/clock: GET shows the emulated time, POST
// {"advance":"2h"} or {"set":"2026-11-25T08:00:00Z"} jumps it forward and
// brings the account up to the new time.
func (s *Server) serveClock(w http.ResponseWriter, hr *http.Request) {
	fail := func(status int, msg string) {
		writeJSON(w, status, map[string]any{"Code": "InvalidParameter", "Message": msg})
	}
	switch hr.Method {
	case http.MethodGet:
	case http.MethodPost:
		var req struct {
			Advance string `json:"advance"`
			Set     string `json:"set"`
		}
		body, err := io.ReadAll(io.LimitReader(hr.Body, 1<<16))
		if err != nil {
			fail(http.StatusBadRequest, "the body could not be read")
			return
		}
		if err := json.Unmarshal(body, &req); err != nil {
			fail(http.StatusBadRequest, `want JSON {"advance":"2h"} or {"set":"2026-11-25T08:00:00Z"}`)
			return
		}
		switch {
		case req.Advance != "" && req.Set != "":
			fail(http.StatusBadRequest, "give advance or set, not both")
			return
		case req.Advance != "":
			d, err := parseJump(req.Advance)
			if err == nil {
				err = s.clock.advance(d)
			}
			if err != nil {
				fail(http.StatusBadRequest, err.Error())
				return
			}
		case req.Set != "":
			t, err := time.Parse(time.RFC3339, req.Set)
			if err == nil {
				err = s.clock.set(t)
			}
			if err != nil {
				fail(http.StatusBadRequest, err.Error())
				return
			}
		default:
			fail(http.StatusBadRequest, `want JSON {"advance":"2h"} or {"set":"2026-11-25T08:00:00Z"}`)
			return
		}
	default:
		fail(http.StatusMethodNotAllowed, "use GET or POST")
		return
	}
	now := s.opts.Now()
	s.store.mu.Lock()
	s.store.tick(now)
	s.store.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"now": now.UTC().Format(time.RFC3339), "timeScale": s.clock.scale})
}
