package chart

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// layout is where a chart's parts go, and its y scale.
type layout struct {
	title  bool // a title line on top
	rows   int  // plot rows
	labelW int  // y label column width, the axis line is one more
	plotW  int  // plot columns
	lo, hi float64
	yLabel []string // per plot row: its y label, or ""
}

// newLayout fits the title, axes and plot into opts.Width x opts.Height.
func newLayout(opts ChartOptions, st stats) layout {
	l := layout{title: opts.Title != "" && opts.Height > MinChartHeight}
	l.rows = opts.Height - 2 // x axis line and x labels
	if l.title {
		l.rows--
	}
	limit := maxYTicks(l.rows)
	var ticks []float64
	for _, quarters := range []bool{true, false} {
		m := niceMantissas(quarters)
		if opts.Max > opts.Min {
			l.lo, l.hi = opts.Min, opts.Max
			ticks = fixedTicks(l.lo, l.hi, limit, m)
		} else {
			dmin, dmax := autoData(opts, st)
			l.lo, l.hi, ticks = autoRange(dmin, dmax, limit, m)
		}
		if exactLabels(ticks, opts.Unit) {
			break
		}
	}

	// Labels go on the row their value is drawn on; a later tick landing on
	// a labelled row is dropped. Labels may take at most half the width:
	// wider ones lose their unit ("1.5M"), then are cut.
	maxLabel := opts.Width/2 - 1
	l.labelW = l.placeLabels(ticks, func(v float64) string { return FormatValue(v, opts.Unit) })
	if l.labelW > maxLabel {
		l.labelW = l.placeLabels(ticks, func(v float64) string { return compactValue(v, opts.Unit) })
	}
	if l.labelW > maxLabel {
		l.labelW = 0
		for r, s := range l.yLabel {
			l.yLabel[r] = ansi.Truncate(s, maxLabel, "…")
			l.labelW = max(l.labelW, ansi.StringWidth(l.yLabel[r]))
		}
	}
	l.plotW = opts.Width - l.labelW - 1
	return l
}

// autoData is the value range an automatic y scale must show: the data,
// the threshold, and a default (0-100 %, 0-1) when there is nothing else.
func autoData(opts ChartOptions, st stats) (float64, float64) {
	dmin, dmax := st.min, st.max
	if st.n == 0 {
		dmin, dmax = 0, 0
	}
	if t := opts.Threshold; t != nil && !math.IsNaN(*t) && !math.IsInf(*t, 0) {
		dmin, dmax = math.Min(dmin, *t), math.Max(dmax, *t)
	}
	if dmin == 0 && dmax == 0 {
		dmax = 1
		if opts.Unit == UnitPercent {
			dmax = 100
		}
	}
	return dmin, dmax
}

// exactLabels reports whether every tick's label shows its value without
// rounding (25% does; 12.5% would print as 13%).
func exactLabels(ticks []float64, unit string) bool {
	for _, v := range ticks {
		s := compactValue(v, unit)
		mult := 1.0
		if i := strings.IndexByte(siPrefixes, s[len(s)-1]); i > 0 {
			mult = math.Pow(1000, float64(i))
			s = s[:len(s)-1]
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(f*mult-v) > 1e-9*math.Max(1, math.Abs(v)) {
			return false
		}
	}
	return true
}

// placeLabels sets yLabel from ticks formatted by format and returns the
// widest label's width.
func (l *layout) placeLabels(ticks []float64, format func(float64) string) int {
	l.yLabel = make([]string, l.rows)
	width := 0
	for _, v := range ticks {
		if v < l.lo || v > l.hi {
			continue
		}
		r := l.dotY(v) / 4
		if l.yLabel[r] != "" {
			continue
		}
		l.yLabel[r] = format(v)
		width = max(width, ansi.StringWidth(l.yLabel[r]))
	}
	return width
}

// dotY is the dot row (0 at the top) a value is drawn at, clamped to the
// plot.
func (l layout) dotY(v float64) int {
	h := 4*l.rows - 1
	f := 0.0
	if l.hi > l.lo {
		f = (v - l.lo) / (l.hi - l.lo)
	}
	switch {
	case !(f > 0): // also NaN
		f = 0
	case f > 1:
		f = 1
	}
	return h - int(math.Round(f*float64(h)))
}

// valueAt is the value a dot row stands for (the inverse of dotY).
func (l layout) valueAt(y int) float64 {
	h := 4*l.rows - 1
	if h == 0 {
		return l.lo
	}
	return l.lo + float64(h-y)/float64(h)*(l.hi-l.lo)
}

// pad writes n spaces.
func pad(b *strings.Builder, n int) {
	for range n {
		b.WriteByte(' ')
	}
}
