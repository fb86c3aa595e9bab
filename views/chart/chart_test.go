package chart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ecsdash/ecsdash/theme"
)

// cpuSeries is an hour of one-minute CPU samples: a wave between 10 and 90 %
// with a spike to 97 %, two missing samples (NaN) and a 12-minute hole.
func cpuSeries() []Point {
	var ps []Point
	for i := 0; i <= 60; i++ {
		if i >= 40 && i < 52 {
			continue // hole: no samples at all
		}
		v := 50 + 40*math.Sin(float64(i)/6)
		switch i {
		case 15:
			v = 97
		case 25, 26:
			v = nan
		}
		ps = append(ps, at(i, v))
	}
	return ps
}

func cpuChart(th theme.Theme, w, h int) ChartOptions {
	thr := 80.0
	return ChartOptions{
		Points: cpuSeries(), Start: t0, End: t0.Add(time.Hour),
		Width: w, Height: h, Unit: "%", Title: "CPU utilisation",
		Threshold: &thr, Theme: th,
	}
}

// lines splits a chart into its lines, without styles.
func lines(s string) []string { return strings.Split(ansi.Strip(s), "\n") }

// plotCells returns the plot rows of a stripped chart: each line's cells
// after the y axis.
func plotCells(t *testing.T, out string, title bool) [][]rune {
	t.Helper()
	ls := lines(out)
	if title {
		ls = ls[1:]
	}
	ls = ls[:len(ls)-2]
	rows := make([][]rune, len(ls))
	for i, l := range ls {
		k := strings.IndexAny(l, "│┤")
		if k < 0 {
			t.Fatalf("plot line %d has no y axis: %q", i, l)
		}
		rows[i] = []rune(l[k+len("│"):])
	}
	return rows
}

