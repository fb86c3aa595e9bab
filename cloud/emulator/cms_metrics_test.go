package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// cmsNow is the pinned clock of the CMS tests: 14:00 in Hangzhou.
var cmsNow = time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)

// cmsServer starts an emulator on 127.0.0.1:0 and returns it with its host:port.
func cmsServer(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return cmsNow }
	}
	s := New(opts)
	url, stop, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	return s, strings.TrimPrefix(url, "http://")
}

// cmsClient is the real CloudMonitor SDK client pointed at the emulator.
func cmsClient(t *testing.T, host string) *cms.Client {
	t.Helper()
	c, err := cms.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(),
		credentials.NewStaticAKCredentialsProvider(DefaultAccessKeyID, DefaultAccessKeySecret))
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = host
	c.SetNoProxy("127.0.0.1")
	return c
}

// cmsAddInstance puts an instance straight into the store.
func cmsAddInstance(s *Server, id string, mut func(*instance)) *instance {
	in := &instance{
		ID: id, Name: id, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", Status: "Running",
		CPU: 4, MemoryMiB: 8192, Health: healthNormal, AgentStatus: "running", AgentVersion: "3.5.10",
		PublicIP: "47.96.0.1", InternetMaxBandwidthOut: 100, CreationTime: cmsNow.Add(-60 * 24 * time.Hour),
	}
	if mut != nil {
		mut(in)
	}
	s.store.mu.Lock()
	s.store.instances[id] = in
	s.store.mu.Unlock()
	return in
}

func cmsDims(ids ...string) string {
	var parts []string
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf(`{"instanceId":%q}`, id))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// cmsLast calls DescribeMetricLast through the SDK and decodes Datapoints.
func cmsLast(t *testing.T, c *cms.Client, metric, dims string, mut func(*cms.DescribeMetricLastRequest)) ([]datapoint, *cms.DescribeMetricLastResponse, error) {
	t.Helper()
	req := cms.CreateDescribeMetricLastRequest()
	req.Namespace = cmsNamespaceECS
	req.MetricName = metric
	req.Dimensions = dims
	if mut != nil {
		mut(req)
	}
	resp, err := c.DescribeMetricLast(req)
	if err != nil {
		return nil, resp, err
	}
	return cmsDecode(t, resp.Datapoints), resp, nil
}

// cmsList calls DescribeMetricList through the SDK and decodes Datapoints.
func cmsList(t *testing.T, c *cms.Client, metric, dims string, mut func(*cms.DescribeMetricListRequest)) ([]datapoint, *cms.DescribeMetricListResponse, error) {
	t.Helper()
	req := cms.CreateDescribeMetricListRequest()
	req.Namespace = cmsNamespaceECS
	req.MetricName = metric
	req.Dimensions = dims
	if mut != nil {
		mut(req)
	}
	resp, err := c.DescribeMetricList(req)
	if err != nil {
		return nil, resp, err
	}
	return cmsDecode(t, resp.Datapoints), resp, nil
}

func cmsDecode(t *testing.T, raw string) []datapoint {
	t.Helper()
	var pts []datapoint
	if err := json.Unmarshal([]byte(raw), &pts); err != nil {
		t.Fatalf("Datapoints %q: %v", raw, err)
	}
	return pts
}

func cmsServerError(t *testing.T, err error) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want a ServerError, got %v", err)
	}
	return se
}

