package chart

import (
	"math"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/theme"
)

// blocks are the eight sparkline levels, lowest first.
const blocks = "▁▂▃▄▅▆▇█"

// blockWidth is the byte length of each rune in blocks.
const blockWidth = len("▁")

// gapDot marks a missing sample in a styled sparkline.
const gapDot = "·"

// Sparkline renders the last width values as exactly width cells of block
// characters, right-aligned: fewer values are padded with spaces on the
// left. Each value is clamped to [min, max] and binned into eighths of that
// range (min → ▁, max → █). A NaN value (missing data) is a blank cell.
//
// When max <= min (or either is NaN) the scale follows the shown values:
// from their minimum to their maximum, widened to include zero, so that
// non-negative data keeps zero at the bottom and a constant series is full
// height (all zeros stay at ▁). width <= 0 returns "".
func Sparkline(values []float64, width int, min, max float64) string {
	if width <= 0 {
		return ""
	}
	shown, blank := tail(values, width)
	lo, hi := sparkScale(shown, min, max)
	var b strings.Builder
	b.Grow(blank + len(shown)*blockWidth)
	for range blank {
		b.WriteByte(' ')
	}
	for _, v := range shown {
		if math.IsNaN(v) {
			b.WriteByte(' ')
			continue
		}
		i := blockIndex(v, lo, hi)
		b.WriteString(blocks[i*blockWidth : (i+1)*blockWidth])
	}
	return b.String()
}

// SparklineStyled is [Sparkline] with each cell coloured by level(value),
// for instance th.Level for percentages; missing samples are a Muted "·".
// Each cell is coloured by its own value rather than the whole line by the
// latest one, so a past spike keeps its colour where it happened. Runs of
// cells sharing a style are written together, plain runs without any escape
// sequence, and each distinct style is rendered by lipgloss once per call,
// not once per cell. Level styles should set
// only colours and text attributes (as the theme's do): cells are merged by
// those. A nil level leaves values unstyled.
func SparklineStyled(th theme.Theme, values []float64, width int, min, max float64, level func(v float64) lipgloss.Style) string {
	if width <= 0 {
		return ""
	}
	shown, blank := tail(values, width)
	lo, hi := sparkScale(shown, min, max)
	var b strings.Builder
	b.Grow(blank + len(shown)*(blockWidth+8))
	for range blank {
		b.WriteByte(' ')
	}
	w := newRunWriter(&b)
	plain := lipgloss.NewStyle()
	for _, v := range shown {
		if math.IsNaN(v) {
			w.write(gapDot, &th.Muted)
			continue
		}
		s := plain
		if level != nil {
			s = level(v)
		}
		i := blockIndex(v, lo, hi)
		w.write(blocks[i*blockWidth:(i+1)*blockWidth], &s)
	}
	w.flush()
	return b.String()
}

// tail returns the last width values and how many blank cells pad them.
func tail(values []float64, width int) ([]float64, int) {
	if len(values) >= width {
		return values[len(values)-width:], 0
	}
	return values, width - len(values)
}

// sparkScale returns the range values are binned in: [min, max] when it is
// a valid range, otherwise the finite values' range widened to include zero.
func sparkScale(values []float64, min, max float64) (float64, float64) {
	if max > min {
		return min, max
	}
	lo, hi := 0.0, 0.0
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

// blockIndex bins v into 0..7 over [lo, hi]; an empty range bins to 0.
func blockIndex(v, lo, hi float64) int {
	if !(hi > lo) {
		return 0
	}
	f := (v - lo) / (hi - lo) * 8
	switch {
	case !(f > 0): // also NaN
		return 0
	case f >= 7:
		return 7
	}
	return int(f)
}
