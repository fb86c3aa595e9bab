package emulator

import (
	"math"
	"sort"
	"strings"
	"time"
)

// The metric generator. Every value is a pure function of (store seed,
// instance id, metric, device, time bucket) and of the generator's anchor (the
// moment the Health scenarios are "now": the emulator's start). Nothing is
// stored, so any window of history can be produced on demand and two
// emulators with the same seed and clock answer identically.

// Namespace of the ECS metrics and the fake account id in datapoints.
const (
	cmsNamespaceECS = "acs_ecs_dashboard"
	cmsUserID       = "1234567890123456"
)

// metricDef describes one ECS metric of CloudMonitor.
type metricDef struct {
	name   string
	agent  bool // reported by the CloudMonitor agent: needs AgentStatus "running"
	device bool // has a device dimension (diskusage_*)
}

// basicPeriod and agentPeriod are the raw reporting intervals: the hypervisor
// reports every 60 s, the agent every 15 s.
const (
	basicPeriod = 60
	agentPeriod = 15
)

var ecsMetricDefs = map[string]metricDef{
	"CPUUtilization":         {name: "CPUUtilization"},
	"InternetInRate":         {name: "InternetInRate"},
	"InternetOutRate":        {name: "InternetOutRate"},
	"IntranetInRate":         {name: "IntranetInRate"},
	"IntranetOutRate":        {name: "IntranetOutRate"},
	"cpu_total":              {name: "cpu_total", agent: true},
	"memory_usedutilization": {name: "memory_usedutilization", agent: true},
	"diskusage_utilization":  {name: "diskusage_utilization", agent: true, device: true},
	"load_1m":                {name: "load_1m", agent: true},
	"load_5m":                {name: "load_5m", agent: true},
	"load_15m":               {name: "load_15m", agent: true},
}

// rawPeriod is the metric's reporting interval, the step of its samples.
func (d metricDef) rawPeriod() int {
	if d.agent {
		return agentPeriod
	}
	return basicPeriod
}

// stoppedGap: a Stopped instance has no datapoints in the last 10 minutes.
const stoppedGap = 10 * time.Minute

// metricGen generates datapoints.
type metricGen struct {
	seed   uint64
	anchor int64 // unix seconds: "now" of the Health scenarios
}

func newMetricGen(seed uint64, anchor time.Time) *metricGen {
	return &metricGen{seed: seed, anchor: anchor.Truncate(time.Minute).Unix()}
}

// datapoint is one element of the Datapoints JSON string.
type datapoint struct {
	Timestamp  int64   `json:"timestamp"`
	UserID     string  `json:"userId"`
	InstanceID string  `json:"instanceId"`
	Device     string  `json:"device,omitempty"`
	Average    float64 `json:"Average"`
	Maximum    float64 `json:"Maximum"`
	Minimum    float64 `json:"Minimum"`
}

// series is one (instance, metric, device) time series.
type series struct {
	inst   *instance
	def    metricDef
	device string
	key    uint64 // hash of (seed, instance, metric, device)
	ikey   uint64 // hash of (seed, instance): shared by its metrics
	dkey   uint64 // hash of (seed, instance, device)
}

func (g *metricGen) series(in *instance, def metricDef, device string) *series {
	return &series{
		inst: in, def: def, device: device,
		key:  hashKey(g.seed, in.ID, def.name, device),
		ikey: hashKey(g.seed, in.ID),
		dkey: hashKey(g.seed, in.ID, "device", device),
	}
}

// hasData reports whether the instance reports the metric at all.
func hasData(in *instance, def metricDef) bool {
	return !def.agent || in.AgentStatus == "running"
}

// instanceDevices lists the agent's device names for an instance's disks:
// /dev/vda1 for the system disk, /dev/vdb1, /dev/vdc1, ... for data disks
// (by their ECS device name when it has one). Without disks in the store the
// instance has just /dev/vda1.
func (st *store) instanceDevices(instanceID string) []string {
	devs := []string{"/dev/vda1"}
	var data []*disk
	for _, d := range st.disks {
		if d.InstanceID == instanceID && d.Type == "data" {
			data = append(data, d)
		}
	}
	sort.Slice(data, func(i, j int) bool {
		if data[i].Device != data[j].Device {
			return data[i].Device < data[j].Device
		}
		return data[i].ID < data[j].ID
	})
	used := map[string]bool{"/dev/vda1": true}
	next := byte('b')
	for _, d := range data {
		name := ""
		if dev := d.Device; len(dev) > 0 && strings.HasPrefix(dev, "/dev/") {
			if l := dev[len(dev)-1]; l >= 'b' && l <= 'z' {
				name = "/dev/vd" + string(l) + "1"
			}
		}
		for name == "" || used[name] {
			name = "/dev/vd" + string(next) + "1"
			next++
			if next > 'z' {
				break
			}
		}
		used[name] = true
		devs = append(devs, name)
	}
	sort.Strings(devs)
	return devs
}

