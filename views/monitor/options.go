package monitor

import (
	"slices"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// Defaults for Options.
const (
	DefaultPeriod   = time.Minute
	DefaultCapacity = 60 // one hour at 60 s
)

// minPeriod is CloudMonitor's period for the basic ECS metrics: periods
// are whole multiples of it (the agent metrics accept multiples of 15 s,
// so a multiple of 60 s suits both).
const minPeriod = time.Minute

// agentEvery is how many periods pass between two agent status fetches.
const agentEvery = 10

// maxBackoff caps the wait after throttling.
const maxBackoff = 10 * time.Minute

// firstPartRetry is the wait before the failed parts of a refresh are
// asked again (it doubles while they keep failing, to a quarter of the
// period; see partRetry): the shell asks every 5 s.
const firstPartRetry = 5 * time.Second

// Options configure a Sampler.
type Options struct {
	// Period is the metric period and the fastest refresh (default 60 s;
	// the --metrics-refresh flag). It is rounded up to a whole minute, the
	// period of the basic metrics.
	Period time.Duration
	// Capacity is how many points are kept per instance and metric
	// (default 60 = 1 h at 60 s).
	Capacity int
	// Metrics are the metrics sampled (default: CPU, memory, disk,
	// internet in, internet out, load_1m).
	Metrics []cloud.Metric
	// Now is the clock (default time.Now). The command Refresh returns does
	// not call it: the time it needs is read at Refresh.
	Now func() time.Time
}

// DefaultMetrics are the metrics sampled when Options.Metrics is empty.
func DefaultMetrics() []cloud.Metric {
	return []cloud.Metric{
		cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk,
		cloud.MetricInternetIn, cloud.MetricInternetOut, cloud.MetricLoad1m,
	}
}

// withDefaults fills in the defaults and normalises the period.
func (o Options) withDefaults() Options {
	if o.Period <= 0 {
		o.Period = DefaultPeriod
	}
	if r := o.Period % minPeriod; r != 0 {
		o.Period += minPeriod - r
	}
	if o.Capacity <= 0 {
		o.Capacity = DefaultCapacity
	}
	if len(o.Metrics) == 0 {
		o.Metrics = DefaultMetrics()
	} else {
		o.Metrics = distinctMetrics(o.Metrics)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// distinctMetrics copies ms without repeats, in order.
func distinctMetrics(ms []cloud.Metric) []cloud.Metric {
	out := make([]cloud.Metric, 0, len(ms))
	for _, m := range ms {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}
