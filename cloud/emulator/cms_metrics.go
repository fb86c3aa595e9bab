package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CloudMonitor metric queries: DescribeMetricLast and DescribeMetricList
// (notes §3.9). Datapoints are generated on demand by metricGen.

const (
	maxDimensions     = 50   // dimension objects per call
	defaultLength     = 1000 // datapoints per page
	maxLength         = 1440
	lastLookback      = 2 * time.Hour // minute-level data: DescribeMetricLast looks back 2 h
	listDefaultWindow = time.Hour     // DescribeMetricList without StartTime
)

// knownNamespaces are CloudMonitor namespaces the emulator recognises; only
// acs_ecs_dashboard has data (the account has no other resources).
var knownNamespaces = map[string]bool{
	cmsNamespaceECS:         true,
	"acs_rds_dashboard":     true,
	"acs_slb_dashboard":     true,
	"acs_vpc_eip":           true,
	"acs_kvstore":           true,
	"acs_oss_dashboard":     true,
	"acs_nat_gateway":       true,
	"acs_cdn":               true,
	"acs_ecs_eni":           true,
	"acs_k8s":               true,
	"acs_polardb":           true,
	"acs_mongodb":           true,
	"acs_elasticsearch":     true,
	"acs_bandwidth_package": true,
}

// errCMS is a CloudMonitor parameter error: the metric APIs answer with the
// HTTP status used literally as Code, e.g. {"Code":"400","Message":"parse
// param dimensions error(...)","Success":false}.
func errCMS(status int, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: strconv.Itoa(status), Message: fmt.Sprintf(format, args...)}
}

// metricQuery is a parsed DescribeMetricLast/List call.
type metricQuery struct {
	namespace string
	def       metricDef
	known     bool // the metric exists (else: no datapoints)
	dims      []map[string]string
	period    int
	startMs   int64
	endMs     int64
	length    int
	offset    int
}

// pageToken is the content of NextToken: where the next page starts and the
// resolved window, so a default window ("the last hour") does not move
// between pages.
type pageToken struct {
	Offset  int   `json:"o"`
	StartMs int64 `json:"s"`
	EndMs   int64 `json:"e"`
}

func encodeToken(t pageToken) string {
	raw, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeToken(s string) (pageToken, error) {
	var t pageToken
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, &t)
	}
	if err != nil || t.Offset < 0 {
		return t, errCMS(400, "The specified NextToken %q is not valid.", s)
	}
	return t, nil
}

// parseMetricQuery validates the parameters both APIs share. last selects
// DescribeMetricLast's window rules.
func (s *Server) parseMetricQuery(r *request, last bool) (*metricQuery, error) {
	ns, err := r.required("Namespace")
	if err != nil {
		return nil, err
	}
	metric, err := r.required("MetricName")
	if err != nil {
		return nil, err
	}
	if !knownNamespaces[ns] {
		return nil, errCMS(400, "The specified namespace %q does not exist.", ns)
	}
	q := &metricQuery{namespace: ns}
	if ns == cmsNamespaceECS {
		q.def, q.known = ecsMetricDefs[metric]
	}
	if q.dims, err = parseDimensions(r.str("Dimensions")); err != nil {
		return nil, err
	}

	q.period = basicPeriod
	if v := r.str("Period"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 {
			return nil, errCMS(400, "The specified parameter \"Period\" is not valid: %s.", v)
		}
		step := basicPeriod
		if q.def.agent {
			step = agentPeriod
		}
		if p%step != 0 {
			return nil, errCMS(400, "The specified parameter \"Period\" is not valid: %d is not a multiple of %d for metric %s.", p, step, metric)
		}
		q.period = p
	}

	q.length = defaultLength
	if v := r.str("Length"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, errCMS(400, "The specified parameter \"Length\" is not valid: %s.", v)
		}
		q.length = min(n, maxLength)
	}

	now := s.opts.Now()
	var start, end time.Time
	hasStart, hasEnd := r.has("StartTime"), r.has("EndTime")
	if hasStart {
		if start, err = parseCMSTime("StartTime", r.str("StartTime")); err != nil {
			return nil, err
		}
	}
	end = now
	if hasEnd {
		if end, err = parseCMSTime("EndTime", r.str("EndTime")); err != nil {
			return nil, err
		}
	}
	switch {
	case last:
		// The earlier of StartTime and EndTime minus the lookback.
		if lb := end.Add(-lastLookback); !hasStart || lb.Before(start) {
			start = lb
		}
	case !hasStart:
		start = end.Add(-listDefaultWindow)
	}
	if !start.Before(end) {
		return nil, errCMS(400, "The StartTime must be earlier than the EndTime.")
	}
	q.startMs, q.endMs = start.UnixMilli(), end.UnixMilli()

	if tok := r.str("NextToken"); tok != "" {
		t, err := decodeToken(tok)
		if err != nil {
			return nil, err
		}
		q.offset, q.startMs, q.endMs = t.Offset, t.StartMs, t.EndMs
	}
	return q, nil
}