// window returns the aligned timestamps (ms) a series has in (startMs, endMs]
// at period p seconds: first, last and count (0 when none). nowMs bounds it:
// no datapoint lies in the future, before the instance was created, or, for a
// Stopped instance, within the last 10 minutes.
func (s *series) window(startMs, endMs, nowMs int64, p int) (first, last int64, n int) {
	pms := int64(p) * 1000
	if endMs > nowMs {
		endMs = nowMs
	}
	if s.inst.Status == "Stopped" {
		if at := s.inst.StoppedAt; !at.IsZero() {
			endMs = min(endMs, at.UnixMilli()) // stopped through the API: nothing since
		} else {
			endMs = min(endMs, nowMs-stoppedGap.Milliseconds())
		}
	}
	first = floorDiv(startMs, pms)*pms + pms
	if ct := s.inst.CreationTime; !ct.IsZero() {
		c := ct.UnixMilli()
		if cf := (floorDiv(c-1, pms) + 1) * pms; cf > first {
			first = cf
		}
	}
	last = floorDiv(endMs, pms) * pms
	if last < first {
		return 0, 0, 0
	}
	return first, last, int((last-first)/pms) + 1
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// point aggregates the samples of the period ending at tsMs (exclusive of
// its start): Average, Maximum and Minimum, rounded as the service rounds.
func (g *metricGen) point(s *series, tsMs int64, p int) datapoint {
	end := tsMs / 1000
	step := int64(agentPeriod)
	n := int64(p) / step
	if n < 1 {
		n = 1
	}
	for n > 240 { // long periods: sample sparsely
		step *= 2
		n = int64(p) / step
	}
	sum, hi, lo := 0.0, math.Inf(-1), math.Inf(1)
	for k := int64(0); k < n; k++ {
		v := g.sample(s, end-k*step)
		sum += v
		hi = math.Max(hi, v)
		lo = math.Min(lo, v)
	}
	dp := datapoint{
		Timestamp: tsMs, UserID: cmsUserID, InstanceID: s.inst.ID, Device: s.device,
		Average: round2(sum / float64(n)), Maximum: round2(hi), Minimum: round2(lo),
	}
	return dp
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// value is the generator's instantaneous value of a series at t: the test
// hook for "value(instance, metric, device, t)".
func (g *metricGen) value(in *instance, metric, device string, t time.Time) (float64, bool) {
	def, ok := ecsMetricDefs[metric]
	if !ok || !hasData(in, def) {
		return 0, false
	}
	return g.sample(g.series(in, def, device), t.Unix()), true
}

// sample is the value of a series at unix second t.
func (g *metricGen) sample(s *series, t int64) float64 {
	switch s.def.name {
	case "CPUUtilization":
		return g.cpu(s, t)
	case "cpu_total":
		return clamp(g.cpu(s, t)+0.4*(unit(s.key, t/15)-0.5), 0, 100)
	case "memory_usedutilization":
		return g.memory(s, t)
	case "diskusage_utilization":
		return g.disk(s, t)
	case "load_1m":
		return g.load(s, t, 1)
	case "load_5m":
		return g.load(s, t, 5)
	case "load_15m":
		return g.load(s, t, 15)
	case "InternetInRate", "InternetOutRate", "IntranetInRate", "IntranetOutRate":
		return g.network(s, t)
	}
	return 0
}

// --- scenarios -------------------------------------------------------------

const (
	hour = int64(3600)
	day  = 24 * hour
)

// cpu is CPUUtilization in %.
func (g *metricGen) cpu(s *series, t int64) float64 {
	cpuKey := hashMix(s.ikey, 0xc0) // the instance's CPU, whichever metric asks
	normal := func(t int64) float64 {
		base := 4 + 28*unitOf(hashMix(cpuKey, 1))
		amp := 5 + 25*unitOf(hashMix(cpuKey, 2))
		v := base + amp*daily(s.inst.RegionID, t) + 8*(smoothNoise(cpuKey, t, 300)-0.5) +
			3*(unit(cpuKey, t/15)-0.5) + 45*spike(cpuKey, t)
		return clamp(v, 0.3, 100)
	}
	switch s.inst.Health {
	case healthIdle:
		v := 0.2 + 1.4*daily(s.inst.RegionID, t) + 1.2*smoothNoise(cpuKey, t, 300) + 0.2*unit(cpuKey, t/15)
		return clamp(v, 0, 3)
	case healthCPUPegged:
		pegged := g.anchor - 2*hour
		rise := g.anchor - 6*hour
		hot := 93 + 6*smoothNoise(cpuKey, t, 120) + (unit(cpuKey, t/15) - 0.5)
		switch {
		case t >= pegged:
			return clamp(hot, 93, 100)
		case t >= rise:
			f := float64(t-rise) / float64(pegged-rise)
			n := normal(t)
			return clamp(n+(hot-n)*math.Pow(f, 1.5), 0.3, 100)
		}
	}
	return normal(t)
}

// memory is memory_usedutilization in %.
func (g *metricGen) memory(s *series, t int64) float64 {
	k := hashMix(s.ikey, 0x3e)
	if s.inst.Health == healthMemoryLeak {
		// A leak from ~35% after each restart; restarts every 60 h until
		// the one that started the current climb, which is at ~91% now
		// and keeps climbing (to 98%) instead of resetting.
		const cycle = 60 * hour
		lastRestart := g.anchor - int64(0.93*float64(cycle))
		if b := s.inst.BootedAt.Unix(); !s.inst.BootedAt.IsZero() && b > lastRestart && t >= b {
			lastRestart = b // restarted through the API: the leak starts over
		}
		var since int64
		if t >= lastRestart {
			since = t - lastRestart
		} else {
			since = ((t-lastRestart)%cycle + cycle) % cycle
		}
		v := 35 + 60*float64(since)/float64(cycle) + 0.6*(smoothNoise(k, t, 600)-0.5)
		return clamp(v, 0, 98)
	}
	base := 22 + 45*unitOf(hashMix(k, 1))
	v := base + 6*daily(s.inst.RegionID, t) + 3*(smoothNoise(k, t, 600)-0.5) + 0.5*(unit(k, t/15)-0.5)
	return clamp(v, 1, 99)
}

// disk is diskusage_utilization of one device in %.
func (g *metricGen) disk(s *series, t int64) float64 {
	k := s.dkey
	days := float64(t-g.anchor) / float64(day)
	if s.inst.Health == healthDiskFull && s.device == "/dev/vda1" {
		// ~95% now, creeping up ~1%/day (2%/day over the past week).
		var v float64
		if days >= 0 {
			v = 95 + 1.0*days
		} else {
			v = 95 + 2*days
		}
		v += 0.25 * (smoothNoise(k, t, 900) - 0.5)
		return applyFSEvents(s, t, clamp(v, 40, 98.5))
	}
	base := 12 + 58*unitOf(hashMix(k, 1))
	v := base + 0.15*days + 0.4*(smoothNoise(k, t, 1800)-0.5)
	return applyFSEvents(s, t, clamp(v, 1, 92))
}

// applyFSEvents adjusts a device's usage for what happened to its
// filesystem through the API (ecs_cloud_assistant.go, ecs_disk_ops.go): a
// grown filesystem holds the same data in more room, a re-initialised or
// replaced one starts nearly empty.
func applyFSEvents(s *series, t int64, v float64) float64 {
	for _, ev := range s.inst.FSEvents {
		if ev.Device != s.device || t < ev.At.Unix() {
			continue
		}
		if ev.Reset {
			v = ev.Level + 0.02*float64(t-ev.At.Unix())/float64(day) + 0.2*(smoothNoise(s.dkey, t, 1800)-0.5)
		} else {
			v *= ev.Scale
		}
	}
	return clamp(v, 0.1, 100)
}

// load is load_Nm: the CPU's busy cores averaged over N minutes.
func (g *metricGen) load(s *series, t int64, minutes int64) float64 {
	cores := float64(max(s.inst.CPU, 1))
	steps := int64(5)
	sum := 0.0
	for i := int64(0); i < steps; i++ {
		sum += g.cpu(s, t-i*minutes*60/steps)
	}
	k := hashMix(s.ikey, 0x10ad)
	v := cores * sum / float64(steps) / 100 * (0.7 + 0.5*smoothNoise(k, t, 300))
	return math.Max(v, 0)
}

// network is Internet*/Intranet* in bit/s.
func (g *metricGen) network(s *series, t int64) float64 {
	in := s.inst
	var lo, hi float64
	switch s.def.name {
	case "InternetInRate":
		lo, hi = 2e4, 2e6
	case "InternetOutRate":
		lo, hi = 5e4, 8e6
	case "IntranetInRate":
		lo, hi = 1e5, 2e7
	default:
		lo, hi = 1e5, 3e7
	}
	if strings.HasPrefix(s.def.name, "Internet") && in.PublicIP == "" {
		return 0
	}
	k := s.key
	base := lo * math.Pow(hi/lo, unitOf(hashMix(k, 1)))
	v := base * (0.25 + 0.75*daily(in.RegionID, t)) * (0.7 + 0.6*smoothNoise(k, t, 300)) *
		(1 + 4*spike(k, t)) * (0.9 + 0.2*unit(k, t/15))
	if in.Health == healthIdle {
		v *= 0.02
	}
	if s.def.name == "InternetOutRate" && in.InternetMaxBandwidthOut > 0 {
		v = math.Min(v, float64(in.InternetMaxBandwidthOut)*1e6)
	}
	return math.Round(v)
}

// --- building blocks -------------------------------------------------------

// daily is 0 in the small hours and 1 in the mid-afternoon, local time of the
// region, a little quieter at weekends.
func daily(regionID string, t int64) float64 {
	local := t + regionUTCOffset(regionID)
	h := float64(((local%day)+day)%day) / float64(hour)
	v := 0.5 - 0.5*math.Cos(2*math.Pi*(h-3)/24)
	if wd := time.Unix(local, 0).UTC().Weekday(); wd == time.Saturday || wd == time.Sunday {
		v *= 0.75
	}
	return v
}

// regionUTCOffset is the region's local time offset in seconds.
func regionUTCOffset(regionID string) int64 {
	switch {
	case strings.HasPrefix(regionID, "cn-"), regionID == "ap-southeast-1", regionID == "ap-southeast-3", regionID == "ap-southeast-6":
		return 8 * hour
	case regionID == "ap-northeast-1", regionID == "ap-northeast-2":
		return 9 * hour
	case regionID == "ap-southeast-2":
		return 10 * hour
	case regionID == "ap-southeast-5", regionID == "ap-southeast-7":
		return 7 * hour
	case regionID == "ap-south-1":
		return 5*hour + 1800
	case regionID == "me-east-1", regionID == "me-central-1":
		return 4 * hour
	case regionID == "eu-central-1":
		return 1 * hour
	case regionID == "eu-west-1":
		return 0
	case regionID == "us-east-1":
		return -5 * hour
	case regionID == "us-west-1":
		return -8 * hour
	}
	return 8 * hour
}

// spike is 0 most of the time; about once a day per series (4% of hours) a
// 5 to 20 minute burst rises to 0.5..1.
func spike(k uint64, t int64) float64 {
	h := floorDiv(t, hour)
	best := 0.0
	for hh := h - 1; hh <= h; hh++ {
		if unitOf(hashMix(k, 0x5b1e, uint64(hh))) >= 0.04 {
			continue
		}
		start := hh*hour + int64(unitOf(hashMix(k, 0x5b1f, uint64(hh)))*float64(hour))
		dur := 300 + int64(unitOf(hashMix(k, 0x5b20, uint64(hh)))*900)
		if t < start || t >= start+dur {
			continue
		}
		mag := 0.5 + 0.5*unitOf(hashMix(k, 0x5b21, uint64(hh)))
		x := float64(t-start) / float64(dur)
		best = math.Max(best, mag*math.Sin(math.Pi*x))
	}
	return best
}

// smoothNoise is value noise in [0,1): random knots every `every` seconds,
// smoothly interpolated.
func smoothNoise(k uint64, t, every int64) float64 {
	b := floorDiv(t, every)
	f := float64(t-b*every) / float64(every)
	a, c := unit(k^0x9e37, b), unit(k^0x9e37, b+1)
	f = f * f * (3 - 2*f)
	return a + (c-a)*f
}

// unit is a uniform [0,1) draw for bucket b of key k.
func unit(k uint64, b int64) float64 { return unitOf(hashMix(k, uint64(b))) }

func unitOf(h uint64) float64 { return float64(h>>11) / (1 << 53) }

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// hashKey hashes a seed and strings (FNV-1a then a splitmix finish).
func hashKey(seed uint64, parts ...string) uint64 {
	h := uint64(14695981039346656037) ^ seed
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 1099511628211
		}
		h ^= 0xff
		h *= 1099511628211
	}
	return splitmix(h)
}

// hashMix mixes further values into a hash.
func hashMix(h uint64, vs ...uint64) uint64 {
	for _, v := range vs {
		h = splitmix(h ^ (v + 0x9e3779b97f4a7c15))
	}
	return h
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
