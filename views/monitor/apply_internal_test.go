package monitor

import (
	"math"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/views/chart"
)

func TestAppendPoint(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	at := func(k int) time.Time { return t0.Add(time.Duration(k) * time.Minute) }
	r := chart.NewRing(5)
	appendPoint(r, chart.Point{T: at(0), V: 1}, time.Minute)
	appendPoint(r, chart.Point{T: at(1), V: 2}, time.Minute)
	appendPoint(r, chart.Point{T: at(3), V: 4}, time.Minute) // one missed period
	got := r.Values(nil)
	if len(got) != 4 || got[0] != 1 || got[1] != 2 || !math.IsNaN(got[2]) || got[3] != 4 {
		t.Errorf("values %v, want [1 2 NaN 4]", got)
	}
	if p := r.Points()[2]; !p.T.Equal(at(2)) {
		t.Errorf("gap at %v, want %v", p.T, at(2))
	}

	// A gap never erases a datapoint; a late datapoint fills a gap.
	appendPoint(r, chart.Point{T: at(3), V: math.NaN()}, time.Minute)
	if last, _ := r.Last(); last.V != 4 {
		t.Errorf("a gap replaced a datapoint: %v", last)
	}
	appendPoint(r, chart.Point{T: at(4), V: math.NaN()}, time.Minute)
	appendPoint(r, chart.Point{T: at(4), V: 5}, time.Minute)
	if last, _ := r.Last(); last.V != 5 {
		t.Errorf("a late datapoint did not fill the gap: %v", last)
	}
	// Older points are ignored.
	appendPoint(r, chart.Point{T: at(1), V: 99}, time.Minute)
	if r.Len() != 5 {
		t.Errorf("len %d after an old point", r.Len())
	}

	// A long outage: at most the ring's capacity of gaps, then the point.
	appendPoint(r, chart.Point{T: at(1000), V: 7}, time.Minute)
	got = r.Values(nil)
	if len(got) != 5 || got[4] != 7 || nanCount(got) != 4 {
		t.Errorf("after a long outage: %v", got)
	}
	if p := r.Points()[3]; !p.T.Equal(at(999)) {
		t.Errorf("gap before the new point at %v, want %v", p.T, at(999))
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		period time.Duration
		n      int
		want   time.Duration
	}{
		{time.Minute, 1, 2 * time.Minute},
		{time.Minute, 2, 4 * time.Minute},
		{time.Minute, 3, 8 * time.Minute},
		{time.Minute, 4, 10 * time.Minute},
		{time.Minute, 100, 10 * time.Minute},
		{5 * time.Minute, 1, 10 * time.Minute},
		{15 * time.Minute, 1, 15 * time.Minute}, // never faster than the period
	} {
		if got := backoff(c.period, c.n); got != c.want {
			t.Errorf("backoff(%s, %d) = %s, want %s", c.period, c.n, got, c.want)
		}
	}
}

func nanCount(vs []float64) int {
	n := 0
	for _, v := range vs {
		if math.IsNaN(v) {
			n++
		}
	}
	return n
}
