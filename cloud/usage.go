package cloud

import (
	"maps"
	"sync"
	"time"
)

// FreeMetricCallsPerMonth is CloudMonitor's free quota shared by
// DescribeMetricLast, DescribeMetricList, DescribeMetricData and
// DescribeMetricTop (API notes §5); calls beyond it are billed or refused.
const FreeMetricCallsPerMonth = 1_000_000

// minutesPerMonth is a 30-day month, the unit of ProjectedMonthly.
const minutesPerMonth = 30 * 24 * 60

// usageWindow is how far back MetricCallsPerMinute averages.
const usageWindow = 10 * time.Minute

// usageSeconds is the number of one-second buckets the meter keeps: the
// averaging window, at one-second resolution so "the last minute" is exact.
const usageSeconds = int(usageWindow / time.Second)

// isMetricAction reports whether action is one of the CloudMonitor query
// APIs that share the free quota and the 50 calls/s limit.
func isMetricAction(action string) bool {
	switch action {
	case "DescribeMetricLast", "DescribeMetricList", "DescribeMetricData", "DescribeMetricTop":
		return true
	}
	return false
}

// Usage is what the client has asked of the APIs: the metric query rate
// against CloudMonitor's free monthly quota, and every action's count.
type Usage struct {
	// MetricCallsLastMinute counts metric query calls (DescribeMetricLast,
	// List, Data, Top) in the 60 seconds up to now.
	MetricCallsLastMinute int
	// MetricCallsPerMinute is the metric call rate averaged over the last
	// 10 minutes, or since the client started if that is less (at least
	// one minute, so a start-up burst is not extrapolated from seconds).
	MetricCallsPerMinute float64
	// ProjectedMonthly is MetricCallsPerMinute over a 30-day month.
	ProjectedMonthly int
	// FreeMonthlyQuota is FreeMetricCallsPerMonth.
	FreeMonthlyQuota int
	// TotalCalls counts every call sent since the client started, by
	// action (failed and throttled calls included: they reached the API).
	TotalCalls map[string]int
	// Retries counts calls repeated by the retry policy (each repeat is
	// also in TotalCalls: it reached the API too).
	Retries int
}

// Usage reports the client's API usage as of now (the wall clock: calls
// are stamped with time.Now when they are sent). Safe for concurrent use.
func (c *Client) Usage(now time.Time) Usage {
	return c.usage.snapshot(now)
}

// usageMeter counts calls. Memory is fixed: one bucket per second of the
// averaging window in a ring (indexed by Unix second), plus one counter per
// action name.
type usageMeter struct {
	mu      sync.Mutex
	started time.Time
	secs    [usageSeconds]secondCount
	total   map[string]int
	retries int
}

// secondCount is the metric calls sent during one Unix second.
type secondCount struct {
	sec int64
	n   int
}

func newUsageMeter(started time.Time) *usageMeter {
	return &usageMeter{started: started, total: map[string]int{}}
}

// record counts one call of action sent at at. A nil meter (a Client not
// built by New) counts nothing.
func (m *usageMeter) record(action string, at time.Time) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.total[action]++
	if !isMetricAction(action) {
		return
	}
	sec := at.Unix()
	b := &m.secs[bucketIndex(sec)]
	if b.sec != sec {
		*b = secondCount{sec: sec}
	}
	b.n++
}

// retry counts one call repeated by the retry policy. A nil meter counts
// nothing.
func (m *usageMeter) retry() {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.retries++
	m.mu.Unlock()
}

// snapshot computes a Usage as of now.
func (m *usageMeter) snapshot(now time.Time) Usage {
	u := Usage{FreeMonthlyQuota: FreeMetricCallsPerMonth, TotalCalls: map[string]int{}}
	if m == nil {
		return u
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	nowSec := now.Unix()
	inWindow := 0
	for _, b := range m.secs {
		age := nowSec - b.sec
		if b.n == 0 || age < 0 || age >= int64(usageSeconds) {
			continue
		}
		inWindow += b.n
		if age < 60 {
			u.MetricCallsLastMinute += b.n
		}
	}
	window := min(max(now.Sub(m.started), time.Minute), usageWindow)
	u.MetricCallsPerMinute = float64(inWindow) / window.Minutes()
	u.ProjectedMonthly = int(u.MetricCallsPerMinute * minutesPerMonth)
	u.TotalCalls = maps.Clone(m.total)
	u.Retries = m.retries
	return u
}

// bucketIndex maps a Unix second onto the ring.
func bucketIndex(sec int64) int {
	i := int(sec % int64(usageSeconds))
	if i < 0 {
		i += usageSeconds
	}
	return i
}
