package tui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views"
)

// metricsTick is how often the shell asks whether live metrics are due; the
// sampler itself never fetches faster than the metric period.
const metricsTick = 5 * time.Second

type metricsTickMsg struct{}

func (m *Model) scheduleMetrics() tea.Cmd {
	if m.samples == nil {
		return nil
	}
	return tea.Tick(metricsTick, func(time.Time) tea.Msg { return metricsTickMsg{} })
}

// subjects is what a view with live metrics offers the sampler.
type subjects interface {
	Subjects() []cloud.Instance
}

// refreshMetrics feeds the sampler with the instances of the view on screen
// (only that view: polling what nobody looks at burns the API quota).
func (m *Model) refreshMetrics() tea.Cmd {
	if m.samples == nil {
		return nil
	}
	v, ok := m.current().(subjects)
	if !ok {
		return nil
	}
	list := v.Subjects()
	if len(list) == 0 {
		return nil
	}
	return m.samples.Refresh(list)
}

// metricsStatus is the status-bar part about CloudMonitor: the API cost
// (calls per minute and the projected month against the free quota, from
// the calls sent: a call cancelled before it went out costs nothing) and
// whether the values are stale because the API throttled us, or partly
// throttled (some values old, retried soon).
func (m *Model) metricsStatus() string {
	if m.samples == nil {
		return ""
	}
	th := m.opts.Theme
	u := m.samples.Usage()
	text := fmt.Sprintf("CMS %.1f/min ≈%s/mo of %s free", u.MetricCallsPerMinute, compact(u.ProjectedMonthly), compact(u.FreeMonthlyQuota))
	style := th.StatusBar
	if u.FreeMonthlyQuota > 0 && u.ProjectedMonthly > u.FreeMonthlyQuota {
		style = th.Warn
	}
	out := style.Render(text)
	if since, stale := m.samples.Stale(); stale {
		out += th.StatusBar.Render(" │ ") + th.Warn.Render("metrics stale since "+views.Zoned(m.ctx().Location(), since, "15:04")+" (throttled)")
	} else if cloud.HasCodePrefix(m.samples.Err(), "Throttling") {
		// Some calls got through: the cells say which values are old.
		out += th.StatusBar.Render(" │ ") + th.Warn.Render("metrics partly throttled, retrying")
	}
	return out
}

// compact writes 1234567 as 1.2M and 12345 as 12k.
func compact(n int) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%dk", n/1000)
	case n >= 1_000:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}
