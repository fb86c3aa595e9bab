package monitor

import (
	"errors"
	"math"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/chart"
)

// Apply stores what a refresh fetched: it appends to the rings (a NaN for
// each period an instance missed), sets the agent statuses, and records
// the outcome. A successful refresh clears Err and Stale. A failed part (a
// metric's call for some instances) keeps their values, marks them behind
// (Behind) and is asked again soon (see Refresh). When CloudMonitor
// throttles a whole period's refresh, nothing got through: every value is
// kept, marked stale since its first failure, and the sampler backs off
// (2x, 4x, ... the period, at most 10 minutes). Any other error is kept in
// Err, values untouched. Instances dropped by Forget meanwhile are not
// brought back. UI goroutine only.
func (s *Sampler) Apply(msg SamplesMsg) {
	if msg.agents != nil {
		s.applyAgentStatuses(msg.agents)
		return
	}
	var errs []error
	answered, full := false, false
	now := s.opts.Now()
	for _, r := range msg.regions {
		st := s.regions[r.region]
		if st != nil && st.seq == r.seq {
			st.inFlight = false
		}
		full = full || r.full
		failed := false
		for _, mr := range r.metrics {
			if len(mr.backfill) > 0 {
				if mr.historyErr != nil {
					errs, failed = append(errs, mr.historyErr), true
					s.missed(mr.metric, mr.backfill, mr.historyErr, true)
				} else {
					answered = true
					s.applyHistory(mr.metric, mr.backfill, mr.history)
					s.missed(mr.metric, mr.backfill, nil, false)
				}
			}
			if len(mr.steady) > 0 {
				if mr.latestErr != nil {
					errs, failed = append(errs, mr.latestErr), true
					s.missed(mr.metric, mr.steady, mr.latestErr, false)
				} else {
					answered = true
					s.applyLatest(mr.metric, mr.steady, mr.latest)
					s.missed(mr.metric, mr.steady, nil, false)
				}
			}
		}
		if r.agentsAsked {
			s.applyAgents(r)
			if r.agentsErr != nil {
				errs, failed = append(errs, r.agentsErr), true
			} else {
				answered = true
			}
		}
		if st != nil {
			if failed {
				st.retries++
				st.retryAt = now.Add(partRetry(s.opts.Period, st.retries))
			} else {
				st.retries, st.retryAt = 0, time.Time{}
			}
		}
	}
	s.settle(errs, full && !answered)
}

// missed records the outcome of a metric's fetch for ids: err nil clears
// what was missed; otherwise why, and a failed backfill is asked again.
func (s *Sampler) missed(m cloud.Metric, ids []string, err error, backfill bool) {
	why := ""
	switch {
	case err == nil:
	case cloud.HasCodePrefix(err, "Throttling"):
		why = missedThrottled
	default:
		why = missedFailed
	}
	for _, id := range ids {
		in := s.instances[id]
		if in == nil {
			continue
		}
		if why == "" {
			delete(in.missed, m)
			continue
		}
		in.missed[m] = why
		if backfill {
			in.backfilled[m] = false
		}
	}
}

// applyHistory puts a backfill into the rings. The region's newest
// datapoint is "now": an instance whose history ends earlier gets NaNs up
// to it.
func (s *Sampler) applyHistory(m cloud.Metric, ids []string, history map[string][]cloud.MetricPoint) {
	var newest time.Time
	for _, pts := range history {
		if n := len(pts); n > 0 && pts[n-1].Time.After(newest) {
			newest = pts[n-1].Time
		}
	}
	if newest.IsZero() {
		return // nobody reports this metric (an agent metric without agents)
	}
	for _, id := range ids {
		in := s.instances[id]
		if in == nil {
			continue
		}
		pts := history[id]
		r := in.rings[m]
		if len(pts) == 0 && r == nil {
			continue
		}
		if r == nil {
			r = chart.NewRing(s.opts.Capacity)
			in.rings[m] = r
		}
		for _, p := range pts {
			appendPoint(r, chart.Point{T: p.Time, V: p.Value}, s.opts.Period)
		}
		s.markGap(r, newest)
	}
}

