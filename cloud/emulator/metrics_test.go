package emulator

import (
	"math"
	"sort"
	"testing"
	"time"
)

func metricInstance(id string, h health) *instance {
	return &instance{
		ID: id, RegionID: "cn-hangzhou", Status: "Running", CPU: 4, Health: h,
		AgentStatus: "running", PublicIP: "47.96.0.1", CreationTime: cmsNow.Add(-90 * 24 * time.Hour),
	}
}

func metricAt(t *testing.T, g *metricGen, in *instance, metric, device string, at time.Time) float64 {
	t.Helper()
	v, ok := g.value(in, metric, device, at)
	if !ok {
		t.Fatalf("%s %s has no value", in.ID, metric)
	}
	return v
}

func TestMetricDeterministic(t *testing.T) {
	in := metricInstance("i-det", healthNormal)
	g1, g2, g3 := newMetricGen(9, cmsNow), newMetricGen(9, cmsNow), newMetricGen(10, cmsNow)
	differ := 0
	for _, m := range []string{"CPUUtilization", "memory_usedutilization", "diskusage_utilization", "InternetInRate", "load_15m", "cpu_total"} {
		for i := range 50 {
			at := cmsNow.Add(-time.Duration(i) * 17 * time.Minute)
			a, b, c := metricAt(t, g1, in, m, "/dev/vda1", at), metricAt(t, g2, in, m, "/dev/vda1", at), metricAt(t, g3, in, m, "/dev/vda1", at)
			if a != b {
				t.Fatalf("%s at %v: %v then %v", m, at, a, b)
			}
			if a != c {
				differ++
			}
		}
	}
	if differ < 200 {
		t.Errorf("the seed hardly matters: %d of 300 values differ", differ)
	}
	// Asking twice, or in another order, changes nothing: no stored state.
	at := cmsNow.Add(-3 * 24 * time.Hour)
	v := metricAt(t, g1, in, "CPUUtilization", "", at)
	metricAt(t, g1, in, "CPUUtilization", "", at.Add(time.Hour))
	if metricAt(t, g1, in, "CPUUtilization", "", at) != v {
		t.Fatal("value depends on call history")
	}
}