func TestCMSMetricLastFiftyInstances(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 7})
	var ids []string
	for i := range 50 {
		id := fmt.Sprintf("i-cmstest%03d", i)
		cmsAddInstance(s, id, nil)
		ids = append(ids, id)
	}
	c := cmsClient(t, host)
	pts, resp, err := cmsLast(t, c, "CPUUtilization", cmsDims(ids...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Code != "200" || !resp.Success || resp.Period != "60" || resp.RequestId == "" || resp.NextToken != "" {
		t.Fatalf("envelope: %+v", resp)
	}
	if len(pts) != 50 {
		t.Fatalf("got %d points, want 50", len(pts))
	}
	for i, p := range pts {
		if p.InstanceID != ids[i] || p.UserID != cmsUserID {
			t.Errorf("point %d: %+v", i, p)
		}
		if p.Timestamp != cmsNow.UnixMilli() {
			t.Errorf("point %d timestamp %d, want the latest minute %d", i, p.Timestamp, cmsNow.UnixMilli())
		}
		if p.Minimum > p.Average || p.Average > p.Maximum || p.Minimum < 0 || p.Maximum > 100 {
			t.Errorf("point %d stats out of order: %+v", i, p)
		}
	}
	// Paging the latest points: Length 20 over 50 series is three pages.
	var paged []datapoint
	token := ""
	for page := 0; ; page++ {
		pts, resp, err := cmsLast(t, c, "CPUUtilization", cmsDims(ids...), func(r *cms.DescribeMetricLastRequest) {
			r.Length, r.NextToken = "20", token
		})
		if err != nil || page > 3 {
			t.Fatalf("page %d: %v", page, err)
		}
		paged = append(paged, pts...)
		if token = resp.NextToken; token == "" {
			break
		}
	}
	if len(paged) != 50 || paged[20].InstanceID != ids[20] || paged[49].InstanceID != ids[49] {
		t.Errorf("paged DescribeMetricLast: %d points", len(paged))
	}
	// The raw string really is a JSON string holding an array with the documented keys.
	if !strings.Contains(resp.Datapoints, `"timestamp":`) || !strings.Contains(resp.Datapoints, `"Average":`) {
		t.Errorf("Datapoints keys: %.200s", resp.Datapoints)
	}
}

func TestCMSDimensionsLimit(t *testing.T) {
	_, host := cmsServer(t, Options{Seed: 7})
	c := cmsClient(t, host)
	var ids []string
	for i := range 51 {
		ids = append(ids, fmt.Sprintf("i-x%03d", i))
	}
	_, _, err := cmsLast(t, c, "CPUUtilization", cmsDims(ids...), nil)
	se := cmsServerError(t, err)
	if se.HttpStatus() != 400 || !strings.Contains(se.Message(), "Dimensions") {
		t.Fatalf("51 dimensions: %d %s %s", se.HttpStatus(), se.ErrorCode(), se.Message())
	}
	_, _, err = cmsList(t, c, "CPUUtilization", `[{"instanceId":`, nil)
	se = cmsServerError(t, err)
	if se.HttpStatus() != 400 || !strings.Contains(se.Message(), "dimensions") {
		t.Fatalf("bad JSON: %d %s %s", se.HttpStatus(), se.ErrorCode(), se.Message())
	}
	// A single object is accepted.
	if _, _, err := cmsLast(t, c, "CPUUtilization", `{"instanceId":"i-x000"}`, nil); err != nil {
		t.Fatal(err)
	}
}

func TestCMSParameterErrors(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 7})
	cmsAddInstance(s, "i-cmsa", nil)
	c := cmsClient(t, host)

	req := cms.CreateDescribeMetricListRequest()
	req.MetricName = "CPUUtilization"
	_, err := c.DescribeMetricList(req)
	if se := cmsServerError(t, err); se.ErrorCode() != "MissingParameter" || !strings.Contains(se.Message(), "Namespace") {
		t.Errorf("missing Namespace: %s %s", se.ErrorCode(), se.Message())
	}
	req = cms.CreateDescribeMetricListRequest()
	req.Namespace = cmsNamespaceECS
	_, err = c.DescribeMetricList(req)
	if se := cmsServerError(t, err); se.ErrorCode() != "MissingParameter" || !strings.Contains(se.Message(), "MetricName") {
		t.Errorf("missing MetricName: %s %s", se.ErrorCode(), se.Message())
	}
	_, _, err = cmsLast(t, c, "CPUUtilization", "", func(r *cms.DescribeMetricLastRequest) { r.Namespace = "acs_nosuch" })
	if se := cmsServerError(t, err); se.HttpStatus() != 400 || !strings.Contains(se.Message(), "acs_nosuch") {
		t.Errorf("unknown namespace: %d %s %s", se.HttpStatus(), se.ErrorCode(), se.Message())
	}
	_, _, err = cmsList(t, c, "memory_usedutilization", cmsDims("i-cmsa"), func(r *cms.DescribeMetricListRequest) { r.Period = "50" })
	if se := cmsServerError(t, err); se.HttpStatus() != 400 || !strings.Contains(se.Message(), "Period") {
		t.Errorf("period 50: %d %s", se.HttpStatus(), se.Message())
	}
	_, _, err = cmsList(t, c, "CPUUtilization", cmsDims("i-cmsa"), func(r *cms.DescribeMetricListRequest) { r.Period = "15" })
	if err == nil {
		t.Errorf("period 15 accepted for a basic metric")
	}
	pts, _, err := cmsList(t, c, "memory_usedutilization", cmsDims("i-cmsa"), func(r *cms.DescribeMetricListRequest) { r.Period = "15" })
	if err != nil || len(pts) != 240 {
		t.Errorf("agent metric at period 15: %d points, %v", len(pts), err)
	}
	_, _, err = cmsList(t, c, "CPUUtilization", cmsDims("i-cmsa"), func(r *cms.DescribeMetricListRequest) {
		r.StartTime, r.EndTime = "2026-11-24T06:00:00Z", "2026-11-24T05:00:00Z"
	})
	if err == nil {
		t.Errorf("StartTime after EndTime accepted")
	}

	// Unknown metrics, instances and namespaces without data: empty lists.
	for _, tc := range []struct{ ns, metric, dims string }{
		{cmsNamespaceECS, "NoSuchMetric", cmsDims("i-cmsa")},
		{cmsNamespaceECS, "CPUUtilization", cmsDims("i-nosuch")},
		{"acs_rds_dashboard", "CpuUsage", ""},
	} {
		pts, resp, err := cmsLast(t, c, tc.metric, tc.dims, func(r *cms.DescribeMetricLastRequest) { r.Namespace = tc.ns })
		if err != nil || len(pts) != 0 || resp.Datapoints != "[]" || resp.Code != "200" {
			t.Errorf("%+v: %v %v %+v", tc, pts, err, resp)
		}
	}
}