// assertFits checks out is exactly h lines of exactly w cells.
func assertFits(t *testing.T, out string, w, h int) {
	t.Helper()
	ls := strings.Split(out, "\n")
	if len(ls) != h {
		t.Errorf("%d lines; want %d", len(ls), h)
	}
	for i, l := range ls {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells; want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func TestLineChartGolden(t *testing.T) {
	out := LineChart(cpuChart(theme.New(false), 40, 10))
	assertFits(t, out, 40, 10)
	golden.RequireEqual(t, ansi.Strip(out))
}

// The same chart with its styles: Muted axes and threshold, Warn and
// Danger cells by level, Header title.
func TestLineChartStyledGolden(t *testing.T) {
	golden.RequireEqual(t, LineChart(cpuChart(theme.New(false), 40, 10)))
}

func TestLineChartNetworkGolden(t *testing.T) {
	start := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	var ps []Point
	for i := 0; i <= 24*12; i++ { // every 5 minutes for a day
		v := 2e6 + 1.5e6*math.Sin(float64(i)/30) + 0.4e6*math.Sin(float64(i)*1.7)
		ps = append(ps, Point{start.Add(time.Duration(i) * 5 * time.Minute), v})
	}
	out := LineChart(ChartOptions{
		Points: ps, Start: start, End: start.Add(24 * time.Hour), Period: 5 * time.Minute,
		Width: 60, Height: 12, Unit: "bit/s", Title: "Internet in",
		Location: time.FixedZone("CST", 8*3600), Theme: theme.New(true),
	})
	assertFits(t, out, 60, 12)
	golden.RequireEqual(t, ansi.Strip(out))
}

func TestLineChartLoadWeekGolden(t *testing.T) {
	start := time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC)
	var ps []Point
	for i := 0; i <= 7*24; i++ { // hourly for a week
		v := 0.6 + 0.5*math.Sin(float64(i)*2*math.Pi/24)
		if i > 100 && i < 110 {
			v = nan
		}
		ps = append(ps, Point{start.Add(time.Duration(i) * time.Hour), v})
	}
	out := LineChart(ChartOptions{
		Points: ps, Start: start, End: start.Add(7 * 24 * time.Hour),
		Width: 50, Height: 8, Unit: "", Theme: theme.New(true),
	})
	assertFits(t, out, 50, 8)
	golden.RequireEqual(t, ansi.Strip(out))
}

func TestLineChartEmptyGolden(t *testing.T) {
	out := LineChart(ChartOptions{
		Start: t0, End: t0.Add(6 * time.Hour), Width: 30, Height: 7,
		Unit: "%", Title: "Memory", Theme: theme.New(true),
	})
	assertFits(t, out, 30, 7)
	golden.RequireEqual(t, ansi.Strip(out))
}

func TestLineChartAllNaNIsNoData(t *testing.T) {
	out := LineChart(ChartOptions{
		Points: []Point{at(0, nan), at(1, nan)}, Start: t0, End: t0.Add(time.Hour),
		Width: 30, Height: 7, Unit: "%", Theme: theme.New(true),
	})
	assertFits(t, out, 30, 7)
	if !strings.Contains(ansi.Strip(out), "no data") {
		t.Errorf("all-NaN chart lacks \"no data\":\n%s", ansi.Strip(out))
	}
}

func TestLineChartSummary(t *testing.T) {
	th := theme.New(true)
	for _, tc := range []struct {
		w, h int
		want string
	}{
		{19, 10, "CPU utilisation 28…"},
		{40, 4, "CPU utilisation 28% max 97%"},
		{5, 1, "CPU …"},
		{1, 1, "…"},
		{0, 10, ""},
		{40, 0, ""},
	} {
		out := LineChart(cpuChart(th, tc.w, tc.h))
		if got := ansi.Strip(out); got != tc.want {
			t.Errorf("%dx%d: %q; want %q", tc.w, tc.h, got, tc.want)
		}
	}
	out := LineChart(ChartOptions{Width: 12, Height: 3, Title: "Load", Theme: th})
	if got := ansi.Strip(out); got != "Load no data" {
		t.Errorf("empty summary = %q", got)
	}
}

// The latest value in the summary and the title takes its level's colour.
func TestLineChartSummaryStyled(t *testing.T) {
	th := theme.New(false)
	out := LineChart(cpuChart(th, 40, 4))
	if !strings.Contains(out, th.Danger.Render("97%")) || !strings.Contains(out, " 28% ") {
		t.Errorf("summary %q: want 97%% as Danger and 28%% plain", out)
	}
}

var (
	clockLabel = regexp.MustCompile(`^\d\d:\d\d$`)
	dayLabel   = regexp.MustCompile(`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d$`)
)

// Every window gets 3-5 x labels in its format, at round local times.
func TestLineChartTimeLabels(t *testing.T) {
	for _, tc := range []struct {
		window time.Duration
		format *regexp.Regexp
		first  string
	}{
		{time.Hour, clockLabel, "07:15"},
		{6 * time.Hour, clockLabel, "08:00"},
		{24 * time.Hour, clockLabel, "12:00"},
		{7 * 24 * time.Hour, dayLabel, "Fri 27"},
	} {
		for _, width := range []int{40, 80, 120} {
			name := fmt.Sprintf("%v/%d", tc.window, width)
			start := t0.Add(7 * time.Minute) // 07:07, not on a tick
			out := LineChart(ChartOptions{
				Points: []Point{{start, 1}, {start.Add(tc.window), 2}},
				Start:  start, End: start.Add(tc.window), Width: width, Height: 8, Theme: theme.New(true),
			})
			ls := lines(out)
			labels := strings.Fields(ls[len(ls)-1])
			if tc.format == dayLabel {
				labels = pairs(labels)
			}
			if len(labels) < 3 || len(labels) > 5 {
				t.Errorf("%s: %d labels %q; want 3-5", name, len(labels), labels)
			}
			for _, l := range labels {
				if !tc.format.MatchString(l) {
					t.Errorf("%s: label %q not in the window's format", name, l)
				}
			}
			if width == 80 && labels[0] != tc.first {
				t.Errorf("%s: first label %q; want %q", name, labels[0], tc.first)
			}
			ticks := strings.Count(ls[len(ls)-2], "┬")
			if ticks != len(labels) {
				t.Errorf("%s: %d ticks on the axis for %d labels", name, ticks, len(labels))
			}
		}
	}
}

func pairs(fields []string) []string {
	var out []string
	for i := 0; i+1 < len(fields); i += 2 {
		out = append(out, fields[i]+" "+fields[i+1])
	}
	return out
}

func TestLineChartLocation(t *testing.T) {
	opts := cpuChart(theme.New(true), 40, 10)
	opts.Location = time.FixedZone("IST", 5*3600+1800)
	ls := lines(LineChart(opts))
	if got := strings.Fields(ls[len(ls)-1]); got[0] != "12:30" {
		t.Errorf("labels in +05:30 = %q; want the first at 12:30 (07:00 UTC)", got)
	}
}

// Cells under a hole (missing samples longer than two periods) or NaNs are
// blank: the line is not drawn across missing data.
func TestLineChartGaps(t *testing.T) {
	var ps []Point
	for i := 0; i <= 60; i++ {
		switch {
		case i > 15 && i < 25: // hole
			continue
		case i > 35 && i < 45:
			ps = append(ps, at(i, nan))
		default:
			ps = append(ps, at(i, 20+float64(i%3)*30))
		}
	}
	out := LineChart(ChartOptions{Points: ps, Start: t0, End: t0.Add(time.Hour), Width: 61 + 4, Height: 10, Unit: "%", Theme: theme.New(true)})
	rows := plotCells(t, out, false)
	width := len(rows[0])
	col := func(minute int) int { return int(math.Round(float64(minute)/60*float64(2*width-1))) / 2 }
	blank := func(from, to int) {
		for c := col(from); c <= col(to); c++ {
			for r, row := range rows {
				if row[c] != ' ' {
					t.Errorf("cell (%d, %d), in a gap, is %q", r, c, row[c])
				}
			}
		}
	}
	blank(17, 23)
	blank(37, 43)
	for _, m := range []int{5, 30, 55} {
		drawn := false
		for _, row := range rows {
			drawn = drawn || row[col(m)] != ' '
		}
		if !drawn {
			t.Errorf("minute %d (data) is blank", m)
		}
	}
}

// With a one-minute period inferred, a point 2 minutes after the previous
// is joined and one 3 minutes after is not.
func TestLineChartGapIsTwoPeriods(t *testing.T) {
	ps := []Point{at(0, 50), at(1, 50), at(2, 50), at(4, 50), at(7, 50), at(8, 50)}
	out := LineChart(ChartOptions{Points: ps, Start: t0, End: t0.Add(8 * time.Minute), Width: 21, Height: 5, Min: 0, Max: 100, Theme: theme.New(true)})
	rows := plotCells(t, out, false)
	var mid []rune
	for _, row := range rows {
		if strings.TrimSpace(string(row)) != "" {
			mid = row
		}
	}
	// 17 cells for 8 minutes: minute m is at dot round(m*33/8).
	got := string(mid)
	if !strings.Contains(got, "⠒⠒⠒⠒⠒⠒⠒⠒") || strings.Count(strings.TrimSpace(got), " ") == 0 {
		t.Errorf("flat line %q: want 0-4 joined and a blank between 4 and 7", got)
	}
	x4, x7 := 4*33/8/2+1, 7*33/8/2
	if strings.TrimSpace(string(mid[x4:x7])) != "" {
		t.Errorf("cells between minutes 4 and 7 = %q; want blank", string(mid[x4:x7]))
	}
}

// Downsampling keeps each column's maximum: a one-sample spike among 1,440
// quiet samples still reaches the top row.
func TestLineChartKeepsSpikes(t *testing.T) {
	ps := make([]Point, 1440)
	for i := range ps {
		ps[i] = at(i, 5)
	}
	ps[777].V = 99
	out := LineChart(ChartOptions{Points: ps, Start: t0, End: t0.Add(24 * time.Hour), Width: 40, Height: 8, Min: 0, Max: 100, Unit: "%", Theme: theme.New(true)})
	rows := plotCells(t, out, false)
	if strings.TrimSpace(string(rows[0])) == "" {
		t.Errorf("spike to 99%% lost:\n%s", ansi.Strip(out))
	}
}

func TestLineChartConstant(t *testing.T) {
	ps := []Point{at(0, 42), at(30, 42), at(60, 42)}
	for i := 1; i < 60; i++ {
		ps = append(ps[:len(ps)-1], at(i, 42), ps[len(ps)-1])
	}
	out := LineChart(ChartOptions{Points: ps, Start: t0, End: t0.Add(time.Hour), Width: 40, Height: 8, Unit: "", Theme: theme.New(true)})
	assertFits(t, out, 40, 8)
	drawn := 0
	for _, row := range plotCells(t, out, false) {
		if strings.TrimSpace(string(row)) != "" {
			drawn++
		}
	}
	if drawn != 1 {
		t.Errorf("constant series drawn on %d rows; want 1:\n%s", drawn, ansi.Strip(out))
	}
	if !strings.Contains(ansi.Strip(out), "60┤") || !strings.Contains(ansi.Strip(out), " 0┤") {
		t.Errorf("constant 42: want a 0..60 axis:\n%s", ansi.Strip(out))
	}
}

func TestLineChartNegative(t *testing.T) {
	var ps []Point
	for i := 0; i <= 60; i++ {
		ps = append(ps, at(i, -30+float64(i)))
	}
	out := LineChart(ChartOptions{Points: ps, Start: t0, End: t0.Add(time.Hour), Width: 40, Height: 10, Theme: theme.New(true)})
	assertFits(t, out, 40, 10)
	s := ansi.Strip(out)
	if !strings.Contains(s, "-") || !strings.Contains(s, " 0┤") {
		t.Errorf("-30..30 axis lacks negative labels or zero:\n%s", s)
	}
}

func TestLineChartThreshold(t *testing.T) {
	th := theme.New(false)
	thr := 50.0
	opts := ChartOptions{Points: []Point{at(0, 10), at(60, 10)}, Start: t0, End: t0.Add(time.Hour),
		Width: 30, Height: 8, Min: 0, Max: 100, Threshold: &thr, Theme: th}
	out := LineChart(opts)
	// 0..100 on 24 dot rows: 50 is dot row 11, the bottom dot of plot row
	// 2. The dim line shares the axis' Muted run.
	if want := th.Muted.Render(" 50┤" + strings.Repeat("⡀", 26)); !strings.Contains(out, want) {
		t.Errorf("no Muted dotted line at 50:\n%q", out)
	}
	// Crossing data: the data dots keep the data's style, the threshold's
	// dots are merged into the same cells.
	// 60 is dot row 9 (⠂), data at 50 dot row 11 (⣀): together ⣂.
	thr = 60
	opts.Points = []Point{at(0, 50), at(60, 50)}
	if s := ansi.Strip(LineChart(opts)); !strings.Contains(s, " 50┤"+strings.Repeat("⣂", 26)) {
		t.Errorf("data on the threshold: want merged dots:\n%s", s)
	}
	// Out of a fixed range: not drawn.
	thr = 150
	opts.Points = []Point{at(0, 10), at(60, 10)}
	if s := ansi.Strip(LineChart(opts)); strings.Contains(s, "⡀") {
		t.Errorf("threshold above Max drawn:\n%s", s)
	}
	// An automatic range grows to show the threshold.
	opts.Min, opts.Max, thr = 0, 0, 80
	if s := ansi.Strip(LineChart(opts)); !strings.Contains(s, "⠂⠂⠂⠂") {
		t.Errorf("auto range does not reach the threshold 80:\n%s", s)
	}
}

// A cell reaching 90 % is Danger, 80 % Warn; the rest plain.
func TestLineChartLevelColours(t *testing.T) {
	th := theme.New(false)
	opts := ChartOptions{Start: t0, End: t0.Add(2 * time.Minute),
		Width: 20, Height: 6, Min: 0, Max: 100, Unit: "%", Theme: th}
	// 4 plot rows, 16 dot rows: 95 is dot row 1 ("⠒"), 85 dot row 2 ("⠤"),
	// 50 dot row 7 ("⣀"); the plot is 15 cells beside "100%┤".
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{95, th.Danger.Render(strings.Repeat("⠒", 15))},
		{85, th.Warn.Render(strings.Repeat("⠤", 15))},
		{50, "┤\x1b[m" + strings.Repeat("⣀", 15) + "\n"},
	} {
		opts.Points = []Point{at(0, tc.v), at(1, tc.v), at(2, tc.v)}
		if out := LineChart(opts); !strings.Contains(out, tc.want) {
			t.Errorf("flat line at %v: want %q in\n%q", tc.v, tc.want, out)
		}
	}
	// A custom level applies to other units too.
	opts.Unit, opts.Level = "", levelByThreshold(th)
	opts.Points = []Point{at(0, 60), at(2, 60)}
	if out := LineChart(opts); !strings.Contains(out, th.Danger.Render(strings.Repeat("⠤", 16))) {
		t.Errorf("custom level not applied:\n%q", out)
	}
}

