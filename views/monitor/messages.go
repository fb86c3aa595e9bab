package monitor

import "github.com/ecsdash/ecsdash/cloud"

// SamplesMsg is the result of the command Refresh returns: the fetched
// datapoints and agent statuses, and any errors. Hand it to Apply; its
// content is private to this package.
type SamplesMsg struct {
	regions []regionResult
}

// regionResult is what one region's refresh brought back.
type regionResult struct {
	region      string
	seq         uint64
	backfill    []string // instances whose history was asked
	steady      []string // instances whose latest values were asked
	metrics     []metricResult
	agentsAsked bool
	agents      map[string]cloud.AgentStatus
	agentsErr   error
}

// metricResult is one metric's answers in one region.
type metricResult struct {
	metric     cloud.Metric
	history    map[string][]cloud.MetricPoint // backfill, oldest first
	historyErr error
	latest     map[string]cloud.MetricPoint
	latestErr  error
}
