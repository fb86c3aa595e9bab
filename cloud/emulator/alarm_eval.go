package emulator

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Alarm evaluation. No goroutine ticks: CloudMonitor requests evaluate the
// rules lazily (evaluating wraps every CMS handler), at most once per
// evalEvery of emulator clock, catching up period by period on the time
// since each rule's last evaluated period. A rule never evaluated (new,
// updated or re-enabled) starts with the latest complete period, so a rule
// whose condition already holds fires at the next evaluation.

const (
	evalEvery  = 15 * time.Second
	maxCatchUp = 360 // periods caught up per rule and evaluation (6 h of minutes)
)

// evaluating wraps a CMS handler so that alarm rules are evaluated before
// it runs (the store's lock is held by dispatch).
func (s *Server) evaluating(g *metricGen, h handler) handler {
	return func(r *request) (any, error) {
		s.evaluateAlarms(g, s.opts.Now())
		return h(r)
	}
}

// evaluateAlarms evaluates every enabled rule up to now.
func (s *Server) evaluateAlarms(g *metricGen, now time.Time) {
	c := s.store.cms
	if !c.lastEval.IsZero() {
		if d := now.Sub(c.lastEval); d >= 0 && d < evalEvery {
			return
		}
	}
	c.lastEval = now
	for _, rule := range c.ruleList() {
		if rule.Enabled {
			s.evaluateRule(g, rule, now)
		}
	}
}

// evaluateRule evaluates the periods of one rule that ended since its
// cursor (only the latest one for a rule not evaluated yet).
func (s *Server) evaluateRule(g *metricGen, rule *alarmRule, now time.Time) {
	p := int64(rule.Period)
	last := floorDiv(now.Unix(), p) * p
	first := rule.cursor + p
	if rule.cursor == 0 {
		first = last
	}
	if n := (last-first)/p + 1; n > maxCatchUp {
		first = last - (maxCatchUp-1)*p
	}
	for t := first; t <= last; t += p {
		s.evaluateAt(g, rule, t, now)
	}
	rule.cursor = max(rule.cursor, last)
}

// evaluateAt evaluates a rule for the period ending at t (unix seconds) on
// each of its resources, logs level changes and sets the rule's state:
// ALARM while any resource is at an alert level, else OK when some
// resource had data, else INSUFFICIENT_DATA.
func (s *Server) evaluateAt(g *metricGen, rule *alarmRule, t int64, now time.Time) {
	c := s.store.cms
	anyData := false
	for _, se := range s.ruleSeries(g, rule) {
		key := se.inst.ID + "|" + se.device
		ts := rule.targets[key]
		if ts == nil {
			ts = &targetState{level: "OK"}
			rule.targets[key] = ts
		}
		ev, ok := s.levelAt(g, rule, se, t, now)
		if ok {
			anyData = true
		} else if rule.NoDataPolicy == "OK" {
			ev.level = "OK"
		} else {
			continue // KEEP_LAST_STATE, INSUFFICIENT_DATA: the level stays
		}
		at := time.Unix(t, 0).UTC()
		switch {
		case ev.level != ts.level:
			c.appendLog(rule, se, ts.level, ev, at)
			ts.level, ts.notified = ev.level, at
		case ev.level != "OK" && at.Sub(ts.notified) >= time.Duration(rule.SilenceTime)*time.Second:
			// Still alerting after the silence time: notified again.
			c.appendLog(rule, se, ts.level, ev, at)
			ts.notified = at
		}
	}
	state := "INSUFFICIENT_DATA"
	if anyData {
		state = "OK"
	}
	for _, ts := range rule.targets {
		if ts.level != "OK" {
			state = "ALARM"
			break
		}
	}
	rule.State = state
}

// ruleSeries lists the series a rule watches: its instances (every
// instance of the account for an all-resources rule), every device of a
// device metric. Instances that no longer exist, and metrics outside
// acs_ecs_dashboard, have none.
func (s *Server) ruleSeries(g *metricGen, rule *alarmRule) []*series {
	st := s.store
	def, ok := ecsMetricDefs[rule.Metric]
	if rule.Namespace != cmsNamespaceECS || !ok {
		return nil
	}
	ids := rule.instanceIDs()
	if ids == nil {
		for id := range st.instances {
			ids = append(ids, id)
		}
		sort.Strings(ids)
	}
	var out []*series
	for _, id := range ids {
		in := st.instances[id]
		if in == nil || !hasData(in, def) {
			continue
		}
		devs := []string{""}
		if def.device {
			devs = st.instanceDevices(id)
		}
		for _, d := range devs {
			out = append(out, g.series(in, def, d))
		}
	}
	return out
}