// applyLatest appends each instance's newest datapoint; an instance with
// none, or one older than the region's newest by more than the period,
// gets a gap at the region's newest time.
func (s *Sampler) applyLatest(m cloud.Metric, ids []string, latest map[string]cloud.MetricPoint) {
	var newest time.Time
	for _, p := range latest {
		if p.Time.After(newest) {
			newest = p.Time
		}
	}
	if newest.IsZero() {
		return // no datapoint at all: no time to put a gap at
	}
	for _, id := range ids {
		in := s.instances[id]
		if in == nil {
			continue
		}
		r := in.rings[m]
		p, ok := latest[id]
		if ok && r == nil {
			r = chart.NewRing(s.opts.Capacity)
			in.rings[m] = r
		}
		if r == nil {
			continue
		}
		if ok {
			appendPoint(r, chart.Point{T: p.Time, V: p.Value}, s.opts.Period)
		}
		s.markGap(r, newest)
	}
}

// markGap appends a NaN at newest when the ring's last point is older than
// newest by more than the period.
func (s *Sampler) markGap(r *chart.Ring, newest time.Time) {
	if last, ok := r.Last(); ok && newest.Sub(last.T) > s.opts.Period {
		appendPoint(r, chart.Point{T: newest, V: math.NaN()}, s.opts.Period)
	}
}

// applyAgents stores a region's agent statuses; after a failure they are
// asked again at the next refresh.
func (s *Sampler) applyAgents(r regionResult) {
	if r.agentsErr != nil {
		if st := s.regions[r.region]; st != nil {
			st.agentsAt = time.Time{}
		}
		return
	}
	for id, a := range r.agents {
		if in := s.instances[id]; in != nil {
			in.agent = a.Status
			if asked, ok := r.agentsFor[id]; ok && asked == in.status {
				in.agentStale = false // else it changed state meanwhile: read again
			}
		}
	}
}

// applyAgentStatuses stores statuses read outside the schedule as
// current.
func (s *Sampler) applyAgentStatuses(agents map[string]cloud.AgentStatus) {
	for id, a := range agents {
		if in := s.instances[id]; in != nil {
			in.agent, in.agentAsked, in.agentStale = a.Status, true, false
		}
	}
}

// settle records a refresh's outcome: errs are its failures, none on
// success; nothing is true when a period's refresh got no answer at all.
// Only that backs off: while some calls get through, the failed parts are
// retried on their own (Refresh).
func (s *Sampler) settle(errs []error, nothing bool) {
	if len(errs) == 0 {
		s.err, s.staleSince, s.throttled, s.retryAt = nil, time.Time{}, 0, time.Time{}
		return
	}
	s.err = errors.Join(errs...)
	for _, err := range errs {
		if cloud.HasCodePrefix(err, "Throttling") {
			s.err = err // the cause the status bar should name
			if !nothing {
				s.staleSince, s.throttled, s.retryAt = time.Time{}, 0, time.Time{}
				return
			}
			now := s.opts.Now()
			if s.staleSince.IsZero() {
				s.staleSince = now
			}
			s.throttled++
			s.retryAt = now.Add(backoff(s.opts.Period, s.throttled))
			return
		}
	}
}

// backoff is the wait after the n-th throttled refresh in a row: the
// period times 2, 4, 8, ..., at most maxBackoff (and never below the
// period).
func backoff(period time.Duration, n int) time.Duration {
	d := period
	for range min(n, 16) {
		d *= 2
		if d >= maxBackoff {
			return max(maxBackoff, period)
		}
	}
	return d
}

// appendPoint adds p to r after a NaN for each whole period missing since
// r's last point (at most the ring's capacity of them). An older point is
// ignored; a point at the last point's time replaces it, unless it is a
// gap (a late datapoint fills a gap, a gap never erases a datapoint).
func appendPoint(r *chart.Ring, p chart.Point, period time.Duration) {
	if last, ok := r.Last(); ok {
		switch {
		case p.T.Before(last.T):
			return
		case p.T.Equal(last.T):
			if !math.IsNaN(p.V) {
				r.Add(p)
			}
			return
		}
		missing := int(math.Round(float64(p.T.Sub(last.T))/float64(period))) - 1
		for k := max(1, missing-r.Cap()+1); k <= missing; k++ {
			r.Add(chart.Point{T: last.T.Add(time.Duration(k) * period), V: math.NaN()})
		}
	}
	r.Add(p)
}
