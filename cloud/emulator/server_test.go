package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// cmsCall is a V1-signed DescribeMonitoringAgentStatuses against base.
func cmsAgentCall(t *testing.T, base string) (int, map[string]any) {
	t.Helper()
	p := signV1Params("DescribeMonitoringAgentStatuses", VersionCMS, map[string]string{"InstanceIds": "i-x"})
	signV1(p, "POST", DefaultAccessKeySecret)
	return signSend(t, base, "POST", p, false)
}

func cmsStats(t *testing.T, base string) Stats {
	t.Helper()
	resp, err := http.Get(base + "/_emulator/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestServerThrottleRate(t *testing.T) {
	_, base := signServer(t, Options{Seed: 1, ThrottleRate: 1})
	for range 5 {
		status, body := cmsAgentCall(t, base)
		signWant(t, "throttled", status, body, 400, "Throttling.User")
		if body["Message"] != "Request was denied due to user flow control." || body["Success"] != false {
			t.Errorf("body %v", body)
		}
	}
	st := cmsStats(t, base)
	if st.Calls["DescribeMonitoringAgentStatuses"] != 5 || st.Faults["Throttling.User"] != 5 || st.TotalCalls != 5 {
		t.Errorf("stats %+v", st)
	}
}

func TestServerErrorRate(t *testing.T) {
	_, base := signServer(t, Options{Seed: 1, ErrorRate: 1})
	seen := map[string]bool{}
	for range 20 {
		status, body := cmsAgentCall(t, base)
		switch {
		case status == 500 && body["Code"] == "InternalError":
		case status == 503 && body["Code"] == "ServiceUnavailable":
		default:
			t.Fatalf("error injection: %d %v", status, body)
		}
		seen[body["Code"].(string)] = true
	}
	if len(seen) != 2 {
		t.Errorf("only %v in 20 calls", seen)
	}
	st := cmsStats(t, base)
	if st.Faults["InternalError"]+st.Faults["ServiceUnavailable"] != 20 {
		t.Errorf("stats %+v", st)
	}
}

func TestServerLatencyAndStats(t *testing.T) {
	_, base := signServer(t, Options{Seed: 1, Latency: 150 * time.Millisecond})
	start := time.Now()
	if status, body := cmsAgentCall(t, base); status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("answered in %v despite Latency 150ms", d)
	}
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			p := signV1Params("DescribeMetricLast", VersionCMS, map[string]string{"Namespace": cmsNamespaceECS, "MetricName": "CPUUtilization"})
			signV1(p, "POST", DefaultAccessKeySecret)
			if status, body := signSend(t, base, "POST", p, false); status != 200 {
				t.Errorf("%d %v", status, body)
			}
		})
	}
	wg.Wait()
	// An unknown action is not counted as a call of any action.
	p := signV1Params("DescribeNothing", VersionCMS, nil)
	signV1(p, "POST", DefaultAccessKeySecret)
	signSend(t, base, "POST", p, false)

	st := cmsStats(t, base)
	if st.Calls["DescribeMonitoringAgentStatuses"] != 1 || st.Calls["DescribeMetricLast"] != 6 || st.TotalCalls != 7 {
		t.Errorf("calls %+v", st)
	}
	if st.MaxInFlight < 2 || st.MaxInFlight > 7 {
		t.Errorf("maxInFlight %d for 6 concurrent slow calls", st.MaxInFlight)
	}
	if len(st.Faults) != 0 {
		t.Errorf("faults %v", st.Faults)
	}
}

// cmsServe runs one V1-signed call in process.
func cmsServe(s *Server, action string, extra map[string]string) (int, map[string]any) {
	p := signV1Params(action, VersionCMS, extra)
	signV1(p, "POST", DefaultAccessKeySecret)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/?"+p.Encode(), nil))
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec.Code, body
}

func TestServerCMSRateLimit(t *testing.T) {
	metric := map[string]string{"Namespace": cmsNamespaceECS, "MetricName": "CPUUtilization", "Dimensions": `[{"instanceId":"i-x"}]`}
	burst := func(s *Server, action string, n int) (ok, throttled int, took time.Duration) {
		start := time.Now()
		for range n {
			status, body := cmsServe(s, action, metric)
			switch {
			case status == 200:
				ok++
			case status == 400 && body["Code"] == "Throttling.User" && body["Message"] == "Request was denied due to user flow control.":
				throttled++
			default:
				t.Fatalf("%d %v", status, body)
			}
		}
		return ok, throttled, time.Since(start)
	}

	s := New(Options{Seed: 1, Now: func() time.Time { return cmsNow }})
	ok, throttled, took := burst(s, "DescribeMetricLast", 60)
	if took > 900*time.Millisecond {
		t.Skipf("60 calls took %v: too slow to test a one-second window", took)
	}
	if ok != 50 || throttled != 10 {
		t.Fatalf("60 calls in %v: %d ok, %d throttled", took, ok, throttled)
	}
	// The limit is per API: DescribeMetricList has its own 50.
	if ok, throttled, _ := burst(s, "DescribeMetricList", 10); ok != 10 || throttled != 0 {
		t.Errorf("DescribeMetricList: %d ok, %d throttled", ok, throttled)
	}
	if f := s.Stats().Faults["Throttling.User"]; f != 10 {
		t.Errorf("faults %v", s.Stats().Faults)
	}
	// A second later the window has moved on.
	time.Sleep(time.Second)
	if ok, _, _ := burst(s, "DescribeMetricLast", 5); ok != 5 {
		t.Errorf("after a second: %d ok", ok)
	}

	// Configurable, and negative disables it.
	s = New(Options{Seed: 1, CMSRateLimit: 3})
	if ok, throttled, _ := burst(s, "DescribeMetricLast", 5); ok != 3 || throttled != 2 {
		t.Errorf("limit 3: %d ok, %d throttled", ok, throttled)
	}
	s = New(Options{Seed: 1, CMSRateLimit: -1})
	if ok, _, _ := burst(s, "DescribeMetricLast", 70); ok != 70 {
		t.Errorf("no limit: %d ok", ok)
	}
	// The agent APIs are not limited.
	s = New(Options{Seed: 1, CMSRateLimit: 1})
	for range 3 {
		if status, body := cmsServe(s, "DescribeMonitoringAgentStatuses", map[string]string{"InstanceIds": "i-x"}); status != 200 {
			t.Fatalf("%d %v", status, body)
		}
	}
}

func TestRateLimiterSlidingWindow(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newRateLimiter(3)
	l.now = func() time.Time { return now }
	step := func(d time.Duration) { now = now.Add(d) }
	for i := range 3 {
		if !l.allow("A") {
			t.Fatalf("call %d refused", i)
		}
		step(100 * time.Millisecond)
	}
	if l.allow("A") {
		t.Fatal("4th call within a second allowed")
	}
	if !l.allow("B") {
		t.Fatal("limit not per action")
	}
	step(700 * time.Millisecond) // the first call is now 1s old
	if !l.allow("A") {
		t.Fatal("window did not slide")
	}
	if l.allow("A") {
		t.Fatal("second slot freed too early")
	}
	if !newRateLimiter(0).allow("A") {
		t.Fatal("limit 0 must not throttle")
	}
}
