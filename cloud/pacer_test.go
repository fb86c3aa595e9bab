package cloud

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestPacer: however slow the answers, no more than limit calls of an
// action are in flight or answered within the last period; other actions
// are not held back; a waiting caller leaves when its context ends.
func TestPacer(t *testing.T) {
	const limit, per = 5, 100 * time.Millisecond
	p := newPacer(limit, per)
	type span struct{ start, end time.Time }
	var (
		mu    sync.Mutex
		spans []span
		wg    sync.WaitGroup
	)
	for i := range 3 * limit {
		wg.Go(func() {
			release, err := p.acquire(context.Background(), "DescribeMetricLast")
			if err != nil {
				t.Error(err)
				return
			}
			start := time.Now()
			time.Sleep(time.Duration(i%3) * 20 * time.Millisecond) // the service's latency
			end := time.Now()
			release()
			mu.Lock()
			spans = append(spans, span{start, end})
			mu.Unlock()
		})
	}
	wg.Wait()
	// The service may handle a call anywhere in [start, end]: for every
	// instant, count the calls that could fall in the window ending there.
	for _, at := range spans {
		n := 0
		for _, s := range spans {
			if !s.start.After(at.start) && s.end.Add(per).After(at.start) {
				n++
			}
		}
		if n > limit {
			t.Fatalf("%d calls could be counted in one %s window, limit %d", n, per, limit)
		}
	}

	begin := time.Now()
	for range 3 * limit {
		release, err := p.acquire(context.Background(), "DescribeInstances")
		if err != nil {
			t.Fatal(err)
		}
		release()
	}
	if d := time.Since(begin); d > per/2 {
		t.Errorf("an unpaced action waited %s", d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), per/10)
	defer cancel()
	for range 2 * limit { // use up the tokens, then one more must wait
		release, err := p.acquire(ctx, "DescribeMetricList")
		if err != nil {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want the context's", err)
			}
			return
		}
		release()
	}
	t.Error("with every token taken the caller did not wait")
}
