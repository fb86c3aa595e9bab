package monitor

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
)

// fetchConcurrency bounds the (region, metric) fetches of one refresh run
// at once; each batches again inside the client, which bounds calls in
// flight and paces the metric APIs under their rate limit.
const fetchConcurrency = 6

// fetchPlan is everything a refresh's command needs, captured at Refresh:
// the command reads nothing else and writes nothing but its SamplesMsg.
type fetchPlan struct {
	client   *cloud.Client
	metrics  []cloud.Metric
	period   time.Duration
	capacity int
	at       time.Time // when Refresh ran: the end of the backfill window
	regions  []regionPlan
}

// regionPlan is what one region's refresh fetches.
type regionPlan struct {
	region   string
	seq      uint64   // the region's refresh number, echoed in the result
	backfill []string // instances seen for the first time: their history
	steady   []string // instances already backfilled: their latest values
	agents   []string // instances whose agent status is asked; nil when not due
	// agentsFor is each asked instance's state when it was asked: the
	// answer settles its agent only if the state has not changed since.
	agentsFor map[string]cloud.InstanceState
}

// fetch makes the calls of a plan. Every (region, metric) part is fetched
// even when another fails, so a throttled metric does not discard the
// others' values.
func (p fetchPlan) fetch(ctx context.Context) SamplesMsg {
	msg := SamplesMsg{regions: make([]regionResult, len(p.regions))}
	start := p.at.Add(-time.Duration(p.capacity) * p.period)
	var g errgroup.Group
	g.SetLimit(fetchConcurrency)
	for i, rp := range p.regions {
		res := &msg.regions[i]
		res.region, res.seq = rp.region, rp.seq
		res.backfill, res.steady = rp.backfill, rp.steady
		res.metrics = make([]metricResult, len(p.metrics))
		for j, m := range p.metrics {
			mr := &res.metrics[j]
			mr.metric = m
			if len(rp.backfill) > 0 {
				g.Go(func() error {
					h, err := p.client.MetricHistories(ctx, rp.region, m, rp.backfill, start, p.at, p.period)
					mr.history, mr.historyErr = h, wrap(err, "backfill %s in %s", m, rp.region)
					return nil
				})
			}
			if len(rp.steady) > 0 {
				g.Go(func() error {
					l, err := p.client.LatestMetrics(ctx, rp.region, m, rp.steady)
					mr.latest, mr.latestErr = l, wrap(err, "latest %s in %s", m, rp.region)
					return nil
				})
			}
		}
		if rp.agents != nil {
			res.agentsAsked, res.agentsFor = true, rp.agentsFor
			g.Go(func() error {
				a, err := p.client.AgentStatuses(ctx, rp.region, rp.agents)
				res.agents, res.agentsErr = a, wrap(err, "agent statuses in %s", rp.region)
				return nil
			})
		}
	}
	_ = g.Wait() // the parts return nil: their errors travel in msg
	return msg
}

// wrap adds what was being fetched to err; nil stays nil.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("metrics: "+format+": %w", append(args, err)...)
}
