package views

import (
	"fmt"
	"math"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/chart"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// sparkWidth is the number of periods a table sparkline shows.
const sparkWidth = 8

// agentMetric reports whether a metric comes from the CloudMonitor agent
// inside the instance (memory, disk, load) rather than the hypervisor.
func agentMetric(m cloud.Metric) bool {
	switch m {
	case cloud.MetricMemory, cloud.MetricDisk, cloud.MetricLoad1m:
		return true
	}
	return false
}

// liveCell renders a metric for a table cell: a sparkline of the last
// periods and the latest value, or why there is none. A value whose last
// fetch failed (throttled) stays, with its age in place of half the
// sparkline (muted where there is no room); a running instance with no
// value to show says why ("throttled") instead of a blank.
func liveCell(th theme.Theme, s *monitor.Sampler, in cloud.Instance, m cloud.Metric, spark bool) (cell, sortKey string) {
	if s == nil {
		return "", ""
	}
	if agentMetric(m) {
		if status, known := s.Agent(in.ID); known && status != "running" && in.Status == cloud.StateRunning {
			return th.Muted.Render("no agent"), "-1"
		}
	}
	v, at, ok := s.Latest(in.ID, m)
	behind, why := s.Behind(in.ID, m)
	if in.Status != cloud.StateRunning {
		return th.Muted.Render("-"), "-1"
	}
	if !ok {
		if why != "" {
			return th.Warn.Render(whyWord(why, spark)), "-1"
		}
		return th.Muted.Render("-"), "-1"
	}
	value := chart.FormatValue(v, unitOf(m))
	if unitOf(m) == chart.UnitPercent {
		value = th.Level(v).Render(fmt.Sprintf("%3.0f%%", v))
	}
	old := why != "" && behind > 0
	if !spark {
		if old {
			value = th.Muted.Render(ansi.Strip(value))
		}
		return value, fmt.Sprintf("%.3f", v)
	}
	level := th.Level
	if unitOf(m) != chart.UnitPercent {
		level = nil
	}
	if old {
		line := chart.SparklineStyled(th, s.Values(in.ID, m), sparkWidth-4, 0, maxOf(m), level)
		return line + " " + th.Warn.Render(fmt.Sprintf("%3s", age(at.Add(behind), at))) + " " + value, fmt.Sprintf("%.3f", v)
	}
	line := chart.SparklineStyled(th, s.Values(in.ID, m), sparkWidth, 0, maxOf(m), level)
	return line + " " + value, fmt.Sprintf("%.3f", v)
}

// whyWord is why a cell has no value, short enough for its column: a
// sparkline cell has room for "throttled", a bare value's for "thr.".
func whyWord(why string, wide bool) string {
	if wide {
		return why
	}
	if why == "throttled" {
		return "thr."
	}
	return "err"
}

// unitOf is the display unit of a metric.
func unitOf(m cloud.Metric) string {
	switch m {
	case cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk:
		return chart.UnitPercent
	case cloud.MetricInternetIn, cloud.MetricInternetOut:
		return chart.UnitBitRate
	}
	return chart.UnitNone
}

// maxOf is the sparkline scale: 100 for percentages, auto otherwise.
func maxOf(m cloud.Metric) float64 {
	if unitOf(m) == chart.UnitPercent {
		return 100
	}
	return 0
}

// metricLabel is a metric's short human name.
func metricLabel(m cloud.Metric) string {
	switch m {
	case cloud.MetricCPU:
		return "CPU"
	case cloud.MetricMemory:
		return "memory"
	case cloud.MetricDisk:
		return "disk usage"
	case cloud.MetricInternetIn:
		return "internet in"
	case cloud.MetricInternetOut:
		return "internet out"
	case cloud.MetricLoad1m:
		return "load (1 min)"
	}
	return string(m)
}

// heat orders instances hottest first: the worst of CPU, memory and disk.
func heat(s *monitor.Sampler, id string) float64 {
	h := -1.0
	for _, m := range []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk} {
		if v, _, ok := s.Latest(id, m); ok && !math.IsNaN(v) {
			h = max(h, v)
		}
	}
	return h
}
