package views

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// TestThrottledCellsSayWhy: in the instances view, a running instance's
// CPU that was never fetched because CloudMonitor throttled reads
// "throttled" (not a blank or "-"); once shown, a value stays when the
// next fetch is throttled, with its age.
func TestThrottledCellsSayWhy(t *testing.T) {
	var mu sync.Mutex
	now := time.Now().UTC().Truncate(time.Minute).Add(30 * time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	good := emulator.New(emulator.Options{Seed: 1, Now: clock})
	throttled := emulator.New(emulator.Options{Seed: 1, Now: clock, ThrottleRate: 1})
	var cur atomic.Pointer[emulator.Server]
	cur.Store(good)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { cur.Load().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	c, err := cloud.New(cloud.Config{Endpoint: srv.URL, Region: "cn-hangzhou",
		Credentials: cloud.Credentials{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret}})
	if err != nil {
		t.Fatal(err)
	}
	samples := monitor.NewSampler(c, monitor.Options{Now: clock, Metrics: []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk}})
	ctx := Context{Client: c, Region: "cn-hangzhou", Theme: theme.New(true), Now: clock, Timeout: 30 * time.Second, Metrics: samples}
	v := load(t, ctx, findView(t, ctx, "instances"))
	ins, err := c.Instances(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	sample := func() {
		t.Helper()
		cmd := samples.Refresh(ins)
		if cmd == nil {
			t.Fatal("the sampler had nothing due")
		}
		samples.Apply(cmd().(monitor.SamplesMsg))
		v.Redraw(ctx)
	}
	row := func(name string) string {
		t.Helper()
		for _, line := range strings.Split(screen(ctx, v, 120, 40), "\n") {
			if strings.Contains(line, " "+name+" ") {
				return line
			}
		}
		t.Fatalf("no row for %s:\n%s", name, screen(ctx, v, 120, 40))
		return ""
	}
	var running cloud.Instance
	for _, in := range ins {
		if in.Status == cloud.StateRunning {
			running = in
			break
		}
	}

	cur.Store(throttled)
	sample()
	if r := row(running.Name); !strings.Contains(r, "throttled") {
		t.Errorf("never fetched, throttled: the row does not say so:\n%s", r)
	}

	cur.Store(good)
	advance(10 * time.Minute) // past the backoff
	sample()
	fresh := row(running.Name)
	if strings.Contains(fresh, "throttled") || !regexp.MustCompile(`\d+%`).MatchString(fresh) {
		t.Errorf("after a good fetch the row has no value:\n%s", fresh)
	}

	cur.Store(throttled)
	advance(3 * time.Minute)
	sample()
	stale := row(running.Name)
	if !regexp.MustCompile(`\d+m +\d+%`).MatchString(stale) || strings.Contains(stale, "throttled") {
		t.Errorf("a throttled fetch: the value should stay with its age (e.g. \"4m  35%%\"):\n%s", stale)
	}
}