// parseDimensions reads Dimensions: a JSON array of objects or one object.
func parseDimensions(raw string) ([]map[string]string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	bad := errCMS(400, "parse param dimensions error(%s)", raw)
	var objs []map[string]any
	switch raw[0] {
	case '[':
		if err := json.Unmarshal([]byte(raw), &objs); err != nil {
			return nil, bad
		}
	case '{':
		var one map[string]any
		if err := json.Unmarshal([]byte(raw), &one); err != nil {
			return nil, bad
		}
		objs = []map[string]any{one}
	default:
		return nil, bad
	}
	if len(objs) > maxDimensions {
		return nil, errCMS(400, "The specified parameter \"Dimensions\" is not valid: at most %d dimensions are allowed in one request, got %d.", maxDimensions, len(objs))
	}
	out := make([]map[string]string, 0, len(objs))
	for _, o := range objs {
		m := map[string]string{}
		for k, v := range o {
			switch v := v.(type) {
			case string:
				m[k] = v
			case float64:
				m[k] = strconv.FormatFloat(v, 'f', -1, 64)
			case bool:
				m[k] = strconv.FormatBool(v)
			case nil:
			default:
				return nil, bad
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// parseCMSTime accepts "YYYY-MM-DD hh:mm:ss" (the service's local time,
// UTC+8), ISO 8601 "YYYY-MM-DDThh:mm:ssZ" and Unix time in milliseconds or
// seconds.
func parseCMSTime(name, v string) (time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n >= 1e11 || n <= -1e11 {
			return time.UnixMilli(n), nil
		}
		return time.Unix(n, 0), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04Z", v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04:05", v, time.FixedZone("UTC+8", 8*3600)); err == nil {
		return t, nil
	}
	return time.Time{}, errCMS(400, "The specified parameter %q is not valid: %s. Use a Unix timestamp in milliseconds, YYYY-MM-DDThh:mm:ssZ or YYYY-MM-DD hh:mm:ss.", name, v)
}

// seriesFor lists the series a query selects, in dimension order (all the
// account's instances, by id, without Dimensions). Unknown instances and
// instances without the metric give no series.
func (s *Server) seriesFor(g *metricGen, q *metricQuery) []*series {
	if !q.known {
		return nil
	}
	st := s.store
	var out []*series
	seen := map[string]bool{}
	add := func(in *instance, device string) {
		if in == nil || !hasData(in, q.def) {
			return
		}
		devs := []string{""}
		if q.def.device {
			devs = st.instanceDevices(in.ID)
			if device != "" {
				devs = filterString(devs, device)
			}
		}
		for _, d := range devs {
			key := in.ID + "|" + d
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, g.series(in, q.def, d))
		}
	}
	all := func(device string) {
		ids := make([]string, 0, len(st.instances))
		for id := range st.instances {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			add(st.instances[id], device)
		}
	}
	if len(q.dims) == 0 {
		all("")
		return out
	}
	for _, d := range q.dims {
		if uid, ok := d["userId"]; ok && uid != cmsUserID {
			continue
		}
		id, ok := d["instanceId"]
		if !ok {
			all(d["device"])
			continue
		}
		add(st.instances[id], d["device"])
	}
	return out
}

func filterString(list []string, keep string) []string {
	for _, v := range list {
		if v == keep {
			return []string{keep}
		}
	}
	return nil
}

// metricResponse builds the shared response body.
func metricResponse(q *metricQuery, points []datapoint, next int) (map[string]any, error) {
	if points == nil {
		points = []datapoint{}
	}
	raw, err := json.Marshal(points)
	if err != nil {
		return nil, err
	}
	body := map[string]any{
		"Code":       "200",
		"Success":    true,
		"Period":     strconv.Itoa(q.period),
		"Datapoints": string(raw),
	}
	if next > 0 {
		body["NextToken"] = encodeToken(pageToken{Offset: next, StartMs: q.startMs, EndMs: q.endMs})
	}
	return body, nil
}

// describeMetricList answers DescribeMetricList: every point of every
// selected series in (StartTime, EndTime], series after series, paged by
// Length and NextToken.
func (s *Server) describeMetricList(g *metricGen, r *request) (any, error) {
	q, err := s.parseMetricQuery(r, false)
	if err != nil {
		return nil, err
	}
	nowMs := s.opts.Now().UnixMilli()
	pms := int64(q.period) * 1000
	var points []datapoint
	skip := q.offset
	next := 0
	pos := 0
	for _, se := range s.seriesFor(g, q) {
		first, _, n := se.window(q.startMs, q.endMs, nowMs, q.period)
		if skip >= n {
			skip -= n
			pos += n
			continue
		}
		for i := skip; i < n; i++ {
			if len(points) == q.length {
				next = pos + i
				break
			}
			points = append(points, g.point(se, first+int64(i)*pms, q.period))
		}
		if next > 0 {
			break
		}
		pos += n
		skip = 0
	}
	return metricResponse(q, points, next)
}

// describeMetricLast answers DescribeMetricLast: the latest point of each
// selected series within the lookback window.
func (s *Server) describeMetricLast(g *metricGen, r *request) (any, error) {
	q, err := s.parseMetricQuery(r, true)
	if err != nil {
		return nil, err
	}
	nowMs := s.opts.Now().UnixMilli()
	var points []datapoint
	next := 0
	pos := 0
	for _, se := range s.seriesFor(g, q) {
		_, last, n := se.window(q.startMs, q.endMs, nowMs, q.period)
		if n == 0 {
			continue
		}
		if pos >= q.offset {
			if len(points) == q.length {
				next = pos
				break
			}
			points = append(points, g.point(se, last, q.period))
		}
		pos++
	}
	return metricResponse(q, points, next)
}
