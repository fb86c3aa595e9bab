package chart

import (
	"math"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// render draws the chart: title, plot rows, x axis line and x labels, each
// line exactly opts.Width cells.
func (l layout) render(opts ChartOptions, shown []Point, st stats) string {
	th := opts.Theme
	c := newCanvas(l.plotW, l.rows)
	cellVal := l.plot(c, opts, shown)

	thrRow, thrBit := -1, uint8(0)
	if t := opts.Threshold; t != nil && *t >= l.lo && *t <= l.hi {
		y := l.dotY(*t)
		thrRow, thrBit = y/4, brailleBit(0, y%4)
	}

	var b strings.Builder
	b.Grow(opts.Height * (opts.Width*3 + 32))
	if l.title {
		l.titleLine(&b, opts, st)
		b.WriteByte('\n')
	}

	muted := th.Muted
	plain := lipgloss.NewStyle()
	msgRow, msgCol, msg := -1, 0, ""
	if st.n == 0 {
		msg = ansi.Truncate(noData, l.plotW, "")
		msgRow, msgCol = (l.rows-1)/2, (l.plotW-ansi.StringWidth(msg))/2
	}
	w := newRunWriter(&b)
	for r := range l.rows {
		axis := "│"
		if l.yLabel[r] != "" {
			axis = "┤"
		}
		w.write(strings.Repeat(" ", l.labelW-ansi.StringWidth(l.yLabel[r]))+l.yLabel[r]+axis, &muted)
		for cx := 0; cx < l.plotW; cx++ {
			if r == msgRow && cx == msgCol && msg != "" {
				w.write(msg, &muted)
				cx += ansi.StringWidth(msg) - 1
				continue
			}
			bits, top := c.cell(cx, r)
			switch {
			case bits != 0:
				if r == thrRow {
					bits |= thrBit
				}
				v := l.valueAt(top)
				if pv := cellVal[r*l.plotW+cx]; pv > v {
					v = pv
				}
				s := opts.Level(v)
				w.writeRune(brailleRune(bits), &s)
			case r == thrRow:
				w.writeRune(brailleRune(thrBit), &muted)
			default:
				w.writeRune(' ', &plain)
			}
		}
		w.flush()
		b.WriteByte('\n')
	}
	l.xAxis(&b, opts)
	return b.String()
}

// plot draws the series on c and returns, per cell, the highest point value
// that fell in it (NaN for none).
func (l layout) plot(c *canvas, opts ChartOptions, shown []Point) []float64 {
	cellVal := make([]float64, l.plotW*l.rows)
	for i := range cellVal {
		cellVal[i] = math.NaN()
	}
	period := opts.Period
	if period <= 0 {
		period = medianSpacing(shown)
	}
	span := float64(opts.End.Sub(opts.Start))
	dotsW := c.dotsW()
	dotX := func(t time.Time) int {
		if span <= 0 {
			return dotsW - 1
		}
		return int(math.Round(float64(t.Sub(opts.Start)) / span * float64(dotsW-1)))
	}

	// A column is the maximum of the points falling in one dot column;
	// linked says its first point continues the previous column's line.
	type column struct {
		x, y   int
		v      float64
		linked bool
	}
	var cur, prev column
	have, havePrev := false, false
	flush := func() {
		if cur.linked && havePrev {
			c.line(prev.x, prev.y, cur.x, cur.y)
		} else {
			c.set(cur.x, cur.y)
		}
		i := (cur.y/4)*l.plotW + cur.x/2
		if !(cellVal[i] >= cur.v) {
			cellVal[i] = cur.v
		}
		prev, havePrev = cur, true
	}
	var lastT time.Time
	broken := true // nothing to join the next point to
	for _, p := range shown {
		if p.T.Before(opts.Start) || p.T.After(opts.End) {
			continue // only when the caller's points were out of order
		}
		if math.IsNaN(p.V) {
			broken = true
			continue
		}
		linked := !broken && (period <= 0 || p.T.Sub(lastT) <= 2*period)
		lastT, broken = p.T, false
		x, y := dotX(p.T), l.dotY(p.V)
		if have && x == cur.x {
			if p.V > cur.v {
				cur.v, cur.y = p.V, y
			}
			continue
		}
		if have {
			flush()
		}
		cur, have = column{x: x, y: y, v: p.V, linked: linked}, true
	}
	if have {
		flush()
	}
	return cellVal
}

// titleLine writes the title, and the latest and highest values on the
// right when they fit, padded to the width.
func (l layout) titleLine(b *strings.Builder, opts ChartOptions, st stats) {
	th := opts.Theme
	title := ansi.Truncate(opts.Title, opts.Width, "…")
	tw := ansi.StringWidth(title)
	right, rw := "", 0
	if st.n > 0 {
		last, peak := FormatValue(st.last, opts.Unit), FormatValue(st.max, opts.Unit)
		rw = ansi.StringWidth("last  · max " + last + peak)
		right = th.Muted.Render("last ") + opts.Level(st.last).Render(last) +
			th.Muted.Render(" · max ") + opts.Level(st.max).Render(peak)
	}
	b.WriteString(th.Header.Render(title))
	if right != "" && tw+2+rw <= opts.Width {
		pad(b, opts.Width-tw-rw)
		b.WriteString(right)
		return
	}
	pad(b, opts.Width-tw)
}

// xAxis writes the x axis line, with a ┬ under each labelled time, and the
// label row below it.
func (l layout) xAxis(b *strings.Builder, opts ChartOptions) {
	th := opts.Theme
	layoutStr := timeLayout(opts.End.Sub(opts.Start))
	labelW := len(time.Time{}.Format(layoutStr))
	ticks := timeTicks(opts.Start, opts.End, opts.Location, l.plotW, labelW+2)

	axis := make([]rune, l.plotW)
	labels := make([]byte, l.plotW)
	for i := range axis {
		axis[i], labels[i] = '─', ' '
	}
	span := float64(opts.End.Sub(opts.Start))
	next := 0 // first column free for a label
	zone := zoneLabel(opts.ZoneName, l.labelW+1+l.plotW)
	if zone != "" {
		next = len(zone) + 1 - (l.labelW + 1)
	}
	for _, t := range ticks {
		col := int(math.Round(float64(t.Sub(opts.Start))/span*float64(2*l.plotW-1))) / 2
		s := t.In(opts.Location).Format(layoutStr)
		at := min(max(col-len(s)/2, 0), l.plotW-len(s))
		if at < next || at < 0 {
			continue
		}
		axis[col] = '┬'
		copy(labels[at:], s)
		next = at + len(s) + 1
	}
	b.WriteString(th.Muted.Render(strings.Repeat(" ", l.labelW) + "└" + string(axis)))
	b.WriteByte('\n')
	row := strings.Repeat(" ", l.labelW+1) + string(labels)
	if zone != "" {
		row = zone + row[len(zone):]
	}
	b.WriteString(th.Muted.Render(row))
}

// zoneLabel is the zone's name as the label row shows it: printable ASCII
// (the row is laid out in bytes) that fits in width with a label beside
// it, else nothing.
func zoneLabel(name string, width int) string {
	for _, r := range name {
		if r <= ' ' || r > '~' {
			return ""
		}
	}
	if len(name) > width/3 {
		return ""
	}
	return name
}
