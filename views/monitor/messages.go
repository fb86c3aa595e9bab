package monitor

import (
	"maps"

	"github.com/ecsdash/ecsdash/cloud"
)

// SamplesMsg is the result of the command Refresh returns: the fetched
// datapoints and agent statuses, and any errors; or agent statuses read
// elsewhere ([AgentsMsg]). Hand it to Apply; its content is private to
// this package.
type SamplesMsg struct {
	regions []regionResult
	// agents are statuses read outside the Sampler's schedule (AgentsMsg).
	agents map[string]cloud.AgentStatus
}

// AgentsMsg carries agent statuses read outside the Sampler's schedule (an
// agent install's flow reads them when the install ends) to Apply, on the
// UI goroutine like every change to the Sampler. Apply stores them as
// current and touches nothing else: not the schedule, the error or the
// stale mark. Instances the Sampler does not hold are ignored.
func AgentsMsg(statuses map[string]cloud.AgentStatus) SamplesMsg {
	return SamplesMsg{agents: maps.Clone(statuses)}
}

// regionResult is what one region's refresh brought back.
type regionResult struct {
	region      string
	seq         uint64
	full        bool // the period's refresh, not a retry of failed parts
	metrics     []metricResult
	agentsAsked bool
	agentsFor   map[string]cloud.InstanceState // each asked instance's state when asked
	agents      map[string]cloud.AgentStatus
	agentsErr   error
}

// metricResult is one metric's answers in one region.
type metricResult struct {
	metric     cloud.Metric
	backfill   []string                       // instances whose history was asked
	steady     []string                       // instances whose latest value was asked
	history    map[string][]cloud.MetricPoint // backfill, oldest first
	historyErr error
	latest     map[string]cloud.MetricPoint
	latestErr  error
}
