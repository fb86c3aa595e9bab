package monitor

import (
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// lostAfter is how long a region waits for the answer of an issued
// refresh before it asks again (a SamplesMsg that never reached Apply).
const lostAfter = 10 * time.Minute

// Refresh returns a command fetching what the given instances need: for an
// instance seen for the first time, a backfill of the last Capacity periods
// (MetricHistories, batched); afterwards the latest values (LatestMetrics,
// 50 instances per call), plus the agent statuses (AgentStatuses) of all
// of a region's instances once per 10 periods and, in between, of those
// whose agent status is not settled: never read, installing, or read
// before the instance's last change of state (its Status differs from the
// one given to the previous Refresh: a start, a stop). Instances may span
// regions: each region is refreshed on its own schedule, never faster than
// the period.
//
// A part of a refresh that failed (a metric's call throttled while the
// others answered) is asked again before the period is over: from
// partRetry after the failure (5 s, doubling while it keeps failing, at
// most a quarter of the period), the next Refresh fetches only the failed metrics of
// the instances they failed for. So a few throttled calls cost a few
// calls more, not a period of blanks.
//
// It returns nil when no region of the instances is due (the period has not
// elapsed since its last refresh, or its refresh is still running) and
// while backing off after throttling. The result arrives as a SamplesMsg
// to hand to Apply. UI goroutine only.
func (s *Sampler) Refresh(instances []cloud.Instance) tea.Cmd {
	return s.RefreshContext(context.Background(), instances)
}

// RefreshContext is Refresh with a context for the calls: cancelling it
// abandons the fetch (the SamplesMsg then carries the cancellation error).
func (s *Sampler) RefreshContext(ctx context.Context, instances []cloud.Instance) tea.Cmd {
	// Throttling is handled here (back off, show stale), not by retrying.
	ctx = cloud.WithoutThrottleRetry(ctx)
	now := s.opts.Now()
	if now.Before(s.retryAt) {
		return nil
	}
	plan := fetchPlan{
		client:   s.client,
		period:   s.opts.Period,
		capacity: s.opts.Capacity,
		at:       now,
	}
	s.noteStatuses(instances)
	for _, g := range groupByRegion(instances) {
		st := s.regions[g.region]
		if st == nil {
			st = &regionState{}
			s.regions[g.region] = st
		}
		full := s.regionDue(st, now)
		if !full && !retryDue(st, now) {
			continue
		}
		rp := regionPlan{region: g.region, full: full}
		for _, m := range s.opts.Metrics {
			mp := metricPlan{metric: m}
			for _, id := range g.ids {
				in := s.instance(id)
				if !full && in.missed[m] == "" {
					continue // a retry asks only what failed
				}
				if in.backfilled[m] {
					mp.steady = append(mp.steady, id)
				} else {
					in.backfilled[m] = true
					mp.backfill = append(mp.backfill, id)
				}
			}
			if len(mp.backfill)+len(mp.steady) > 0 {
				rp.metrics = append(rp.metrics, mp)
			}
		}
		switch {
		case st.agentsAt.IsZero() || (full && now.Sub(st.agentsAt) >= agentEvery*s.opts.Period):
			rp.agents = g.ids
			st.agentsAt = now
		case full:
			for _, id := range g.ids {
				if s.instances[id].needsAgent() {
					rp.agents = append(rp.agents, id)
				}
			}
		}
		if rp.agents != nil {
			rp.agentsFor = make(map[string]cloud.InstanceState, len(rp.agents))
			for _, id := range rp.agents {
				in := s.instances[id]
				in.agentAsked = true
				rp.agentsFor[id] = in.status
			}
		}
		st.retryAt = time.Time{}
		if len(rp.metrics) == 0 && rp.agents == nil {
			continue // a retry with nothing left to ask
		}
		st.seq++
		if full {
			st.last = now
		}
		st.issued, st.inFlight = now, true
		rp.seq = st.seq
		plan.regions = append(plan.regions, rp)
	}
	if len(plan.regions) == 0 {
		return nil
	}
	return func() tea.Msg { return plan.fetch(ctx) }
}

// noteStatuses records each instance's state; an instance whose state
// changed since the previous Refresh has a stale agent status.
func (s *Sampler) noteStatuses(instances []cloud.Instance) {
	for _, in := range instances {
		if in.ID == "" {
			continue
		}
		st := s.instance(in.ID)
		if st.status != "" && st.status != in.Status {
			st.agentStale = true
		}
		st.status = in.Status
	}
}

// Due reports whether Refresh would fetch now for the regions already
// sampled: not backing off, and some region's period has elapsed. Before
// the first Refresh (and for a region never sampled) Refresh always
// fetches unless backing off.
func (s *Sampler) Due() bool {
	now := s.opts.Now()
	if now.Before(s.retryAt) {
		return false
	}
	if len(s.regions) == 0 {
		return true
	}
	for _, st := range s.regions {
		if s.regionDue(st, now) || retryDue(st, now) {
			return true
		}
	}
	return false
}

// NextDue returns when the next refresh can fetch: the end of the backoff
// or the earliest region's next period; now when one is due already. For
// a tea.Tick that wakes the shell no earlier than needed.
func (s *Sampler) NextDue() time.Time {
	now := s.opts.Now()
	next := time.Time{}
	for _, st := range s.regions {
		at := st.last.Add(s.opts.Period)
		switch {
		case st.inFlight:
			at = st.issued.Add(lostAfter)
		case !st.retryAt.IsZero() && st.retryAt.Before(at):
			at = st.retryAt
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	if next.IsZero() || next.Before(now) {
		next = now
	}
	if next.Before(s.retryAt) {
		next = s.retryAt
	}
	return next
}

// regionDue reports whether a region's full refresh is due at now.
func (s *Sampler) regionDue(st *regionState, now time.Time) bool {
	if st.inFlight {
		return now.Sub(st.issued) >= lostAfter
	}
	return st.last.IsZero() || now.Sub(st.last) >= s.opts.Period
}

// retryDue reports whether the failed parts of a region's last refresh
// are to be asked again at now.
func retryDue(st *regionState, now time.Time) bool {
	return !st.inFlight && !st.retryAt.IsZero() && !now.Before(st.retryAt)
}

// partRetry is the wait before asking the failed parts of a refresh again,
// after the n-th refresh in a row with failures: 5 s, 10 s, 20 s, ..., at
// most a quarter of the period.
func partRetry(period time.Duration, n int) time.Duration {
	d := firstPartRetry
	for range min(n-1, 16) {
		d *= 2
	}
	return min(d, period/4)
}

// regionIDs are one region's instances.
type regionIDs struct {
	region string
	ids    []string
}

// groupByRegion groups instance IDs by region, regions sorted, each ID
// once, in the order given.
func groupByRegion(instances []cloud.Instance) []regionIDs {
	byRegion := map[string][]string{}
	seen := make(map[string]bool, len(instances))
	for _, in := range instances {
		if in.ID == "" || seen[in.ID] {
			continue
		}
		seen[in.ID] = true
		byRegion[in.RegionID] = append(byRegion[in.RegionID], in.ID)
	}
	out := make([]regionIDs, 0, len(byRegion))
	for r, ids := range byRegion {
		out = append(out, regionIDs{region: r, ids: ids})
	}
	slices.SortFunc(out, func(a, b regionIDs) int {
		switch {
		case a.region < b.region:
			return -1
		case a.region > b.region:
			return 1
		}
		return 0
	})
	return out
}
