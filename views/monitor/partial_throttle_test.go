package monitor_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// shellTick is how often the shell asks the sampler whether it is due
// (tui's metricsTick).
const shellTick = 5 * time.Second

// runFor drives s as the shell does for d of the test clock: Refresh at
// every tick, the command run and its answer applied at once.
func runFor(t testing.TB, clk *clock, s *monitor.Sampler, ins []cloud.Instance, d time.Duration) {
	t.Helper()
	for end := clk.Now().Add(d); clk.Now().Before(end); clk.Advance(shellTick) {
		if cmd := s.Refresh(ins); cmd != nil {
			msg, ok := cmd().(monitor.SamplesMsg)
			if !ok {
				t.Fatalf("the command returned %T, want monitor.SamplesMsg", msg)
			}
			s.Apply(msg)
		}
	}
}

// TestPartlyThrottledShowsEveryCPUWithinTwoPeriods: with 30 % of the calls
// throttled, every running instance has a CPU value within two periods:
// the parts that were throttled are asked again soon, the rest is kept,
// and the sampler does not back off as if the service refused everything.
func TestPartlyThrottledShowsEveryCPUWithinTwoPeriods(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		clk := newClock()
		srv := emulator.New(emulator.Options{Seed: seed, Instances: 200, ThrottleRate: 0.3, Now: clk.Now})
		c := serve(t, srv)
		ins := listInstances(t, c, region) // reads retry throttling
		s := monitor.NewSampler(c, monitor.Options{Now: clk.Now})
		runFor(t, clk, s, ins, 2*s.Period())
		running := 0
		for _, in := range ins {
			if in.Status != cloud.StateRunning {
				continue
			}
			running++
			if _, _, ok := s.Latest(in.ID, cloud.MetricCPU); !ok {
				age, why := s.Behind(in.ID, cloud.MetricCPU)
				t.Errorf("seed %d: %s (running) has no CPU after two periods (behind %v: %q)", seed, in.ID, age, why)
			}
		}
		if running == 0 {
			t.Fatalf("seed %d: no running instance in %s", seed, region)
		}
		if srv.Stats().Faults["Throttling.User"] == 0 {
			t.Fatalf("seed %d: nothing was throttled: the test proves nothing", seed)
		}
	}
}

// TestThrottledNeverSampledSaysWhy: a metric that never had a value
// because its every fetch was throttled says so (Behind's why), while a
// value already held stays, with its age, when a later fetch of it is
// throttled.
func TestThrottledNeverSampledSaysWhy(t *testing.T) {
	clk := newClock()
	good := newEmulator(clk, emulator.Options{Instances: 200})
	throttled := newEmulator(clk, emulator.Options{Instances: 200, ThrottleRate: 1})
	var sw switchable
	sw.cur.Store(throttled)
	c := serve(t, &sw)
	sw.cur.Store(good)
	ins := listInstances(t, c, region)
	sw.cur.Store(throttled)
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now, Metrics: threeMetrics()})
	refresh(t, s, ins)
	id := firstRunning(t, ins, clk.Now().Add(-time.Hour))
	if _, why := s.Behind(id, cloud.MetricCPU); why != "throttled" {
		t.Errorf("never sampled, throttled: Behind why = %q, want \"throttled\"", why)
	}

	// The service answers: values, nothing behind.
	sw.cur.Store(good)
	clk.Advance(10 * time.Minute) // past any backoff
	refresh(t, s, ins)
	v, at, ok := s.Latest(id, cloud.MetricCPU)
	if !ok {
		t.Fatal("no CPU after a good refresh")
	}
	if _, why := s.Behind(id, cloud.MetricCPU); why != "" {
		t.Errorf("after a good refresh Behind why = %q, want none", why)
	}

	// Throttled again: the value stays and says how old it is.
	sw.cur.Store(throttled)
	clk.Advance(3 * s.Period())
	refresh(t, s, ins)
	v2, at2, ok := s.Latest(id, cloud.MetricCPU)
	if !ok || v2 != v || !at2.Equal(at) {
		t.Errorf("a throttled refresh changed the held value: %v %v %v, was %v %v", v2, at2, ok, v, at)
	}
	age, why := s.Behind(id, cloud.MetricCPU)
	if why != "throttled" || age != clk.Now().Sub(at) {
		t.Errorf("Behind = %v, %q; want %v, \"throttled\"", age, why, clk.Now().Sub(at))
	}
}

// TestCallCountIsWhatReachedTheAPI: under throttling, the client's count
// of metric calls (the cost estimate's input) equals what the API served,
// throttled answers included; calls cancelled before they were sent are
// not in it. (A fleet whose every fetch is one call: a batch abandoned
// when its sibling fails is counted once written, which the server may
// or may not have read.)
func TestCallCountIsWhatReachedTheAPI(t *testing.T) {
	clk := newClock()
	srv := emulator.New(emulator.Options{Seed: 1, Instances: 40, ThrottleRate: 0.3, Now: clk.Now})
	c := serve(t, srv)
	ins := listInstances(t, c, region)
	if len(ins) > 24 { // an hour's history of 24 instances is one call
		t.Fatalf("%d instances: more than one call per fetch", len(ins))
	}
	s := monitor.NewSampler(c, monitor.Options{Now: clk.Now})
	runFor(t, clk, s, ins, 3*s.Period())

	// Refused before sending: a refresh whose context is already done.
	clk.Advance(10 * time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if cmd := s.RefreshContext(ctx, ins); cmd != nil {
		s.Apply(cmd().(monitor.SamplesMsg))
	}

	served := srv.Stats().Calls
	counted := c.Usage(time.Now()).TotalCalls
	for _, action := range []string{"DescribeMetricList", "DescribeMetricLast", "DescribeMonitoringAgentStatuses"} {
		if counted[action] != served[action] {
			t.Errorf("%s: the client counted %d calls, the API served %d", action, counted[action], served[action])
		}
	}
	if served["DescribeMetricLast"] == 0 {
		t.Error("no DescribeMetricLast served: the test proves nothing")
	}
	last := c.Usage(time.Now()).MetricCallsLastMinute
	if want := served["DescribeMetricList"] + served["DescribeMetricLast"]; last != want {
		t.Errorf("MetricCallsLastMinute = %d, want the %d metric calls served (all within the last minute of wall time)", last, want)
	}
}