func TestCMSMetricListPaging(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 11})
	ids := []string{"i-cmspage1", "i-cmspage2", "i-cmspage3"}
	for _, id := range ids {
		cmsAddInstance(s, id, nil)
	}
	c := cmsClient(t, host)
	start := cmsNow.Add(-3 * time.Hour)
	seen := map[string]bool{}
	token := ""
	pages := 0
	var all []datapoint
	for {
		pts, resp, err := cmsList(t, c, "CPUUtilization", cmsDims(ids...), func(r *cms.DescribeMetricListRequest) {
			r.StartTime = strconv.FormatInt(start.UnixMilli(), 10)
			r.Length = "77"
			r.NextToken = token
		})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(pts) > 77 {
			t.Fatalf("page of %d > Length", len(pts))
		}
		for _, p := range pts {
			k := fmt.Sprintf("%s@%d", p.InstanceID, p.Timestamp)
			if seen[k] {
				t.Fatalf("point %s twice", k)
			}
			seen[k] = true
			if p.Timestamp <= start.UnixMilli() || p.Timestamp > cmsNow.UnixMilli() || p.Timestamp%60000 != 0 {
				t.Fatalf("timestamp %d outside (start, end] or unaligned", p.Timestamp)
			}
		}
		all = append(all, pts...)
		token = resp.NextToken
		if token == "" {
			break
		}
		if pages > 100 {
			t.Fatal("paging does not end")
		}
	}
	if len(all) != 3*180 {
		t.Fatalf("got %d points, want %d", len(all), 3*180)
	}
	if pages != (3*180+76)/77 {
		t.Errorf("%d pages", pages)
	}
	// One request with the same window gives the same points.
	one, _, err := cmsList(t, c, "CPUUtilization", cmsDims(ids...), func(r *cms.DescribeMetricListRequest) {
		r.StartTime = strconv.FormatInt(start.UnixMilli(), 10)
		r.Length = "1440"
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(one) != fmt.Sprint(all) {
		t.Errorf("paged and unpaged answers differ")
	}
	// The default window is the last hour.
	pts, _, err := cmsList(t, c, "CPUUtilization", cmsDims(ids[0]), nil)
	if err != nil || len(pts) != 60 {
		t.Errorf("default window: %d points, %v", len(pts), err)
	}
	// Length above the maximum is capped at 1440.
	pts, resp, err := cmsList(t, c, "CPUUtilization", cmsDims(ids[0]), func(r *cms.DescribeMetricListRequest) {
		r.StartTime = strconv.FormatInt(cmsNow.Add(-48*time.Hour).UnixMilli(), 10)
		r.Length = "5000"
	})
	if err != nil || len(pts) != 1440 || resp.NextToken == "" {
		t.Errorf("length cap: %d points, token %q, %v", len(pts), resp.NextToken, err)
	}
}

func TestCMSTimeFormats(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 3})
	cmsAddInstance(s, "i-cmstime", nil)
	c := cmsClient(t, host)
	start := cmsNow.Add(-30 * time.Minute)
	end := cmsNow.Add(-10 * time.Minute)
	beijing := time.FixedZone("CST", 8*3600)
	var want string
	for i, f := range []func(time.Time) string{
		func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) },
		func(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) },
		func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") },
		func(t time.Time) string { return t.In(beijing).Format("2006-01-02 15:04:05") },
	} {
		pts, _, err := cmsList(t, c, "CPUUtilization", cmsDims("i-cmstime"), func(r *cms.DescribeMetricListRequest) {
			r.StartTime, r.EndTime = f(start), f(end)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != 20 || pts[0].Timestamp != start.Add(time.Minute).UnixMilli() || pts[19].Timestamp != end.UnixMilli() {
			t.Fatalf("format %d: %d points", i, len(pts))
		}
		if got := fmt.Sprint(pts); i == 0 {
			want = got
		} else if got != want {
			t.Errorf("format %d gives other points", i)
		}
	}
}

func TestCMSHealthScenarios(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 5})
	cmsAddInstance(s, "i-cmshot", func(in *instance) { in.Health = healthCPUPegged })
	cmsAddInstance(s, "i-cmsidle", func(in *instance) { in.Health = healthIdle })
	cmsAddInstance(s, "i-cmsfull", func(in *instance) { in.Health = healthDiskFull })
	cmsAddInstance(s, "i-cmsleak", func(in *instance) { in.Health = healthMemoryLeak })
	c := cmsClient(t, host)

	pts, _, err := cmsList(t, c, "CPUUtilization", cmsDims("i-cmshot"), func(r *cms.DescribeMetricListRequest) {
		r.StartTime = strconv.FormatInt(cmsNow.Add(-2*time.Hour).UnixMilli(), 10)
		r.Length = "1440"
	})
	if err != nil || len(pts) != 120 {
		t.Fatalf("%d points, %v", len(pts), err)
	}
	for _, p := range pts {
		if p.Average < 93 || p.Maximum > 100 {
			t.Fatalf("pegged instance not hot: %+v", p)
		}
	}
	// Rising before: 5 hours ago it was cooler than 3 hours ago.
	early, _ := cmsAvg(t, c, "CPUUtilization", "i-cmshot", cmsNow.Add(-6*time.Hour), cmsNow.Add(-5*time.Hour))
	late, _ := cmsAvg(t, c, "CPUUtilization", "i-cmshot", cmsNow.Add(-3*time.Hour), cmsNow.Add(-2*time.Hour))
	if !(early < late) {
		t.Errorf("pegged CPU not rising: %.1f then %.1f", early, late)
	}

	pts, _, err = cmsList(t, c, "CPUUtilization", cmsDims("i-cmsidle"), func(r *cms.DescribeMetricListRequest) {
		r.StartTime = strconv.FormatInt(cmsNow.Add(-24*time.Hour).UnixMilli(), 10)
		r.Length = "1440"
	})
	if err != nil || len(pts) != 1440 {
		t.Fatalf("%d points, %v", len(pts), err)
	}
	for _, p := range pts {
		if p.Maximum > 3 || p.Minimum < 0 {
			t.Fatalf("idle instance busy: %+v", p)
		}
	}

	pts, _, err = cmsLast(t, c, "diskusage_utilization", `[{"instanceId":"i-cmsfull","device":"/dev/vda1"}]`, nil)
	if err != nil || len(pts) != 1 || pts[0].Device != "/dev/vda1" || pts[0].Average < 93 || pts[0].Average > 98 {
		t.Fatalf("disk-full: %+v %v", pts, err)
	}
	dayAgo, _ := cmsAvg(t, c, "diskusage_utilization", "i-cmsfull", cmsNow.Add(-25*time.Hour), cmsNow.Add(-24*time.Hour))
	if !(dayAgo < pts[0].Average) {
		t.Errorf("disk not creeping up: %.2f a day ago, %.2f now", dayAgo, pts[0].Average)
	}

	pts, _, err = cmsLast(t, c, "memory_usedutilization", cmsDims("i-cmsleak"), nil)
	if err != nil || len(pts) != 1 || pts[0].Average < 90 {
		t.Fatalf("memory-leak: %+v %v", pts, err)
	}
	// Climbing over the last day, and there was a restart (a drop) in the last week.
	pts, _, err = cmsList(t, c, "memory_usedutilization", cmsDims("i-cmsleak"), func(r *cms.DescribeMetricListRequest) {
		r.StartTime = strconv.FormatInt(cmsNow.Add(-7*24*time.Hour).UnixMilli(), 10)
		r.Period = "3600"
	})
	if err != nil || len(pts) != 168 {
		t.Fatalf("%d points, %v", len(pts), err)
	}
	drops := 0
	for i := 1; i < len(pts); i++ {
		if pts[i].Average < pts[i-1].Average-20 {
			drops++
		}
	}
	if drops == 0 || pts[len(pts)-1].Average < pts[len(pts)-24].Average+10 {
		t.Errorf("no sawtooth: %d drops, %.1f -> %.1f", drops, pts[len(pts)-24].Average, pts[len(pts)-1].Average)
	}
}

