package chart

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
)

// Smallest size drawn as a chart; anything smaller gets a one-line summary.
const (
	MinChartWidth  = 20
	MinChartHeight = 5
)

// noData is written across an empty plot.
const noData = "no data"

// ChartOptions is what [LineChart] draws.
type ChartOptions struct {
	// Points is the series, in time order. NaN values are gaps; points
	// outside [Start, End] are not drawn.
	Points []Point
	// Start and End are the window the x axis spans. When End is not after
	// Start, the window is the points' own span.
	Start, End time.Time
	// Period is the sampling period. Two consecutive points further apart
	// than twice the period are not joined. Zero infers it from the points
	// (the median spacing).
	Period time.Duration
	// Min and Max fix the y range. When both are zero (or Max <= Min) the
	// range is automatic: from zero (or the lowest value, if negative) to
	// the highest value, rounded out to nice steps, including Threshold.
	Min, Max float64
	// Width and Height are the exact size of the result in cells.
	Width, Height int
	// Unit formats the y axis, see [FormatValue]: "%", "bit/s", "" (load).
	Unit string
	// Title, when set and Height allows, is a first line with the latest
	// and highest values on its right.
	Title string
	// Threshold, when set, is drawn as a dim dotted horizontal line.
	Threshold *float64
	// Location is the time zone of the x labels; nil means UTC.
	Location *time.Location
	// ZoneName, when set, names Location once, at the start of the x
	// label row ("CST"), so the times say which zone they are in. A
	// label it would overlap is left out.
	ZoneName string
	// Theme styles the chart.
	Theme theme.Theme
	// Level colours the plot, cell by cell, by the highest value drawn in
	// the cell. Nil means Theme.Level for "%" and no colour for other units.
	Level func(v float64) lipgloss.Style
}

// LineChart draws opts.Points as a braille line chart exactly opts.Width
// cells wide and opts.Height lines high: an optional title line, the plot
// with a y axis of 2-5 labels on its left, an x axis line and a row of 3-5
// time labels ("15:04" for windows up to 36 hours, "Mon 02" beyond).
//
// When there are more points than dot columns (two per cell) each column
// keeps the maximum of its points: the charted metrics are spiky and a peak
// must not be averaged away. Consecutive points are joined unless a NaN or a
// hole longer than twice the period separates them. Values outside a fixed
// Min/Max are clamped to the plot's edge.
//
// No line is ever wider than Width and there are never more than Height
// lines. Below [MinChartWidth] x [MinChartHeight] the result is a one-line
// summary (title, latest and highest value); zero or negative sizes give "".
func LineChart(opts ChartOptions) string {
	if opts.Width <= 0 || opts.Height <= 0 {
		return ""
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	opts.Title, opts.Unit = oneLine(opts.Title), oneLine(opts.Unit)
	opts.Start, opts.End = window(opts)
	shown := inWindow(opts.Points, opts.Start, opts.End)
	st := statsOf(shown)
	if opts.Width < MinChartWidth || opts.Height < MinChartHeight {
		return summary(opts, st)
	}
	if opts.Level == nil {
		opts.Level = defaultLevel(opts.Theme, opts.Unit)
	}
	return newLayout(opts, st).render(opts, shown, st)
}

// oneLine replaces control characters (newlines, tabs) with spaces, so a
// title or unit cannot break the chart's lines.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r != ansi.ESC && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// window is the x range: opts' own, or the points' span when that is empty.
func window(opts ChartOptions) (time.Time, time.Time) {
	if opts.End.After(opts.Start) {
		return opts.Start, opts.End
	}
	if len(opts.Points) == 0 {
		return opts.Start, opts.Start
	}
	first, last := opts.Points[0].T, opts.Points[len(opts.Points)-1].T
	if !last.After(first) {
		return first.Add(-time.Minute), first
	}
	return first, last
}

// inWindow returns the points in [start, end]: the series is in time order,
// so the result is one sub-slice (no copy).
func inWindow(points []Point, start, end time.Time) []Point {
	i := 0
	for i < len(points) && points[i].T.Before(start) {
		i++
	}
	j := i
	for j < len(points) && !points[j].T.After(end) {
		j++
	}
	return points[i:j]
}

// stats summarises the finite values shown.
type stats struct {
	n        int // finite values
	min, max float64
	last     float64
}

func statsOf(points []Point) stats {
	st := stats{min: math.Inf(1), max: math.Inf(-1), last: math.NaN()}
	for _, p := range points {
		if math.IsNaN(p.V) || math.IsInf(p.V, 0) {
			continue
		}
		st.n++
		st.min, st.max, st.last = math.Min(st.min, p.V), math.Max(st.max, p.V), p.V
	}
	return st
}

// medianSpacing is the median gap between consecutive points, or 0.
func medianSpacing(points []Point) time.Duration {
	if len(points) < 2 {
		return 0
	}
	gaps := make([]time.Duration, 0, len(points)-1)
	for i := 1; i < len(points); i++ {
		if d := points[i].T.Sub(points[i-1].T); d > 0 {
			gaps = append(gaps, d)
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
}

// defaultLevel colours percentages by the theme's levels and leaves other
// units plain.
func defaultLevel(th theme.Theme, unit string) func(float64) lipgloss.Style {
	if unit == UnitPercent {
		return th.Level
	}
	plain := lipgloss.NewStyle()
	return func(float64) lipgloss.Style { return plain }
}

// summary is the one-line form for sizes too small to chart.
func summary(opts ChartOptions, st stats) string {
	th := opts.Theme
	var parts []string
	if opts.Title != "" {
		parts = append(parts, th.Header.Render(opts.Title))
	}
	if st.n == 0 {
		parts = append(parts, th.Muted.Render(noData))
	} else {
		level := opts.Level
		if level == nil {
			level = defaultLevel(th, opts.Unit)
		}
		parts = append(parts, level(st.last).Render(FormatValue(st.last, opts.Unit)),
			th.Muted.Render("max")+" "+level(st.max).Render(FormatValue(st.max, opts.Unit)))
	}
	return ansi.Truncate(strings.Join(parts, " "), opts.Width, "…")
}