// evaluation is the outcome for one resource and period: the level
// reached (OK, P2, P3, P4), the value at the period's end and the
// condition that decided it.
type evaluation struct {
	level      string
	value      float64
	expression string
	times      int
}

// levelAt finds the most severe escalation whose condition held for its
// Times consecutive periods ending at t. ok is false when the series has
// no datapoint for the period ending at t.
func (s *Server) levelAt(g *metricGen, rule *alarmRule, se *series, t int64, now time.Time) (ev evaluation, ok bool) {
	ev.level = "OK"
	first := true
	for _, lv := range escalationLevels {
		e, set := rule.Escalations[lv.name]
		if !set {
			continue
		}
		v, has := ruleValue(g, rule, se, t, e.Statistics, now)
		if !has {
			return ev, false
		}
		if first {
			// Without an alert, report the most severe level's value.
			ev.value, ev.expression, ev.times = v, expression(e), e.Times
			first = false
		}
		breach := true
		for k := 0; k < e.Times && breach; k++ {
			tk := t - int64(k)*int64(rule.Period)
			vk, has := ruleValue(g, rule, se, tk, e.Statistics, now)
			breach = has && compare(g, rule, se, tk, e, vk, now)
		}
		if breach {
			ev = evaluation{level: lv.level, value: v, expression: expression(e), times: e.Times}
			return ev, true
		}
	}
	return ev, true
}

// ruleValue is a series' statistic over the period ending at t (unix
// seconds), false when there is no datapoint (instance stopped, not yet
// created, agent not running, or t in the future).
func ruleValue(g *metricGen, rule *alarmRule, se *series, t int64, stat string, now time.Time) (float64, bool) {
	pms := int64(rule.Period) * 1000
	if _, _, n := se.window(t*1000-pms, t*1000, now.UnixMilli(), rule.Period); n == 0 {
		return 0, false
	}
	dp := g.point(se, t*1000, rule.Period)
	switch stat {
	case "Maximum":
		return dp.Maximum, true
	case "Minimum":
		return dp.Minimum, true
	}
	return dp.Average, true
}

// compare applies an escalation's operator. The relative operators
// (…Yesterday, …LastWeek, …LastPeriod) compare the change against the
// value a day, a week or a period before, in percent, with the threshold.
func compare(g *metricGen, rule *alarmRule, se *series, t int64, e *escalation, v float64, now time.Time) bool {
	th := e.Threshold
	switch e.Comparison {
	case "GreaterThanOrEqualToThreshold":
		return v >= th
	case "GreaterThanThreshold":
		return v > th
	case "LessThanOrEqualToThreshold":
		return v <= th
	case "LessThanThreshold":
		return v < th
	case "NotEqualToThreshold":
		return v != th
	case "EqualToThreshold":
		return v == th
	}
	var back int64
	switch e.Comparison {
	case "GreaterThanYesterday", "LessThanYesterday":
		back = day
	case "GreaterThanLastWeek", "LessThanLastWeek":
		back = 7 * day
	default:
		back = int64(rule.Period)
	}
	ref, ok := ruleValue(g, rule, se, t-back, e.Statistics, now)
	if !ok {
		return false
	}
	change := math.Inf(1)
	if ref != 0 {
		change = (v - ref) / math.Abs(ref) * 100
	} else if v == 0 {
		change = 0
	}
	switch e.Comparison {
	case "GreaterThanYesterday", "GreaterThanLastWeek", "GreaterThanLastPeriod":
		return change > th
	}
	return -change > th
}

// expression renders a condition as the alert log does: "$Average>90".
func expression(e *escalation) string {
	op := map[string]string{
		"GreaterThanOrEqualToThreshold": ">=", "GreaterThanThreshold": ">",
		"LessThanOrEqualToThreshold": "<=", "LessThanThreshold": "<",
		"NotEqualToThreshold": "!=", "EqualToThreshold": "==",
	}[e.Comparison]
	th := fmt.Sprintf("%g", e.Threshold)
	if op == "" {
		return fmt.Sprintf("$%s %s %s%%", e.Statistics, e.Comparison, th)
	}
	return "$" + e.Statistics + op + th
}
