package cloud

import (
	"context"
	"sync"
	"time"
)

// metricCallsPerSecond is how many calls of one CloudMonitor metric query
// API the client lets the service see in any one-second window. The
// documented limit is 50 calls/s per API per account (API notes §5); 45
// leaves room for another client of the same account, so a big refresh
// (1,000 instances x 6 metrics = 120 calls) is spread over a few seconds
// instead of being answered Throttling.User.
const metricCallsPerSecond = 45

// pacer keeps each metric query API under its rate limit whatever the
// service's latency: an action has limit tokens; a call takes one before
// it is sent and gives it back one period (a second) after its answer.
// Every call the service handles in any one-second window then held a
// token at that window's end, so the service never counts more than limit
// in a window, even when it queues requests and handles them in a burst
// (counting sends, as a sliding window of start times would, is not
// enough then). It makes callers wait; it never refuses. Memory is fixed:
// limit tokens per metric action.
type pacer struct {
	limit int
	per   time.Duration

	mu     sync.Mutex
	tokens map[string]chan struct{} // action -> its free tokens
}

func newPacer(limit int, per time.Duration) *pacer {
	return &pacer{limit: limit, per: per, tokens: map[string]chan struct{}{}}
}

// acquire waits for a token of action, or until ctx is done, and returns
// the function that gives it back (call it when the answer is in). Actions
// other than the metric queries pass straight through.
func (p *pacer) acquire(ctx context.Context, action string) (release func(), err error) {
	if p == nil || p.limit <= 0 || !isMetricAction(action) {
		return func() {}, nil
	}
	free := p.bucket(action)
	select {
	case <-free:
		return func() { time.AfterFunc(p.per, func() { free <- struct{}{} }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// bucket returns action's tokens, full the first time.
func (p *pacer) bucket(action string) chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	free := p.tokens[action]
	if free == nil {
		free = make(chan struct{}, p.limit)
		for range p.limit {
			free <- struct{}{}
		}
		p.tokens[action] = free
	}
	return free
}
