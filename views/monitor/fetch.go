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
	period   time.Duration
	capacity int
	at       time.Time // when Refresh ran: the end of the backfill window
	regions  []regionPlan
}

// regionPlan is what one region's refresh fetches.
type regionPlan struct {
	region  string
	seq     uint64 // the region's refresh number, echoed in the result
	full    bool   // the period's refresh (else a retry of failed parts)
	metrics []metricPlan
	agents  []string // instances whose agent status is asked; nil when not due
	// agentsFor is each asked instance's state when it was asked: the
	// answer settles its agent only if the state has not changed since.
	agentsFor map[string]cloud.InstanceState
}

// metricPlan is what one region's refresh fetches of one metric.
type metricPlan struct {
	metric   cloud.Metric
	backfill []string // instances without its history yet
	steady   []string // instances already backfilled: their latest values
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
		res.region, res.seq, res.full = rp.region, rp.seq, rp.full
		// One part per batch the client would make anyway: the same calls,
		// and a throttled batch fails only its own instances.
		for _, mp := range rp.metrics {
			for _, ids := range chunks(mp.backfill, cloud.HistoryBatchSize(start, p.at, p.period)) {
				res.metrics = append(res.metrics, metricResult{metric: mp.metric, backfill: ids})
			}
			for _, ids := range chunks(mp.steady, cloud.LatestBatchSize) {
				res.metrics = append(res.metrics, metricResult{metric: mp.metric, steady: ids})
			}
		}
		for j := range res.metrics {
			mr := &res.metrics[j]
			if len(mr.backfill) > 0 {
				g.Go(func() error {
					h, err := p.client.MetricHistories(ctx, rp.region, mr.metric, mr.backfill, start, p.at, p.period)
					mr.history, mr.historyErr = h, wrap(err, "backfill %s in %s", mr.metric, rp.region)
					return nil
				})
			} else {
				g.Go(func() error {
					l, err := p.client.LatestMetrics(ctx, rp.region, mr.metric, mr.steady)
					mr.latest, mr.latestErr = l, wrap(err, "latest %s in %s", mr.metric, rp.region)
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

// chunks splits ids into runs of at most size.
func chunks(ids []string, size int) [][]string {
	var out [][]string
	for size > 0 && len(ids) > size {
		out = append(out, ids[:size])
		ids = ids[size:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// wrap adds what was being fetched to err; nil stays nil.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("metrics: "+format+": %w", append(args, err)...)
}
