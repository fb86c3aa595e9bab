package chart

import (
	"math"
	"time"
)

// eps absorbs floating-point error when counting ticks (0.3/0.1 is not 3).
const eps = 1e-9

// maxYTicks is how many y labels fit rows plot rows with a blank row between
// neighbours, from 2 up to 5.
func maxYTicks(rows int) int { return min(5, max(2, (rows+1)/2+1)) }

// niceStep returns the smallest step of the form m x 10^k, m in mantissas,
// for which count(step) <= limit, and false when none does.
func niceStep(span float64, limit int, mantissas []float64, count func(step float64) int) (float64, bool) {
	if !(span > 0) || math.IsInf(span, 0) {
		return 0, false
	}
	e := math.Floor(math.Log10(span/float64(limit))) - 1
	for range 6 {
		p := math.Pow(10, e)
		for _, m := range mantissas {
			if s := m * p; count(s) <= limit {
				return s, true
			}
		}
		e++
	}
	return 0, false
}

// Mantissas of nice steps. Quarters read well (0, 25, 50, 75, 100 %) but
// need one more digit than the others, so the chart tries them only where
// every label shows its tick exactly (see exactLabels).
func niceMantissas(quarters bool) []float64 {
	if quarters {
		return []float64{1, 2, 2.5, 5}
	}
	return []float64{1, 2, 5}
}

// autoRange is the y range for data in [dmin, dmax]: widened to include
// zero, then rounded out to whole nice steps. It returns the range and its
// ticks (every step from lo to hi).
func autoRange(dmin, dmax float64, limit int, mantissas []float64) (lo, hi float64, ticks []float64) {
	a, b := math.Min(0, dmin), math.Max(0, dmax)
	count := func(s float64) int {
		return int(math.Ceil(b/s-eps)-math.Floor(a/s+eps)) + 1
	}
	s, ok := niceStep(b-a, limit, mantissas, count)
	if !ok {
		return a, b, []float64{a, b}
	}
	k0, k1 := math.Floor(a/s+eps), math.Ceil(b/s-eps)
	for k := k0; k <= k1; k++ {
		ticks = append(ticks, k*s)
	}
	return k0 * s, k1 * s, ticks
}

// fixedTicks are nice ticks inside a range the caller fixed, or its two ends
// when no nice step gives at least two.
func fixedTicks(lo, hi float64, limit int, mantissas []float64) []float64 {
	count := func(s float64) int {
		return int(math.Floor(hi/s+eps)-math.Ceil(lo/s-eps)) + 1
	}
	s, ok := niceStep(hi-lo, limit, mantissas, count)
	if !ok || count(s) < 2 {
		return []float64{lo, hi}
	}
	var ticks []float64
	for k := math.Ceil(lo/s - eps); k <= math.Floor(hi/s+eps); k++ {
		ticks = append(ticks, k*s)
	}
	return ticks
}

// timeStep is an x tick interval: a duration, or a number of calendar days.
type timeStep struct {
	d    time.Duration
	days int
}

// timeLayout is the x label format for a window: clock time up to a day and
// a half, weekday and day of month beyond.
func timeLayout(window time.Duration) string {
	if window <= 36*time.Hour {
		return "15:04"
	}
	return "Mon 02"
}

// timeTicks returns the tick times of the first interval (from a minute up
// to a month) that gives at most five ticks in [start, end] spaced at least
// minGap columns apart on a plot cols wide. Ticks fall on round local times
// in loc: whole minutes, hours or midnights.
func timeTicks(start, end time.Time, loc *time.Location, cols, minGap int) []time.Time {
	steps := [...]timeStep{
		{d: time.Minute}, {d: 2 * time.Minute}, {d: 5 * time.Minute}, {d: 10 * time.Minute},
		{d: 15 * time.Minute}, {d: 30 * time.Minute}, {d: time.Hour}, {d: 2 * time.Hour},
		{d: 3 * time.Hour}, {d: 6 * time.Hour}, {d: 12 * time.Hour},
		{days: 1}, {days: 2}, {days: 7}, {days: 14}, {days: 30},
	}
	window := end.Sub(start)
	if window <= 0 || cols <= 0 {
		return nil
	}
	var ticks []time.Time
	for _, st := range steps {
		span := st.d
		if st.days > 0 {
			span = time.Duration(st.days) * 24 * time.Hour
		}
		if float64(span)/float64(window)*float64(cols) < float64(minGap) {
			continue
		}
		if float64(window)/float64(span) > 6 { // cheap bound before listing
			continue
		}
		ticks = listTicks(ticks[:0], start, end, loc, st)
		if len(ticks) <= 5 {
			return ticks
		}
	}
	return ticks
}

// listTicks appends to dst the times in [start, end] aligned to step in loc.
func listTicks(dst []time.Time, start, end time.Time, loc *time.Location, st timeStep) []time.Time {
	l := start.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if st.days > 0 {
		for t := midnight; !t.After(end); t = t.AddDate(0, 0, st.days) {
			if !t.Before(start) {
				dst = append(dst, t)
			}
		}
		return dst
	}
	k := start.Sub(midnight) / st.d
	for t := midnight.Add(k * st.d); !t.After(end); t = t.Add(st.d) {
		if !t.Before(start) {
			dst = append(dst, t)
		}
	}
	return dst
}
