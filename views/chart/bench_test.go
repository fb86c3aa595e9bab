package chart

import (
	"math"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/theme"
)

// benchValues is an hour of per-minute CPU percentages crossing the warn
// and danger levels.
func benchValues(n int) []float64 {
	vs := make([]float64, n)
	for i := range vs {
		vs[i] = 50 + 45*math.Sin(float64(i)/5)
	}
	return vs
}

// BenchmarkSparkline is one table cell: 60 samples into 20 cells.
func BenchmarkSparkline(b *testing.B) {
	vs := benchValues(60)
	b.ReportAllocs()
	for b.Loop() {
		_ = Sparkline(vs, 20, 0, 100)
	}
}

// BenchmarkSparklineStyled is the same cell coloured by th.Level.
func BenchmarkSparklineStyled(b *testing.B) {
	th := theme.New(false)
	vs := benchValues(60)
	b.ReportAllocs()
	for b.Loop() {
		_ = SparklineStyled(th, vs, 20, 0, 100, th.Level)
	}
}

// BenchmarkLineChart is a day of per-minute samples (1,440 points) in a
// 100x20 detail pane, with a threshold.
func BenchmarkLineChart(b *testing.B) {
	th := theme.New(false)
	start := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	ps := make([]Point, 1440)
	for i := range ps {
		ps[i] = Point{start.Add(time.Duration(i) * time.Minute), 50 + 45*math.Sin(float64(i)/40) + 4*math.Sin(float64(i))}
	}
	thr := 80.0
	opts := ChartOptions{
		Points: ps, Start: start, End: start.Add(24 * time.Hour), Period: time.Minute,
		Width: 100, Height: 20, Unit: "%", Title: "CPU utilisation", Threshold: &thr, Theme: th,
	}
	b.Run("period", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = LineChart(opts)
		}
	})
	opts.Period = 0
	b.Run("inferred-period", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = LineChart(opts)
		}
	})
}

// BenchmarkSparklineStyledQuiet is the common row: every value below the
// warn level, so no cell is styled.
func BenchmarkSparklineStyledQuiet(b *testing.B) {
	th := theme.New(false)
	vs := benchValues(60)
	for i := range vs {
		vs[i] = vs[i] * 0.7
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = SparklineStyled(th, vs, 20, 0, 100, th.Level)
	}
}
