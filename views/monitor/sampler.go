package monitor

import (
	"math"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/chart"
)

// Sampler keeps live metrics for the dashboard. See the package doc for
// which goroutine may call what: in short, everything but the command
// Refresh returns runs on the UI goroutine.
type Sampler struct {
	client *cloud.Client
	opts   Options

	instances map[string]*instanceState // by instance ID
	regions   map[string]*regionState   // by region ID

	staleSince time.Time // first throttled refresh; zero when fresh
	throttled  int       // throttled refreshes in a row
	retryAt    time.Time // no fetch before this (backoff)
	err        error     // last refresh's error
}

// instanceState is what the Sampler knows of one instance.
type instanceState struct {
	rings map[cloud.Metric]*chart.Ring // made on the first datapoint
	agent string                       // "" until known
	// backfilled: the metric's backfill was asked (and did not fail).
	backfilled map[cloud.Metric]bool
	// missed says why the metric's last fetch brought nothing
	// (missedThrottled, missedFailed); absent after one that answered. The
	// region's next refresh asks these again soon (see Refresh).
	missed map[cloud.Metric]string
	// status is the instance's state as last given to Refresh ("" before).
	status cloud.InstanceState
	// agentAsked: its agent status was asked at least once.
	agentAsked bool
	// agentStale: the instance changed state (a start, a stop) since its
	// agent was read, so agent says nothing true: Agent reports it unknown
	// and the next refresh of its region reads it again.
	agentStale bool
}

// needsAgent reports whether an instance's agent status is to be read at
// its region's next refresh although the periodic read is not due: never
// read, stale after a change of state, or installing (it ends within
// minutes, and the metrics view should follow it).
func (in *instanceState) needsAgent() bool {
	return !in.agentAsked || in.agentStale || in.agent == "installing"
}

// Why a metric's value is missing or old (Behind).
const (
	missedThrottled = "throttled" // CloudMonitor answered Throttling.*
	missedFailed    = "error"     // another error, or no answer
)

// regionState schedules one region's refreshes.
type regionState struct {
	last     time.Time // when its last full refresh was issued
	agentsAt time.Time // when its agents were last asked (zero: due)
	inFlight bool      // a refresh is running; its SamplesMsg is due
	issued   time.Time // when the refresh in flight was issued
	seq      uint64    // number of the last refresh issued
	// retryAt: some parts of the last refresh failed; from then on the
	// next Refresh asks those parts again, before the period is over.
	retryAt time.Time
	retries int // refreshes in a row with failed parts (the retry backs off)
}

// NewSampler returns a Sampler that fetches through client.
func NewSampler(client *cloud.Client, opts Options) *Sampler {
	return &Sampler{
		client:    client,
		opts:      opts.withDefaults(),
		instances: map[string]*instanceState{},
		regions:   map[string]*regionState{},
	}
}

// Period is the metric period in use (Options.Period after defaults and
// rounding).
func (s *Sampler) Period() time.Duration { return s.opts.Period }

// Capacity is the number of points kept per instance and metric.
func (s *Sampler) Capacity() int { return s.opts.Capacity }

// Metrics are the metrics sampled, in order.
func (s *Sampler) Metrics() []cloud.Metric { return append([]cloud.Metric(nil), s.opts.Metrics...) }

// ring returns the ring of an instance's metric, nil if there is none.
func (s *Sampler) ring(instanceID string, m cloud.Metric) *chart.Ring {
	if in := s.instances[instanceID]; in != nil {
		return in.rings[m]
	}
	return nil
}

// Values returns the held values of an instance's metric, oldest first,
// one per period, NaN for missing periods (gaps): the input of
// chart.Sparkline. nil when nothing is known.
func (s *Sampler) Values(instanceID string, m cloud.Metric) []float64 {
	r := s.ring(instanceID, m)
	if r == nil {
		return nil
	}
	return r.Values(make([]float64, 0, r.Len()))
}

// Points returns the held points of an instance's metric, oldest first; a
// gap is a point with a NaN value. nil when nothing is known.
func (s *Sampler) Points(instanceID string, m cloud.Metric) []chart.Point {
	r := s.ring(instanceID, m)
	if r == nil {
		return nil
	}
	return r.Points()
}

// Latest returns the newest value of an instance's metric and its time.
// ok is false when nothing is known or the newest period is a gap (the
// instance did not report in the last refresh).
func (s *Sampler) Latest(instanceID string, m cloud.Metric) (v float64, at time.Time, ok bool) {
	r := s.ring(instanceID, m)
	if r == nil {
		return 0, time.Time{}, false
	}
	p, ok := r.Last()
	if !ok || math.IsNaN(p.V) {
		return 0, p.T, false
	}
	return p.V, p.T, true
}

// Behind reports whether the last fetch of an instance's metric brought
// nothing, and why ("throttled", "error"; "" when it answered): a value
// held from before is then out of date by age (its datapoint's age; 0
// when nothing is held). A view shows the held value with its age, or
// why there is none. UI goroutine only, like every reader.
func (s *Sampler) Behind(instanceID string, m cloud.Metric) (age time.Duration, why string) {
	in := s.instances[instanceID]
	if in == nil || in.missed[m] == "" {
		return 0, ""
	}
	if r := in.rings[m]; r != nil {
		if p, ok := r.Last(); ok {
			age = s.opts.Now().Sub(p.T)
		}
	}
	return age, in.missed[m]
}

// Agent returns the CloudMonitor agent status of an instance: "running",
// "not_installed", "stopped", "installing", "install_faild", "abnormal".
// known is false until the agent statuses of its region were fetched, and
// again from a change of the instance's state (seen by Refresh) until its
// agent is read anew.
func (s *Sampler) Agent(instanceID string) (status string, known bool) {
	if in := s.instances[instanceID]; in != nil && in.agent != "" && !in.agentStale {
		return in.agent, true
	}
	return "", false
}

// Stale reports whether the values are out of date because CloudMonitor
// throttled a whole refresh (nothing got through), and since when (the
// first such refresh). The values are kept; the next refresh that gets
// through clears it. A refresh throttled in part leaves it clear: Behind
// says which values are old.
func (s *Sampler) Stale() (since time.Time, stale bool) {
	return s.staleSince, !s.staleSince.IsZero()
}

// Err returns the last refresh's error, nil after a successful one.
func (s *Sampler) Err() error { return s.err }

// Usage returns the client's API usage (on the wall clock, which stamps
// the calls; not Options.Now).
func (s *Sampler) Usage() cloud.Usage { return s.client.Usage(time.Now()) }

// Forget drops everything held about instances not in keep, so memory
// follows the listed fleet rather than every instance ever seen. An
// instance listed again later is backfilled again.
func (s *Sampler) Forget(keep map[string]bool) {
	for id := range s.instances {
		if !keep[id] {
			delete(s.instances, id)
		}
	}
}

// Len is the number of instances the Sampler holds anything for.
func (s *Sampler) Len() int { return len(s.instances) }

// instance returns the state of an instance, creating it.
func (s *Sampler) instance(id string) *instanceState {
	in := s.instances[id]
	if in == nil {
		in = &instanceState{rings: map[cloud.Metric]*chart.Ring{}, backfilled: map[cloud.Metric]bool{}, missed: map[cloud.Metric]string{}}
		s.instances[id] = in
	}
	return in
}