// A huge unit or title never widens the chart; labels fall back to the
// compact form, then are cut.
func TestLineChartLongLabels(t *testing.T) {
	th := theme.New(true)
	for _, unit := range []string{"bit/s", "requests per second\nper instance"} {
		out := LineChart(ChartOptions{Points: []Point{at(0, 1.5e6), at(60, 2.5e6)}, Start: t0, End: t0.Add(time.Hour),
			Width: 20, Height: 6, Unit: unit, Title: "a\tvery long title\nwith a newline", Theme: th})
		assertFits(t, out, 20, 6)
	}
	out := LineChart(ChartOptions{Points: []Point{at(0, 0.2e9), at(60, 1.2e9)}, Start: t0, End: t0.Add(time.Hour),
		Width: 20, Height: 8, Unit: "bit/s", Theme: th})
	assertFits(t, out, 20, 8)
	if s := ansi.Strip(out); !strings.Contains(s, "1.5G┤") || strings.Contains(s, "bit/s") {
		t.Errorf("narrow bit/s chart: want compact labels (1.5G):\n%s", s)
	}
}

// The property the views rely on: for any input, no line is wider than
// Width and there are no more than Height lines; a chart-sized result is
// exactly Width x Height.
func TestLineChartFitsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	units := []string{"%", "bit/s", "", "B/s", "ms"}
	windows := []time.Duration{0, -time.Hour, time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 400 * 24 * time.Hour}
	zones := []*time.Location{nil, time.UTC, time.FixedZone("X", 5*3600+1800), time.FixedZone("Y", -11*3600)}
	for i := range 3000 {
		w, h := rng.IntN(140)-2, rng.IntN(45)-2
		window := windows[rng.IntN(len(windows))]
		start := t0.Add(time.Duration(rng.Int64N(int64(48 * time.Hour))))
		n := rng.IntN(300)
		if rng.IntN(20) == 0 {
			n = 3000
		}
		vs := randomValues(rng, n)
		ps := make([]Point, n)
		span := max(window, time.Hour) * 3 / 2
		for j := range ps {
			var ts time.Time
			if rng.IntN(10) == 0 { // out of order, or outside the window
				ts = start.Add(time.Duration(rng.Int64N(int64(span))) - span/4)
			} else {
				ts = start.Add(time.Duration(j) * span / time.Duration(max(n, 1)))
			}
			ps[j] = Point{ts, vs[j]}
		}
		opts := ChartOptions{
			Points: ps, Start: start, End: start.Add(window), Width: w, Height: h,
			Unit: units[rng.IntN(len(units))], Location: zones[rng.IntN(len(zones))],
			Theme: theme.New(rng.IntN(2) == 0),
		}
		if rng.IntN(3) == 0 {
			opts.Title = strings.Repeat("Title ", rng.IntN(30))
		}
		if rng.IntN(3) == 0 {
			opts.Min, opts.Max = randomBound(rng), randomBound(rng)
		}
		if rng.IntN(3) == 0 {
			v := randomValues(rng, 1)[0]
			opts.Threshold = &v
		}
		if rng.IntN(4) == 0 {
			opts.Period = time.Duration(rng.Int64N(int64(time.Hour)))
		}
		out := LineChart(opts)
		ls := strings.Split(out, "\n")
		fail := func(format string, args ...any) {
			t.Fatalf("case %d (%dx%d, window %v, %d points, unit %q, min %v max %v): %s\n%s",
				i, w, h, window, n, opts.Unit, opts.Min, opts.Max, fmt.Sprintf(format, args...), ansi.Strip(out))
		}
		switch {
		case w <= 0 || h <= 0:
			if out != "" {
				fail("want empty for a non-positive size")
			}
		case w < MinChartWidth || h < MinChartHeight:
			if len(ls) != 1 || ansi.StringWidth(out) > w {
				fail("want a one-line summary of at most %d cells", w)
			}
		default:
			if len(ls) != h {
				fail("%d lines; want %d", len(ls), h)
			}
			for k, l := range ls {
				if cw := ansi.StringWidth(l); cw != w {
					fail("line %d is %d cells; want %d", k, cw, w)
				}
			}
		}
	}
}