// cmsAvg is the mean Average of one instance's metric over (from, to].
func cmsAvg(t *testing.T, c *cms.Client, metric, id string, from, to time.Time) (float64, int) {
	t.Helper()
	pts, _, err := cmsList(t, c, metric, cmsDims(id), func(r *cms.DescribeMetricListRequest) {
		r.StartTime = strconv.FormatInt(from.UnixMilli(), 10)
		r.EndTime = strconv.FormatInt(to.UnixMilli(), 10)
		r.Length = "1440"
	})
	if err != nil || len(pts) == 0 {
		t.Fatalf("%s %s: %d points, %v", metric, id, len(pts), err)
	}
	sum := 0.0
	for _, p := range pts {
		sum += p.Average
	}
	return sum / float64(len(pts)), len(pts)
}

func TestCMSAgentMetricsNeedAgent(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 5})
	cmsAddInstance(s, "i-cmsnoagent", func(in *instance) { in.AgentStatus, in.AgentVersion = "not_installed", "" })
	cmsAddInstance(s, "i-cmsagent", nil)
	c := cmsClient(t, host)
	for _, m := range []string{"memory_usedutilization", "diskusage_utilization", "load_1m", "load_5m", "load_15m", "cpu_total"} {
		pts, _, err := cmsLast(t, c, m, cmsDims("i-cmsnoagent", "i-cmsagent"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != 1 || pts[0].InstanceID != "i-cmsagent" {
			t.Errorf("%s: %+v", m, pts)
		}
	}
	for _, m := range []string{"CPUUtilization", "InternetInRate", "InternetOutRate", "IntranetInRate", "IntranetOutRate"} {
		pts, _, err := cmsLast(t, c, m, cmsDims("i-cmsnoagent", "i-cmsagent"), nil)
		if err != nil || len(pts) != 2 {
			t.Errorf("%s: %+v %v", m, pts, err)
		}
	}
}

func TestCMSDiskDevices(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 5})
	cmsAddInstance(s, "i-cmsdisks", nil)
	s.store.mu.Lock()
	s.store.disks["d-cmssys"] = &disk{ID: "d-cmssys", InstanceID: "i-cmsdisks", Type: "system", Device: "/dev/xvda", SizeGiB: 40}
	s.store.disks["d-cmsdata1"] = &disk{ID: "d-cmsdata1", InstanceID: "i-cmsdisks", Type: "data", Device: "/dev/xvdb", SizeGiB: 100}
	s.store.disks["d-cmsdata2"] = &disk{ID: "d-cmsdata2", InstanceID: "i-cmsdisks", Type: "data", Device: "/dev/xvdc", SizeGiB: 100}
	s.store.mu.Unlock()
	c := cmsClient(t, host)
	pts, _, err := cmsLast(t, c, "diskusage_utilization", cmsDims("i-cmsdisks"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var devs []string
	for _, p := range pts {
		devs = append(devs, p.Device)
		if p.Average <= 0 || p.Average > 100 {
			t.Errorf("%+v", p)
		}
	}
	if strings.Join(devs, ",") != "/dev/vda1,/dev/vdb1,/dev/vdc1" {
		t.Errorf("devices %v", devs)
	}
	pts, _, _ = cmsLast(t, c, "diskusage_utilization", `[{"instanceId":"i-cmsdisks","device":"/dev/vdc1"}]`, nil)
	if len(pts) != 1 || pts[0].Device != "/dev/vdc1" {
		t.Errorf("device filter: %+v", pts)
	}
	// CPUUtilization has no device key.
	pts, resp, _ := cmsLast(t, c, "CPUUtilization", cmsDims("i-cmsdisks"), nil)
	if len(pts) != 1 || strings.Contains(resp.Datapoints, "device") {
		t.Errorf("CPU points: %s", resp.Datapoints)
	}
}

func TestCMSStoppedInstance(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 5})
	cmsAddInstance(s, "i-cmsstopped", func(in *instance) { in.Status = "Stopped" })
	c := cmsClient(t, host)
	pts, _, err := cmsList(t, c, "CPUUtilization", cmsDims("i-cmsstopped"), nil)
	if err != nil || len(pts) != 50 {
		t.Fatalf("%d points, %v", len(pts), err)
	}
	if last := pts[len(pts)-1].Timestamp; last > cmsNow.Add(-10*time.Minute).UnixMilli() {
		t.Errorf("stopped instance has a point at %d", last)
	}
	pts, _, _ = cmsLast(t, c, "CPUUtilization", cmsDims("i-cmsstopped"), nil)
	if len(pts) != 1 || pts[0].Timestamp != cmsNow.Add(-10*time.Minute).UnixMilli() {
		t.Errorf("latest of a stopped instance: %+v", pts)
	}
}

