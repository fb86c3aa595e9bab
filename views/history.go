package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/chart"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// window is a history chart's time range and the metric period that fits
// it (so a chart holds a few hundred points at most).
type window struct {
	label  string
	span   time.Duration
	period time.Duration
}

var windows = []window{
	{"1h", time.Hour, time.Minute},
	{"6h", 6 * time.Hour, 5 * time.Minute},
	{"24h", 24 * time.Hour, 15 * time.Minute},
	{"7d", 7 * 24 * time.Hour, time.Hour},
}

var historyMetrics = []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk, cloud.MetricInternetIn, cloud.MetricInternetOut, cloud.MetricLoad1m}

// HistoryKeys are the chart's own keys.
type HistoryKeys struct{ Window, Metric key.Binding }

func historyKeys() HistoryKeys {
	return HistoryKeys{
		Window: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "window 1h/6h/24h/7d")),
		Metric: key.NewBinding(key.WithKeys("m", "tab"), key.WithHelp("m", "next metric")),
	}
}

// History is the history chart of one instance's metric (DescribeMetricList
// over 1h, 6h, 24h or 7d). It is reached from the metrics view (enter).
type History struct {
	keys     HistoryKeys
	instance string
	name     string
	region   string
	win      int
	metric   int

	series  cloud.MetricSeries
	seq     int
	cancel  context.CancelFunc
	busy    bool
	err     error
	fetched time.Time
}

// NewHistory builds the (empty) history view.
func NewHistory() *History { return &History{keys: historyKeys()} }

type historyLoaded struct {
	seq    int
	series cloud.MetricSeries
	err    error
}

func (historyLoaded) RouteTo() string { return "history" }

// Name implements View.
func (h *History) Name() string { return "history" }

// Focus points the chart at an instance (from a Navigate).
func (h *History) Focus(instanceID, region, name string) {
	if instanceID != h.instance {
		h.series = cloud.MetricSeries{}
		h.err = nil
	}
	h.instance, h.region, h.name = instanceID, region, name
}

// Load implements View.
func (h *History) Load(ctx Context) tea.Cmd {
	if h.instance == "" {
		return nil
	}
	if h.cancel != nil {
		h.cancel()
	}
	h.seq++
	h.busy = true
	seq, id, w, m := h.seq, h.instance, windows[h.win], historyMetrics[h.metric]
	region := h.region
	if region == "" {
		region = ctx.Region
	}
	rctx, cancel := context.WithTimeout(context.Background(), ctx.timeout())
	h.cancel = cancel
	client, now := ctx.Client, ctx.now()
	return func() tea.Msg {
		defer cancel()
		series, err := client.MetricHistory(rctx, region, id, m, now.Add(-w.span), now, w.period)
		return historyLoaded{seq: seq, series: series, err: err}
	}
}

// Leave implements View.
func (h *History) Leave() {
	if h.cancel != nil {
		h.cancel()
	}
	h.busy = false
}

// Update implements View.
func (h *History) Update(ctx Context, msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case historyLoaded:
		if msg.seq != h.seq {
			return h, nil
		}
		h.busy = false
		h.err = msg.err
		if msg.err == nil {
			h.series = msg.series
			h.fetched = ctx.now()
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, h.keys.Window):
			h.win = (h.win + 1) % len(windows)
			return h, h.Load(ctx)
		case key.Matches(msg, h.keys.Metric):
			h.metric = (h.metric + 1) % len(historyMetrics)
			h.series = cloud.MetricSeries{}
			return h, h.Load(ctx)
		}
	}
	return h, nil
}

