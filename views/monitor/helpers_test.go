package monitor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// region is the region the tests sample; the emulator puts a third of its
// fleet there.
const region = "cn-hangzhou"

// clock is a settable clock shared by the emulator (its datapoints) and the
// Sampler (its schedule). Safe for concurrent use: the emulator reads it on
// its handler goroutines.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// newClock starts half-way through a minute, so every 60 s datapoint is
// well inside a window.
func newClock() *clock {
	return &clock{now: time.Now().UTC().Truncate(time.Minute).Add(30 * time.Second)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newEmulator builds an emulator on clk (seed 1).
func newEmulator(clk *clock, opts emulator.Options) *emulator.Server {
	opts.Seed = 1
	opts.Now = clk.Now
	return emulator.New(opts)
}

// serve serves h on 127.0.0.1 for the test and returns a client for it.
func serve(t testing.TB, h http.Handler) *cloud.Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c, err := cloud.New(cloud.Config{
		Endpoint:    ts.URL,
		Region:      region,
		Credentials: cloud.Credentials{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret},
	})
	if err != nil {
		t.Fatalf("cloud.New: %v", err)
	}
	return c
}

// switchable serves whichever emulator is current: two emulators with the
// same seed and clock answer identically, so switching to one built with
// ThrottleRate 1 is the same cloud starting to throttle.
type switchable struct {
	cur atomic.Pointer[emulator.Server]
}

func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.cur.Load().ServeHTTP(w, r)
}

// listInstances lists a region's instances (all regions for AllRegions).
func listInstances(t testing.TB, c *cloud.Client, regionID string) []cloud.Instance {
	t.Helper()
	ins, err := c.Instances(context.Background(), regionID)
	if err != nil {
		t.Fatalf("Instances(%s): %v", regionID, err)
	}
	return ins
}

// refresh runs a refresh to the end: the command, then Apply. It fails the
// test if Refresh had nothing to fetch.
func refresh(t testing.TB, s *monitor.Sampler, ins []cloud.Instance) {
	t.Helper()
	cmd := s.Refresh(ins)
	if cmd == nil {
		t.Fatal("Refresh returned nil: nothing due")
	}
	msg, ok := cmd().(monitor.SamplesMsg)
	if !ok {
		t.Fatalf("the command returned %T, want monitor.SamplesMsg", msg)
	}
	s.Apply(msg)
}

// callsDuring returns the calls per action the emulator served during f.
func callsDuring(srv *emulator.Server, f func()) map[string]int {
	before := srv.Stats().Calls
	f()
	out := map[string]int{}
	for action, n := range srv.Stats().Calls {
		if d := n - before[action]; d != 0 {
			out[action] = d
		}
	}
	return out
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// threeMetrics are the metrics the call-count tests sample.
func threeMetrics() []cloud.Metric {
	return []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk}
}