func TestMetricDailyCycle(t *testing.T) {
	g := newMetricGen(3, cmsNow)
	busier := 0
	for i := range 10 {
		in := metricInstance("i-day"+string(rune('a'+i)), healthNormal)
		var day, night float64
		for d := range 7 {
			base := time.Date(2026, 11, 16+d, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
			for m := 0; m < 120; m += 5 {
				day += metricAt(t, g, in, "CPUUtilization", "", base.Add(14*time.Hour+time.Duration(m)*time.Minute))
				night += metricAt(t, g, in, "CPUUtilization", "", base.Add(2*time.Hour+time.Duration(m)*time.Minute))
			}
		}
		if day > night {
			busier++
		}
	}
	if busier < 9 {
		t.Errorf("only %d of 10 instances busier in the afternoon than at night", busier)
	}
}

func TestMetricSpikesAndRange(t *testing.T) {
	g := newMetricGen(4, cmsNow)
	spiky := 0
	for i := range 10 {
		in := metricInstance("i-spike"+string(rune('a'+i)), healthNormal)
		var vals []float64
		for m := int64(0); m < 7*24*60; m += 2 {
			v := metricAt(t, g, in, "CPUUtilization", "", cmsNow.Add(-time.Duration(m)*time.Minute))
			if v < 0 || v > 100 || math.IsNaN(v) {
				t.Fatalf("CPU %v", v)
			}
			vals = append(vals, v)
		}
		sort.Float64s(vals)
		if vals[len(vals)-1]-vals[len(vals)/2] > 25 {
			spiky++
		}
	}
	if spiky < 5 {
		t.Errorf("only %d of 10 instances had a spike in a week", spiky)
	}
}

func TestMetricScenarios(t *testing.T) {
	g := newMetricGen(5, cmsNow)
	hot := metricInstance("i-hot", healthCPUPegged)
	for m := 0; m <= 120; m++ {
		if v := metricAt(t, g, hot, "CPUUtilization", "", cmsNow.Add(-time.Duration(m)*time.Minute)); v < 93 || v > 100 {
			t.Fatalf("pegged CPU %v, %d min ago", v, m)
		}
	}
	// Still pegged later on, cooler well before.
	if v := metricAt(t, g, hot, "CPUUtilization", "", cmsNow.Add(5*time.Hour)); v < 93 {
		t.Errorf("pegged CPU 5h later %v", v)
	}
	if v := metricAt(t, g, hot, "cpu_total", "", cmsNow); v < 92 {
		t.Errorf("pegged cpu_total %v", v)
	}
	if v := metricAt(t, g, hot, "load_5m", "", cmsNow); v < 3 {
		t.Errorf("pegged 4-core load %v", v)
	}

	idle := metricInstance("i-idle", healthIdle)
	for m := 0; m < 7*24*60; m += 7 {
		if v := metricAt(t, g, idle, "CPUUtilization", "", cmsNow.Add(-time.Duration(m)*time.Minute)); v < 0 || v > 3 {
			t.Fatalf("idle CPU %v", v)
		}
	}

	full := metricInstance("i-full", healthDiskFull)
	now := metricAt(t, g, full, "diskusage_utilization", "/dev/vda1", cmsNow)
	if now < 93 || now > 98 {
		t.Errorf("disk-full / at %v", now)
	}
	if past := metricAt(t, g, full, "diskusage_utilization", "/dev/vda1", cmsNow.Add(-48*time.Hour)); past >= now {
		t.Errorf("disk not creeping: %v two days ago, %v now", past, now)
	}
	if later := metricAt(t, g, full, "diskusage_utilization", "/dev/vda1", cmsNow.Add(48*time.Hour)); later <= now || later > 98.5 {
		t.Errorf("disk two days later %v", later)
	}
	if data := metricAt(t, g, full, "diskusage_utilization", "/dev/vdb1", cmsNow); data > 92 {
		t.Errorf("data disk of the disk-full instance %v", data)
	}

	leak := metricInstance("i-leak", healthMemoryLeak)
	cur := metricAt(t, g, leak, "memory_usedutilization", "", cmsNow)
	if cur < 90 {
		t.Errorf("memory-leak now %v", cur)
	}
	prev := cur
	drops := 0
	for h := 1; h <= 7*24; h++ {
		v := metricAt(t, g, leak, "memory_usedutilization", "", cmsNow.Add(-time.Duration(h)*time.Hour))
		if v > prev+20 { // going back in time past a restart
			drops++
		}
		prev = v
	}
	if drops < 2 {
		t.Errorf("%d restarts in a week of memory leak", drops)
	}
	if later := metricAt(t, g, leak, "memory_usedutilization", "", cmsNow.Add(3*time.Hour)); later < cur {
		t.Errorf("memory leak stopped: %v then %v", cur, later)
	}

	normal := metricInstance("i-normal", healthNormal)
	if v := metricAt(t, g, normal, "memory_usedutilization", "", cmsNow); v < 1 || v > 99 {
		t.Errorf("memory %v", v)
	}
	if v := metricAt(t, g, normal, "InternetOutRate", "", cmsNow); v <= 0 || v > 100e6 {
		t.Errorf("InternetOutRate %v", v)
	}
	normal.PublicIP = ""
	if v := metricAt(t, g, normal, "InternetOutRate", "", cmsNow); v != 0 {
		t.Errorf("no public IP, InternetOutRate %v", v)
	}
}

func TestMetricAgentGating(t *testing.T) {
	g := newMetricGen(5, cmsNow)
	in := metricInstance("i-noagent", healthNormal)
	in.AgentStatus = "not_installed"
	for _, m := range []string{"memory_usedutilization", "diskusage_utilization", "load_1m", "cpu_total"} {
		if _, ok := g.value(in, m, "", cmsNow); ok {
			t.Errorf("%s without an agent", m)
		}
	}
	if _, ok := g.value(in, "CPUUtilization", "", cmsNow); !ok {
		t.Error("no CPUUtilization without the agent")
	}
	if _, ok := g.value(in, "NoSuchMetric", "", cmsNow); ok {
		t.Error("unknown metric has a value")
	}
}

func TestMetricSeriesWindow(t *testing.T) {
	g := newMetricGen(5, cmsNow)
	in := metricInstance("i-win", healthNormal)
	s := g.series(in, ecsMetricDefs["CPUUtilization"], "")
	now := cmsNow.UnixMilli()
	// (start, end]: a start on a minute boundary is excluded, the end included.
	first, last, n := s.window(now-10*60000, now, now, 60)
	if first != now-9*60000 || last != now || n != 10 {
		t.Errorf("window: %d %d %d", first, last, n)
	}
	// Unaligned bounds, and nothing in the future.
	first, last, n = s.window(now-10*60000-1, now+3600000, now+30000, 60)
	if first != now-10*60000 || last != now || n != 11 {
		t.Errorf("unaligned: %d %d %d", first, last, n)
	}
	// Not before the instance existed.
	in.CreationTime = cmsNow.Add(-5*time.Minute - time.Second)
	if first, _, n = s.window(now-3600000, now, now, 60); first != now-5*60000 || n != 6 {
		t.Errorf("creation cut: %d %d", first, n)
	}
	// A stopped instance: nothing in the last 10 minutes.
	in.CreationTime = cmsNow.Add(-30 * 24 * time.Hour)
	in.Status = "Stopped"
	if _, last, n = s.window(now-3600000, now, now, 60); last != now-10*60000 || n != 50 {
		t.Errorf("stopped: %d %d", last, n)
	}
	if _, _, n = s.window(now-5*60000, now, now, 60); n != 0 {
		t.Errorf("stopped, last 5 minutes: %d points", n)
	}
	// Aggregation: min <= avg <= max, five-minute points at period 300.
	in.Status = "Running"
	p := g.point(s, now, 300)
	if !(p.Minimum <= p.Average && p.Average <= p.Maximum) || p.Minimum == p.Maximum {
		t.Errorf("aggregate %+v", p)
	}
}

func TestMetricInstanceDevices(t *testing.T) {
	st := &store{disks: map[string]*disk{
		"d-1": {ID: "d-1", InstanceID: "i-1", Type: "system", Device: "/dev/xvda"},
		"d-2": {ID: "d-2", InstanceID: "i-1", Type: "data", Device: "/dev/xvdc"},
		"d-3": {ID: "d-3", InstanceID: "i-1", Type: "data", Device: ""},
		"d-4": {ID: "d-4", InstanceID: "i-2", Type: "data", Device: "/dev/xvdb"},
	}}
	got := st.instanceDevices("i-1")
	want := []string{"/dev/vda1", "/dev/vdb1", "/dev/vdc1"}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%v, want %v", got, want)
		}
	}
	if got := st.instanceDevices("i-none"); len(got) != 1 || got[0] != "/dev/vda1" {
		t.Errorf("no disks: %v", got)
	}
}