// View implements View.
func (h *History) View(ctx Context, width, height int) string {
	th := ctx.Theme
	m := historyMetrics[h.metric]
	w := windows[h.win]
	var tabs []string
	for i, mm := range historyMetrics {
		label := metricLabel(mm)
		if i == h.metric {
			label = th.Accent.Render("[" + label + "]")
		} else {
			label = th.Muted.Render(label)
		}
		tabs = append(tabs, label)
	}
	var wins []string
	for i, ww := range windows {
		if i == h.win {
			wins = append(wins, th.Accent.Render("["+ww.label+"]"))
		} else {
			wins = append(wins, th.Muted.Render(ww.label))
		}
	}
	head := " " + strings.Join(tabs, " ") + "   " + strings.Join(wins, " ")
	var note string
	if agentMetric(m) && ctx.Metrics != nil {
		if status, known := ctx.Metrics.Agent(h.instance); known && status != "running" {
			note = th.Warn.Render(fmt.Sprintf(" %s comes from the CloudMonitor agent inside the instance, and its agent is %s: install it from :metrics (A).", metricLabel(m), status))
		}
	}
	if h.err != nil {
		note = th.Danger.Render(" " + oneLineErr(h.err))
	}
	chartHeight := height - 2
	if note != "" {
		chartHeight--
	}
	now := ctx.now()
	points := make([]chart.Point, 0, len(h.series.Points))
	for _, p := range h.series.Points {
		points = append(points, chart.Point{T: p.Time, V: p.Value})
	}
	body := chart.LineChart(chart.ChartOptions{
		Points: points, Start: now.Add(-w.span), End: now, Period: w.period,
		Width: width - 1, Height: max(chartHeight, 1), Unit: unitOf(m),
		Title: fmt.Sprintf("%s · %s · last %s (period %s)", textsafe.Line(orDash(h.name)), metricLabel(m), w.label, w.period), // the chart keeps ESC (styled titles)
		Theme: th,
		// The time axis is in the user's zone, named under the y labels.
		Location: ctx.Location(), ZoneName: ZoneName(ctx.Location(), now),
	})
	lines := []string{head, ""}
	if note != "" {
		lines = append(lines, note)
	}
	for _, l := range strings.Split(body, "\n") {
		lines = append(lines, " "+l)
	}
	return strings.Join(lines, "\n")
}

func oneLineErr(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// Status implements View.
func (h *History) Status() Status {
	return Status{Title: "history › " + orDash(h.name), Scope: h.instance, Busy: h.busy, LastRefresh: h.fetched, Err: h.err, NoCount: true}
}

// SetFilter, CycleSort and ReverseSort do nothing on a chart.
func (h *History) SetFilter(string) {}
func (h *History) CycleSort()       {}
func (h *History) ReverseSort()     {}

// SetScope implements View: the scope is the instance id.
func (h *History) SetScope(id string) {
	if id != "" {
		h.Focus(id, h.region, h.name)
	}
}

// ScopeHint implements View.
func (h *History) ScopeHint() string { return "" }

// Hidden implements View: reached from the metrics view.
func (h *History) Hidden() bool { return true }

// ResetData implements View.
func (h *History) ResetData() { h.Leave(); h.series = cloud.MetricSeries{}; h.fetched = time.Time{} }

// InDetail implements View.
func (h *History) InDetail() bool { return false }

// Back implements View.
func (h *History) Back() {}

// Keys implements View.
func (h *History) Keys() []key.Binding { return []key.Binding{h.keys.Window, h.keys.Metric} }

// Capturing implements View.
func (h *History) Capturing() bool { return false }

// Marks implements View: a chart has no rows to mark.
func (h *History) Marks() (shown, hidden []string) { return nil, nil }

// ClearMarks implements View.
func (h *History) ClearMarks() {}

// Redraw implements View.
func (h *History) Redraw(Context) {}

// Commands implements View: the chart's keys as palette commands.
func (h *History) Commands() []Command {
	return []Command{
		{Name: "window", Args: "[1h|6h|24h|7d]", Help: "chart window"},
		{Name: "metric", Args: "[cpu|memory|disk|in|out|load]", Help: "chart metric"},
	}
}

// RunCommand implements View.
func (h *History) RunCommand(ctx Context, name string, args []string) (tea.Cmd, bool) {
	switch name {
	case "window":
		if len(args) == 0 {
			h.win = (h.win + 1) % len(windows)
			return h.Load(ctx), true
		}
		for i, w := range windows {
			if w.label == args[0] {
				h.win = i
				return h.Load(ctx), true
			}
		}
		return reportErr("chart window", fmt.Errorf("window must be 1h, 6h, 24h or 7d, not %q", args[0])), true
	case "metric":
		if len(args) == 0 {
			h.metric = (h.metric + 1) % len(historyMetrics)
			h.series = cloud.MetricSeries{}
			return h.Load(ctx), true
		}
		names := []string{"cpu", "memory", "disk", "in", "out", "load"}
		for i, n := range names {
			if n == strings.ToLower(args[0]) {
				h.metric = i
				h.series = cloud.MetricSeries{}
				return h.Load(ctx), true
			}
		}
		return reportErr("chart metric", fmt.Errorf("metric must be one of %s, not %q", strings.Join(names, ", "), args[0])), true
	}
	return nil, false
}

// reportErr is a command reporting a refused action.
func reportErr(action string, err error) tea.Cmd {
	return func() tea.Msg { return Report{Action: action, Err: err} }
}