func TestCMSDeterminism(t *testing.T) {
	answer := func() string {
		_, host := cmsServer(t, Options{Seed: 42})
		c := cmsClient(t, host)
		var b strings.Builder
		for _, m := range []string{"CPUUtilization", "memory_usedutilization", "diskusage_utilization", "InternetOutRate", "load_5m"} {
			_, resp, err := cmsList(t, c, m, "", func(r *cms.DescribeMetricListRequest) {
				r.StartTime = strconv.FormatInt(cmsNow.Add(-20*time.Minute).UnixMilli(), 10)
			})
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(resp.Datapoints)
		}
		return b.String()
	}
	a, b := answer(), answer()
	if a != b {
		t.Fatal("same seed and clock, different metrics")
	}
	if len(a) < 1000 {
		t.Fatalf("fleet has almost no metrics: %s", a)
	}
}

func TestCMSFleetMetrics(t *testing.T) {
	s, host := cmsServer(t, Options{Seed: 1})
	s.store.mu.Lock()
	var pegged, running []string
	for id, in := range s.store.instances {
		if in.Health == healthCPUPegged {
			pegged = append(pegged, id)
		}
		if in.Status == "Running" {
			running = append(running, id)
		}
	}
	s.store.mu.Unlock()
	if len(running) == 0 {
		t.Skip("fleet not generated yet")
	}
	c := cmsClient(t, host)
	pts, _, err := cmsLast(t, c, "CPUUtilization", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != len(s.store.instances) {
		t.Errorf("no Dimensions: %d points for %d instances", len(pts), len(s.store.instances))
	}
	for _, id := range pegged {
		pts, _, err := cmsLast(t, c, "CPUUtilization", cmsDims(id), nil)
		if err != nil || len(pts) != 1 || pts[0].Average < 93 {
			t.Errorf("fleet pegged %s: %+v %v", id, pts, err)
		}
	}
}

func TestCMSAgentStatusAndInstall(t *testing.T) {
	var mu sync.Mutex
	now := cmsNow
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s, host := cmsServer(t, Options{Seed: 5, Now: clock, TransitionDelay: 3 * time.Second})
	cmsAddInstance(s, "i-cmsrun", nil)
	cmsAddInstance(s, "i-cmsnone", func(in *instance) { in.AgentStatus, in.AgentVersion = "not_installed", "" })
	cmsAddInstance(s, "i-cmsoff", func(in *instance) { in.AgentStatus, in.AgentVersion, in.Status = "not_installed", "", "Stopped" })
	c := cmsClient(t, host)

	statuses := func() map[string]cms.NodeStatus {
		req := cms.CreateDescribeMonitoringAgentStatusesRequest()
		req.InstanceIds = "i-cmsrun,i-cmsnone, i-cmsoff,i-cmsghost"
		resp, err := c.DescribeMonitoringAgentStatuses(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Code != "200" || !resp.Success {
			t.Fatalf("%+v", resp)
		}
		out := map[string]cms.NodeStatus{}
		for _, n := range resp.NodeStatusList.NodeStatus {
			out[n.InstanceId] = n
		}
		return out
	}
	st := statuses()
	if len(st) != 4 || st["i-cmsrun"].Status != "running" || st["i-cmsrun"].OsMonitorVersion == "" ||
		st["i-cmsnone"].Status != "not_installed" || st["i-cmsghost"].Status != "not_installed" {
		t.Fatalf("statuses: %+v", st)
	}

	install := cms.CreateInstallMonitoringAgentRequest()
	install.InstanceIds = &[]string{"i-cmsnone", "i-cmsoff"}
	resp, err := c.InstallMonitoringAgent(install)
	if err != nil || resp.Code != "200" || !resp.Success {
		t.Fatalf("install: %+v %v", resp, err)
	}
	st = statuses()
	if st["i-cmsnone"].Status != "installing" || st["i-cmsoff"].Status != "install_faild" || st["i-cmsoff"].OsMonitorErrorDetail == "" {
		t.Fatalf("after install: %+v", st)
	}
	// No agent metrics while installing.
	if pts, _, _ := cmsLast(t, c, "memory_usedutilization", cmsDims("i-cmsnone"), nil); len(pts) != 0 {
		t.Errorf("metrics while installing: %+v", pts)
	}
	advance(3 * time.Second)
	st = statuses()
	if st["i-cmsnone"].Status != "running" || st["i-cmsnone"].OsMonitorVersion == "" {
		t.Fatalf("after the delay: %+v", st["i-cmsnone"])
	}
	if pts, _, _ := cmsLast(t, c, "memory_usedutilization", cmsDims("i-cmsnone"), nil); len(pts) != 1 {
		t.Errorf("no agent metrics once running: %+v", pts)
	}

	install = cms.CreateInstallMonitoringAgentRequest()
	install.InstanceIds = &[]string{"i-cmsghost"}
	_, err = c.InstallMonitoringAgent(install)
	if se := cmsServerError(t, err); se.HttpStatus() != 404 || se.ErrorCode() != "ResourceNotFound" {
		t.Errorf("unknown instance: %d %s", se.HttpStatus(), se.ErrorCode())
	}
	install = cms.CreateInstallMonitoringAgentRequest()
	_, err = c.InstallMonitoringAgent(install)
	if se := cmsServerError(t, err); se.ErrorCode() != "MissingParameter" {
		t.Errorf("no instances: %s", se.ErrorCode())
	}
}
